// Outputs end to end: destinations refused before any work, files written whole or not at all
// (temporary files removed on errors and signals), closed pipes, batches that do not fit, and
// user strings made safe for terminals, spreadsheets, JUnit XML, Markdown and HTML.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import type { CheckResult } from "../src/check/evaluate.js";
import { junitXml, markdownSummary } from "../src/check/reports.js";
import { stripControlCharacters } from "../src/views/control-characters.js";
import { csvCell } from "../src/views/csv.js";
import { preset } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const repo = fileURLToPath(new URL("../../", import.meta.url));
const servingBudget = path.join(repo, "budgets", "serving.json");
const servingMeasurements = path.join(repo, "measurements", "cpu-amd-epyc-2c", "serving.csv");
const publishedSample = path.join(repo, "test", "fixtures", "published-sample.csv");

function roofline(args: string[], options: { cwd?: string; env?: Record<string, string>; uid?: number } = {}) {
  const result = spawnSync(process.execPath, [main, ...args], {
    encoding: "utf8",
    cwd: options.cwd,
    // Never append to a real CI step summary, nor print annotations, unless a test asks to.
    env: { ...process.env, GITHUB_STEP_SUMMARY: "", GITHUB_ACTIONS: "", ...options.env },
    ...(options.uid !== undefined && { uid: options.uid, gid: options.uid }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder every user may enter (one test runs the command as nobody). */
function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-outputs-"));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** hawk-100m under another name, as a model file. */
function modelNamed(dir: string, name: string, file = "model.json"): string {
  const target = path.join(dir, file);
  fs.writeFileSync(target, JSON.stringify({ ...preset("hawk-100m"), name }));
  return target;
}

test("a closed stdout ends the command quietly, with the status it had", () => {
  const node = `"${process.execPath}" "${main}"`;
  const failing = path.join(folder(), "failing.json");
  fs.writeFileSync(failing, JSON.stringify({ schema: "roofline.budget", version: 1, predicted: [
    { name: "impossible", model: "hawk-100m", hw: "tpu-v3", phase: "decode", metric: "totals.seconds", max: 1e-9 }] }));
  const cases: [string, number][] = [
    [`${node} --model griffin-7b --hw tpu-v3 --json | head -c 10`, 0],
    [`${node} sweep --model griffin-7b --hw tpu-v3 --format json | head -n 1`, 0],
    // The pipe named as a file: a sweep of 549,072 rows whose reader leaves after its first line.
    [`${node} sweep --model griffin-7b --hw tpu-v3 --seq 256..65536*1.01 --batch 1..5000*1.01 --no-calibration -o /dev/stdout | head -n 1`, 0],
    [`${node} plan --model griffin-100m --hw tpu-v3 | true`, 0],
    [`${node} check --budget "${failing}" | true`, 1],
  ];
  for (const [pipeline, status] of cases) {
    const run = spawnSync("bash", ["-c", `${pipeline} >/dev/null; exit \${PIPESTATUS[0]}`], { encoding: "utf8", env: { ...process.env, GITHUB_STEP_SUMMARY: "" } });
    assert.equal(run.stderr, "", pipeline);
    assert.equal(run.status, status, pipeline);
  }
});

test("escape sequences and control characters in user strings never reach the terminal", () => {
  assert.equal(stripControlCharacters("a\x1b]0;title\x07b\x1b[2Jc\x1b[38;5;196md\x9b2Je\x1bPq#0\x1b\\f\x7fg\x00h\x1b7i\r\n\tj"), "abcdefghi\n\tj");
  assert.equal(stripControlCharacters("an unterminated \x1b]0;title"), "an unterminated 0;title");
  const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)) }), (text) => {
    const clean = stripControlCharacters(text);
    return !controls.test(clean) && stripControlCharacters(clean) === clean && (controls.test(text) || clean === text);
  }));

  const dir = folder();
  const name = "\x1b]0;pwned\x07evil\x1b[2J\x9b3J";
  const model = modelNamed(dir, name);
  const tables = roofline(["--model", model, "--hw", "tpu-v3"]);
  assert.equal(tables.status, 0, tables.stderr);
  assert.match(tables.stdout, /^Model evil: width 768/);
  assert.ok(!controls.test(tables.stdout.replace(/\n/g, "")));
  // JSON keeps the name: escaped, it reads back unchanged.
  const json = roofline(["--model", model, "--hw", "tpu-v3", "--json"]);
  assert.ok(!controls.test(json.stdout.replace(/\n/g, "")));
  assert.match(json.stdout, /"name": "\\u001b\]0;pwned\\u0007evil\\u001b\[2J\\u009b3J"/);
  assert.equal(JSON.parse(json.stdout).model.name, name);
  // Error lines quote user input too.
  const error = roofline(["--model", "\x1b[2Jno-such-model\x1b]0;t\x07", "--hw", "tpu-v3"]);
  assert.equal(error.status, 2);
  assert.match(error.stderr, /^roofline: unknown model "no-such-model"/);
  assert.ok(!controls.test(error.stderr.replace(/\n/g, "")));
});

function assertRefused(run: ReturnType<typeof roofline>, message: string): void {
  assert.equal(run.stderr, `roofline: ${message}\n`);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, "");
}

test("an output that is a folder, or lies under a file, is refused before any work with the flag, the path and why", () => {
  const dir = folder();
  const notes = path.join(dir, "notes.txt");
  fs.writeFileSync(notes, "notes\n");
  const sub = path.join(dir, "sub");
  fs.mkdirSync(sub);
  const cases: [string[], string][] = [
    [["sweep", "--model", "hawk-100m", "--hw", "tpu-v3", "--seq", "256", "-o", sub], `-o ${sub}: is a folder; give a file name`],
    [["plan", "--model", "hawk-100m", "--hw", "tpu-v3", "--seq", "512", "-o", `${notes}/plan.json`], `-o ${notes}/plan.json: ${notes} is a file, not a folder`],
    [["report", "--model", "hawk-100m", "--hw", "tpu-v3", "-o", sub], `-o ${sub}: is a folder; give a file name`],
    [["baseline", "--predicted", "--model", "hawk-100m", "-o", sub], `-o ${sub}: is a folder; give a file name`],
    [["calibrate", "--measured", servingMeasurements, "-o", `${notes}/c.json`], `-o ${notes}/c.json: ${notes} is a file, not a folder`],
    [["calibrate", "--published", publishedSample, "--per-chip", notes], `--per-chip ${notes}: is a file, not a folder`],
    [["check", "--budget", servingBudget, "--junit", `${notes}/j.xml`], `--junit ${notes}/j.xml: ${notes} is a file, not a folder`],
    [["check", "--budget", servingBudget, "--summary", sub], `--summary ${sub}: is a folder; give a file name`],
    [["check", "--budget", servingBudget, "--benchmark-json", `${notes}/a/b.json`], `--benchmark-json ${notes}/a/b.json: ${notes} is a file, not a folder`],
    [["check", "--budget", servingBudget, "--junit", `${dir}/r.xml`, "--summary", `${sub}/../r.xml`], `--summary ${sub}/../r.xml and --junit ${dir}/r.xml are the same file; give each output its own`],
  ];
  for (const [args, message] of cases) assertRefused(roofline(args), message);
  assert.deepEqual(fs.readdirSync(dir).sort(), ["notes.txt", "sub"]);
  assert.deepEqual(fs.readdirSync(sub), []);
  assert.equal(fs.readFileSync(notes, "utf8"), "notes\n");
});

test("an output where the user may not write is refused; missing folders above a writable one are made", (t) => {
  // Permissions do not bind root: as root, the commands run as nobody, who must be able to run them.
  const uid = process.getuid?.() === 0 ? 65534 : undefined;
  if (uid !== undefined && roofline(["hw"], { uid }).status !== 0) return t.skip("running as root, and nobody cannot read this checkout");
  const dir = folder();
  const locked = path.join(dir, "locked");
  fs.mkdirSync(locked);
  fs.writeFileSync(path.join(locked, "old.csv"), "old\n");
  fs.chmodSync(path.join(locked, "old.csv"), 0o444);
  fs.chmodSync(locked, 0o555);
  const sweep = (output: string) => roofline(["sweep", "--model", "hawk-100m", "--hw", "tpu-v3", "--seq", "256", "-o", output], { uid });
  assertRefused(sweep(path.join(locked, "x.csv")), `-o ${locked}/x.csv: cannot write in ${locked} (permission denied)`);
  assertRefused(sweep(path.join(locked, "new", "x.csv")), `-o ${locked}/new/x.csv: cannot write in ${locked} (permission denied)`);
  assertRefused(sweep(path.join(locked, "old.csv")), `-o ${locked}/old.csv: cannot overwrite it (permission denied)`);
  assert.deepEqual(fs.readdirSync(locked), ["old.csv"]);

  const made = path.join(dir, "new", "deeper", "x.csv");
  const run = roofline(["sweep", "--model", "hawk-100m", "--hw", "tpu-v3", "--seq", "256", "-o", made]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, `wrote 2 rows to ${made}\n`); // prefill and decode at 256 tokens, batch 1
  assert.match(fs.readFileSync(made, "utf8"), /^model,hardware,phase,/);
});

test("$GITHUB_STEP_SUMMARY is appended to, and one in a missing folder is refused with nothing written", () => {
  const dir = folder();
  const junit = path.join(dir, "j.xml");
  const missing = path.join(dir, "missing", "summary.md");
  assertRefused(roofline(["check", "--budget", servingBudget, "--junit", junit], { env: { GITHUB_STEP_SUMMARY: missing } }),
    `$GITHUB_STEP_SUMMARY ${missing}: the folder ${dir}/missing does not exist`);
  assert.deepEqual(fs.readdirSync(dir), []);

  const summary = path.join(dir, "summary.md");
  fs.writeFileSync(summary, "earlier step\n");
  const run = roofline(["check", "--budget", servingBudget, "--junit", junit], { env: { GITHUB_STEP_SUMMARY: summary } });
  assert.equal(run.status, 0, run.stderr);
  assert.match(fs.readFileSync(summary, "utf8"), /^earlier step\n## roofline check: ✅ passed\n/);
  assert.match(fs.readFileSync(junit, "utf8"), /<testsuites name="roofline check" tests="6" failures="0"/);
});

test("an output that resolves to one of the command's inputs is refused, naming both", () => {
  const dir = folder();
  const model = modelNamed(dir, "my-hawk");
  const link = path.join(dir, "link.json");
  fs.symlinkSync(model, link);
  const measured = path.join(dir, "m.csv");
  fs.copyFileSync(servingMeasurements, measured);
  const budget = path.join(dir, "budget.json");
  fs.copyFileSync(servingBudget, budget);
  const inputs = [model, measured, budget].map((file) => fs.readFileSync(file, "utf8"));
  const overwrite = (output: string, flag: string, input: string) =>
    `-o ${output} would overwrite ${flag} ${input}, which this command reads; write the output elsewhere`;
  assertRefused(roofline(["sweep", "--model", model, "--hw", "tpu-v3", "--seq", "256", "-o", model]), overwrite(model, "--model", model));
  assertRefused(roofline(["sweep", "--model", `hawk-100m,${model}`, "--hw", "tpu-v3", "-o", link]), overwrite(link, "--model", model));
  assertRefused(roofline(["plan", "--model", model, "--hw", "tpu-v3", "-o", `${dir}/./sub/../model.json`]), overwrite(`${dir}/./sub/../model.json`, "--model", model));
  assertRefused(roofline(["calibrate", "--measured", measured, "-o", measured]), overwrite(measured, "--measured", measured));
  assertRefused(roofline(["baseline", "--measured", measured, "-o", measured]), overwrite(measured, "--measured", measured));
  assertRefused(roofline(["check", "--budget", budget, "--summary", budget]),
    `--summary ${budget} would overwrite --budget ${budget}, which this command reads; write the output elsewhere`);
  assert.deepEqual([model, measured, budget].map((file) => fs.readFileSync(file, "utf8")), inputs);
  assert.deepEqual(fs.readdirSync(dir).sort(), ["budget.json", "link.json", "m.csv", "model.json"]);
});

/** Starts a sweep writing about 400 kB to `destination`, and makes its temporary file `kind` before the write starts. */
function sweepInto(destination: string, kind: "fifo" | "full") {
  const child = spawn(process.execPath, [main, "sweep", "--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "tpu-v3,h100-sxm",
    "--seq", "256..4096", "--batch", "1..64", "--format", "json", "-o", destination], { stdio: ["ignore", "ignore", "pipe"] });
  // The temporary file's name follows from the pid; the sweep takes far longer to start and compute.
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.${child.pid}.tmp`);
  if (kind === "fifo") execFileSync("mkfifo", [temporary]);
  else fs.symlinkSync("/dev/full", temporary);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })));
  return { child, temporary, exit };
}

test("a command killed while it writes removes its temporary file and leaves the destination as it was", async () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const dir = folder();
    const destination = path.join(dir, "out.json");
    fs.writeFileSync(destination, "old\n");
    // The temporary file is a pipe read once and then left full: the write is under way and stays so.
    const { child, temporary, exit } = sweepInto(destination, "fifo");
    const reader = fs.createReadStream(temporary);
    await new Promise((resolve) => reader.once("data", resolve));
    reader.pause();
    child.kill(signal);
    const ended = await exit;
    reader.destroy();
    assert.equal(ended.signal, signal, ended.stderr);
    assert.equal(fs.existsSync(temporary), false);
    assert.deepEqual(fs.readdirSync(dir), ["out.json"]);
    assert.equal(fs.readFileSync(destination, "utf8"), "old\n");
  }
});

test("a write that fails removes its temporary file and says which output and why", { skip: !fs.existsSync("/dev/full") && "no /dev/full" }, async () => {
  const dir = folder();
  const destination = path.join(dir, "out.json");
  fs.writeFileSync(destination, "old\n");
  // Writes to /dev/full fail with ENOSPC, as on a full disk.
  const { temporary, exit } = sweepInto(destination, "full");
  const ended = await exit;
  assert.equal(ended.stderr, `roofline: -o ${destination}: cannot write it (no space left on the device)\n`);
  assert.equal(ended.code, 2);
  assert.equal(fs.existsSync(temporary), false);
  assert.deepEqual(fs.readdirSync(dir), ["out.json"]);
  assert.equal(fs.readFileSync(destination, "utf8"), "old\n");
});

test("CSV cells a spreadsheet would run as a formula are quoted; numbers stay numbers", () => {
  assert.equal(csvCell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  assert.equal(csvCell("+SUM(1,2)"), "'+SUM(1,2)");
  assert.equal(csvCell('@HYPERLINK("http://example.com","x")'), `'@HYPERLINK("http://example.com","x")`);
  assert.equal(csvCell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
  assert.equal(csvCell("\t=1+1"), "'\t=1+1");
  assert.equal(csvCell("\r=1+1"), "'=1+1"); // the carriage return is a control character, and goes
  assert.equal(csvCell(-1.5), -1.5);
  assert.equal(csvCell("-1.5e-3"), "-1.5e-3");
  assert.equal(csvCell("griffin-7b"), "griffin-7b");
  assert.equal(csvCell(false), "false");
  fc.assert(fc.property(fc.string(), (text) => {
    const cell = csvCell(text) as string;
    return !/^[=+\-@\t\r]/.test(cell) || /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell);
  }));

  const dir = folder();
  for (const name of ["=cmd|' /C calc'!A0", "+SUM(1,2)", '@HYPERLINK("http://example.com","x")', "-2+3"]) {
    const model = modelNamed(dir, name);
    for (const args of [["--model", model, "--hw", "tpu-v3", "--phase", "decode", "--csv"], ["sweep", "--model", model, "--hw", "tpu-v3", "--seq", "256"]]) {
      const run = roofline(args);
      assert.equal(run.status, 0, run.stderr);
      const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
      assert.ok(rows.length > 0);
      for (const row of rows) {
        assert.equal(row.model, `'${name}`);
        assert.equal(row.batch, "1");
      }
    }
  }
});

const hostileResults: CheckResult[] = [
  { kind: "measured", name: "no **slowdown** | [here](http://x)", subject: "k\x1b[2J\x01|<img src=x onerror=alert(1)>&\"'\x0c", status: "fail", message: "slower\x07\nby `a lot`", value: 1, unit: "s" },
  { kind: "predicted", name: "fine", subject: "m", status: "pass", message: "ok", value: 2, unit: "s" },
];

test("JUnit XML stays well-formed whatever the kernel ids hold", () => {
  const xml = junitXml(hostileResults);
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml));
  // A real XML parser reads it, and gets the ids back without the control characters.
  const read = spawnSync("python3", ["-c", [
    "import sys, xml.dom.minidom as m",
    "d = m.parseString(sys.stdin.buffer.read())",
    "case = d.getElementsByTagName('testcase')[1]",
    "print(case.getAttribute('name')); print(case.getElementsByTagName('failure')[0].getAttribute('message'))",
  ].join("\n")], { input: xml, encoding: "utf8" });
  assert.equal(read.stderr, "");
  assert.equal(read.stdout, "k|<img src=x onerror=alert(1)>&\"'\nslower\nby `a lot`\n");
});

test("the Markdown summary shows names and kernel ids as text, never as HTML or Markdown", () => {
  const summary = markdownSummary(hostileResults, "Baseline <b>b.json</b>");
  assert.ok(!summary.includes("<img") && !summary.includes("<b>"));
  const row = summary.split("\n").find((line) => line.startsWith("| ❌"))!;
  assert.equal(row, "| ❌ | measured | no \\*\\*slowdown\\*\\* \\| \\[here\\](http://x) | k\\|&lt;img src=x onerror=alert(1)&gt;&amp;\"' | slower by \\`a lot\\` |");
  assert.equal(row.replace(/\\\|/g, "").split("|").length, 7); // six separators: five cells
  assert.match(summary, /\nBaseline &lt;b&gt;b.json&lt;\/b&gt;\n/);
});

test("the HTML report escapes a hostile model name and measured kernel names", () => {
  const dir = folder();
  const name = `Tom & "Jerry" <script>alert('x')</script>`;
  const model = modelNamed(dir, name);
  const plan = JSON.parse(roofline(["plan", "--model", model, "--hw", "tpu-v3", "--phase", "decode", "--seq", "512"]).stdout);
  // Three kernels "measured" at half their roofline time: flagged, so their ids are listed as text.
  const kernels = plan.kernels.filter((k: { predicted: { seconds: number } }) => k.predicted.seconds > 0).slice(0, 3);
  const columns = ["kernel_id", "model", "phase", "pass", "batch", "tokens", "op", "block", "kind", "kernel", "implementation", "harness_implementation",
    "shape", "dtype", "device", "device_name", "backend", "backend_version", "runs", "median_seconds", "min_seconds", "p90_seconds", "mean_seconds",
    "samples_seconds", "check", "max_error", "cache_flushed"];
  const quote = (value: unknown) => `"${String(value).replace(/"/g, '""')}"`;
  const rows = kernels.map((k: { id: string; model: string; phase: string; pass: string; batch: number; tokens: number; op: string; block: string; kind: string; kernel: string; shape: Record<string, number>; predicted: { seconds: number } }) => {
    const s = k.predicted.seconds / 2;
    return [k.id, k.model, k.phase, k.pass, k.batch, k.tokens, k.op, k.block, k.kind, k.kernel, "", "test", Object.entries(k.shape).map(([key, v]) => `${key}=${v}`).join(" "),
      "bf16", "tpu", "TPU v3", "jax", "0", 3, s, s, s, s, `${s} ${s} ${s}`, "pass", 0, 0].map(quote).join(",");
  });
  const measured = path.join(dir, "m.csv");
  fs.writeFileSync(measured, [columns.join(","), ...rows].join("\n") + "\n");
  const file = path.join(dir, "r.html");
  const run = roofline(["report", "--model", model, "--hw", "tpu-v3", "--measured", measured, "-o", file, "--lengths", "512,1024"]);
  assert.equal(run.status, 0, run.stderr);
  const html = fs.readFileSync(file, "utf8");
  const escaped = "Tom &amp; &quot;Jerry&quot; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";
  assert.ok(!html.includes("<script>alert("));
  assert.ok(html.includes(`data-model="${escaped}"`));
  for (const k of kernels) assert.ok(html.includes(`<li class="warning">${k.id.replace(name, escaped)} ran faster than its roofline`), k.id);
});

test("a batch that does not fit in memory is marked in every output", () => {
  // recurrentgemma-2b decoding at 8,192 tokens on TPU v5e: 16e9 bytes − 5,365,724,160 of weights
  // leaves room for ⌊10,634,275,840 / 17,238,016⌋ = 616 sequences; 617 do not fit.
  const scenario = ["--model", "recurrentgemma-2b", "--hw", "tpu-v5e", "--context", "8192", "--seq", "8192"];
  const tables = roofline([...scenario, "--phase", "decode", "--batch", "617"]).stdout;
  const warning = "batch 617 does not fit in memory: the largest batch that fits is 616 at 8,192 tokens";
  assert.ok(tables.includes(`\n  WARNING: ${warning}\n`));
  assert.ok(tables.includes(`\n  WARNING: decode: ${warning}`));
  assert.ok(!roofline([...scenario, "--phase", "decode", "--batch", "616"]).stdout.includes("WARNING"));

  const fits = (batch: string) => JSON.parse(roofline([...scenario, "--phase", "decode,train", "--batch", batch, "--json"]).stdout).phases.map((p: { memory: { fits: boolean | null } }) => p.memory.fits);
  assert.deepEqual(fits("616"), [true, null]);
  assert.deepEqual(fits("617"), [false, null]);
  const csv = parse(roofline([...scenario, "--phase", "decode", "--batch", "617", "--csv"]).stdout, { columns: true }) as Record<string, string>[];
  assert.ok(csv.every((row) => row.fits === "false"));

  const sweep = roofline(["sweep", ...scenario.slice(0, 4), "--phase", "decode,train", "--seq", "8192", "--batch", "616,617"]);
  assert.deepEqual((parse(sweep.stdout, { columns: true }) as Record<string, string>[]).map((r) => [r.phase, r.batch, r.maxBatch, r.fits]),
    [["decode", "616", "616", "true"], ["decode", "617", "616", "false"], ["train", "616", "", ""], ["train", "617", "", ""]]);
  assert.equal(sweep.stderr, "warning: in 1 of 4 rows the batch does not fit in memory (fits = false; maxBatch is the largest that does)\n");
  const sweepJson = JSON.parse(roofline(["sweep", ...scenario.slice(0, 4), "--phase", "decode", "--seq", "8192", "--batch", "617", "--format", "json"]).stdout);
  assert.equal(sweepJson.rows[0].fits, false);

  const file = path.join(folder(), "r.html");
  assert.equal(roofline(["report", ...scenario, "--batch", "617", "--lengths", "512,1024", "-o", file]).status, 0);
  assert.ok(fs.readFileSync(file, "utf8").includes(`<li class="warning">recurrentgemma-2b on tpu-v5e, decode: ${warning}</li>`));
});

test("roofline report without -o says where it wrote the report", () => {
  const dir = folder();
  const run = roofline(["report", "--model", "hawk-100m", "--hw", "tpu-v3", "--lengths", "512,1024"], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "wrote reports/hawk-100m-on-tpu-v3.html (the default place; -o FILE chooses another)\n");
  assert.ok(fs.statSync(path.join(dir, "reports", "hawk-100m-on-tpu-v3.html")).size > 0);
});

test("check on predictions alone names no baseline, and prints numbers as the rest of the tool does", () => {
  const run = roofline(["check", "--budget", servingBudget]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.stdout.startsWith(`Budget ${servingBudget}: 6 predicted and 0 calibration expectations, no measured timings.\n`));
  assert.ok(!run.stdout.includes("No baseline"));
  for (const value of ["15.8 ms", "6.48 MB", "1.80 MB", "616", "677", "5.00 ms"]) assert.ok(run.stdout.includes(`│ ${value} within the budget`), value);
  assert.ok(!/\d\.\d+e[+-]\d|\d\.000\b/.test(run.stdout));
});

test("the kernel harness refuses an output it cannot write, or that is its own plan, before timing anything", (t) => {
  const python = process.env.ROOFLINE_PYTHON ?? "/usr/bin/python3";
  if (!fs.existsSync(python) || spawnSync(python, ["-c", "import torch"]).status !== 0) return t.skip(`no PyTorch for ${python}`);
  const harness = path.join(repo, "bench", "kernels", "harness.py");
  const dir = folder();
  const plan = path.join(dir, "plan.json");
  fs.writeFileSync(plan, "{}\n");
  const refused = (args: string[], message: string) => {
    const result = spawnSync(python, [harness, ...args], { encoding: "utf8" });
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.endsWith(`harness.py: error: ${message}\n`), result.stderr);
  };
  refused(["run", "--plan", plan, "--out", plan], `--out ${plan}: would overwrite --plan ${plan}, which this command reads`);
  refused(["run", "--plan", plan, "--out", dir], `--out ${dir}: is a folder; give a file name`);
  refused(["run", "--plan", plan, "--out", path.join(dir, "a.csv"), "--interleave", `${plan}/b.csv`], `--interleave ${plan}/b.csv: ${plan} is a file, not a folder`);
  assert.deepEqual(fs.readdirSync(dir), ["plan.json"]);
  assert.equal(fs.readFileSync(plan, "utf8"), "{}\n");
});
