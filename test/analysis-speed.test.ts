// The prepared analysis (src/roofline/prepared-analysis.ts) and the cost tables under it
// (src/cost/cost-table.ts) must give exactly what the direct computation gives: every op record,
// its times and estimate, the totals and the memory, at any point. The speed itself is measured
// by bench/analysis-vs-peer.ts and bench/speed-ratios.ts, never asserted here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readCalibration } from "../src/calibration/calibration.js";
import { contextPieces, costsAt, costTable, promptPieces } from "../src/cost/cost-table.js";
import { DEFAULT_DTYPES, WEIGHT_FORMATS } from "../src/cost/dtypes.js";
import type { OpCost } from "../src/cost/op.js";
import { decodeOps, prefillOps, trainOps, type Implementation } from "../src/cost/phases.js";
import { loadProfile } from "../src/hardware/load.js";
import type { ModelSpec } from "../src/models/schema.js";
import { analyze, DEFAULT_SCENARIO, type Phase, type Scenario } from "../src/roofline/analyze.js";
import { estimateSourceFor } from "../src/calibration/shipped.js";
import { prepareAnalysis } from "../src/roofline/prepared-analysis.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const withWindow = (spec: ModelSpec, window: number): ModelSpec => ({ ...spec, name: `${spec.name} (window ${window})`, attention: { ...spec.attention!, window } });
/** Recurrent, local and global layers in one model, so that every block type meets every breakpoint. */
const mixed: ModelSpec = { ...withWindow(preset("griffin-100m"), 16), name: "mixed", pattern: ["recurrent", "local-attention", "global-attention"] };
/** Mamba, recurrent and local attention layers in one model, with and without an MLP. */
const mambaMixed: ModelSpec = { ...mixed, name: "mamba mixed", pattern: ["mamba", "local-attention", "recurrent"], mamba: preset("mamba-130m").mamba! };
const { mlp: _, ...mambaMixedWithoutMlp } = { ...mambaMixed, name: "mamba mixed without MLP" };
/** Mamba-2 with a chunk of 8 beside a local window of 16: both breakpoints in one model. */
const mamba2Mixed: ModelSpec = {
  ...mixed, name: "mamba2 mixed", pattern: ["mamba2", "local-attention"], mamba2: { ...preset("mamba2-130m").mamba2!, chunkSize: 8 },
};
const implementations: Implementation[] = (["flash", "dense"] as const).flatMap((attention) =>
  (["fused", "naive", "associative"] as const).map((scan) => ({ dtypes: DEFAULT_DTYPES, attention, scan })));
const w4a16: Implementation = { ...FLASH_FUSED, dtypes: { ...DEFAULT_DTYPES, ...WEIGHT_FORMATS.w4a16 } };
const denseInInputDtype: Implementation = { ...FLASH_FUSED, attention: "dense", denseScores: "activations" };

test("a cost table's closed forms give Llama-2-7B's costs as worked by hand", () => {
  const spec = preset("llama-2-7b");
  const table = costTable((batch, tokens) => prefillOps(spec, batch, tokens, FLASH_FUSED), promptPieces(spec));
  const ops = costsAt(table, 3, 1000);
  const find = (name: string) => ops.find((op) => op.name === name)!;
  // q projection, 32 layers: 2 FLOPs × (3 × 1,000 tokens) × 4,096 × 4,096 each = 3,221,225,472,000.
  assert.equal(find("q projection").matrixFlops, 32 * 2 * 3000 * 4096 * 4096);
  // Its bytes: the 4,096² bf16 weights once per layer, the 3,000 × 4,096 input read and output written.
  assert.deepEqual(find("q projection").bytes, { weights: 32 * 4096 * 4096 * 2, activations: 32 * 2 * 3000 * 4096 * 2, kvCache: 0, state: 0 });
  // Causal attention, quadratic in the prompt: T(T+1)/2 = 500,500 pairs per head and sequence,
  // 4 FLOPs per pair and head dimension (QKᵀ and PV): 32 × 4 × 3 × 32 × 500,500 × 128 = 787,218,432,000.
  assert.equal(find("attention core (flash)").matrixFlops, 787_218_432_000);
  assert.deepEqual(find("attention core (flash)").shape, { batch: 3, queries: 1000, cachedTokens: 0, keysRead: 1000, heads: 32, kvHeads: 32, headDim: 128, window: 0 });
});

test("cost tables give the cost model's ops at every point: each phase, implementation, window and breakpoint", () => {
  const models = [mixed, withWindow(preset("griffin-100m"), 1), withWindow(preset("griffin-100m"), 2), preset("recurrentgemma-2b"), preset("hawk-100m"), preset("llama-2-7b"),
    preset("mamba-130m"), mambaMixed, mambaMixedWithoutMlp, preset("mamba2-130m"), mamba2Mixed, preset("gpt3-125m")];
  let points = 0;
  for (const spec of models) {
    const window = spec.pattern.includes("local-attention") ? spec.attention!.window! : 16;
    const chunk = spec.mamba2?.chunkSize ?? 8;
    const lengths = [...new Set([1, 2, 3, 4, 5, window - 1, window, window + 1, window + 2, window + 3, 2 * window + 5, 4099,
      chunk - 1, chunk, chunk + 1, chunk + 2, 3 * chunk + 5])].filter((l) => l >= 1);
    for (const impl of [...implementations, w4a16, denseInInputDtype]) {
      const phases: [(batch: number, length: number) => OpCost[], ReturnType<typeof promptPieces>][] = [
        [(batch, tokens) => prefillOps(spec, batch, tokens, impl), promptPieces(spec)],
        [(batch, context) => decodeOps(spec, batch, context, impl), contextPieces(spec)],
        [(batch, tokens) => trainOps(spec, batch, tokens, impl, { rematerialise: false }), promptPieces(spec)],
        [(batch, tokens) => trainOps(spec, batch, tokens, impl, { rematerialise: true }), promptPieces(spec)],
      ];
      for (const [opsAt, pieces] of phases) {
        const table = costTable(opsAt, pieces);
        for (const length of lengths) {
          for (const batch of [1, 3, 64]) {
            assert.deepStrictEqual(costsAt(table, batch, length), opsAt(batch, length), `${spec.name} ${impl.attention} ${impl.scan} at batch ${batch}, length ${length}`);
            points += 1;
          }
        }
      }
    }
  }
  // Decode also from an empty cache, its own piece.
  const spec = preset("griffin-100m");
  const decode = costTable((batch, context) => decodeOps(spec, batch, context, FLASH_FUSED), contextPieces(spec));
  assert.deepStrictEqual(costsAt(decode, 2, 0), decodeOps(spec, 2, 0, FLASH_FUSED));
  assert.ok(points > 5000);
});

test("a cost that is not one polynomial within a piece is refused when the table is fitted", () => {
  const op = (length: number, name = "op"): OpCost => ({
    name, block: "other", kind: "elementwise", kernel: "product", count: 1,
    matrixFlops: 0, vectorFlops: length ** 3, bytes: { weights: 0, activations: 2 * length, kvCache: 0, state: 0 }, shape: { elements: length },
  });
  assert.throws(() => costTable((_, length) => [op(length)], [{ first: 1, last: Infinity }]), /"op" \(number 1\) is 64 at batch 3 and length 4, not the 58 a polynomial/);
  // An op that changes within a piece (here its name at length 10) is a missed breakpoint too.
  assert.throws(() => costTable((_, length) => [op(1, length < 10 ? "small" : "large")], [{ first: 5, last: Infinity }]), /the ops change within lengths 5–Infinity/);
  // Quadratic costs are fitted exactly, and lengths outside every piece are refused.
  const table = costTable((batch, length) => [{ ...op(length), vectorFlops: batch * length * (length + 1) / 2 }], [{ first: 2, last: 100 }]);
  assert.equal(costsAt(table, 5, 77)[0]!.vectorFlops, 5 * 77 * 78 / 2);
  assert.throws(() => costsAt(table, 1, 101), /length 101 lies outside its pieces/);
});

const scenarioAt = (batch: number, length: number, over: Partial<Scenario> = {}): Scenario =>
  ({ ...DEFAULT_SCENARIO, batch, seqTokens: length, contextTokens: length, promptTokens: length, newTokens: 9, ...over });
const ALL_PHASES: Phase[] = ["prefill", "decode", "generate", "train"];

test("the prepared analysis returns what analyze() returns: every op with its times and estimate, totals, memory, generate and train", () => {
  const cases: { spec: ModelSpec; chip: string; impl: Implementation; backend?: string; overlap?: boolean }[] = [
    { spec: preset("llama-2-7b"), chip: "a100-80gb", impl: FLASH_FUSED },
    { spec: preset("griffin-7b"), chip: "tpu-v3", impl: { ...FLASH_FUSED, scan: "naive" } }, // XLA: the naive scan's loop steps
    { spec: preset("griffin-1b"), chip: "h100-sxm", impl: { ...FLASH_FUSED, attention: "dense", scan: "associative" }, backend: "torch-eager" },
    { spec: preset("recurrentgemma-2b"), chip: "tpu-v5e", impl: denseInInputDtype, backend: "torch-compile" },
    { spec: mixed, chip: "h200", impl: w4a16, overlap: true },
    { spec: preset("hawk-1b"), chip: "l4", impl: FLASH_FUSED }, // a chip without a published calibration
    { spec: preset("mamba-370m"), chip: "h100-sxm", impl: { ...FLASH_FUSED, scan: "naive" }, backend: "torch-eager" },
    { spec: mambaMixed, chip: "tpu-v5e", impl: { ...FLASH_FUSED, scan: "associative" } },
    { spec: mamba2Mixed, chip: "h100-sxm", impl: FLASH_FUSED, backend: "torch-compile" },
    { spec: preset("mamba2-780m"), chip: "tpu-v5e", impl: FLASH_FUSED },
  ];
  for (const { spec, chip, impl, backend, overlap } of cases) {
    const profile = loadProfile(chip);
    const estimate = estimateSourceFor(profile, { attention: { overlap: overlap ?? false }, matrixDtype: impl.dtypes.matmul, ...(backend && { backend }) });
    const window = spec.attention?.window ?? 1024;
    for (const source of [estimate, undefined]) {
      const prepared = prepareAnalysis(spec, profile, impl, undefined, source);
      for (const [batch, length] of [[1, 1], [3, window], [2, window + 1], [5, 3 * window + 7], [64, 2048]] as const) {
        for (const rematerialise of [false, true]) {
          const scenario = scenarioAt(batch, length, { rematerialise });
          const direct = analyze(spec, profile, ALL_PHASES, scenario, impl, undefined, source);
          assert.deepStrictEqual(prepared.analyze(ALL_PHASES, scenario), direct, `${spec.name} on ${chip} at batch ${batch}, length ${length}`);
          assert.deepStrictEqual(prepared.evaluate(ALL_PHASES, scenario), direct, `${spec.name} on ${chip} at batch ${batch}, length ${length} (evaluate)`);
        }
      }
    }
  }
});

test("under a harness calibration, the prepared analysis calibrates every op as analyze() does", () => {
  const profile = loadProfile("measurements/cpu-amd-epyc-2c/profile.json");
  const calibration = { file: "measurements/cpu-amd-epyc-2c/calibration.json", calibration: readCalibration("measurements/cpu-amd-epyc-2c/calibration.json") };
  const spec = preset("griffin-100m");
  const estimate = estimateSourceFor(profile);
  const prepared = prepareAnalysis(spec, profile, FLASH_FUSED, calibration, estimate);
  for (const scenario of [scenarioAt(1, 256), scenarioAt(4, 1500, { newTokens: 3000 })]) {
    const direct = analyze(spec, profile, ALL_PHASES, scenario, FLASH_FUSED, calibration, estimate);
    assert.deepStrictEqual(prepared.analyze(ALL_PHASES, scenario), direct);
    assert.deepStrictEqual(prepared.evaluate(ALL_PHASES, scenario), direct);
  }
});

test("evaluate rewrites the same records at every point, each point equal to analyze()'s while it is read", () => {
  const spec = preset("griffin-7b");
  const profile = loadProfile("h100-sxm");
  const estimate = estimateSourceFor(profile);
  const prepared = prepareAnalysis(spec, profile, FLASH_FUSED, undefined, estimate);
  const first = prepared.evaluate(["prefill", "decode"], scenarioAt(1, 512));
  const firstOp = first.phases[0]!.ops[0]!;
  // Points of one length piece, in the order a sweep visits them: batches within lengths.
  for (const length of [512, 600, 1025, 1026, 5000]) {
    for (const batch of [1, 2, 8, 128]) {
      const scenario = scenarioAt(batch, length);
      const point = prepared.evaluate(["prefill", "decode"], scenario);
      assert.deepStrictEqual(point, analyze(spec, profile, ["prefill", "decode"], scenario, FLASH_FUSED, undefined, estimate), `batch ${batch}, length ${length}`);
    }
  }
  // The first point's records were the ones rewritten: lengths 512 and 600 share a piece.
  const again = prepared.evaluate(["prefill"], scenarioAt(2, 600));
  assert.equal(again.phases[0]!.ops[0], firstOp);
  assert.equal(firstOp.shape.tokens, 2 * 600);
});
