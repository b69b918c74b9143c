// Measurement inputs at their edges: traces, profiler CSVs, harness CSVs, plans, baselines,
// budgets and rules that are empty, malformed, out of range, from another device, very large, or
// written by other tools' versions. Each is read, refused with the file and the place, or warned
// about; none ends in a stack trace or a nonsense number.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { InputError } from "../src/errors.js";
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { loadProfile } from "../src/hardware/load.js";
import { readChromeTrace } from "../src/importers/chrome-trace.js";
import { detectFormat } from "../src/importers/detect.js";
import { parseNcu } from "../src/importers/ncu.js";
import { parseNsys } from "../src/importers/nsys.js";
import { readRules } from "../src/importers/rules.js";
import { scanTraceEvents } from "../src/importers/trace-events.js";
import { MEASUREMENT_COLUMNS } from "../src/measurements/schema.js";
import { compileUserPattern } from "../src/patterns.js";
import { planEntries } from "../src/plan/plan.js";
import { PER_ROW_TABLE_LIMIT } from "../src/cli/row-limit.js";
import { formatSeconds } from "../src/views/format.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));
const PUBLISHED = path.join(root, "measurements/published/bekman-ml-engineering.csv");
const CPU_PROFILE = path.join(root, "measurements/cpu-amd-epyc-2c/profile.json");
const roofline = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env: { ...process.env, GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "" } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-inputs-"));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

/** A refusal: exit status 2, one `roofline: …` line of message, no stack trace. */
function refused(result: ReturnType<typeof roofline>, message: RegExp): void {
  assert.equal(result.status, 2, `expected a refusal, got status ${result.status}\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stderr, /^roofline: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "a stack trace");
  assert.match(result.stderr, message);
}

const fails = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (error: Error) => {
    assert.ok(error instanceof InputError, `not an InputError: ${error.stack}`);
    assert.match(error.message, message);
    return true;
  });
const rejects = (promise: Promise<unknown>, message: RegExp) =>
  assert.rejects(promise, (error: Error) => {
    assert.ok(error instanceof InputError, `not an InputError: ${error.stack}`);
    assert.match(error.message, message);
    return true;
  });

/** A harness row of griffin-100m's decode step on the reference CPU, `factor` × its roofline there. */
const cpuEntries = planEntries(preset("griffin-100m"), "decode", 1, 1024, FLASH_FUSED, ceilingsFor(loadProfile(CPU_PROFILE), "bf16"));
function row(entry = cpuEntries[0]!, factor = 4, changes: Record<string, string | number> = {}): Record<string, string | number> {
  const t = entry.predicted.seconds * factor;
  return {
    kernel_id: entry.id, model: entry.model, phase: entry.phase, pass: entry.pass, batch: entry.batch, tokens: entry.tokens, op: entry.op,
    block: entry.block, kind: entry.kind, kernel: entry.kernel, implementation: entry.implementation ?? "", harness_implementation: "synthetic",
    shape: Object.entries(entry.shape).map(([k, v]) => `${k}=${v}`).join(" "), dtype: "bf16", device: "cpu", device_name: "AMD EPYC",
    backend: "torch", backend_version: "1.13.1", runs: 3, median_seconds: t, min_seconds: t, p90_seconds: t, mean_seconds: t,
    samples_seconds: `${t} ${t} ${t}`, check: "pass", max_error: 0, cache_flushed: 0, ...changes,
  };
}
const measurementCsv = (rows: Record<string, string | number>[]) => stringify(rows, { header: true, columns: [...MEASUREMENT_COLUMNS] });

// --- User regular expressions ----------------------------------------------------------------

test("user patterns run in linear time: a pattern that backtracks exponentially answers at once", () => {
  // ^(a+)+$ against 32 a's and a "!" takes 2^32 steps in a backtracking engine.
  const pattern = compileUserPattern("^(a+)+$", "test:");
  assert.equal(pattern.test(`${"a".repeat(32)}!`), false);
  assert.equal(pattern.test("aaaa"), true);
  assert.equal(compileUserPattern("GEMM", "test:", "i").test("sm90_xmma_gemm"), true);
});

test("patterns RE2 cannot run (backreferences, lookaround) are refused with the pattern, the file and the reason", () => {
  const rules = write("backref-rules.json", JSON.stringify({ rules: [{ pattern: "gemm", kernel: "linear" }, { pattern: "(a)\\1", kernel: "linear" }] }));
  fails(() => readRules(rules), /backref-rules\.json: rules\[1\]\.pattern: not a regular expression this tool accepts: \/\(a\)\\1\/ \(invalid escape sequence: `\\1`\)/);
  const lookahead = write("lookahead-budget.json", JSON.stringify({
    schema: "roofline.budget", version: 1, measured: [{ name: "ahead", kernels: "mlp(?=\\|)", maxSlowdown: 0.1 }],
  }));
  refused(roofline("check", "--budget", lookahead), /lookahead-budget\.json: measured "ahead": kernels is not a regular expression this tool accepts: \/mlp\(\?=\\\|\)\/ \(invalid or unsupported Perl syntax: `\(\?=`\)/);
});

test("a rules file's catastrophic pattern does not hang trace validation", () => {
  const rules = write("catastrophic-rules.json", JSON.stringify({ rules: [{ pattern: "^(a+)+$", kernel: "linear" }] }));
  const trace = write("aaaa.json", JSON.stringify({ traceEvents: [{ ph: "X", cat: "kernel", name: `${"a".repeat(32)}!`, pid: 0, ts: 0, dur: 5 }] }));
  // The name matches neither the pattern nor a default rule: a refusal that names it, at once.
  refused(roofline("validate", "--measured", trace, "--rules", rules, "--model", "griffin-100m", "--hw", "h100-sxm"), /1 kernels match no rule:\n {2}a{32}!/);
});

// --- CSV inputs: byte-order marks, unterminated quotes, empty summaries ------------------------

const BOM = "\uFEFF";
const NSYS_HEADER = '"Time (%)","Total Time (ns)","Instances","Avg (ns)","Med (ns)","Min (ns)","Max (ns)","StdDev (ns)","Name"';
const nsysRow = (total: string, instances: string, name: string) => `"50.0","${total}","${instances}","1.0","1.0","1","1","0.0","${name}"`;
const NCU_HEADER = '"ID","Kernel Name","dram__bytes.sum","gpu__time_duration.sum"';
const NCU_UNITS = '"","","byte","usecond"';

test("Nsight Systems: a summary with only its header is refused, an annotated header is read", () => {
  refused(roofline("validate", "--measured", write("nsys-header.csv", `${NSYS_HEADER}\n`), "--model", "griffin-100m", "--hw", "h100-sxm"),
    /nsys-header\.csv: no kernels \(the summary's header has no rows under it\)/);
  const annotated = parseNsys(['"Time (%)","Total Time (ns) [sum]","Instances","Med (ns) [med]","Name"', '"100.0","2,000","4","500","gemm_kernel"'].join("\n"), "annotated.csv");
  // 2,000 ns over 4 instances: 2 µs in all, 500 ns median.
  assert.deepEqual(annotated.kernels, [{ name: "gemm_kernel", launches: 4, seconds: 2e-6, medianSeconds: 5e-7 }]);
});

test("unterminated quotes are refused with the file and the line where the quote opens", () => {
  // A file cut off inside a quoted field. ncu: the header on line 2 (after a ==PROF== line), the cut launch on line 5.
  const ncu = ["==PROF== Connected", NCU_HEADER, NCU_UNITS, '"0","gemm_kernel","10","5"', '"1","gemm_ker'].join("\n");
  fails(() => parseNcu(ncu, "ncu.csv"), /^ncu\.csv: not valid CSV: line 5: a quoted field opened on this line is never closed$/);
  // nsys: a title, a blank line, the header on line 3, the broken row on line 5.
  const nsys = ["** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):", "", NSYS_HEADER, nsysRow("100", "1", "a"), `"50.0","100","1","1.0","1.0","1","1","0.0","gemm`].join("\n");
  fails(() => parseNsys(nsys, "nsys.csv"), /^nsys\.csv: not valid CSV: line 5: a quoted field opened on this line is never closed$/);
  const published = fs.readFileSync(PUBLISHED, "utf8").trimEnd().split("\n");
  const dirOf = fs.mkdtempSync(path.join(dir, "published-"));
  fs.writeFileSync(path.join(dirOf, path.basename(PUBLISHED)), [...published, '1,bekman-ml-engineering,"Bekman, Machine'].join("\n"));
  refused(roofline("validate", "--measured", path.join(dirOf, path.basename(PUBLISHED))),
    new RegExp(`bekman-ml-engineering\\.csv: not valid CSV: line ${published.length + 1}: a quoted field opened on this line is never closed`));
  // A harness CSV is streamed: the same message from the streaming reader.
  const truncated = `${measurementCsv([row()]).trimEnd()}\n"${row().kernel_id},cut off\n`;
  refused(roofline("measurements", write("cut.csv", truncated)), /cut\.csv: not valid CSV: line 3: a quoted field opened on this line is never closed/);
});

test("a UTF-8 byte-order mark before a CSV is skipped (harness, ncu, nsys, published)", async () => {
  const harnessCsv = write("bom.csv", BOM + measurementCsv([row()]));
  const listed = roofline("measurements", harnessCsv);
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /1 measurements on AMD EPYC \(torch 1\.13\.1\)/);
  assert.equal(detectFormat(harnessCsv), "harness");
  const ncu = parseNcu(BOM + [NCU_HEADER, NCU_UNITS, '"0","gemm_kernel","1,000","12.5"'].join("\n"), "bom-ncu.csv");
  assert.deepEqual(ncu.kernels, [{ name: "gemm_kernel", launches: 1, seconds: 12.5e-6, dramBytes: 1000 }]);
  const nsysFile = write("bom-nsys.csv", BOM + [NSYS_HEADER, nsysRow("412,000,000", "64", "gemm")].join("\n"));
  assert.equal(detectFormat(nsysFile), "nsys");
  assert.equal(parseNsys(fs.readFileSync(nsysFile, "utf8"), nsysFile).kernels[0]!.seconds, 0.412);
  const dirOf = fs.mkdtempSync(path.join(dir, "published-"));
  fs.writeFileSync(path.join(dirOf, path.basename(PUBLISHED)), BOM + fs.readFileSync(PUBLISHED, "utf8"));
  const published = roofline("validate", "--measured", dirOf, "--json");
  assert.equal(published.status, 0, published.stderr);
  assert.equal(JSON.parse(published.stdout).rows, fs.readFileSync(PUBLISHED, "utf8").trim().split("\n").length - 1);
});

// --- Chrome traces ---------------------------------------------------------------------------

const FIXTURES = path.join(root, "test/fixtures");

test("torch 1.13's bare array of CPU operators is read, each operator with its own time", async () => {
  // Written by Debian's torch 1.13 (export_chrome_trace without a GPU): F.silu(Linear(64, 64)(x)) twice.
  const trace = await readChromeTrace(path.join(FIXTURES, "torch-1.13-cpu-trace.json"));
  assert.deepEqual(trace.device, { kind: "cpu", names: [] });
  const own = Object.fromEntries(trace.kernels.map((k) => [k.name, [k.launches, Math.round(k.seconds * 1e6)]]));
  // aten::linear (833 µs, then 64 µs) calls aten::t (64, 13) and aten::addmm (712, 47): 833 − 64 − 712 + 64 − 13 − 47 = 61 µs.
  // aten::addmm calls expand (5, 1), copy_ (23, 6) and resolve_conj twice (4 + 0, 0 + 0): 712 − 32 + 47 − 7 = 720 µs.
  // aten::silu calls nothing: 1386 + 5 = 1391 µs.
  assert.deepEqual(own["aten::linear"], [2, 61]);
  assert.deepEqual(own["aten::addmm"], [2, 720]);
  assert.deepEqual(own["aten::silu"], [2, 1391]);
  assert.match(trace.warnings[0]!, /no GPU kernel events, so its 22 CPU operators \(1 threads\) stand for the kernels/);
  assert.match(trace.warnings[1]!, /torch-1\.13-cpu-trace\.json: 4 of 22 operator events last 0 µs/);
});

/** One decode step of a CPU trace in Kineto's layout: one linear layer, its wrapper and a view. */
const kinetoCpu = (pid: number) => ({
  schemaVersion: 1,
  traceEvents: [
    { ph: "X", cat: "user_annotation", name: "ProfilerStep#1", pid, tid: 1, ts: 0, dur: 500 },
    { ph: "X", cat: "cpu_op", name: "aten::linear", pid, tid: 1, ts: 10, dur: 300 },
    { ph: "X", cat: "cpu_op", name: "aten::t", pid, tid: 1, ts: 12, dur: 8 },
    { ph: "X", cat: "cpu_op", name: "aten::addmm", pid, tid: 1, ts: 30, dur: 250.5 },
    { ph: "X", cat: "cpu_op", name: "aten::rms_norm", pid, tid: 2, ts: 30, dur: 40 },
  ],
});

test("a Kineto trace without GPU kernels is read as CPU operators, and validates against a CPU profile", () => {
  const file = write("kineto-cpu.json", JSON.stringify(kinetoCpu(77)));
  const result = roofline("validate", "--measured", file, "--model", "griffin-100m", "--hw", CPU_PROFILE, "--phase", "decode", "--json");
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /^roofline: warning: .*kineto-cpu\.json: no GPU kernel events, so its 4 CPU operators \(2 threads\)/);
  const groups = JSON.parse(result.stdout).groups as { target: string; measuredSeconds: number; launchesPerStep: number }[];
  // aten::addmm's own 250.5 µs is the linear group; aten::linear and aten::t only dispatch and view.
  const linear = groups.find((g) => g.target === "kernel linear")!;
  assert.equal(linear.measuredSeconds, 250.5e-6);
  assert.equal(linear.launchesPerStep, 1);
  assert.equal(groups.find((g) => g.target === "kernel rmsnorm")!.measuredSeconds, 40e-6);
  // The same trace against a GPU's profile compares a CPU with an H100.
  refused(roofline("validate", "--measured", file, "--model", "griffin-100m", "--hw", "h100-sxm"),
    /kineto-cpu\.json was measured on a CPU \(no name recorded\), but profile h100-sxm describes "NVIDIA H100 80GB HBM3" or "NVIDIA H100 SXM5 80GB" \(a GPU or TPU\)/);
});

test("a byte-order mark before a JSON trace is skipped, plain and gzipped", async () => {
  const text = BOM + JSON.stringify(kinetoCpu(1));
  for (const [name, content] of [["bom.json", text], ["bom.json.gz", zlib.gzipSync(text)]] as const) {
    const trace = await readChromeTrace(write(name, content));
    assert.equal(trace.kernels.find((k) => k.name === "aten::addmm")!.seconds, 250.5e-6);
  }
  assert.equal(detectFormat(write("bom-trace.csv", text)), "chrome-trace");
});

test("GPU traces name their device; another profile's device is refused unless allowed", () => {
  const trace = write("h100.json", JSON.stringify({
    deviceProperties: [{ id: 0, name: "NVIDIA H100 80GB HBM3" }],
    traceEvents: [{ ph: "X", cat: "kernel", name: "sm90_xmma_gemm_bf16", pid: 0, ts: 0, dur: 50 }],
  }));
  const args = ["validate", "--measured", trace, "--model", "griffin-100m", "--hw", "h200", "--phase", "decode"];
  refused(roofline(...args), /h100\.json was measured on "NVIDIA H100 80GB HBM3" \(a GPU or TPU\), but profile h200 describes "NVIDIA H200" or "NVIDIA H200 141GB HBM3e" \(a GPU or TPU\): .*--allow-device-mismatch/);
  const allowed = roofline(...args, "--allow-device-mismatch");
  assert.equal(allowed.status, 0, allowed.stderr);
  assert.equal(roofline("validate", "--measured", trace, "--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "decode").status, 0);
});

test("trace durations: negative and longer than a day are refused where they are, zero-length ones warned about", async () => {
  const events = (dur: number) => JSON.stringify({ traceEvents: [
    { ph: "X", cat: "kernel", name: "gemm", pid: 0, ts: 0, dur: 5 },
    { ph: "X", cat: "kernel", name: "gemm", pid: 0, ts: 10, dur },
  ] }, null, 1);
  // Indented by one space, the second event opens on line 11: `{`, `"traceEvents": [`, then 8 lines of the first event
  // (its two braces and six fields).
  await rejects(readChromeTrace(write("negative.json", events(-3))), /negative\.json:11: event 1 \("gemm"\): negative duration -3 µs/);
  await rejects(readChromeTrace(write("age.json", events(1e300))), /age\.json:11: event 1 \("gemm"\): 1e\+300 µs is more than 86,400 s \(a day\) for one event/);
  const zero = await readChromeTrace(write("zero.json", events(0)));
  assert.deepEqual(zero.kernels, [{ name: "gemm", launches: 2, seconds: 5e-6 }]);
  assert.deepEqual(zero.warnings, [`${path.join(dir, "zero.json")}: 1 of 2 kernel events last 0 µs (below the trace's resolution) and count as 0 s`]);
});

test("traces that cannot be used say why", async () => {
  await rejects(readChromeTrace(write("truncated.json", '{"traceEvents": [{"ph": "X", "name": "k", "dur": 1}, {"ph": "X"')),
    /truncated\.json: not a readable Chrome trace: it ends before its JSON is complete \(line 1; a truncated file\?\)/);
  await rejects(readChromeTrace(write("scalars.json", '{"traceEvents": [1, 2]}')), /scalars\.json: not a readable Chrome trace: event 0 \(line 1\) is not an object/);
  await rejects(readChromeTrace(write("csv.json", "a,b\n1,2\n")), /csv\.json: not a readable Chrome trace: it starts with "a", not with "\{" or "\[" \(not JSON\)/);
  await rejects(readChromeTrace(write("empty-array.json", "[]")), /no traceEvents found/);
});

test("--steps must fit the trace: at least one kernel launch per step", () => {
  const trace = write("two-launches.json", JSON.stringify({ traceEvents: [0, 1].map((i) => ({ ph: "X", cat: "kernel", name: "sm90_xmma_gemm", pid: 0, ts: i * 10, dur: 5 })) }));
  const args = ["validate", "--measured", trace, "--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "decode"];
  // Past the largest exact integer (2^53 − 1) a count is no longer exact: the flag's limit.
  refused(roofline(...args, "--steps", "1e308"), /--steps: 1e308 is above the limit of 9,007,199,254,740,991 \(the largest exact integer\)/);
  refused(roofline(...args, "--steps", "3"), /--steps 3: .*two-launches\.json holds 2 kernel launches in all, and each step launches at least one/);
  assert.equal(roofline(...args, "--steps", "2").status, 0);
});

test("the streaming scanner finds the same events wherever the chunks break, in both layouts", async () => {
  const event = fc.record({
    ph: fc.constantFrom("X", "M", "i"), name: fc.string({ unit: "grapheme", maxLength: 12 }), dur: fc.double({ min: 0, max: 1e6, noNaN: true }),
    args: fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.array(fc.integer(), { maxLength: 3 }))),
  });
  await fc.assert(fc.asyncProperty(fc.array(event, { maxLength: 8 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
    async (events, bare, cuts) => {
      const text = bare ? JSON.stringify(events, null, 1) : JSON.stringify({ before: { traceEvents: [1] }, traceEvents: events, deviceProperties: [{ name: "x" }] }, null, 2);
      const chunks: string[] = [];
      for (let at = 0, i = 0; at < text.length; i++) chunks.push(text.slice(at, (at += cuts[i % cuts.length]!)));
      const seen: unknown[] = [];
      const source = await scanTraceEvents((async function* () { yield* chunks; })(), (e) => seen.push(e), ["deviceProperties"]);
      assert.deepEqual(seen, JSON.parse(JSON.stringify(events))); // plain objects, as JSON gives them
      assert.equal(source.layout, bare ? "array" : "object");
      if (!bare) assert.deepEqual(source.kept.deviceProperties, [{ name: "x" }]);
    }), { numRuns: 200 });
});

// --- Numbers out of range in profilers' CSVs and published rows --------------------------------

test("Nsight Compute: zero or negative times, negative counters and overflowing sums are refused with the line; no DRAM traffic is warned about", () => {
  const ncu = (...launches: string[]) => [NCU_HEADER, NCU_UNITS, ...launches].join("\n");
  fails(() => parseNcu(ncu('"0","gemm","10","0"'), "zero.csv"), /^zero\.csv:3: gpu__time_duration\.sum of "gemm": a launch takes more than 0 s and at most 86,400 s \(a day\), got 0 usecond$/);
  fails(() => parseNcu(ncu('"0","gemm","10","-4"'), "negative.csv"), /^negative\.csv:3: gpu__time_duration\.sum of "gemm": expected a number ≥ 0, got "-4"$/);
  fails(() => parseNcu(ncu('"0","gemm","-10","4"'), "bytes.csv"), /^bytes\.csv:3: dram__bytes\.sum of "gemm": expected a number ≥ 0, got "-10"$/);
  // 1e308 bytes twice is more than a double holds: the sum would be Infinity and every error NaN.
  fails(() => parseNcu(ncu('"0","gemm","1e308","4"', '"1","gemm","1e308","4"'), "huge.csv"), /^huge\.csv: kernel "gemm": its DRAM bytes add up to more than 1\.798e\+308/);
  // No DRAM traffic is possible (data served from L2): read, with a warning.
  const cached = parseNcu(ncu('"0","gemm","0","4"', '"1","gemm","8","4"'), "cached.csv");
  assert.deepEqual(cached.kernels, [{ name: "gemm", launches: 2, seconds: 8e-6, dramBytes: 8 }]);
  assert.deepEqual(cached.warnings, ["cached.csv: 1 of 2 launches moved 0 DRAM bytes (their data stayed in cache)"]);
  // 1e308 µs for one launch is a unit error long before any sum overflows.
  fails(() => parseNcu(ncu('"0","gemm","10","1e308"'), "long.csv"), /^long\.csv:3: gpu__time_duration\.sum of "gemm": a launch takes more than 0 s and at most 86,400 s/);
});

test("Nsight Systems: instances must be whole and ≥ 1, totals positive, and a launch at most a day", () => {
  const nsys = (row: string) => [NSYS_HEADER, row].join("\n");
  fails(() => parseNsys(nsys(nsysRow("100", "0", "gemm")), "n.csv"), /^n\.csv:2: column "Instances": expected a whole number ≥ 1, got "0"$/);
  fails(() => parseNsys(nsys(nsysRow("-100", "2", "gemm")), "n.csv"), /^n\.csv:2: column "Total Time \(ns\)": expected a positive time, got "-100"$/);
  fails(() => parseNsys(nsys(nsysRow("0", "2", "gemm")), "n.csv"), /^n\.csv:2: column "Total Time \(ns\)": expected a positive time, got "0"$/);
  // 1e308 ns over 2 launches: 5e298 s each.
  fails(() => parseNsys(nsys(nsysRow("1e308", "2", "gemm")), "n.csv"), /^n\.csv:2: column "Total Time \(ns\)": 1e308 ns over 2 instances is more than 86,400 s \(a day\) per launch/);
});

test("published rows whose value means no time, or more than a day, are refused with the line", () => {
  const lines = fs.readFileSync(PUBLISHED, "utf8").trimEnd().split("\n");
  const dirOf = fs.mkdtempSync(path.join(dir, "published-"));
  // Line 2: a 1024×10240×5120 bf16 GEMM at 271.2 TFLOP/s. At 1e300 TFLOP/s its time underflows to 0 s.
  fs.writeFileSync(path.join(dirOf, path.basename(PUBLISHED)), [lines[0], lines[1]!.replace(",TFLOP/s,271.2,", ",TFLOP/s,1e300,")].join("\n"));
  refused(roofline("validate", "--measured", dirOf), /bekman-ml-engineering\.csv:2: column "value": 1e\+300 TFLOP\/s for 1024×10240×5120 bf16 is 0 s, outside \(0, 86,400 s\]/);
  fs.writeFileSync(path.join(dirOf, path.basename(PUBLISHED)), [lines[0], lines[1]!.replace(",TFLOP/s,271.2,", ",TFLOP/s,-271.2,")].join("\n"));
  refused(roofline("validate", "--measured", dirOf), /bekman-ml-engineering\.csv:2: column "value": expected a positive number, got "-271\.2"/);
});

// --- Plans -----------------------------------------------------------------------------------

const PYTHON = process.env.ROOFLINE_PYTHON ?? "/usr/bin/python3";
const hasTorch = fs.existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import torch"]).status === 0;
const noTorch = hasTorch ? false : `no PyTorch for ${PYTHON}`;
const runHarness = (...args: string[]) => spawnSync(PYTHON, [path.join(root, "bench/kernels/harness.py"), ...args], { encoding: "utf8" });

const h200Plan = () => {
  const file = path.join(dir, "h200-plan.json");
  if (!fs.existsSync(file)) assert.equal(roofline("plan", "--model", "griffin-100m", "--hw", "h200", "--phase", "decode", "--seq", "1024", "-o", file).status, 0);
  return file;
};

test("plans that are null, empty, hold an empty kernel or negative predictions are refused with the field", () => {
  const measured = write("one.csv", measurementCsv([row()]));
  const plan = JSON.parse(fs.readFileSync(h200Plan(), "utf8"));
  const cases: [string, unknown, RegExp][] = [
    ["null-plan.json", null, /null-plan\.json: invalid\n {2}\(top level\): /],
    ["no-kernels.json", { ...plan, kernels: undefined }, /no-kernels\.json: invalid\n {2}kernels: /],
    ["zero-kernels.json", { ...plan, kernels: [] }, /zero-kernels\.json: invalid\n {2}kernels: a plan lists at least one kernel/],
    ["empty-kernel.json", { ...plan, kernels: [{}] }, /empty-kernel\.json: invalid\n {2}kernels\[0\]\.id: /],
    ["negative.json", { ...plan, kernels: [{ ...plan.kernels[0], predicted: { ...plan.kernels[0].predicted, seconds: -1e-6 } }] },
      /negative\.json: invalid\n {2}kernels\[0\]\.predicted\.seconds: Too small: expected number to be >0/],
  ];
  for (const [name, content, message] of cases) refused(roofline("measurements", measured, "--plan", write(name, JSON.stringify(content))), message);
});

test("harness.py refuses plans it cannot run with one line naming the file, not a traceback", { skip: noTorch }, () => {
  const cases: [string, string, RegExp][] = [
    ["py-null.json", "null", /^harness: .*py-null\.json is not a roofline plan \(schema 'NoneType'\)/],
    ["py-none.json", JSON.stringify({ schema: "roofline.plan", version: 1, hardware: "h200" }), /^harness: .*py-none\.json: kernels: a plan lists at least one kernel$/m],
    ["py-empty.json", JSON.stringify({ schema: "roofline.plan", version: 1, hardware: "h200", kernels: [{}] }), /^harness: .*py-empty\.json: kernels\[0\]: missing id, model, phase/m],
  ];
  for (const [name, content, message] of cases) {
    const result = runHarness("run", "--plan", write(name, content), "--out", path.join(dir, "never.csv"));
    assert.equal(result.status, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /Traceback/);
    assert.match(result.stderr, message);
  }
  assert.equal(fs.existsSync(path.join(dir, "never.csv")), false);
});

test("a plan with a byte-order mark is read", () => {
  const measured = write("bom-plan-run.csv", measurementCsv([row()]));
  const cpuPlan = path.join(dir, "cpu-plan.json");
  assert.equal(roofline("plan", "--model", "griffin-100m", "--hw", CPU_PROFILE, "--phase", "decode", "--seq", "1024", "-o", cpuPlan).status, 0);
  const withBom = write("bom-plan.json", BOM + fs.readFileSync(cpuPlan, "utf8"));
  const result = roofline("measurements", measured, "--plan", withBom);
  assert.equal(result.status, 0, result.stderr);
  // Measured at 4× the roofline: the roofline is 25% of the measured time.
  assert.match(result.stdout, /│ 25% +│ pass/);
});

// --- Device mismatches -----------------------------------------------------------------------

const cpuRun = () => write("cpu-run.csv", measurementCsv(cpuEntries.slice(0, 6).map((e) => row(e))));
const H200 = /"NVIDIA H200" or "NVIDIA H200 141GB HBM3e" \(a GPU or TPU\)/;

test("validate refuses CPU timings against a GPU's profile, naming both devices, unless allowed", () => {
  const file = cpuRun();
  refused(roofline("validate", "--measured", file, "--hw", "h200"),
    new RegExp(`cpu-run\\.csv was measured on "AMD EPYC" \\(a CPU\\), but profile h200 describes ${H200.source}: .*--allow-device-mismatch to compare anyway`));
  const allowed = roofline("validate", "--measured", file, "--hw", "h200", "--allow-device-mismatch", "--json");
  assert.equal(allowed.status, 0, allowed.stderr);
  // Against its own profile every kernel ran at 4× its roofline: 25% achieved.
  const own = JSON.parse(roofline("validate", "--measured", file, "--hw", CPU_PROFILE, "--json").stdout);
  for (const k of own.kernels) assert.ok(Math.abs(k.achievedFraction - 0.25) < 1e-12, `${k.id}: ${k.achievedFraction}`);
  refused(roofline("calibrate", "--measured", file, "--hw", "h200", "-o", path.join(dir, "never-calibration.json")), /cpu-run\.csv was measured on "AMD EPYC"/);
  assert.equal(fs.existsSync(path.join(dir, "never-calibration.json")), false);
});

test("report refuses CPU measurements against a GPU's profile and writes nothing", () => {
  const output = path.join(dir, "never-report.html");
  refused(roofline("report", "--model", "griffin-100m", "--hw", "h200", "--measured", cpuRun(), "-o", output),
    new RegExp(`cpu-run\\.csv was measured on "AMD EPYC" \\(a CPU\\), but profile h200 describes ${H200.source}`));
  assert.equal(fs.existsSync(output), false);
});

test("check refuses achieved fractions and calibrations of CPU timings against a GPU's profile", () => {
  const file = cpuRun();
  const budget = (hw: string) => write(`fraction-${path.basename(hw)}.json`, JSON.stringify({ schema: "roofline.budget", version: 1,
    measured: [{ name: "half the roof", kernels: ".*", minAchievedFraction: 0.2, hw }],
    calibration: [{ name: "calibration holds", hw, max: 1, folds: 2 }] }));
  refused(roofline("check", "--budget", budget("h200"), "--measured", file),
    new RegExp(`cpu-run\\.csv was measured on "AMD EPYC" \\(a CPU\\), but budget "half the roof"'s profile h200 describes ${H200.source}`));
  assert.equal(roofline("check", "--budget", budget("h200"), "--measured", file, "--allow-device-mismatch", "--only-failures").status, 1);
  // Against its own profile each kernel achieved 25% of its roofline, above the 20% asked.
  const own = roofline("check", "--budget", budget(CPU_PROFILE), "--measured", file);
  assert.match(own.stdout, /achieved 25\.0% of the roofline on cpu-amd-epyc-2c \(minimum 20\.0%\)/);
});

test("measurements refuses to join CPU timings with a plan made for an H200", () => {
  const plan = h200Plan();
  refused(roofline("measurements", cpuRun(), "--plan", plan),
    new RegExp(`cpu-run\\.csv was measured on "AMD EPYC" \\(a CPU\\), but .*h200-plan\\.json \\(planned for h200\\) describes ${H200.source}`));
  // Allowed, the join goes on (and these CPU kernels are in that plan, whose ids name no device).
  const allowed = roofline("measurements", cpuRun(), "--plan", plan, "--allow-device-mismatch");
  assert.equal(allowed.status, 0, allowed.stderr);
  assert.match(allowed.stdout, /every kernel joins its prediction/);
});

test("harness.py ceilings --base refuses to write this machine's results into another device's profile", { skip: noTorch }, () => {
  const out = path.join(dir, "never-profile.json");
  const result = runHarness("ceilings", "--base", path.join(root, "hardware-profiles/h200.json"), "--out", out, "--quick", "--device", "cpu");
  assert.equal(result.status, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /Traceback/);
  assert.match(result.stderr, /^harness: this machine's device is ".+" \(a CPU\), but .*h200\.json \(profile h200\) describes "NVIDIA H200" or "NVIDIA H200 141GB HBM3e": .*--allow-device-mismatch/);
  assert.equal(fs.existsSync(out), false);
});

// --- Flags -----------------------------------------------------------------------------------

test("calibrate --folds 1 is refused: cross-validation needs two parts", () => {
  refused(roofline("calibrate", "--measured", cpuRun(), "--hw", CPU_PROFILE, "--folds", "1", "-o", path.join(dir, "never.json")),
    /--folds: expected a whole number ≥ 2 \(one part held out, the others fitted\), got "1"/);
});

test("baseline --predicted refuses an unknown metric, listing the phase's metrics, and a tolerance that is not finite", () => {
  const args = ["baseline", "--predicted", "--model", "hawk-100m", "--hw", "tpu-v3", "--phase", "decode", "-o", path.join(dir, "never-budget.json")];
  const unknown = roofline(...args, "--metrics", "totals.seconds,totals.speed");
  refused(unknown, /--metrics: "totals\.speed" is not a number in the decode document; its metrics are batch, tokens\.context, memory\.weightBytes, .*totals\.seconds, .*estimate\.seconds/);
  refused(roofline(...args, "--tolerance", "Infinity"), /--tolerance: expected a finite number ≥ 0, got "Infinity"/);
  assert.equal(fs.existsSync(path.join(dir, "never-budget.json")), false);
  // The estimate is budgeted as `check` evaluates it.
  const accepted = path.join(dir, "estimate-budget.json");
  assert.equal(roofline("baseline", "--predicted", "--model", "hawk-100m", "--hw", "tpu-v3", "--phase", "decode", "--metrics", "estimate.seconds", "-o", accepted).status, 0);
  assert.equal(JSON.parse(fs.readFileSync(accepted, "utf8")).predicted.length, 1);
  assert.equal(roofline("check", "--budget", accepted).status, 0);
});

// --- Baselines -------------------------------------------------------------------------------

test("a baseline refuses rows that share a kernel id instead of keeping the last", () => {
  const twice = write("twice.csv", measurementCsv([row(cpuEntries[0], 4), row(cpuEntries[1], 4), row(cpuEntries[0], 5)]));
  refused(roofline("baseline", "--measured", twice, "-o", path.join(dir, "never-baseline.json")),
    new RegExp(`twice\\.csv:4: column "kernel_id": "${cpuEntries[0]!.id.replace(/[|()]/g, "\\$&")}" was measured on line 2 already`));
});

test("a baseline recorded in the future, or holding impossible samples, is refused", () => {
  const base = { schema: "roofline.baseline", version: 1, source: "a.csv", deviceName: "AMD EPYC", backend: "torch 1.13.1", kernels: { k: { samples: [1e-3], median: 1e-3 } } };
  const budget = write("any-budget.json", JSON.stringify({ schema: "roofline.budget", version: 1 }));
  refused(roofline("check", "--budget", budget, "--baseline", write("future.json", JSON.stringify({ ...base, recorded: "2099-01-01T00:00:00Z" }))),
    /future\.json: recorded: 2099-01-01T00:00:00Z is in the future \(this machine's clock says \d{4}-/);
  refused(roofline("check", "--budget", budget, "--baseline", write("not-a-date.json", JSON.stringify({ ...base, recorded: "yesterday" }))),
    /not-a-date\.json: invalid\n {2}recorded: expected a date and time/);
  refused(roofline("check", "--budget", budget, "--baseline", write("huge-samples.json", JSON.stringify({ ...base, recorded: "2020-01-01T00:00:00Z", kernels: { k: { samples: [1e308, 1e308], median: 1e308 } } }))),
    /huge-samples\.json: invalid\n {2}kernels\.k\.samples\[0\]: at most 86,400 s \(a day\) for one kernel/);
  // A clock a few minutes ahead is not an error.
  const soon = new Date(Date.now() + 5 * 60_000).toISOString();
  assert.equal(roofline("check", "--budget", budget, "--baseline", write("soon.json", JSON.stringify({ ...base, recorded: soon }))).status, 0);
});

test("samples of 1e308 s are refused in a measurements CSV, before their sums overflow", () => {
  const huge = write("huge.csv", measurementCsv([row(cpuEntries[0], 4, { samples_seconds: "1e308 1e308 1e308", median_seconds: 1e308, min_seconds: 1e308, p90_seconds: 1e308, mean_seconds: 1e308 })]));
  refused(roofline("baseline", "--measured", huge, "-o", path.join(dir, "never-baseline.json")),
    /huge\.csv:2: column "median_seconds": expected at most 86,400 s \(a day\) for one kernel; is the unit right\?/);
});

// --- Large inputs ----------------------------------------------------------------------------

test("past the row limit, measurements and validate print a summary instead of one row per kernel", () => {
  // 1,001 rows: the decode step's kernels over and over, each at 4× its roofline, ids made unique.
  const rows = Array.from({ length: PER_ROW_TABLE_LIMIT + 1 }, (_, i) => {
    const entry = cpuEntries[i % cpuEntries.length]!;
    return row(entry, 4, { kernel_id: `${entry.id}#${i}` });
  });
  const file = write("many.csv", measurementCsv(rows));
  const listed = roofline("measurements", file);
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^1,001 measurements: more than 1,000, so they are not listed one by one; the summary below sums them by phase and kernel class\./);
  const linear = rows.filter((r) => r.kernel === "linear");
  const summed = linear.reduce((s, r) => s + Number(r.median_seconds), 0);
  assert.match(listed.stdout, new RegExp(`│ decode +│ linear +│ ${linear.length} +│ 0 +│ ${formatSeconds(summed).replace(".", "\\.")} +│`));
  assert.doesNotMatch(listed.stdout, /#1000/);
  // validate needs the cost model's own ids: the same kernels measured again and again.
  const repeated = write("repeated.csv", measurementCsv(rows.map((r, i) => ({ ...r, kernel_id: cpuEntries[i % cpuEntries.length]!.id }))));
  const validated = roofline("validate", "--measured", repeated, "--hw", CPU_PROFILE);
  assert.equal(validated.status, 0, validated.stderr);
  assert.match(validated.stdout, /^1,001 kernels: more than 1,000, so they are not listed one by one; --json lists every one\./);
  assert.match(validated.stdout, /against 1001 measured kernels/);
});
