// The report's explorer outside the browser: its state (parsed from `--state` and the URL
// fragment, refused by key), the window it sets as `--set window=N` does, the numbers it computes
// against the analysis, and the chart helpers it relies on (label placement, summarised points,
// model colours). Browser checks are in explorer-browser.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { loadModel } from "../src/models/load.js";
import { PRESETS } from "../src/models/presets.js";
import { placeLabels, textWidth } from "../src/report/charts/label-layout.js";
import { summarisePoints, type RooflinePoint } from "../src/report/charts/roofline.js";
import { modelColor, WARNING_COLOR } from "../src/report/charts/style.js";
import { withWindow } from "../src/report/explorer/compute.js";
import { parseState, stateFragment, stateFromFragment, STATE_KEYS, type ExplorerState } from "../src/report/explorer/state.js";
import { InputError } from "../src/errors.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });

const BASE: ExplorerState = {
  models: ["griffin-7b", "hawk-7b", "mqa-7b"], chips: ["tpu-v3"], phases: ["prefill", "decode"], batch: 1, seq: 2048, context: 4096, prompt: 2048, gen: 512, window: null,
  dtype: "bf16", kvDtype: "bf16", attention: "flash", scan: "fused", backend: null, calibration: true,
};
const CHOICES = { models: ["griffin-7b", "hawk-7b", "mqa-7b", "griffin-1b"], chips: ["tpu-v3", "h100-sxm"] };

test("--state sets the keys it names, lists continuing over commas as --set's do", () => {
  const state = parseState("batch=64,context=32768,models=griffin-7b,hawk-7b,window=1024,gen=128,calibration=off,backend=vllm", BASE, CHOICES);
  assert.deepEqual(state, { ...BASE, batch: 64, context: 32768, models: ["griffin-7b", "hawk-7b"], window: 1024, gen: 128, calibration: false, backend: "vllm" });
  assert.equal(parseState("window=own,backend=default", { ...BASE, window: 512, backend: "eager" }, CHOICES).window, null);
});

test("a bad --state names its key and what it accepts", () => {
  const refuses = (text: string, message: RegExp) => assert.throws(() => parseState(text, BASE, CHOICES), (error: unknown) => error instanceof InputError && message.test(error.message));
  refuses("foo=1", /--state: unknown key "foo"; known: models, chips, phase, batch/);
  refuses("batch=0", /--state batch: expected a positive integer, got "0"/);
  refuses("batch=NaN", /--state batch: expected a positive integer/);
  refuses("context=-5", /--state context: expected a positive integer, got "-5"/);
  refuses("seq=200000000", /--state seq: 200000000 is above the limit/);
  refuses("models=nope", /--state models: "nope" is not in this report; choose among griffin-7b/);
  refuses("chips=", /--state chips: expected at least one of tpu-v3, h100-sxm/);
  refuses("phase=train", /--state phase: "train" is not in this report; choose among prefill, decode/);
  refuses("dtype=fp64", /--state dtype: expected one of bf16, .*got "fp64"/);
  refuses("attention=magic", /--state attention: expected one of flash, flash2, flash3, cudnn, xla, dense/);
  refuses("calibration=maybe", /--state calibration: expected one of on, off/);
  refuses("batch", /--state batch: expected key=value/);
});

test("every state survives the URL fragment unchanged", () => {
  const state = fc.record({
    models: fc.uniqueArray(fc.constantFrom(...CHOICES.models), { minLength: 1 }),
    chips: fc.uniqueArray(fc.constantFrom(...CHOICES.chips), { minLength: 1 }),
    phases: fc.uniqueArray(fc.constantFrom("prefill", "decode"), { minLength: 1 }),
    batch: fc.integer({ min: 1, max: 1_000_000 }), seq: fc.integer({ min: 1, max: 1e8 }), context: fc.integer({ min: 1, max: 1e8 }),
    prompt: fc.integer({ min: 1, max: 1e8 }), gen: fc.integer({ min: 1, max: 1e8 }), window: fc.option(fc.integer({ min: 1, max: 1e8 }), { nil: null }),
    dtype: fc.constantFrom("bf16", "fp16", "fp8", "int8", "w8a16", "w4a16"), kvDtype: fc.constantFrom("bf16", "fp16", "fp8", "int8"),
    attention: fc.constantFrom("flash", "flash2", "flash3", "cudnn", "xla", "dense"), scan: fc.constantFrom("fused", "naive", "associative"),
    backend: fc.option(fc.constantFrom("eager", "xla", "vllm", "jax"), { nil: null }), calibration: fc.boolean(),
  }) as fc.Arbitrary<ExplorerState>;
  fc.assert(fc.property(state, (s) => {
    const back = stateFromFragment(`#${stateFragment(s)}`, BASE, CHOICES);
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.state, { ...s });
  }));
});

test("a shared link's unusable keys are reported and skipped, the rest applied", () => {
  const { state, problems } = stateFromFragment("#batch=8&nokey=1&models=gone&context=%E0%A4%A", BASE, CHOICES);
  assert.equal(state.batch, 8);
  assert.deepEqual(state.models, BASE.models);
  assert.equal(problems.length, 3);
  assert.match(problems[0]!, /unknown key "nokey"/);
  assert.match(problems[1]!, /models: "gone" is not in this report/);
  assert.equal(STATE_KEYS.length, 15);
});

test("the explorer's window is --set window=N: the same spec, the same derived name", () => {
  const griffin = loadModel("griffin-7b");
  assert.deepEqual(withWindow(griffin, 2048), loadModel("griffin-7b", ["window=2048"]));
  assert.equal(withWindow(griffin, 2048).name, "griffin-7b (window=2048)");
  // A model without local attention, or at its own window, is left as it is.
  const hawk = loadModel("hawk-7b");
  assert.equal(withWindow(hawk, 2048), hawk);
  assert.equal(withWindow(griffin, griffin.attention!.window!), griffin);
});

test("labels are placed clear of each other: at the same anchor, the other side, then a row up", () => {
  // fontSize 10: a row is 10 + 3 = 13 px; "abcd" is 4 × 10 × 0.62 = 24.8 px wide.
  const request = { text: "abcd", x: 50, y: 50, align: "left" as const, fontSize: 10 };
  const [first, second, third] = placeLabels([request, request, request], [], 200, 100);
  assert.deepEqual([first!.align, first!.x, first!.y], ["left", 50, 50]);
  assert.deepEqual([second!.align, second!.x, second!.y], ["right", 50, 50]);
  assert.deepEqual([third!.align, third!.x, third!.y], ["left", 50, 37]);
  // A label that would stick out of the panel is slid back inside: right edge 200 - 24.8.
  const [slid] = placeLabels([{ ...request, x: 190 }], [], 200, 100);
  assert.ok(Math.abs(slid!.x - (200 - 24.8)) < 1e-9);
});

test("whatever labels are asked for, those placed clear of all others stay inside the panel", () => {
  const label = fc.record({
    text: fc.string({ minLength: 1, maxLength: 12 }), x: fc.integer({ min: 0, max: 400 }), y: fc.integer({ min: 12, max: 300 }),
    align: fc.constantFrom("left" as const, "right" as const), fontSize: fc.constant(9),
  });
  fc.assert(fc.property(fc.array(label, { maxLength: 6 }), (labels) => {
    for (const placed of placeLabels(labels, [], 400, 300)) {
      const w = textWidth(placed.text, placed.fontSize);
      const left = placed.align === "left" ? placed.x : placed.x - w;
      assert.ok(left >= -1e-9 && left + w <= 400 + 1e-9, "inside horizontally");
      assert.ok(placed.y - placed.fontSize >= 0 && placed.y <= 300, "inside vertically");
    }
  }));
});

test("ops of one phase and block at the same intensity become one point, their time and share summed", () => {
  const op = (name: string, intensity: number, flopsPerSecond: number, seconds: number, share: number): RooflinePoint => ({
    op: name, block: "mlp", phase: "decode", source: "predicted", intensity, flopsPerSecond, seconds, share, bound: "memory",
    roofFlopsPerSecond: flopsPerSecond, aboveRoof: false,
  });
  // A: 1e12 FLOP/s for 1 s (1e12 FLOP, 1e12 B); B: intensity 1.05 at 2e12 FLOP/s for 0.5 s (1e12 FLOP,
  // 0.952e12 B). Both round to 20·log10(x) = 0: one point of 2e12 FLOP over 1.952e12 B = 1.0246 FLOP/B,
  // 2e12 FLOP / 1.5 s = 1.333e12 FLOP/s. C (intensity 100) stays alone.
  const points = summarisePoints([op("a", 1, 1e12, 1, 0.4), op("b", 1.05, 2e12, 0.5, 0.2), op("c", 100, 5e12, 0.1, 0.05)]);
  assert.equal(points.length, 2);
  const merged = points.find((p) => p.ops === 2)!;
  assert.equal(merged.op, "2 ops: a, b");
  assert.ok(Math.abs(merged.intensity - 2e12 / (1e12 + 1e12 / 1.05)) < 1e-12);
  assert.ok(Math.abs(merged.flopsPerSecond - 2e12 / 1.5) < 1);
  assert.equal(merged.seconds, 1.5);
  assert.ok(Math.abs(merged.share - 0.6) < 1e-12);
});

test("a model keeps one colour in every report: its family's hue, shaded by size, never the warning red", () => {
  assert.equal(modelColor("griffin-7b"), "#1f77b4");
  assert.equal(modelColor("griffin-7b (window=2048)"), "#1f77b4");
  assert.equal(modelColor("mqa-7b"), "#ff7f0e");
  // hawk-14b: one size above the 7B member, 12% toward white: 44 + 211·0.12 = 69 (0x45), 160 + 95·0.12 = 171 (0xab).
  assert.equal(modelColor("hawk-14b"), "#45ab45");
  const colours = PRESETS.map((p) => modelColor(p.name));
  assert.ok(!colours.includes(WARNING_COLOR));
  assert.equal(new Set(colours).size, PRESETS.length, "presets are told apart");
});

test("`report --state` opens the report in that state, and a bad one is refused by key, nothing written", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-state-"));
  const file = path.join(dir, "r.html");
  const bad = roofline("report", "--model", "griffin-7b", "--hw", "tpu-v3", "--state", "batch=64,depth=3", "-o", file);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--state: unknown key "depth"/);
  assert.equal(fs.existsSync(file), false);
  const good = roofline("report", "--model", "griffin-7b,mqa-7b", "--hw", "tpu-v3", "--state", "batch=64,context=32768", "-o", file);
  assert.equal(good.status, 0, good.stderr);
  const html = fs.readFileSync(file, "utf8");
  const input = JSON.parse(/<script type="application\/json" id="explorer-input">([^<]*)<\/script>/.exec(html)![1]!);
  assert.equal(input.initial.batch, 64);
  assert.equal(input.initial.context, 32768);
  // The tables show the decode step of --batch 64 --context 32768, as --json gives it.
  const json = JSON.parse(roofline("--model", "mqa-7b", "--hw", "tpu-v3", "--batch", "64", "--context", "32768", "--json").stdout);
  const shown = /<tr data-chip="tpu-v3" data-model="mqa-7b">.*?data-decode-seconds="([^"]+)"/.exec(html)![1];
  assert.equal(Number(shown), json.phases[1].totals.seconds);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a batch beyond the largest that fits says so beside its time", () => {
  // mqa-7b on an H100 (80 GB): weights 12.14 GB, KV cache at 131,072 tokens 2.147 GB per sequence;
  // (80 − 12.14) / 2.147 = 31.6, so 31 sequences fit and 64 do not.
  const run = roofline("--model", "mqa-7b", "--hw", "h100-sxm", "--phase", "decode", "--context", "131072", "--batch", "64");
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /roofline 44\.9 ms, no-overlap bound [0-9.]+ ms \(batch 64 does not fit in memory: at most 31\)/);
  assert.match(run.stdout, /batch 64: 44\.9 ms \(batch 64 does not fit in memory: at most 31\), memory bound/);
  const fits = roofline("--model", "mqa-7b", "--hw", "h100-sxm", "--phase", "decode", "--context", "131072", "--batch", "31");
  assert.doesNotMatch(fits.stdout, /does not fit/);
});
