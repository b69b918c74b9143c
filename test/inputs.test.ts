// What the user hands the tool: flags, names, model and profile files, and the limits on each.
// Every refusal is an InputError (exit 2, one line naming the flag, file or field and the limit).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { layerCounts } from "../src/models/layers.js";
import { forwardOps } from "../src/cost/forward.js";
import { applyOverrides } from "../src/models/overrides.js";
import { loadModel } from "../src/models/load.js";
import { loadProfile } from "../src/hardware/load.js";
import { parseJsonText, readJsonFile, readTextFile } from "../src/json-file.js";
import { positiveInteger } from "../src/cli/options.js";
import { parseAxis } from "../src/cli/ranges.js";
import { closestNames, editDistance } from "../src/closest-names.js";
import { InputError } from "../src/errors.js";
import { MAX_TOKENS } from "../src/limits.js";
import { preset, FLASH_FUSED } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const PAPER = "De et al. 2024 (arXiv 2402.19427), App. C Table 2";

/** Runs the CLI; a command that never ends fails the test after 60 s instead of hanging it. */
function roofline(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts a refusal: exit 2, nothing on stdout, one `roofline: …` message and no stack. */
function refused(args: string[], message: RegExp | string) {
  const result = roofline(...args);
  assert.equal(result.status, 2, `${args.join(" ")}\n${result.stderr}`);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^roofline: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  if (typeof message === "string") assert.ok(result.stderr.includes(message), `${result.stderr} should include ${message}`);
  else assert.match(result.stderr, message);
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "roofline-inputs-"));
const readProfileJson = (id: string) => JSON.parse(fs.readFileSync(path.join(root, "hardware-profiles", `${id}.json`), "utf8"));

// --- Depth ---------------------------------------------------------------------------------

test("layer counts come from the pattern, so a depth of 2^32 is counted exactly", () => {
  // [recurrent, recurrent, local] over 2^32 = 4,294,967,296 layers: 1,431,655,765 full repeats and
  // 1 layer over, which is recurrent: 2 · 1,431,655,765 + 1 = 2,863,311,531 recurrent.
  const counts = layerCounts({ depth: 2 ** 32, pattern: ["recurrent", "recurrent", "local-attention"] });
  assert.deepEqual(counts, { recurrent: 2_863_311_531, "local-attention": 1_431_655_765, "global-attention": 0, mamba: 0, mamba2: 0 });
  // The paper's griffin-7b: 32 layers → 22 recurrent + 10 local ([G] §3).
  assert.deepEqual(layerCounts(preset("griffin-7b")), { recurrent: 22, "local-attention": 10, "global-attention": 0, mamba: 0, mamba2: 0 });
});

test("the cost of a forward pass does not grow with depth: 1e15 layers are one op per kind with a count", () => {
  // 1e15 = 3 · 333,333,333,333,333 + 1: the extra layer is the pattern's first, recurrent.
  const spec = { ...preset("griffin-7b"), depth: 1e15 };
  const ops = forwardOps(spec, { ...FLASH_FUSED, batch: 1, newTokens: 1, cachedTokens: 0, logits: "last", training: false });
  const counts = new Map(ops.map((op) => [op.block, op.count]));
  assert.equal(counts.get("recurrent"), 666_666_666_666_667);
  assert.equal(counts.get("local-attention"), 333_333_333_333_333);
  assert.equal(counts.get("mlp"), 1e15);
  assert.equal(ops.length, forwardOps(preset("griffin-7b"), { ...FLASH_FUSED, batch: 1, newTokens: 1, cachedTokens: 0, logits: "last", training: false }).length);
});

test("depth is capped at 10,000 residual blocks, with the limit in the error", () => {
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "depth=1e15"], "depth: 1000000000000000 is above the limit of 10,000 residual blocks");
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "depth=4294967296"], "depth: 4294967296 is above the limit of 10,000 residual blocks");
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "width=16777217"], "width: 16777217 is above the limit of 16,777,216 for a model dimension");
  // At the limit: 10,000 = 3 · 3,333 + 1 → 6,667 recurrent + 3,333 local.
  const ok = roofline("--model", "griffin-7b", "--hw", "tpu-v3", "--set", "depth=10000", "--phase", "decode");
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /depth 10000 \(6667 recurrent \+ 3333 local-attention\)/);
});

// --- --set ---------------------------------------------------------------------------------

test("--set accepts only the model's own fields, never a name every object has", () => {
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "constructor=1"], `--set constructor=1: "constructor" is not a field of griffin-7b`);
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "__proto__.hasOwnProperty=x"], `"__proto__.hasOwnProperty" is not a field of griffin-7b`);
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "__proto__.toString=1"], `"__proto__.toString" is not a field of griffin-7b`);
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "mlp.constructor=1"], `"mlp.constructor" is not a field of griffin-7b`);
  for (const assignment of ["toString=1", "__proto__.polluted=1", "attention.__proto__.polluted=1"]) {
    assert.throws(() => applyOverrides(preset("griffin-7b"), [assignment], "griffin-7b"), InputError, assignment);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype is untouched");
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "windw=2048"], `"windw" is not a field of griffin-7b; did you mean window?`);
});

test("--set takes a list value, and names the field and the kinds it accepts", () => {
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "pattern=recurrent,transformer"],
    `pattern[1]: "transformer" is not a block kind; expected recurrent, local-attention, global-attention, mamba, mamba2`);
  // [recurrent, local] over 32 layers: 16 of each.
  const spec = applyOverrides(preset("griffin-7b"), ["pattern=recurrent", "local-attention", "depth=32"], "griffin-7b");
  assert.deepEqual(spec.pattern, ["recurrent", "local-attention"]);
  assert.deepEqual(layerCounts(spec), { recurrent: 16, "local-attention": 16, "global-attention": 0, mamba: 0, mamba2: 0 });
  assert.deepEqual(applyOverrides(preset("hawk-1b"), ["pattern=recurrent"], "hawk-1b").pattern, ["recurrent"]);
});

// --- Numeric flags ---------------------------------------------------------------------------

test("sizes past their documented limits are refused, naming the limit", () => {
  const analysis = ["--model", "griffin-7b", "--hw", "tpu-v3"];
  refused([...analysis, "--batch", "1e20"], "--batch: 1e20 is above the limit of 1,000,000 sequences per batch");
  refused([...analysis, "--batch", "9007199254740993"], "--batch: 9007199254740993 is above the limit of 1,000,000 sequences per batch");
  refused([...analysis, "--seq", "1e300"], "--seq: 1e300 is above the limit of 100,000,000 tokens");
  refused([...analysis, "--phase", "generate", "--gen", "1e300"], "--gen: 1e300 is above the limit of 100,000,000 tokens");
  refused([...analysis, "--context", "100000001"], "--context: 100000001 is above the limit of 100,000,000 tokens");
  refused(["sweep", "--model", "griffin-7b", "--hw", "tpu-v3", "--seq", "1..1e23"], "--seq 1..1e23: 1e23 is above the limit of 100,000,000 tokens");
  refused(["sweep", "--model", "griffin-7b", "--hw", "tpu-v3", "--seq", "1..100000000000000000000000"], "is above the limit of 100,000,000 tokens");
  refused(["sweep", "--model", "griffin-7b", "--hw", "tpu-v3", "--batch", "8,2000000"], "--batch: 2000000 is above the limit of 1,000,000 sequences per batch");
  // At the limits, accepted.
  assert.equal(positiveInteger("batch", "1000000"), 1_000_000);
  assert.equal(positiveInteger("seq", "1e8"), 100_000_000);
  // Counts without a limit of their own stop at the largest exact integer, 2^53 − 1.
  assert.equal(positiveInteger("steps", "9007199254740991"), Number.MAX_SAFE_INTEGER);
  assert.throws(() => positiveInteger("steps", "9007199254740993"), { message: "--steps: 9007199254740993 is above the limit of 9,007,199,254,740,991 (the largest exact integer)" });
});

test("an axis holds sorted distinct values inside its range and under its limit (property)", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: MAX_TOKENS }), fc.integer({ min: 1, max: MAX_TOKENS }), fc.double({ min: 1.5, max: 16, noNaN: true }),
    (a, b, factor) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      const values = parseAxis("seq", `${from}..${to}*${factor}`);
      assert.equal(values[0], from);
      for (let i = 1; i < values.length; i++) assert.ok(values[i]! > values[i - 1]!);
      assert.ok(values.at(-1)! <= Math.round(to * (1 + 1e-12)) && values.at(-1)! <= MAX_TOKENS);
    }), { numRuns: 200 });
});

// --- Grid sizes ------------------------------------------------------------------------------

test("a sweep past 100,000,000 rows is refused before any is computed, with the count and the flags to narrow, and writes nothing", () => {
  // 1000..100000000 in steps of ×1.003 is 1000 · 1.003^k for k = 0 … 3,843 (ln 10^5 / ln 1.003 =
  // 3,843.4): 3,844 values, consecutive ones at least 3 apart, so none round into another; and
  // 1000..1000000 is k = 0 … 2,306 (ln 10^3 / ln 1.003 = 2,306.04): 2,307 values.
  // 3 chips × 4 phases × 3,844 × 2,307 = 106,417,296 rows.
  const out = path.join(tempDir(), "sweep.csv");
  refused(["sweep", "--model", "griffin-7b", "--hw", "tpu-v3,h100-sxm,h200", "--phase", "prefill,decode,generate,train",
    "--seq", "1000..100000000*1.003", "--batch", "1000..1000000*1.003", "-o", out],
  "sweep: 106,417,296 rows (1 model × 3 chips × 4 phases × 3,844 lengths × 2,307 batches) is above the limit of 100,000,000 rows; narrow --seq, --batch, --phase or --hw, or split the grid");
  assert.equal(fs.existsSync(out), false);
});

test("a plan past 1,000 points is refused with the count", () => {
  // 695 lengths (as above) × 2 batches × 2 phases × 1 model = 2,780 points.
  refused(["plan", "--model", "griffin-1b", "--hw", "h200", "--seq", "1000..1000000*1.01", "--batch", "1,2"],
    "plan: 2,780 points (1 model × 2 phases × 695 lengths × 2 batches) is above the limit of 1,000 points");
});

// --- JSON files ------------------------------------------------------------------------------

test("a directory given as a profile or a model is named as such", () => {
  refused(["--model", "griffin-7b", "--hw", "hardware-profiles/"], "hardware-profiles/: is a directory, not a hardware profile file");
  refused(["--model", "griffin-7b", "--hw", path.join(root, "hardware-profiles")], "is a directory, not a hardware profile file");
  refused(["--model", path.join(root, "src") + "/", "--hw", "tpu-v3"], "is a directory, not a model file");
  refused(["check", "--budget", os.tmpdir()], "is a directory, not a budget file");
});

test("JSON inputs are read up to their cap and no further", () => {
  refused(["--model", "griffin-7b", "--hw", "/dev/zero"], "/dev/zero: larger than 1,048,576 bytes, the limit for a hardware profile file");
  assert.throws(() => readTextFile("/dev/zero", "budget", 10), { message: "/dev/zero: larger than 10 bytes, the limit for a budget file" });
  const dir = tempDir();
  const tenBytes = path.join(dir, "ten.json");
  fs.writeFileSync(tenBytes, "[1,2,3,45]");
  assert.deepEqual(JSON.parse(readTextFile(tenBytes, "plan", 10)), [1, 2, 3, 45]);
  assert.throws(() => readTextFile(tenBytes, "plan", 9), { message: `${tenBytes}: larger than 9 bytes, the limit for a plan file` });
  // 2 MB of '[' as a profile is over the profile cap; as a budget, under the cap but far too deep.
  const brackets = path.join(dir, "brackets.json");
  fs.writeFileSync(brackets, "[".repeat(2 * 1024 * 1024));
  refused(["--model", "griffin-7b", "--hw", brackets], "larger than 1,048,576 bytes, the limit for a hardware profile file");
  refused(["check", "--budget", brackets], `${brackets}: arrays and objects nested more than 64 levels deep`);
  refused(["measurements", path.join(root, "measurements/cpu-amd-epyc-2c/serving.csv"), "--plan", brackets], "nested more than 64 levels deep");
});

test("nesting is counted outside strings, up to 64 levels", () => {
  assert.deepEqual(parseJsonText(`${"[".repeat(64)}${"]".repeat(64)}`, "x.json"), JSON.parse(`${"[".repeat(64)}${"]".repeat(64)}`));
  assert.throws(() => parseJsonText(`${"[".repeat(65)}${"]".repeat(65)}`, "x.json"), { message: "x.json: arrays and objects nested more than 64 levels deep" });
  assert.deepEqual(parseJsonText(JSON.stringify({ text: "[".repeat(100) + '\\"{' }), "x.json"), { text: "[".repeat(100) + '\\"{' });
});

test("a UTF-8 byte-order mark before JSON is accepted in profiles, models and every other JSON file", () => {
  const dir = tempDir();
  const bom = "\uFEFF";
  const profile = path.join(dir, "chip.json");
  fs.writeFileSync(profile, bom + fs.readFileSync(path.join(root, "hardware-profiles/tpu-v3.json"), "utf8"));
  assert.equal(loadProfile(profile).id, "tpu-v3");
  const model = path.join(dir, "model.json");
  fs.writeFileSync(model, bom + JSON.stringify(preset("hawk-100m")));
  assert.equal(loadModel(model).name, "hawk-100m");
  const budget = path.join(dir, "budget.json");
  fs.writeFileSync(budget, `${bom}{ "schema": "roofline.budget", "version": 1, "predicted": [] }`);
  assert.deepEqual(readJsonFile(budget, "budget"), { schema: "roofline.budget", version: 1, predicted: [] });
  const run = roofline("--model", model, "--hw", profile, "--phase", "decode");
  assert.equal(run.status, 0, run.stderr);
  assert.equal(roofline("check", "--budget", budget).status, 0);
});

// --- Profiles --------------------------------------------------------------------------------

test("profile numbers outside their plausible range are refused with the unit expected", () => {
  const cases: [string, (p: Record<string, any>) => void, string][] = [
    ["h100-sxm", (p) => { p.memory.main.bytesPerSecond.value = 3350; }, "memory.main.bytesPerSecond.value: 3350 is not a plausible bytes/s (expected 1e7–1e14; did you give GB/s?)"],
    ["h100-sxm", (p) => { p.compute.matrix[0].flopsPerSecond.value = 989; }, "compute.matrix[0].flopsPerSecond.value: 989 is not a plausible FLOP/s (expected 1e6–1e17; did you give TFLOP/s?)"],
    ["h100-sxm", (p) => { p.compute.vector.flopsPerSecond.value = 5e-324; }, "compute.vector.flopsPerSecond.value: 5e-324 is not a plausible FLOP/s"],
    ["h100-sxm", (p) => { p.compute.matrix[0].flopsPerSecond.value = 1e-300; }, "compute.matrix[0].flopsPerSecond.value: 1e-300 is not a plausible FLOP/s"],
    ["h100-sxm", (p) => { p.memory.main.capacityBytes.value = 80; }, "memory.main.capacityBytes.value: 80 is not a plausible bytes (expected 1e8–1e14; did you give GB?)"],
    ["h100-sxm", (p) => { p.memory.onChip[0].capacityBytes.value = 50; }, "memory.onChip[0].capacityBytes.value: 50 is not a plausible bytes (expected 1e3–1e11; did you give kB or MB?)"],
    ["h100-sxm", (p) => { p.clockHz.value = 1980; }, "clockHz.value: 1980 is not a plausible Hz (expected 1e8–1e10; did you give MHz or GHz?)"],
    ["h100-sxm", (p) => { p.powerWatts.value = 700_000; }, "powerWatts.value: 700000 is not a plausible W (expected 1e0–1e5; did you give mW?)"],
    ["h100-sxm", (p) => { p.achievable.memoryBytesPerSecond.value = 2900; }, "achievable.memoryBytesPerSecond.value: 2900 is not a plausible bytes/s"],
    ["h100-sxm", (p) => { p.achievable.matrix[0].flopsPerSecond.value = 600; }, "achievable.matrix[0].flopsPerSecond.value: 600 is not a plausible FLOP/s"],
    ["h100-sxm", (p) => { p.host.bytesPerSecondPerDirection.value = 64; }, "host.bytesPerSecondPerDirection.value: 64 is not a plausible bytes/s (expected 1e8–1e13; did you give GB/s?)"],
    ["tpu-v3", (p) => { p.compute.matrix[0].flopsPerSecond.alternatives[0].value = 140; }, "compute.matrix[0].flopsPerSecond.alternatives[0].value: 140 is not a plausible FLOP/s"],
    ["h100-sxm", (p) => { p.measured = [{ metric: "memory-copy", value: 3000, unit: "bytes/s", tool: "harness.py" }]; }, "measured[0].value: 3000 is not a plausible bytes/s"],
  ];
  const dir = tempDir();
  for (const [id, edit, message] of cases) {
    const profile = readProfileJson(id);
    edit(profile);
    const file = path.join(dir, `${id}.json`);
    fs.writeFileSync(file, JSON.stringify(profile));
    assert.throws(() => loadProfile(file), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.ok(error.message.includes(message), `${error.message}\nshould include ${message}`);
      return true;
    });
  }
});

test("source ids are the profile's own keys: toString is not a source unless defined, and cannot be one", () => {
  const dir = tempDir();
  const cited = readProfileJson("h100-sxm");
  cited.memory.main.bytesPerSecond.source = ["toString"];
  fs.writeFileSync(path.join(dir, "cited.json"), JSON.stringify(cited));
  assert.throws(() => loadProfile(path.join(dir, "cited.json")), /memory\.main\.bytesPerSecond\.source\[0\]: unknown source id "toString"/);
  const defined = readProfileJson("h100-sxm");
  defined.sources.constructor = { title: "a source" };
  fs.writeFileSync(path.join(dir, "defined.json"), JSON.stringify(defined));
  assert.throws(() => loadProfile(path.join(dir, "defined.json")), /sources\.constructor: "constructor" cannot be a source id/);
});

// --- Names -----------------------------------------------------------------------------------

test("unknown names get the closest known ones", () => {
  assert.equal(editDistance("kitten", "sitting"), 3); // k→s, e→i, +g
  assert.deepEqual(closestNames("griffin7b", ["griffin-1b", "griffin-7b", "hawk-7b"]), ["griffin-7b"]);
  refused(["--model", "griffin7b", "--hw", "tpu-v3"], `unknown model "griffin7b"; did you mean griffin-7b?`);
  // Names that contain what was typed first, then one edit away: h100 → h200.
  refused(["--model", "griffin-7b", "--hw", "h100"], `unknown hardware "h100"; did you mean h100-sxm, h100-pcie or h200?`);
  refused(["models", "--show", "hawk1b"], `unknown model "hawk1b"; did you mean hawk-1b?`);
  refused(["frobnicate"], `unknown command "frobnicate"; the commands are sweep, report, plan,`);
  refused(["swep", "--model", "griffin-7b"], `unknown command "swep"; did you mean sweep?`);
});

test("sweep --model all sweeps every preset", () => {
  const { status, stdout, stderr } = roofline("sweep", "--model", "all", "--hw", "tpu-v3", "--phase", "decode", "--seq", "1024");
  assert.equal(status, 0, stderr);
  const lines = stdout.trim().split("\n");
  // 39 presets (21 of the Griffin paper, RecurrentGemma, Llama-2, 5 Mamba, 5 Mamba-2, 5 GPT-3) × 1 chip × 1 phase
  // × 1 length × 1 batch, under a header.
  assert.equal(lines.length, 1 + 39);
  assert.ok(lines.some((line) => line.startsWith("recurrentgemma-9b,tpu-v3,decode,1,")));
});

// --- Derived models --------------------------------------------------------------------------

test("a preset changed with --set is named and sourced as derived from it", () => {
  const doc = JSON.parse(roofline("--model", "griffin-1b", "--hw", "tpu-v3", "--set", "window=2048", "--phase", "decode", "--json").stdout);
  assert.equal(doc.model.name, "griffin-1b (window=2048)");
  assert.equal(doc.model.spec.source, `derived from griffin-1b with --set window=2048; griffin-1b: ${PAPER}`);
  const text = roofline("--model", "griffin-7b", "--hw", "tpu-v3", "--set", "depth=12,kvHeads=2", "--phase", "decode").stdout;
  assert.match(text, /^Model griffin-7b \(depth=12 kvHeads=2\): width 4096, depth 12/);
  assert.ok(text.includes(`source: derived from griffin-7b with --set depth=12 kvHeads=2; griffin-7b: ${PAPER}`));
  // Setting a field to the value it has changes nothing: the preset keeps its name and source.
  const same = JSON.parse(roofline("--model", "griffin-1b", "--hw", "tpu-v3", "--set", "window=1024", "--phase", "decode", "--json").stdout);
  assert.equal(same.model.name, "griffin-1b");
  assert.equal(same.model.spec.source, PAPER);
  const csv = roofline("sweep", "--model", "hawk-1b", "--hw", "tpu-v3", "--set", "vocab=1000", "--phase", "decode", "--seq", "1024").stdout;
  assert.match(csv.split("\n")[1]!, /^hawk-1b \(vocab=1000\),tpu-v3,decode,/);
});

test("a model file that keeps a preset's name but changes it is labelled derived; one equal to the preset is not", () => {
  const dir = tempDir();
  const edited = path.join(dir, "hawk.json");
  fs.writeFileSync(edited, JSON.stringify({ ...preset("hawk-1b"), depth: 12, mlp: { ...preset("hawk-1b").mlp, hiddenWidth: 4096 } }));
  const spec = loadModel(edited);
  assert.equal(spec.name, "hawk-1b (depth=12 mlpWidth=4096)");
  assert.equal(spec.source, `derived from hawk-1b in ${edited}: depth=12 mlpWidth=4096; hawk-1b: ${PAPER}`);
  // Changes are listed in the order of the model file's fields: depth, vocabSize, …, mlp.
  assert.equal(loadModel(edited, ["vocab=1000"]).source, `derived from hawk-1b in ${edited} and --set: depth=12 vocab=1000 mlpWidth=4096; hawk-1b: ${PAPER}`);
  const copy = path.join(dir, "copy.json");
  fs.writeFileSync(copy, JSON.stringify(preset("hawk-1b")));
  assert.deepEqual(loadModel(copy), preset("hawk-1b"));
  const own = path.join(dir, "own.json");
  fs.writeFileSync(own, JSON.stringify({ ...preset("hawk-1b"), name: "my-hawk", source: "my notes", depth: 6 }));
  assert.equal(loadModel(own).name, "my-hawk");
  assert.equal(loadModel(own).source, "my notes");
});
