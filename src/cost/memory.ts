// Memory footprint for serving: the weights, the decode cache of one sequence at a given length,
// and the largest batch whose caches fit next to the weights.
import type { ModelSpec } from "../models/schema.js";
import { layerCounts } from "../models/layers.js";
import { countParams } from "../models/params.js";
import { BYTES_PER_ELEMENT, type Dtypes } from "./dtypes.js";

/** Matrix weights at the weight dtype; biases, norm scales, conv taps and Λ at the activation dtype. */
export function weightBytes(spec: ModelSpec, dtypes: Dtypes): number {
  const params = countParams(spec);
  return params.matrix * BYTES_PER_ELEMENT[dtypes.weights] + params.vector * BYTES_PER_ELEMENT[dtypes.activations];
}

export interface CacheBytes {
  recurrentState: number;
  convState: number;
  localKv: number;
  globalKv: number;
  total: number;
}

/**
 * The decode state of one sequence after `tokens` tokens ([R] init_cache): per recurrent layer
 * h (R values at the state dtype) and the Conv1D's last k−1 inputs; per local layer keys and
 * values for min(tokens, W) positions; per global layer for every position. Per Mamba layer the
 * SSM state (E·N values at the state dtype) and the Conv1D's last k inputs (mamba_ssm's
 * allocate_inference_cache); per Mamba-2 layer its E·N state and the last k inputs of x, B and C.
 */
export function cacheBytesPerSequence(spec: ModelSpec, tokens: number, dtypes: Dtypes): CacheBytes {
  const layers = layerCounts(spec);
  const cache = BYTES_PER_ELEMENT[dtypes.cache];
  const rec = spec.recurrent;
  const att = spec.attention;
  const mamba = spec.mamba;
  const state = BYTES_PER_ELEMENT[dtypes.state];
  const m2 = spec.mamba2;
  const recurrentState = (rec ? layers.recurrent * rec.width * state : 0) +
    (mamba ? layers.mamba * mamba.innerWidth * mamba.stateSize * state : 0) +
    (m2 ? layers.mamba2 * m2.innerWidth * m2.stateSize * state : 0);
  const convState = (rec ? layers.recurrent * (rec.convWidth - 1) * rec.width * cache : 0) +
    (mamba ? layers.mamba * mamba.convWidth * mamba.innerWidth * cache : 0) +
    (m2 ? layers.mamba2 * m2.convWidth * (m2.innerWidth + 2 * m2.groups * m2.stateSize) * cache : 0);
  const kvPerPosition = att ? 2 * att.kvHeads * att.headDim * cache : 0;
  const localKv = layers["local-attention"] * Math.min(tokens, att?.window ?? 0) * kvPerPosition;
  const globalKv = layers["global-attention"] * tokens * kvPerPosition;
  return { recurrentState, convState, localKv, globalKv, total: recurrentState + convState + localKv + globalKv };
}

/** How many sequences' caches fit in `capacityBytes` beside the weights (0 when the weights do not fit). */
export function maxBatch(capacityBytes: number, weights: number, cachePerSequence: number): number {
  const free = capacityBytes - weights;
  if (free <= 0) return 0;
  return cachePerSequence > 0 ? Math.floor(free / cachePerSequence) : Number.POSITIVE_INFINITY;
}

/**
 * Whether `batch` sequences fit beside the weights, given the largest batch that does; null where
 * the footprint is not modelled (training keeps activations, gradients and optimizer state).
 */
export function batchFits(batch: number, largestBatch: number | null): boolean | null {
  return largestBatch === null ? null : batch <= largestBatch;
}
