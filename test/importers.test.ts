// Importers: samples written to each format's documented field names are parsed; malformed files
// and kernels that no rule maps get clear errors; a trace validates against a model's phase.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { readChromeTrace } from "../src/importers/chrome-trace.js";
import { detectFormat } from "../src/importers/detect.js";
import { parseNcu } from "../src/importers/ncu.js";
import { parseNsys } from "../src/importers/nsys.js";
import { DEFAULT_RULES, matchRule, readRules } from "../src/importers/rules.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-import-"));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

// torch.profiler export_chrome_trace: cpu_op and cuda_runtime events around GPU kernels (cat
// "kernel"; "Kernel" in older Kineto), times in µs.
const torchTrace = {
  schemaVersion: 1,
  deviceProperties: [{ id: 0, name: "NVIDIA H100 80GB HBM3" }],
  traceEvents: [
    { ph: "X", cat: "cpu_op", name: "aten::addmm", pid: 1, tid: 1, ts: 100.5, dur: 30, args: { "External id": 7 } },
    { ph: "X", cat: "cuda_runtime", name: "cudaLaunchKernel", pid: 1, tid: 1, ts: 101, dur: 5, args: { correlation: 11 } },
    { ph: "X", cat: "kernel", name: "sm90_xmma_gemm_bf16bf16_bf16f32", pid: 0, tid: 7, ts: 110.25, dur: 12.5, args: { correlation: 11, grid: [132, 1, 1] } },
    { ph: "X", cat: "Kernel", name: "sm90_xmma_gemm_bf16bf16_bf16f32", pid: 0, tid: 7, ts: 140, dur: 7.5, args: { correlation: 12 } },
    { ph: "X", cat: "kernel", name: "_linear_scan_kernel", pid: 0, tid: 7, ts: 150, dur: 3, args: {} },
    { ph: "s", cat: "ac2g", name: "launch", pid: 1, tid: 1, ts: 101, id: 11 },
  ],
};

test("torch.profiler Chrome traces, plain and gzipped, are streamed and summed per kernel", async () => {
  for (const [name, content] of [["t.json", JSON.stringify(torchTrace)], ["t.json.gz", zlib.gzipSync(JSON.stringify(torchTrace))]] as const) {
    const trace = await readChromeTrace(write(name, content));
    const gemm = trace.kernels.find((k) => k.name.startsWith("sm90_xmma_gemm"))!;
    assert.equal(gemm.launches, 2);
    assert.ok(Math.abs(gemm.seconds - 20e-6) < 1e-15); // 12.5 µs + 7.5 µs
    assert.equal(trace.kernels.length, 2); // host events are not kernels
  }
});

test("JAX traces: events on /device: processes are kernels, host events are not", async () => {
  const jax = {
    displayTimeUnit: "ns",
    traceEvents: [
      { ph: "X", pid: 3, tid: 1, name: "loop_add_fusion", ts: 5, dur: 2, args: { hlo_op: "add_fusion.7", hlo_module: "jit_f" } },
      { ph: "M", pid: 3, name: "process_name", args: { name: "/device:GPU:0" } },
      { ph: "M", pid: 9, name: "process_name", args: { name: "/host:CPU" } },
      { ph: "X", pid: 9, tid: 1, name: "PjitFunction(f)", ts: 1, dur: 50 },
      { ph: "X", pid: 3, tid: 1, name: "cutlass_gemm_bf16", ts: 10, dur: 4, args: { hlo_op: "dot.4" } },
    ],
  };
  const trace = await readChromeTrace(write("jax.trace.json.gz", zlib.gzipSync(JSON.stringify(jax))));
  assert.deepEqual(trace.kernels.map((k) => k.name).sort(), ["cutlass_gemm_bf16", "loop_add_fusion"]);
});

test("malformed traces are rejected clearly", async () => {
  await assert.rejects(readChromeTrace(write("bad.json", "{ not json")), /bad\.json: not a readable Chrome trace/);
  await assert.rejects(readChromeTrace(write("empty.json", JSON.stringify({ traceEvents: [] }))), /no traceEvents found/);
  // Without GPU kernels, CPU operators stand for them (test/measurement-inputs.test.ts); without either, nothing is usable.
  await assert.rejects(readChromeTrace(write("host.json", JSON.stringify({ traceEvents: [{ ph: "X", cat: "python_function", name: "f", ts: 1, dur: 2 }] }))), /no GPU kernel events/);
});

test("Nsight Compute raw CSV: units row, ==PROF== preamble, thousands separators, FLOPs from instruction counts", () => {
  const csv = [
    "==PROF== Connected to process 1234",
    "==PROF== Disconnected from process 1234",
    '"ID","Process ID","Process Name","Host Name","Kernel Name","Context","Stream","Block Size","Grid Size","Device","CC","dram__bytes_read.sum","dram__bytes_write.sum","gpu__time_duration.sum","sm__sass_thread_inst_executed_op_fadd_pred_on.sum","sm__sass_thread_inst_executed_op_fmul_pred_on.sum","sm__sass_thread_inst_executed_op_ffma_pred_on.sum"',
    '"","","","","","","","","","","","Mbyte","Mbyte","usecond","inst","inst","inst"',
    '"0","1234","python","h","void gemm_kernel<float, 128>(int, float*)","1","7","(256, 1, 1)","(132, 1, 1)","0","9.0","2,000.5","1,000","12.5","1,000","2,000","3,000,000"',
    '"1","1234","python","h","void gemm_kernel<float, 128>(int, float*)","1","7","(256, 1, 1)","(132, 1, 1)","0","9.0","1,000","500","7.5","0","0","1,000,000"',
    '"2","1234","python","h","rms_norm_kernel","1","7","(256, 1, 1)","(64, 1, 1)","0","9.0","10","10","2","n/a","n/a","n/a"',
  ].join("\n");
  const trace = parseNcu(csv, "ncu.csv");
  const gemm = trace.kernels.find((k) => k.name.startsWith("void gemm_kernel"))!;
  assert.equal(gemm.launches, 2);
  assert.ok(Math.abs(gemm.seconds - 20e-6) < 1e-15); // 12.5 + 7.5 µs
  assert.equal(gemm.dramBytes, (2000.5 + 1000 + 1000 + 500) * 1e6);
  assert.equal(gemm.flops, 1000 + 2000 + 2 * 3_000_000 + 2 * 1_000_000); // add + mul + 2·fma
  const norm = trace.kernels.find((k) => k.name === "rms_norm_kernel")!;
  assert.equal(norm.flops, undefined); // n/a counters are absent, not zero
  assert.throws(() => parseNcu("just,some,csv\n1,2,3", "x.csv"), /x\.csv: no Nsight Compute CSV header/);
  assert.throws(() => parseNcu('"ID","Kernel Name"\n"0","k"', "y.csv"), /y\.csv: missing column "gpu__time_duration\.sum"/);
});

test("Nsight Compute long CSV (one row per metric) is pivoted", () => {
  const csv = [
    '"ID","Process ID","Process Name","Host Name","Kernel Name","Context","Stream","Block Size","Grid Size","Device","CC","Section Name","Metric Name","Metric Unit","Metric Value"',
    '"0","1","p","h","flash_fwd_kernel","1","7","(128, 1, 1)","(64, 1, 1)","0","9.0","Command line profiler metrics","gpu__time_duration.sum","msecond","1.5"',
    '"0","1","p","h","flash_fwd_kernel","1","7","(128, 1, 1)","(64, 1, 1)","0","9.0","Command line profiler metrics","dram__bytes.sum","Gbyte","2"',
  ].join("\n");
  const [k] = parseNcu(csv, "long.csv").kernels;
  assert.equal(k!.seconds, 1.5e-3);
  assert.equal(k!.dramBytes, 2e9);
});

test("Nsight Systems kernel summary: title line, unit from the header, thousands separators", () => {
  const csv = [
    "** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):",
    "",
    '"Time (%)","Total Time (ns)","Instances","Avg (ns)","Med (ns)","Min (ns)","Max (ns)","StdDev (ns)","Name"',
    '"80.0","412,000,000","64","6,437,500.0","6,400,000.0","6,000,000","7,000,000","100.0","ampere_bf16_s16816gemm_bf16_128x128"',
    '"20.0","103,000,000","32","3,218,750.0","3,200,000.0","3,000,000","3,500,000","50.0","flash_fwd_splitkv_kernel"',
  ].join("\n");
  const trace = parseNsys(csv, "nsys.csv");
  assert.equal(trace.kernels[0]!.seconds, 0.412);
  assert.equal(trace.kernels[0]!.launches, 64);
  assert.equal(trace.kernels[0]!.medianSeconds, 6.4e-3);
  assert.throws(() => parseNsys('"Total Time (ns)","Name"\n"abc","k"', "bad.csv"), /missing column "Instances"/);
  assert.throws(() => parseNsys("nothing here", "none.csv"), /no cuda_gpu_kern_sum header/);
});

test("rules map kernel names; a user's rules come first and are validated", () => {
  assert.equal(matchRule("_linear_scan_kernel", DEFAULT_RULES)?.kernel, "scan");
  assert.equal(matchRule("sm90_xmma_gemm_bf16bf16_bf16f32", DEFAULT_RULES)?.kernel, "linear");
  assert.equal(matchRule("flash_fwd_splitkv_kernel", DEFAULT_RULES)?.kernel, "attention");
  assert.equal(matchRule("some_mystery_kernel", DEFAULT_RULES), undefined);
  const file = write("rules.json", JSON.stringify({ rules: [{ pattern: "gemm.*128x128", op: "down-projection", block: "mlp" }] }));
  const rules = readRules(file);
  assert.equal(matchRule("ampere_bf16_s16816gemm_bf16_128x128", rules)?.op, "down-projection");
  assert.throws(() => readRules(write("bad-rules.json", JSON.stringify({ rules: [{ pattern: "(" , kernel: "linear" }] }))), /rules\[0\]\.pattern: not a regular expression/);
  assert.throws(() => readRules(write("no-target.json", JSON.stringify({ rules: [{ pattern: "x" }] }))), /a rule needs an op or a kernel/);
});

test("format detection", () => {
  assert.equal(detectFormat(write("a.json", "{}")), "chrome-trace");
  assert.equal(detectFormat(write("h.csv", "kernel_id,model\n")), "harness");
  assert.equal(detectFormat(write("n.csv", "x\n\"Time (%)\",\"Total Time (ns)\"\n")), "nsys");
  assert.equal(detectFormat(write("c.csv", "==PROF== hi\n\"ID\",\"Kernel Name\"\n")), "ncu");
  assert.throws(() => detectFormat(write("z.csv", "what,is,this\n")), /unknown measurements format/);
  assert.throws(() => detectFormat("nope.csv", "excel"), /--format: unknown format "excel"/);
});

test("a trace validates against a model's phase, kernels grouped by rule", () => {
  // One decode step of griffin-100m, batch 1, at 1024 cached tokens: only the GEMMs were traced.
  const predicted = JSON.parse(roofline("--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "decode", "--context", "1024", "--json").stdout);
  const linearSeconds = predicted.ops.filter((op: { kernel: string }) => op.kernel === "linear").reduce((s: number, op: { seconds: number }) => s + op.seconds, 0);
  // Two steps, each taking 1.5× the predicted linear time in GEMMs.
  const stepSeconds = 1.5 * linearSeconds;
  const trace = { traceEvents: [0, 1].map((i) => ({ ph: "X", cat: "kernel", name: "sm90_xmma_gemm_bf16", pid: 0, ts: i * 1000, dur: stepSeconds * 1e6 })) };
  const file = write("decode.json", JSON.stringify(trace));
  const result = roofline("validate", "--measured", file, "--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "decode", "--context", "1024", "--steps", "2", "--json");
  assert.equal(result.status, 0, result.stderr);
  const doc = JSON.parse(result.stdout);
  const group = doc.groups.find((g: { target: string }) => g.target === "kernel linear");
  assert.ok(Math.abs(group.measuredSeconds - stepSeconds) < 1e-12);
  assert.ok(Math.abs(group.predictedSeconds - linearSeconds) < 1e-12);
  assert.ok(Math.abs(group.error - (1 / 1.5 - 1)) < 1e-9);
  assert.equal(group.launchesPerStep, 1);
  // Groups the model predicts but the trace lacks are reported with no error, not dropped.
  assert.ok(doc.groups.some((g: { target: string; measuredSeconds: number }) => g.target === "kernel rmsnorm" && g.measuredSeconds === 0));

  const unknown = write("unknown.json", JSON.stringify({ traceEvents: [{ ph: "X", cat: "kernel", name: "mystery_kernel_42", pid: 0, ts: 0, dur: 1 }] }));
  const bad = roofline("validate", "--measured", unknown, "--model", "griffin-100m", "--hw", "h100-sxm");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /1 kernels match no rule:\n {2}mystery_kernel_42/);
  assert.match(bad.stderr, /--rules FILE/);
});
