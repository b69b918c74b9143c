// Times from costs (cost-model.md, "Time"): compute time is matrix FLOPs over the matrix ceiling
// plus vector FLOPs over the vector ceiling; memory time is bytes over the memory bandwidth. The
// roofline (a lower bound) is their max, the no-overlap upper bound their sum.
import type { Ceilings } from "../hardware/ceilings.js";
import type { ModelSpec } from "../models/schema.js";
import { totalBytes, type ByteSplit, type OpCost } from "../cost/op.js";
import { decodeOps, prefillOps, trainOps, type Implementation, type TrainOptions } from "../cost/phases.js";

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
  return timeCosts(op, op.matrixFlops, op.vectorFlops, op.bytes, op.shape, ceilings);
}

/**
 * An op's times from its costs, the rest of the record (name, kind, count, …) from `identity`:
 * tables of closed forms (src/cost/cost-table.ts) time the costs they evaluate without first
 * building an op to hold them.
 */
export function timeCosts(
  identity: OpCost, matrixFlops: number, vectorFlops: number, bytes: ByteSplit, shape: Record<string, number>, ceilings: Ceilings,
): TimedOp {
  // Fields are listed rather than spread so every timed op shares one object shape (a spread of
  // ops with different optional fields made this the hot spot of a sweep); `retime` fills the times.
  const op: TimedOp = {
    name: identity.name,
    block: identity.block,
    kind: identity.kind,
    kernel: identity.kernel,
    count: identity.count,
    matrixFlops,
    vectorFlops,
    bytes,
    implementation: identity.implementation,
    pass: identity.pass,
    stage: identity.stage,
    shape,
    flops: 0,
    bytesTotal: 0,
    intensity: 0,
    matrixSeconds: 0,
    vectorSeconds: 0,
    computeSeconds: 0,
    memorySeconds: 0,
    seconds: 0,
    upperBoundSeconds: 0,
    bound: "memory",
  };
  return retime(op, ceilings);
}

/**
 * Sets an op's FLOP and byte totals and its times from its costs, in place: a prepared analysis
 * (src/roofline/prepared-analysis.ts) rewrites the same records from point to point.
 */
export function retime(op: TimedOp, ceilings: Ceilings): TimedOp {
  const bytesTotal = totalBytes(op.bytes);
  const flops = op.matrixFlops + op.vectorFlops;
  const matrixSeconds = op.matrixFlops / ceilings.matrixFlopsPerSecond;
  const vectorSeconds = op.vectorFlops / ceilings.vectorFlopsPerSecond;
  const computeSeconds = matrixSeconds + vectorSeconds;
  const memorySeconds = bytesTotal / ceilings.memoryBytesPerSecond;
  op.flops = flops;
  op.bytesTotal = bytesTotal;
  op.intensity = bytesTotal > 0 ? flops / bytesTotal : Number.POSITIVE_INFINITY;
  op.matrixSeconds = matrixSeconds;
  op.vectorSeconds = vectorSeconds;
  op.computeSeconds = computeSeconds;
  op.memorySeconds = memorySeconds;
  op.seconds = Math.max(computeSeconds, memorySeconds);
  op.upperBoundSeconds = computeSeconds + memorySeconds;
  op.bound = boundOf(matrixSeconds, vectorSeconds, memorySeconds);
  return op;
}

/**
 * The timed ops of each phase on one chip: the cost model's (`timedModelOps`), or those of
 * tables fitted to it (src/roofline/prepared-analysis.ts) when one model is analysed at many points.
 */
export interface TimedPhaseOps {
  prefill(batch: number, promptTokens: number): TimedOp[];
  /** One decode step with `contextTokens` already cached. */
  decode(batch: number, contextTokens: number): TimedOp[];
  train(batch: number, tokens: number, options: TrainOptions): TimedOp[];
}

export function timedModelOps(spec: ModelSpec, impl: Implementation, ceilings: Ceilings): TimedPhaseOps {
  const timed = (ops: OpCost[]) => ops.map((op) => timeOp(op, ceilings));
  return {
    prefill: (batch, promptTokens) => timed(prefillOps(spec, batch, promptTokens, impl)),
    decode: (batch, contextTokens) => timed(decodeOps(spec, batch, contextTokens, impl)),
    train: (batch, tokens, options) => timed(trainOps(spec, batch, tokens, impl, options)),
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
  let matrixFlops = 0, vectorFlops = 0, bytes = 0, seconds = 0, upperBoundSeconds = 0, computeSeconds = 0, memorySeconds = 0;
  let weights = 0, activations = 0, kvCache = 0, state = 0;
  let memoryBound = 0, matrixBound = 0, vectorBound = 0;
  for (const op of ops) {
    matrixFlops += op.matrixFlops;
    vectorFlops += op.vectorFlops;
    bytes += op.bytesTotal;
    seconds += op.seconds;
    upperBoundSeconds += op.upperBoundSeconds;
    computeSeconds += op.computeSeconds;
    memorySeconds += op.memorySeconds;
    weights += op.bytes.weights;
    activations += op.bytes.activations;
    kvCache += op.bytes.kvCache;
    state += op.bytes.state;
    if (op.bound === "memory") memoryBound += op.seconds;
    else if (op.bound === "matrix") matrixBound += op.seconds;
    else vectorBound += op.seconds;
  }
  const flops = matrixFlops + vectorFlops;
  const share = (s: number) => (seconds > 0 ? s / seconds : 0);
  // The largest share; on a tie the first of memory, matrix, vector.
  const bound: Bound = matrixBound > memoryBound
    ? (vectorBound > matrixBound ? "vector" : "matrix")
    : (vectorBound > memoryBound ? "vector" : "memory");
  return {
    matrixFlops, vectorFlops, bytes, seconds, upperBoundSeconds, computeSeconds, memorySeconds,
    bytesBy: { weights, activations, kvCache, state },
    flops,
    intensity: bytes > 0 ? flops / bytes : Number.POSITIVE_INFINITY,
    bound,
    boundShares: { memory: share(memoryBound), matrix: share(matrixBound), vector: share(vectorBound) },
  };
}
