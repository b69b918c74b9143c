// Fast evaluation of many (chip, batch) points for one model, phase and length. Every op's FLOPs
// and bytes are affine in the batch size (weights are read once; activations, caches and state
// scale with the number of sequences), so two evaluations of the op list, at batch 1 and 2, give
// every other batch exactly; and op costs do not depend on the chip, only their times do.
import type { Ceilings } from "../hardware/ceilings.js";
import { totalBytes, type OpCost } from "../cost/op.js";
import { boundOf, type Bound } from "./time.js";
import { calibratedSeconds, type Calibration } from "../calibration/calibration.js";
import { estimateModel, type Estimate } from "../calibration/kinds.js";
import { kindOfOp, type EstimateSource, type KindTotals } from "./estimate.js";
import { modelSeconds, type TermInput } from "./first-principles.js";
import { launchesOf, launchOverheadSeconds, loopOverheadSeconds, type LaunchCosts } from "./launch.js";

export interface PointTotals {
  matrixFlops: number;
  vectorFlops: number;
  flops: number;
  bytes: number;
  intensity: number;
  computeSeconds: number;
  memorySeconds: number;
  seconds: number;
  upperBoundSeconds: number;
  bound: Bound;
  /** The estimate beside the bound (src/roofline/estimate.ts), and the fits it came from. */
  estimateSeconds?: number;
  estimateCalibration?: string;
}

/** Per op: cost = base + perSequence · batch, for matrix FLOPs, vector FLOPs and bytes. */
export interface AffineCosts {
  matrixBase: Float64Array;
  matrixPerSequence: Float64Array;
  vectorBase: Float64Array;
  vectorPerSequence: Float64Array;
  bytesBase: Float64Array;
  bytesPerSequence: Float64Array;
  /** Activation bytes alone (the first-principles terms keep small ones on chip). */
  activationsBase: Float64Array;
  activationsPerSequence: Float64Array;
  /** Kernel (the calibration's op class) and layer count of each op. */
  kernels: string[];
  counts: number[];
  /** Each op at batch 1 and the growth of its `m` rows per sequence, for the first-principles terms. */
  opsAtOne: OpCost[];
  rowsPerSequence: number[];
}

export function affineCosts(opsAt: (batch: number) => OpCost[]): AffineCosts {
  const one = opsAt(1);
  const two = opsAt(2);
  const n = one.length;
  const costs: AffineCosts = {
    matrixBase: new Float64Array(n), matrixPerSequence: new Float64Array(n),
    vectorBase: new Float64Array(n), vectorPerSequence: new Float64Array(n),
    bytesBase: new Float64Array(n), bytesPerSequence: new Float64Array(n),
    activationsBase: new Float64Array(n), activationsPerSequence: new Float64Array(n),
    kernels: one.map((op) => op.kernel), counts: one.map((op) => op.count),
    opsAtOne: one, rowsPerSequence: one.map((op, i) => ((two[i]!.shape.m ?? 0) as number) - ((op.shape.m ?? 0) as number)),
  };
  for (let i = 0; i < n; i++) {
    const a = one[i]!;
    const b = two[i]!;
    costs.matrixPerSequence[i] = b.matrixFlops - a.matrixFlops;
    costs.matrixBase[i] = a.matrixFlops - costs.matrixPerSequence[i]!;
    costs.vectorPerSequence[i] = b.vectorFlops - a.vectorFlops;
    costs.vectorBase[i] = a.vectorFlops - costs.vectorPerSequence[i]!;
    const bytesA = totalBytes(a.bytes);
    costs.bytesPerSequence[i] = totalBytes(b.bytes) - bytesA;
    costs.bytesBase[i] = bytesA - costs.bytesPerSequence[i]!;
    costs.activationsPerSequence[i] = b.bytes.activations - a.bytes.activations;
    costs.activationsBase[i] = a.bytes.activations - costs.activationsPerSequence[i]!;
  }
  return costs;
}

export const estimateFields = (e: Estimate) => ({ estimateSeconds: e.seconds, estimateCalibration: e.calibration });

/**
 * What the first-principles terms read of each op, one object per op rewritten in place at each
 * batch: the terms keep nothing of it, and a sweep would otherwise make four objects per op and row.
 * Kept per cost table.
 */
const termInputCache = new WeakMap<AffineCosts, TermInput[]>();
function termInputsOf(costs: AffineCosts): TermInput[] {
  let inputs = termInputCache.get(costs);
  if (!inputs) {
    inputs = costs.opsAtOne.map((op) => ({
      kernel: op.kernel, shape: { ...op.shape }, count: op.count, pass: op.pass, implementation: op.implementation,
      matrixFlops: 0, bytes: { weights: 0, activations: 0, kvCache: 0, state: 0 }, bytesTotal: 0,
      matrixSeconds: 0, vectorSeconds: 0, memorySeconds: 0, seconds: 0,
    }));
    termInputCache.set(costs, inputs);
  }
  return inputs;
}

/** Op i at a batch, as the terms read it (its shape follows the batch); only valid until the next call for op i. */
function opAt(costs: AffineCosts, inputs: TermInput[], i: number, batch: number, bytesTotal: number, matrixSeconds: number, vectorSeconds: number, memorySeconds: number, seconds: number): TermInput {
  const op = costs.opsAtOne[i]!;
  const input = inputs[i]!;
  const shape = input.shape as { m?: number; batch?: number };
  if (op.shape.m !== undefined) shape.m = op.shape.m + costs.rowsPerSequence[i]! * (batch - 1);
  else if (op.shape.batch !== undefined) shape.batch = batch;
  // Only the activations are read apart from the total; the rest of the split is not needed.
  const activations = costs.activationsBase[i]! + costs.activationsPerSequence[i]! * batch;
  input.matrixFlops = costs.matrixBase[i]! + costs.matrixPerSequence[i]! * batch;
  input.bytes.weights = bytesTotal - activations;
  input.bytes.activations = activations;
  input.bytesTotal = bytesTotal;
  input.matrixSeconds = matrixSeconds;
  input.vectorSeconds = vectorSeconds;
  input.memorySeconds = memorySeconds;
  input.seconds = seconds;
  return input;
}

/** Launches per op under a fusion, which the batch does not change; kept per cost table. */
const launchCache = new WeakMap<AffineCosts, Map<LaunchCosts, number[]>>();
function launchesAt(costs: AffineCosts, launch: LaunchCosts): number[] {
  let byMode = launchCache.get(costs);
  if (!byMode) launchCache.set(costs, (byMode = new Map()));
  let launches = byMode.get(launch);
  if (!launches) byMode.set(launch, (launches = launchesOf(costs.opsAtOne, launch)));
  return launches;
}

/**
 * Phase totals at one batch on one chip: the sum over ops of each op's roofline time, and with
 * `estimate` (its `chip` the profile id) the phase's estimate as `roofline --json` computes it.
 * A sweep passes one `into` for all its rows, so that a row makes no object.
 */
export function pointTotals(
  costs: AffineCosts, batch: number, ceilings: Ceilings, calibration?: Pick<Calibration, "classes" | "all">,
  estimate?: EstimateSource & { chip: string }, into?: PointTotals,
): PointTotals {
  const kinds: KindTotals | undefined = estimate && {};
  const launches = estimate && launchesAt(costs, estimate.launch);
  const inputs = estimate && termInputsOf(costs);
  const { matrixFlopsPerSecond, vectorFlopsPerSecond, memoryBytesPerSecond } = ceilings;
  let launchSeconds = 0;
  let matrixFlops = 0, vectorFlops = 0, bytes = 0, computeSeconds = 0, memorySeconds = 0, seconds = 0, upperBoundSeconds = 0;
  let memoryBoundSeconds = 0, matrixBoundSeconds = 0, vectorBoundSeconds = 0;
  const n = costs.matrixBase.length;
  for (let i = 0; i < n; i++) {
    const m = costs.matrixBase[i]! + costs.matrixPerSequence[i]! * batch;
    const v = costs.vectorBase[i]! + costs.vectorPerSequence[i]! * batch;
    const b = costs.bytesBase[i]! + costs.bytesPerSequence[i]! * batch;
    const matrixSeconds = m / matrixFlopsPerSecond;
    const vectorSeconds = v / vectorFlopsPerSecond;
    const compute = matrixSeconds + vectorSeconds;
    const memory = b / memoryBytesPerSecond;
    let opSeconds = compute > memory ? compute : memory;
    let opUpperSeconds = compute + memory;
    const bound = boundOf(matrixSeconds, vectorSeconds, memory);
    if (calibration) {
      opSeconds = calibratedSeconds(calibration, costs.kernels[i]!, opSeconds, costs.counts[i]!).seconds;
      opUpperSeconds = calibratedSeconds(calibration, costs.kernels[i]!, opUpperSeconds, costs.counts[i]!).seconds;
    }
    matrixFlops += m;
    vectorFlops += v;
    bytes += b;
    computeSeconds += compute;
    memorySeconds += memory;
    seconds += opSeconds;
    upperBoundSeconds += opUpperSeconds;
    if (bound === "memory") memoryBoundSeconds += opSeconds;
    else if (bound === "matrix") matrixBoundSeconds += opSeconds;
    else vectorBoundSeconds += opSeconds;
    if (estimate && launches && kinds && inputs) {
      const opAtOne = costs.opsAtOne[i]!;
      const base = modelSeconds(opAt(costs, inputs, i, batch, b, matrixSeconds, vectorSeconds, memory, opSeconds), estimate.terms, estimate.attention);
      const kind = kindOfOp({ bound, kernel: opAtOne.kernel, kind: opAtOne.kind });
      const totals = kinds[kind];
      if (totals) {
        totals.seconds += base;
        totals.launches += launches[i]!;
      } else {
        kinds[kind] = { seconds: base, launches: launches[i]! };
      }
      launchSeconds += launchOverheadSeconds(base, launches[i]!, estimate.launch) + loopOverheadSeconds(opAtOne, estimate.launch);
    }
  }
  const flops = matrixFlops + vectorFlops;
  const bound: Bound =
    memoryBoundSeconds >= matrixBoundSeconds && memoryBoundSeconds >= vectorBoundSeconds ? "memory"
      : matrixBoundSeconds >= vectorBoundSeconds ? "matrix" : "vector";
  const intensity = bytes > 0 ? flops / bytes : Number.POSITIVE_INFINITY;
  // Written field by field into `into` (or a new object), always with the estimate's fields, so
  // that the object a sweep reuses keeps its shape from row to row.
  const totals = into ?? ({} as PointTotals);
  totals.matrixFlops = matrixFlops;
  totals.vectorFlops = vectorFlops;
  totals.flops = flops;
  totals.bytes = bytes;
  totals.intensity = intensity;
  totals.computeSeconds = computeSeconds;
  totals.memorySeconds = memorySeconds;
  totals.seconds = seconds;
  totals.upperBoundSeconds = upperBoundSeconds;
  totals.bound = bound;
  totals.estimateSeconds = undefined;
  totals.estimateCalibration = undefined;
  // Set rather than spread in: a spread in an object literal is the slow path of a sweep's inner loop.
  if (estimate && kinds) {
    const fitted = estimateModel(estimate.calibration?.calibration, { chip: estimate.chip, backend: estimate.backend ?? "", kinds, launchSeconds });
    totals.estimateSeconds = fitted.seconds;
    totals.estimateCalibration = fitted.calibration;
  }
  return totals;
}
