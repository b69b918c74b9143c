// The first-principles terms of the estimate, each worked by hand, and the invariant that an
// estimate is never below its bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { attentionCore } from "../src/cost/attention-core.js";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import type { Pass } from "../src/cost/op.js";
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { bundledProfileIds, loadProfile } from "../src/hardware/load.js";
import { estimateSourceFor } from "../src/calibration/shipped.js";
import { PRESETS } from "../src/models/presets.js";
import { analyze, DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { causalBlockPairs, chipTermsOf, gemmShapeEfficiency, modelSeconds } from "../src/roofline/first-principles.js";
import { timeOp } from "../src/roofline/time.js";
import { FLASH_FUSED } from "./helpers.js";

const h100 = loadProfile("h100-sxm");

test("GEMM shape: one row past a tile costs a wave; TPUs pad to the systolic array", () => {
  const tiling = h100.compute.tiling!;
  // H100: 132 SMs. M = 256, N = 132 · 128 = 16,896: 132 tiles of 256×128, one full wave: nothing wasted.
  assert.equal(gemmShapeEfficiency(256, 16_896, 4096, tiling), 1);
  // M = 257: 256×128 tiles need 2 × 132 = 264 tiles, 2 waves (efficiency 0.502); 128×256 tiles
  // 3 × 66 = 198, also 2 waves; 128×128 tiles 3 × 132 = 396, 3 waves of 132 × 16,384 elements:
  // 257 · 16,896 / (3 · 132 · 16,384) = 4,342,272 / 6,488,064. The library's best choice wins.
  assert.ok(Math.abs(gemmShapeEfficiency(257, 16_896, 4096, tiling) - 4_342_272 / 6_488_064) < 1e-15);
  // TPU v5e pads every dimension to 128: 129 × 128 × 128 runs as 256 × 128 × 128.
  assert.equal(gemmShapeEfficiency(129, 128, 128, loadProfile("tpu-v5e").compute.tiling!), 129 / 256);
  // v6e's array is 256 wide: 4096 × 4096 × 4096 fits exactly.
  assert.equal(gemmShapeEfficiency(4096, 4096, 4096, loadProfile("tpu-v6e").compute.tiling!), 1);
});

test("causal attention: a length of one block computes the whole block; the exponentials have their own ceiling", () => {
  // One block of 128 queries: the kernel computes all 128² pairs, the mask keeps 128·129/2 = 8,256.
  assert.equal(causalBlockPairs(128, 128), 16_384);
  // 4,096 tokens: 32 blocks, 496 below the diagonal and 32 on it: 528 · 16,384 = 8,650,752 pairs
  // computed against 4,096 · 4,097 / 2 = 8,390,656 kept (3.1% more).
  assert.equal(causalBlockPairs(4096, 128), 8_650_752);
  // The forward kernel of one layer at 4,096 tokens, 32 heads of 128, batch 1, on an H100: compute
  // bound (about 1,000 FLOP per byte). FlashAttention-2 does not overlap the softmax with the
  // matmuls: (matrix + vector) × 8,650,752 / 8,390,656, plus 32 · 8,650,752 exponentials at
  // 132 SMs × 16 per clock × 1.83 GHz = 3.86496e12 per second.
  const pass: Pass = { batch: 1, newTokens: 4096, cachedTokens: 0, logits: "last", training: false, causal: true, dtypes: DEFAULT_DTYPES, attention: "flash", scan: "fused" };
  const op = timeOp(attentionCore("global-attention", { heads: 32, headDim: 128, kvHeads: 32, qkvBias: false, outputBias: false, ropeFraction: 1 }, 1, pass), ceilingsFor(h100, "bf16"));
  // The matrix part runs at the best achievable bf16 matmul rate, 794.5 of 989.4 TFLOP/s.
  const waste = 8_650_752 / 8_390_656;
  const matrix = op.matrixSeconds * (9.894e14 / 7.945e14);
  const expected = (matrix + op.vectorSeconds) * waste + (32 * 8_650_752) / 3.86496e12;
  assert.ok(Math.abs(modelSeconds(op, chipTermsOf(h100)) / expected - 1) < 1e-12);
  // With the softmax overlapped (FlashAttention-3), the larger of the two.
  const overlapped = Math.max(matrix * waste, op.vectorSeconds * waste + (32 * 8_650_752) / 3.86496e12);
  assert.ok(Math.abs(modelSeconds(op, chipTermsOf(h100), { overlap: true }) / Math.max(overlapped, op.seconds) - 1) < 1e-12);
});

test("skinny decode GEMMs stay bandwidth bound: no shape term below a tile's rows", () => {
  const pass: Pass = { batch: 1, newTokens: 1, cachedTokens: 1024, logits: "last", training: false, causal: true, dtypes: DEFAULT_DTYPES, attention: "flash", scan: "fused" };
  const ops = analyze(PRESETS.find((p) => p.name === "llama-2-7b")!, h100, ["decode"], { ...DEFAULT_SCENARIO, contextTokens: pass.cachedTokens }, FLASH_FUSED).phases[0]!.ops;
  // No tile term: each GEMV streams its weights at the sustained 3.14 TB/s (of 3.35), while its
  // one-token activations (kilobytes) stay in the 50 MB L2 and keep the bound's rate.
  for (const op of ops.filter((o) => o.kernel === "linear")) {
    const offChip = (op.bytesTotal - op.bytes.activations) / op.bytesTotal;
    const memory = op.memorySeconds * (offChip * (3.35e12 / 3.14e12) + (1 - offChip));
    const compute = op.matrixSeconds * (9.894e14 / 7.945e14) + op.vectorSeconds;
    assert.ok(Math.abs(modelSeconds(op, chipTermsOf(h100)) / Math.max(memory, compute, op.seconds) - 1) < 1e-12, op.name);
    assert.equal(op.bound, "memory", op.name);
  }
});

test("property: every op's estimate and every phase's estimate is at least its bound", () => {
  const profiles = bundledProfileIds().map(loadProfile);
  fc.assert(fc.property(fc.constantFrom(...PRESETS), fc.constantFrom(...profiles), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 8192 }),
    fc.constantFrom("flash" as const, "dense" as const), (spec, profile, batch, tokens, attention) => {
      const estimate = estimateSourceFor(profile, { backend: "vllm" });
      const scenario = { ...DEFAULT_SCENARIO, batch, seqTokens: tokens, contextTokens: tokens, promptTokens: tokens, newTokens: 8 };
      const analysis = analyze(spec, profile, ["prefill", "decode", "generate", "train"], scenario, { ...FLASH_FUSED, attention }, undefined, estimate);
      for (const phase of analysis.phases) {
        for (const op of phase.ops) assert.ok(op.estimateSeconds! >= op.seconds * (1 - 1e-12), `${phase.phase} ${op.name}`);
        const bound = phase.generate ? phase.generate.totalSeconds : phase.totals.seconds;
        assert.ok(phase.estimate!.seconds >= bound * (1 - 1e-12), phase.phase);
      }
    }), { numRuns: 40, seed: 11 });
});

test("a sweep row's estimate is the one the full analysis gives, at every batch (the fast path rebuilds each op's shape)", async () => {
  const { sweepRows } = await import("../src/roofline/sweep.js");
  const spec = PRESETS.find((p) => p.name === "llama-2-7b")!;
  for (const id of ["h100-sxm", "tpu-v5e"]) {
    const profile = loadProfile(id);
    const estimate = estimateSourceFor(profile, { backend: "vllm" });
    const rows = [...sweepRows({
      models: [spec], chips: [{ id, ceilings: ceilingsFor(profile, "bf16"), estimate }], phases: ["prefill", "decode", "generate"],
      lengths: [1000], batches: [1, 3, 300], windows: [], newTokens: 16, rematerialise: false, implementation: FLASH_FUSED,
    })];
    for (const row of rows) {
      const scenario = { ...DEFAULT_SCENARIO, batch: row.batch, seqTokens: 1000, contextTokens: 1000, promptTokens: 1000, newTokens: 16 };
      const phase = analyze(spec, profile, [row.phase], scenario, FLASH_FUSED, undefined, estimate).phases[0]!;
      assert.ok(Math.abs(row.estimateSeconds! / phase.estimate!.seconds - 1) < 1e-9, `${id} ${row.phase} batch ${row.batch}`);
      assert.equal(row.estimateCalibration, phase.estimate!.calibration);
    }
  }
});
