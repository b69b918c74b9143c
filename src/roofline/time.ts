// Times from costs (cost-model.md, "Time"): compute time is matrix FLOPs over the matrix ceiling
// plus vector FLOPs over the vector ceiling; memory time is bytes over the memory bandwidth. The
// roofline (a lower bound) is their max, the no-overlap upper bound their sum.
import type { Ceilings } from "../hardware/ceilings.js";
import { totalBytes, type OpCost } from "../cost/op.js";

/** What limits an op: memory traffic, or the compute unit that dominates its compute time. */
export type Bound = "memory" | "matrix" | "vector";

export interface OpTimes {
  flops: number;
  bytesTotal: number;
  /** FLOPs per byte of memory traffic. */
  intensity: number;
  matrixSeconds: number;
  vectorSeconds: number;
  computeSeconds: number;
  memorySeconds: number;
  /** Roofline time: max(compute, memory). */
  seconds: number;
  /** No-overlap time: compute + memory. */
  upperBoundSeconds: number;
  bound: Bound;
}

export type TimedOp = OpCost & OpTimes & {
  /** Set when a calibration was applied: the efficiency used, and whether it was extrapolated. */
  efficiency?: number;
  extrapolated?: boolean;
  /** The expected time beside the bound, and the fit it came from (src/roofline/estimate.ts). */
  estimateSeconds?: number;
  estimateCalibration?: string;
};

export function boundOf(matrixSeconds: number, vectorSeconds: number, memorySeconds: number): Bound {
  if (memorySeconds > matrixSeconds + vectorSeconds) return "memory";
  return matrixSeconds >= vectorSeconds ? "matrix" : "vector";
}

export function timeOp(op: OpCost, ceilings: Ceilings): TimedOp {
  const bytesTotal = totalBytes(op.bytes);
  const flops = op.matrixFlops + op.vectorFlops;
  const matrixSeconds = op.matrixFlops / ceilings.matrixFlopsPerSecond;
  const vectorSeconds = op.vectorFlops / ceilings.vectorFlopsPerSecond;
  const computeSeconds = matrixSeconds + vectorSeconds;
  const memorySeconds = bytesTotal / ceilings.memoryBytesPerSecond;
  // Fields are listed rather than spread so every timed op shares one object shape (a spread of
  // ops with different optional fields made this the hot spot of a sweep).
  return {
    name: op.name,
    block: op.block,
    kind: op.kind,
    kernel: op.kernel,
    count: op.count,
    matrixFlops: op.matrixFlops,
    vectorFlops: op.vectorFlops,
    bytes: op.bytes,
    implementation: op.implementation,
    pass: op.pass,
    stage: op.stage,
    shape: op.shape,
    flops,
    bytesTotal,
    intensity: bytesTotal > 0 ? flops / bytesTotal : Number.POSITIVE_INFINITY,
    matrixSeconds,
    vectorSeconds,
    computeSeconds,
    memorySeconds,
    seconds: Math.max(computeSeconds, memorySeconds),
    upperBoundSeconds: computeSeconds + memorySeconds,
    bound: boundOf(matrixSeconds, vectorSeconds, memorySeconds),
  };
}

export interface Totals {
  matrixFlops: number;
  vectorFlops: number;
  flops: number;
  bytes: number;
  bytesBy: { weights: number; activations: number; kvCache: number; state: number };
  intensity: number;
  /** Sum over ops of each op's roofline time. */
  seconds: number;
  /** Sum over ops of each op's no-overlap time. */
  upperBoundSeconds: number;
  computeSeconds: number;
  memorySeconds: number;
  /** The bound class holding the largest share of `seconds`. */
  bound: Bound;
  /** Share of `seconds` spent in ops of each bound class. */
  boundShares: Record<Bound, number>;
}

export function totalsOf(ops: readonly TimedOp[]): Totals {
  const t = {
    matrixFlops: 0, vectorFlops: 0, bytes: 0, seconds: 0, upperBoundSeconds: 0, computeSeconds: 0, memorySeconds: 0,
    bytesBy: { weights: 0, activations: 0, kvCache: 0, state: 0 },
  };
  const secondsBy: Record<Bound, number> = { memory: 0, matrix: 0, vector: 0 };
  for (const op of ops) {
    t.matrixFlops += op.matrixFlops;
    t.vectorFlops += op.vectorFlops;
    t.bytes += op.bytesTotal;
    t.seconds += op.seconds;
    t.upperBoundSeconds += op.upperBoundSeconds;
    t.computeSeconds += op.computeSeconds;
    t.memorySeconds += op.memorySeconds;
    t.bytesBy.weights += op.bytes.weights;
    t.bytesBy.activations += op.bytes.activations;
    t.bytesBy.kvCache += op.bytes.kvCache;
    t.bytesBy.state += op.bytes.state;
    secondsBy[op.bound] += op.seconds;
  }
  const flops = t.matrixFlops + t.vectorFlops;
  const share = (s: number) => (t.seconds > 0 ? s / t.seconds : 0);
  const bound = (Object.keys(secondsBy) as Bound[]).reduce((a, b) => (secondsBy[b] > secondsBy[a] ? b : a));
  return {
    ...t,
    flops,
    intensity: t.bytes > 0 ? flops / t.bytes : Number.POSITIVE_INFINITY,
    bound,
    boundShares: { memory: share(secondsBy.memory), matrix: share(secondsBy.matrix), vector: share(secondsBy.vector) },
  };
}
