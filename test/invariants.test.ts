// Property tests: invariants that must hold for every preset, chip and scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import { cacheBytesPerSequence } from "../src/cost/memory.js";
import { decodeOps, prefillOps } from "../src/cost/phases.js";
import { totalBytes } from "../src/cost/op.js";
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { bundledProfileIds, loadProfile } from "../src/hardware/load.js";
import { PRESETS } from "../src/models/presets.js";
import { analyzePhase, DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { timeOp } from "../src/roofline/time.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const profiles = bundledProfileIds().map(loadProfile);
const presetArb = fc.constantFrom(...PRESETS);
const profileArb = fc.constantFrom(...profiles);
const implArb = fc.record({
  attention: fc.constantFrom("flash" as const, "dense" as const),
  scan: fc.constantFrom("fused" as const, "naive" as const, "associative" as const),
});

test("an op's roofline time is at least each of its components and at most their sum", () => {
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

test("local attention stops growing past the window; global decode grows linearly with context", () => {
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
  const mqa = preset("mqa-1b");
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (l1, step) => {
      // Equal steps in context add equal FLOPs and bytes: f(l+2s) − f(l+s) = f(l+s) − f(l).
      const [f0, f1, f2] = [l1, l1 + step, l1 + 2 * step].map((l) => core(mqa, l));
      assert.equal(f2!.matrixFlops - f1!.matrixFlops, f1!.matrixFlops - f0!.matrixFlops);
      assert.equal(totalBytes(f2!.bytes) - totalBytes(f1!.bytes), totalBytes(f1!.bytes) - totalBytes(f0!.bytes));
      assert.ok(f1!.matrixFlops > f0!.matrixFlops);
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
