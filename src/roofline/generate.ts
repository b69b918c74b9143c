// Generation: a prefill of the prompt, which yields the first new token, then one decode step for
// each further token. Every step is costed at its own context length (cost-model.md: the global
// cache grows every step and the local one saturates at W), and each op's times are summed over
// the steps (a sum of per-step maxima, never the max of sums).
//
// The sum is exact and costs O(ops), not O(steps): between the breakpoints of the context length
// (the local window W) every decode cost is affine in the context, so an op's compute and memory
// times are affine too, and the sum of their maximum splits at the one step where they cross.
import type { Ceilings } from "../hardware/ceilings.js";
import type { ModelSpec } from "../models/schema.js";
import type { Implementation } from "../cost/phases.js";
import { boundOf, timedModelOps, type TimedOp, type TimedPhaseOps } from "./time.js";

export interface GenerateSummary {
  ttftSeconds: number;
  decodeSeconds: number;
  perTokenSeconds: number;
  totalSeconds: number;
  /** New tokens across the batch per second of the whole run, prefill included. */
  tokensPerSecond: number;
  decodeSteps: number;
}

export interface GenerateTimes {
  prefillOps: TimedOp[];
  /** Decode ops summed over every step (count stays per layer; FLOPs, bytes and seconds are sums). */
  decodeOps: TimedOp[];
  decodeSteps: number;
}

/** The generate figures from its (possibly calibrated) prefill and summed decode ops. */
export function summarizeGenerate(prefill: readonly TimedOp[], decode: readonly TimedOp[], batch: number, newTokens: number, decodeSteps: number): GenerateSummary {
  const ttftSeconds = prefill.reduce((s, op) => s + op.seconds, 0);
  const decodeSeconds = decode.reduce((s, op) => s + op.seconds, 0);
  const totalSeconds = ttftSeconds + decodeSeconds;
  return {
    ttftSeconds,
    decodeSeconds,
    perTokenSeconds: decodeSteps > 0 ? decodeSeconds / decodeSteps : 0,
    totalSeconds,
    tokensPerSecond: totalSeconds > 0 ? (batch * newTokens) / totalSeconds : 0,
    decodeSteps,
  };
}

/** Σ f(L) over n consecutive integers for an affine f with values `first` and `last` at the ends. */
const sumAffine = (first: number, last: number, n: number) => (n * (first + last)) / 2;

/** Σ_{L=s}^{e} max(c(L), m(L)) for affine c and m given by their values at s and e. */
export function sumOfMaxAffine(cs: number, ce: number, ms: number, me: number, s: number, e: number): number {
  const n = e - s + 1;
  if (n === 1) return Math.max(cs, ms);
  const ds = cs - ms;
  const de = ce - me;
  if (ds >= 0 && de >= 0) return sumAffine(cs, ce, n);
  if (ds <= 0 && de <= 0) return sumAffine(ms, me, n);
  const at = (fs: number, fe: number, L: number) => fs + ((fe - fs) * (L - s)) / (e - s);
  const k = Math.floor(s + (ds / (ds - de)) * (e - s)); // last step on the first side of the crossing
  const [upper1, upper2] = ds > 0 ? [[cs, ce], [ms, me]] as const : [[ms, me], [cs, ce]] as const;
  return sumAffine(upper1[0], at(upper1[0], upper1[1], k), k - s + 1) + sumAffine(at(upper2[0], upper2[1], k + 1), upper2[1], e - k);
}

/** Inclusive ranges of context lengths within which every decode cost is affine in the context. */
export function affineSegments(spec: ModelSpec, first: number, last: number): [number, number][] {
  const window = spec.pattern.includes("local-attention") ? spec.attention?.window : undefined;
  if (window === undefined || last <= window || first > window) return [[first, last]];
  return [[first, window], [window + 1, last]];
}

function emptySum(op: TimedOp): TimedOp {
  return {
    ...op,
    matrixFlops: 0, vectorFlops: 0, flops: 0,
    bytes: { weights: 0, activations: 0, kvCache: 0, state: 0 },
    bytesTotal: 0, matrixSeconds: 0, vectorSeconds: 0, computeSeconds: 0, memorySeconds: 0, seconds: 0, upperBoundSeconds: 0,
  };
}

/** Sums decode steps at contexts first … first+steps−1, segment by segment. `ops`: the cost model's unless given. */
export function sumDecodeSteps(
  spec: ModelSpec, batch: number, firstContext: number, steps: number, impl: Implementation, ceilings: Ceilings,
  ops: TimedPhaseOps = timedModelOps(spec, impl, ceilings),
): TimedOp[] {
  const timedAt = (context: number) => ops.decode(batch, context);
  const sums = timedAt(firstContext).map(emptySum);
  if (steps <= 0) return sums;
  for (const [s, e] of affineSegments(spec, firstContext, firstContext + steps - 1)) {
    const start = timedAt(s);
    const end = e > s ? timedAt(e) : start;
    const n = e - s + 1;
    sums.forEach((sum, i) => {
      const a = start[i]!;
      const b = end[i]!;
      const add = (key: "matrixFlops" | "vectorFlops" | "flops" | "bytesTotal" | "matrixSeconds" | "vectorSeconds" | "computeSeconds" | "memorySeconds" | "upperBoundSeconds") => {
        sum[key] += sumAffine(a[key], b[key], n);
      };
      add("matrixFlops"); add("vectorFlops"); add("flops"); add("bytesTotal");
      add("matrixSeconds"); add("vectorSeconds"); add("computeSeconds"); add("memorySeconds"); add("upperBoundSeconds");
      sum.bytes.weights += sumAffine(a.bytes.weights, b.bytes.weights, n);
      sum.bytes.activations += sumAffine(a.bytes.activations, b.bytes.activations, n);
      sum.bytes.kvCache += sumAffine(a.bytes.kvCache, b.bytes.kvCache, n);
      sum.bytes.state += sumAffine(a.bytes.state, b.bytes.state, n);
      sum.seconds += sumOfMaxAffine(a.computeSeconds, b.computeSeconds, a.memorySeconds, b.memorySeconds, s, e);
    });
  }
  for (const op of sums) {
    op.intensity = op.bytesTotal > 0 ? op.flops / op.bytesTotal : Number.POSITIVE_INFINITY;
    op.bound = boundOf(op.matrixSeconds, op.vectorSeconds, op.memorySeconds);
  }
  return sums;
}

export function generateTimes(
  spec: ModelSpec, batch: number, promptTokens: number, newTokens: number, impl: Implementation, ceilings: Ceilings,
  ops: TimedPhaseOps = timedModelOps(spec, impl, ceilings),
): GenerateTimes {
  const decodeSteps = Math.max(0, newTokens - 1);
  return {
    prefillOps: ops.prefill(batch, promptTokens),
    decodeOps: sumDecodeSteps(spec, batch, promptTokens, decodeSteps, impl, ceilings, ops),
    decodeSteps,
  };
}
