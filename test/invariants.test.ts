// Property tests: invariants that must hold for every preset, chip and scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import { cacheBytesPerSequence } from "../src/cost/memory.js";
import { decodeOps, prefillOps } from "../src/cost/phases.js";
import { totalBytes, type OpCost } from "../src/cost/op.js";
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { bundledProfileIds, loadProfile } from "../src/hardware/load.js";
import { PRESETS } from "../src/models/presets.js";
import { analyzePhase, DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { timeOp } from "../src/roofline/time.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const profiles = bundledProfileIds().map(loadProfile);
const tpuV3 = ceilingsFor(loadProfile("tpu-v3"), "bf16");
const close = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual / expected - 1) < 1e-12, message ?? `${actual} vs ${expected}`);
const presetArb = fc.constantFrom(...PRESETS);
const profileArb = fc.constantFrom(...profiles);
const implArb = fc.record({
  attention: fc.constantFrom("flash" as const, "dense" as const),
  scan: fc.constantFrom("fused" as const, "naive" as const, "associative" as const),
});

test("an op's roofline time is at least each of its components and at most their sum", () => {
  // By hand first, griffin-7b's "linear y" (22 layers of a 4096 → 5632 matmul with a bias) on
  // TPU-v3: 123 TFLOP/s bf16, 3.8 TFLOP/s vector, 900 GB/s.
  // Decode, batch 1: matrix 22·2·4096·5632 = 1,015,021,568 FLOPs; vector 22·5632 = 123,904;
  //   bytes 22·(4096·5632·2 + 5632·2 + 4096·2 + 5632·2) = 22·46,168,064 = 1,015,697,408.
  //   compute 1,015,021,568 / 123e12 + 123,904 / 3.8e12 = 8.28 µs; memory 1,015,697,408 / 900e9
  //   = 1.129 ms: memory bound.
  // Prefill of 2,048 tokens: matrix 2,048× the decode's = 2,078,764,171,264 FLOPs; vector
  //   22·2048·5632 = 253,755,392; bytes 22·(46,137,344 + 11,264 + 2048·4096·2 + 2048·5632·2)
  //   = 22·85,994,496 = 1,891,878,912. compute 16.90 ms + 66.8 µs = 16.97 ms; memory 2.10 ms:
  //   matrix bound.
  const linearY = (ops: OpCost[]) => timeOp(ops.find((op) => op.name === "linear y (GeLU branch)")!, tpuV3);
  const griffin = preset("griffin-7b");
  const decode = linearY(decodeOps(griffin, 1, 4096, FLASH_FUSED));
  const [decodeCompute, decodeMemory] = [1_015_021_568 / 123e12 + 123_904 / 3.8e12, 1_015_697_408 / 900e9];
  close(decode.seconds, decodeMemory);
  close(decode.upperBoundSeconds, decodeMemory + decodeCompute);
  assert.equal(decode.bound, "memory");
  const prefill = linearY(prefillOps(griffin, 1, 2048, FLASH_FUSED));
  const [prefillCompute, prefillMemory] = [2_078_764_171_264 / 123e12 + 253_755_392 / 3.8e12, 1_891_878_912 / 900e9];
  close(prefill.seconds, prefillCompute);
  close(prefill.upperBoundSeconds, prefillCompute + prefillMemory);
  assert.equal(prefill.bound, "matrix");
  fc.assert(
    fc.property(presetArb, profileArb, implArb, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 8192 }), (spec, profile, impl, batch, tokens) => {
      const ceilings = ceilingsFor(profile, "bf16");
      const implementation = { ...FLASH_FUSED, ...impl };
      for (const op of [...prefillOps(spec, batch, tokens, implementation), ...decodeOps(spec, batch, tokens, implementation)]) {
        const t = timeOp(op, ceilings);
        assert.ok(t.seconds >= t.computeSeconds && t.seconds >= t.memorySeconds, op.name);
        assert.ok(t.upperBoundSeconds >= t.seconds && t.upperBoundSeconds <= 2 * t.seconds + 1e-18, op.name);
        assert.ok(op.matrixFlops >= 0 && op.vectorFlops >= 0 && totalBytes(op.bytes) > 0, op.name);
      }
    }),
    { numRuns: 60 },
  );
});

test("local attention stops growing past the window; global decode grows by a fixed cost per cached token", () => {
  const griffin = preset("griffin-1b"); // W = 1024
  const core = (spec: typeof griffin, context: number) => decodeOps(spec, 4, context, FLASH_FUSED).find((op) => op.kind === "attention")!;
  fc.assert(
    fc.property(fc.integer({ min: 1024, max: 200_000 }), fc.integer({ min: 1, max: 100_000 }), (context, extra) => {
      const a = core(griffin, context);
      const b = core(griffin, context + extra);
      assert.equal(b.matrixFlops, a.matrixFlops);
      assert.equal(totalBytes(b.bytes), totalBytes(a.bytes));
    }),
  );
  // Each cached token more is one more key and value for every query head of every layer to read
  // and score. mqa-1b: 24 layers of 16 heads of 128, one KV head; batch 4. Per token:
  //   matrix 24·4·16·(2 + 2)·128 = 786,432 FLOPs (a multiply-add per head dimension in QKᵀ and PV);
  //   vector 24·4·16·5 = 7,680 (the softmax, 5 FLOPs per score);
  //   bytes  24·4·2·128·2 = 49,152 (the key and the value, bf16).
  const mqa = preset("mqa-1b");
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (l1, step) => {
      const [f0, f1] = [core(mqa, l1), core(mqa, l1 + step)];
      assert.equal(f1.matrixFlops - f0.matrixFlops, 786_432 * step);
      assert.equal(f1.vectorFlops - f0.vectorFlops, 7_680 * step);
      assert.equal(totalBytes(f1.bytes) - totalBytes(f0.bytes), 49_152 * step);
    }),
  );
});

test("Hawk's decode step and cache do not depend on context length", () => {
  const hawk = preset("hawk-1b");
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (l1, l2) => {
      const bytes = (l: number) => decodeOps(hawk, 2, l, FLASH_FUSED).reduce((s, op) => s + totalBytes(op.bytes), 0);
      assert.equal(bytes(l1), bytes(l2));
      assert.equal(cacheBytesPerSequence(hawk, l1, DEFAULT_DTYPES).total, cacheBytesPerSequence(hawk, l2, DEFAULT_DTYPES).total);
    }),
  );
});

test("a larger batch never lowers a matmul's intensity", () => {
  fc.assert(
    fc.property(presetArb, fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 4096 }), (spec, b1, extra, context) => {
      const intensities = (batch: number) =>
        decodeOps(spec, batch, context, FLASH_FUSED)
          .filter((op) => op.kind === "matmul")
          .map((op) => (op.matrixFlops + op.vectorFlops) / totalBytes(op.bytes));
      const small = intensities(b1);
      const large = intensities(b1 + extra);
      small.forEach((value, i) => assert.ok(large[i]! >= value * (1 - 1e-12), `${spec.name} op ${i}`));
    }),
    { numRuns: 80 },
  );
});

test("generate is the prefill plus every decode step summed, not one step times N", () => {
  const spec = preset("griffin-100m"); // W = 1024: the prompt crosses the window during generation
  const ceilings = ceilingsFor(loadProfile("h100-sxm"), "bf16");
  const scenario = { ...DEFAULT_SCENARIO, batch: 3, promptTokens: 1000, newTokens: 60 };
  const result = analyzePhase(spec, "generate", scenario, FLASH_FUSED, ceilings);
  const seconds = (ops: ReturnType<typeof decodeOps>) => ops.reduce((s, op) => s + timeOp(op, ceilings).seconds, 0);
  let expected = seconds(prefillOps(spec, 3, 1000, FLASH_FUSED));
  for (let step = 0; step < 59; step++) expected += seconds(decodeOps(spec, 3, 1000 + step, FLASH_FUSED));
  assert.ok(Math.abs(result.generate!.totalSeconds - expected) <= 1e-12 * expected);
  assert.equal(result.generate!.decodeSteps, 59);
  assert.ok(Math.abs(result.totals.seconds - expected) <= 1e-12 * expected);
  // tokens/s counts every new token of every sequence over the whole run.
  assert.ok(Math.abs(result.generate!.tokensPerSecond - (3 * 60) / expected) < 1e-9);

  // By hand: griffin-7b on TPU-v3, batch 1, a 2,048-token prompt and 9 new tokens. The prefill
  // gives the first; 8 decode steps at 2,048 … 2,055 cached tokens follow. Past the window each
  // step moves the same 13,863,802,368 bytes (test/cost.test.ts), every op memory bound at batch 1,
  // so the steps take 8 · 13,863,802,368 / 900e9 = 0.1232338 s.
  const seven = analyzePhase(preset("griffin-7b"), "generate", { ...DEFAULT_SCENARIO, batch: 1, promptTokens: 2048, newTokens: 9 }, FLASH_FUSED, tpuV3);
  assert.equal(seven.generate!.decodeSteps, 8);
  close(seven.generate!.decodeSeconds, (8 * 13_863_802_368) / 900e9);
});

test("the fast grid (affine in batch) gives the same totals as the full analysis", async () => {
  const { affineCosts, pointTotals } = await import("../src/roofline/grid.js");
  fc.assert(
    fc.property(presetArb, profileArb, fc.constantFrom("prefill" as const, "decode" as const), fc.integer({ min: 1, max: 512 }), fc.integer({ min: 1, max: 16_384 }), (spec, profile, phase, batch, tokens) => {
      const ceilings = ceilingsFor(profile, "bf16");
      const opsAt = (b: number) => (phase === "prefill" ? prefillOps : decodeOps)(spec, b, tokens, FLASH_FUSED);
      const fast = pointTotals(affineCosts(opsAt), batch, ceilings);
      const full = analyzePhase(spec, phase, { ...DEFAULT_SCENARIO, batch, seqTokens: tokens, contextTokens: tokens }, FLASH_FUSED, ceilings).totals;
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
      assert.ok(close(fast.seconds, full.seconds), `${fast.seconds} vs ${full.seconds}`);
      assert.ok(close(fast.bytes, full.bytes));
      assert.ok(close(fast.matrixFlops, full.matrixFlops));
      assert.equal(fast.bound, full.bound);
    }),
    { numRuns: 60 },
  );
});

test("the closed-form decode sum equals a step-by-step sum, across the window and the compute/memory crossing", async () => {
  const { sumDecodeSteps } = await import("../src/roofline/generate.js");
  fc.assert(
    fc.property(
      fc.constantFrom(preset("griffin-100m"), preset("mqa-100m"), preset("hawk-100m"), preset("recurrentgemma-2b")),
      profileArb, implArb, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 400 }),
      (spec, profile, impl, batch, first, steps) => {
        const ceilings = ceilingsFor(profile, "bf16");
        const implementation = { ...FLASH_FUSED, ...impl };
        const fast = sumDecodeSteps(spec, batch, first, steps, implementation, ceilings);
        const slow = fast.map(() => 0);
        for (let step = 0; step < steps; step++) {
          decodeOps(spec, batch, first + step, implementation).forEach((op, i) => { slow[i]! += timeOp(op, ceilings).seconds; });
        }
        fast.forEach((op, i) => assert.ok(Math.abs(op.seconds - slow[i]!) <= 1e-9 * Math.max(slow[i]!, 1e-30), `${op.name}: ${op.seconds} vs ${slow[i]}`));
      },
    ),
    { numRuns: 80 },
  );
});

test("sum of the maximum of two affine functions, by hand", async () => {
  const { sumOfMaxAffine } = await import("../src/roofline/generate.js");
  // Σ_{L=0}^{10} max(L, 5) = 6·5 (L = 0…5) + 6+7+8+9+10 = 30 + 40 = 70.
  assert.equal(sumOfMaxAffine(0, 10, 5, 5, 0, 10), 70);
  // Σ_{L=3}^{7} max(10 − L, L) = 7 + 6 + 5 + 6 + 7 = 31 (crossing at L = 5).
  assert.equal(sumOfMaxAffine(3, 7, 7, 3, 3, 7), 31);
  // One step is just the max.
  assert.equal(sumOfMaxAffine(2, 2, 3, 3, 9, 9), 3);
});
