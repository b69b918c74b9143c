// Generation: a prefill of the prompt, which yields the first new token, then one decode step for
// each further token. Every step is costed at its own context length (cost-model.md: the global
// cache grows every step and the local one saturates at W), and each op's times are summed over
// the steps (a sum of per-step maxima, never the max of sums).
import type { Ceilings } from "../hardware/ceilings.js";
import type { ModelSpec } from "../models/schema.js";
import { decodeOps, prefillOps, type Implementation } from "../cost/phases.js";
import { boundOf, timeOp, type TimedOp } from "./time.js";

export interface GenerateTimes {
  prefillOps: TimedOp[];
  /** Decode ops summed over every step (count stays per layer; FLOPs, bytes and seconds are sums). */
  decodeOps: TimedOp[];
  decodeSteps: number;
  ttftSeconds: number;
  decodeSeconds: number;
  perTokenSeconds: number;
  totalSeconds: number;
  /** New tokens across the batch per second of the whole run, prefill included. */
  tokensPerSecond: number;
}

function accumulate(sum: TimedOp, step: TimedOp): void {
  sum.matrixFlops += step.matrixFlops;
  sum.vectorFlops += step.vectorFlops;
  sum.flops += step.flops;
  sum.bytes.weights += step.bytes.weights;
  sum.bytes.activations += step.bytes.activations;
  sum.bytes.kvCache += step.bytes.kvCache;
  sum.bytes.state += step.bytes.state;
  sum.bytesTotal += step.bytesTotal;
  sum.matrixSeconds += step.matrixSeconds;
  sum.vectorSeconds += step.vectorSeconds;
  sum.computeSeconds += step.computeSeconds;
  sum.memorySeconds += step.memorySeconds;
  sum.seconds += step.seconds;
  sum.upperBoundSeconds += step.upperBoundSeconds;
}

function scaleOp(op: TimedOp, factor: number): TimedOp {
  return {
    ...op,
    matrixFlops: op.matrixFlops * factor,
    vectorFlops: op.vectorFlops * factor,
    flops: op.flops * factor,
    bytes: {
      weights: op.bytes.weights * factor,
      activations: op.bytes.activations * factor,
      kvCache: op.bytes.kvCache * factor,
      state: op.bytes.state * factor,
    },
    bytesTotal: op.bytesTotal * factor,
    matrixSeconds: op.matrixSeconds * factor,
    vectorSeconds: op.vectorSeconds * factor,
    computeSeconds: op.computeSeconds * factor,
    memorySeconds: op.memorySeconds * factor,
    seconds: op.seconds * factor,
    upperBoundSeconds: op.upperBoundSeconds * factor,
  };
}

const sameCost = (a: TimedOp, b: TimedOp) => a.flops === b.flops && a.bytesTotal === b.bytesTotal;

/**
 * Sums decode steps at contexts first … first+steps−1. Every cost grows monotonically with the
 * context, so an op that costs the same at the first and last step costs the same at all of them
 * and is multiplied instead of summed.
 */
export function sumDecodeSteps(
  spec: ModelSpec, batch: number, firstContext: number, steps: number, impl: Implementation, ceilings: Ceilings,
): TimedOp[] {
  if (steps <= 0) return decodeOps(spec, batch, firstContext, impl).map((op) => scaleOp(timeOp(op, ceilings), 0));
  const first = decodeOps(spec, batch, firstContext, impl).map((op) => timeOp(op, ceilings));
  const last = decodeOps(spec, batch, firstContext + steps - 1, impl).map((op) => timeOp(op, ceilings));
  const varying = first.map((op, i) => steps > 1 && !sameCost(op, last[i]!));
  const sums = first.map((op, i) => (varying[i] ? scaleOp(op, 1) : scaleOp(op, steps)));
  if (varying.some(Boolean)) {
    for (let step = 1; step < steps; step++) {
      const ops = decodeOps(spec, batch, firstContext + step, impl);
      ops.forEach((op, i) => {
        if (varying[i]) accumulate(sums[i]!, timeOp(op, ceilings));
      });
    }
  }
  for (const op of sums) {
    op.intensity = op.bytesTotal > 0 ? op.flops / op.bytesTotal : Number.POSITIVE_INFINITY;
    op.bound = boundOf(op.matrixSeconds, op.vectorSeconds, op.memorySeconds);
  }
  return sums;
}

export function generateTimes(
  spec: ModelSpec, batch: number, promptTokens: number, newTokens: number, impl: Implementation, ceilings: Ceilings,
): GenerateTimes {
  const prefill = prefillOps(spec, batch, promptTokens, impl).map((op) => timeOp(op, ceilings));
  const decodeSteps = Math.max(0, newTokens - 1);
  const decode = sumDecodeSteps(spec, batch, promptTokens, decodeSteps, impl, ceilings);
  const ttftSeconds = prefill.reduce((s, op) => s + op.seconds, 0);
  const decodeSeconds = decode.reduce((s, op) => s + op.seconds, 0);
  const totalSeconds = ttftSeconds + decodeSeconds;
  return {
    prefillOps: prefill,
    decodeOps: decode,
    decodeSteps,
    ttftSeconds,
    decodeSeconds,
    perTokenSeconds: decodeSteps > 0 ? decodeSeconds / decodeSteps : 0,
    totalSeconds,
    tokensPerSecond: totalSeconds > 0 ? (batch * newTokens) / totalSeconds : 0,
  };
}
