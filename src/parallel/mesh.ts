// A mesh of chips: data parallelism (replicas, each with its share of the batch) times tensor
// parallelism (each layer split over a group of chips), optional sequence parallelism within the
// tensor group, and a ZeRO stage over the data axis. Tensor groups are the innermost, consecutive
// chips, so they stay within one scale-up domain (an ICI axis, an NVLink node) whenever they fit.
//
// How each block shards ([G] §4.1, Megatron-LM): every linear layer is split column-then-row, so
// each chip holds R/T of the recurrent width, F/T of the MLP width and H/T of the query heads. The
// Conv1D and the scan are per channel and the RG-LRU gates are block-diagonal, so with G/T gate
// blocks per chip no channel ever needs another chip's values. Multi-query attention's single
// key/value head cannot be split: every chip holds and computes it (its projections, its cache).
import { InputError } from "../errors.js";
import type { ModelSpec } from "../models/schema.js";
import { layerCounts } from "../models/layers.js";

export type ZeroStage = 0 | 1 | 2 | 3;

export interface Mesh {
  chips: number;
  /** Tensor-parallel degree T: chips per model replica. */
  tensor: number;
  /** Data-parallel degree: replicas. */
  data: number;
  /** Megatron sequence parallelism: norms and residual adds split over the tensor group by tokens. */
  sequenceParallel: boolean;
  /** ZeRO over the data axis: 1 shards optimizer state, 2 also gradients, 3 also parameters. */
  zero: ZeroStage;
  /** Whether communication overlaps computation: the headline takes max(compute, communication) instead of their sum. */
  overlap: boolean;
}

export interface MeshInput {
  chips?: number;
  tensor?: number;
  data?: number;
  sequenceParallel?: boolean;
  zero?: number;
  overlap?: boolean;
}

/**
 * A mesh from what was given: chips = T × D, so two of the three determine the third, and all
 * three given must agree. Chips alone are all data parallelism; T or D alone leaves the other 1.
 */
export function meshFrom(input: MeshInput, where = "mesh"): Mesh {
  const { chips } = input;
  const quotient = (of: number, by: number, flag: string) => {
    if (of % by !== 0) throw new InputError(`${where}: --${flag} ${by} does not divide --chips ${of}`);
    return of / by;
  };
  const tensor = input.tensor ?? (chips !== undefined && input.data !== undefined ? quotient(chips, input.data, "dp") : 1);
  const data = input.data ?? (chips !== undefined ? quotient(chips, tensor, "tp") : 1);
  const n = chips ?? tensor * data;
  if (tensor * data !== n) throw new InputError(`${where}: --tp ${tensor} × --dp ${data} = ${tensor * data} chips, not the ${n} of --chips`);
  const zero = input.zero ?? 0;
  if (zero !== 0 && zero !== 1 && zero !== 2 && zero !== 3) throw new InputError(`${where}: --zero must be 0, 1, 2 or 3, got ${zero}`);
  return { chips: n, tensor, data, sequenceParallel: input.sequenceParallel ?? false, zero, overlap: input.overlap ?? false };
}

/**
 * Meshes split the blocks of the Griffin family and of Transformers (RG-LRU, attention, MLP); how a
 * Mamba block splits (its in_proj, x_proj and state over the tensor axis) and what its training
 * activations are is not modelled, so a model with Mamba layers is refused rather than miscounted.
 */
export function requireMeshModel(spec: ModelSpec): void {
  const layers = layerCounts(spec);
  const mamba = layers.mamba + layers.mamba2;
  if (mamba > 0) {
    throw new InputError(`${spec.name}: meshes (--chips, --tp, --dp, --zero, --mesh) model RG-LRU, attention and MLP blocks; its ${mamba} Mamba layers are not modelled on a mesh`);
  }
}

/** Why `tensor` chips cannot split this model's layers; empty when they can. */
export function unshardableReasons(spec: ModelSpec, tensor: number): string[] {
  if (tensor === 1) return [];
  const reasons: string[] = [];
  const layers = layerCounts(spec);
  const divides = (value: number, what: string) => {
    if (value % tensor !== 0) reasons.push(`${what} ${value} is not a multiple of ${tensor}`);
  };
  if (spec.mlp) divides(spec.mlp.hiddenWidth, "the MLP width F =");
  if (layers.recurrent > 0 && spec.recurrent) {
    divides(spec.recurrent.width, "the recurrent width R =");
    // A shard boundary inside a gate block would need the other chip's channels for that block's matmul.
    divides(spec.recurrent.gateBlocks, "the RG-LRU gate blocks G =");
  }
  if (layers["local-attention"] + layers["global-attention"] > 0 && spec.attention) {
    const att = spec.attention;
    divides(att.heads, "the query heads H =");
    if (att.kvHeads > 1 && att.kvHeads % tensor !== 0 && tensor % att.kvHeads !== 0) {
      reasons.push(`the ${att.kvHeads} key/value heads neither split evenly over ${tensor} chips nor replicate evenly`);
    }
  }
  return reasons;
}

/**
 * The model one chip of a tensor group runs: the split widths and heads; key/value heads split
 * when they can be (K a multiple of T), else one per chip, replicated. The vocabulary splits too
 * (Megatron's vocab-parallel embedding and LM head) when T divides it, else the embedding and LM
 * head stay whole on every chip. Norms and residual adds stay whole.
 */
export function shardSpec(spec: ModelSpec, tensor: number): ModelSpec {
  requireMeshModel(spec);
  const reasons = unshardableReasons(spec, tensor);
  if (reasons.length > 0) throw new InputError(`${spec.name} cannot be split over --tp ${tensor}: ${reasons.join("; ")}`);
  if (tensor === 1) return spec;
  const att = spec.attention;
  const rec = spec.recurrent;
  const layers = layerCounts(spec);
  const usesRecurrent = layers.recurrent > 0;
  const usesAttention = layers["local-attention"] + layers["global-attention"] > 0;
  return {
    ...spec,
    vocabSize: vocabSplits(spec, tensor) ? spec.vocabSize / tensor : spec.vocabSize,
    ...(spec.mlp && { mlp: { ...spec.mlp, hiddenWidth: spec.mlp.hiddenWidth / tensor } }),
    ...(rec && usesRecurrent && { recurrent: { ...rec, width: rec.width / tensor, gateBlocks: rec.gateBlocks / tensor } }),
    ...(att && usesAttention && {
      attention: { ...att, heads: att.heads / tensor, kvHeads: att.kvHeads % tensor === 0 ? att.kvHeads / tensor : 1 },
    }),
  };
}

/** Whether each chip of a tensor group holds its own copy of the key/value heads. */
export const kvReplicated = (spec: ModelSpec, tensor: number): boolean =>
  tensor > 1 && spec.attention !== undefined && spec.attention.kvHeads % tensor !== 0;

/** Whether the vocabulary (embedding table, LM head, logits) splits over the tensor group. */
export const vocabSplits = (spec: ModelSpec, tensor: number): boolean => tensor > 1 && spec.vocabSize % tensor === 0;
