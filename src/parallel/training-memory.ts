// What a training step keeps in one chip's memory: parameters, gradients, Adam's state and the
// activations saved for the backward pass, after tensor parallelism and ZeRO take their shares.
//
// Adam with mixed precision (ZeRO paper, Rajbhandari et al. 2020, §3.1): working weights and
// gradients at their dtypes, an fp32 master copy and two fp32 moments, 2 + 2 + 12 = 16 bytes per
// parameter by default. ZeRO over D replicas divides the optimizer state by D (stage 1), also the
// gradients (stage 2), also the parameters (stage 3).
//
// Saved activations per token and layer (the tensors each op's backward reads; Korthikanti et al.
// 2022 count the same way for a Transformer), at the activation dtype a unless named:
//   recurrent block: norm input and output (2D), both input linears' outputs (2R), the GeLU's
//     output (R), the Conv1D's output (R), the gates' a_t and normalised input (2R), h (R, at the
//     state dtype) and the merge's output (R)
//   attention block: norm input and output (2D), q (H·hd), k and v (2K·hd), the attention output
//     (H·hd) and flash attention's log-sum-exp (H values in fp32)
//   MLP: norm input and output (2D), both up-projections' outputs (2F), the activation-product (F)
//   ends: the final norm's input (D) and the logits (V)
// Under tensor parallelism R, F, H (and K when it splits) are per chip; D is per chip only with
// sequence parallelism, and V when the vocabulary splits. Rematerialisation keeps only each sub-block's input (D per sub-block) and
// recomputes one layer at a time, whose full activations are then live.
import { BYTES_PER_ELEMENT, FP32_BYTES, type Dtype } from "../cost/dtypes.js";
import type { Implementation } from "../cost/phases.js";
import { weightBytes } from "../cost/memory.js";
import { layerCounts } from "../models/layers.js";
import { countParams } from "../models/params.js";
import type { ModelSpec } from "../models/schema.js";
import type { Mesh } from "./mesh.js";

export interface OptimizerDtypes {
  gradients: Dtype;
  /** The master copy of the weights; "none" when the working weights are the master (fp32 training). */
  master: Dtype | "none";
  /** Adam's first and second moments. */
  moments: Dtype;
}

/** Mixed-precision Adam (the ZeRO paper's accounting): bf16 gradients, fp32 master and moments. */
export const DEFAULT_OPTIMIZER_DTYPES: OptimizerDtypes = { gradients: "bf16", master: "fp32", moments: "fp32" };

/** Activation bytes saved per token for each layer kind, on one chip of the tensor group (`shard` is its model). */
export function activationBytesPerToken(spec: ModelSpec, shard: ModelSpec, mesh: Pick<Mesh, "tensor" | "sequenceParallel">, impl: Implementation) {
  const a = BYTES_PER_ELEMENT[impl.dtypes.activations];
  const D = mesh.sequenceParallel ? spec.width / mesh.tensor : spec.width;
  const R = shard.recurrent?.width ?? 0;
  const att = shard.attention;
  const recurrent = a * (2 * D + 7 * R) + BYTES_PER_ELEMENT[impl.dtypes.state] * R;
  const attention = att ? a * (2 * D + 2 * att.heads * att.headDim + 2 * att.kvHeads * att.headDim) + FP32_BYTES * att.heads : 0;
  const mlp = shard.mlp ? a * (2 * D + 3 * shard.mlp.hiddenWidth) : 0;
  const ends = a * (D + shard.vocabSize);
  /** What rematerialisation keeps of a layer: the input of each of its two sub-blocks. */
  const checkpoint = a * 2 * D;
  return { recurrent, attention, mlp, ends, checkpoint };
}

/** Activation bytes one sequence of `tokens` tokens keeps on one chip through a training step. */
export function activationBytesPerSequence(
  spec: ModelSpec, shard: ModelSpec, mesh: Pick<Mesh, "tensor" | "sequenceParallel">, impl: Implementation, tokens: number, rematerialise: boolean,
): number {
  const layers = layerCounts(spec);
  const per = activationBytesPerToken(spec, shard, mesh, impl);
  const attentionLayers = layers["local-attention"] + layers["global-attention"];
  if (!rematerialise) {
    return tokens * (layers.recurrent * per.recurrent + attentionLayers * per.attention + spec.depth * per.mlp + per.ends);
  }
  const largestLayer = Math.max(layers.recurrent > 0 ? per.recurrent : 0, attentionLayers > 0 ? per.attention : 0) + per.mlp;
  return tokens * (spec.depth * per.checkpoint + largestLayer + per.ends);
}

export interface TrainingMemory {
  capacityBytesPerChip: number;
  parameterBytes: number;
  gradientBytes: number;
  optimizerBytes: number;
  activationBytes: number;
  activationBytesPerSequence: number;
  totalBytes: number;
  fits: boolean;
  /** Capacity minus total: negative when it does not fit, by that much. */
  headroomBytes: number;
  /** The most sequences per replica whose activations fit beside the rest (0 when even the rest does not). */
  maxBatchPerReplica: number;
}

/** Bytes per chip of a training step: `sequencesPerReplica` sequences of `tokens` tokens each. */
export function trainingMemory(
  spec: ModelSpec, shard: ModelSpec, mesh: Mesh, impl: Implementation, dtypes: OptimizerDtypes,
  sequencesPerReplica: number, tokens: number, rematerialise: boolean, capacityBytesPerChip: number,
): TrainingMemory {
  const params = countParams(shard).total;
  const d = mesh.data;
  const parameterBytes = weightBytes(shard, impl.dtypes) / (mesh.zero >= 3 ? d : 1);
  const gradientBytes = (params * BYTES_PER_ELEMENT[dtypes.gradients]) / (mesh.zero >= 2 ? d : 1);
  const optimizerPerParam = (dtypes.master === "none" ? 0 : BYTES_PER_ELEMENT[dtypes.master]) + 2 * BYTES_PER_ELEMENT[dtypes.moments];
  const optimizerBytes = (params * optimizerPerParam) / (mesh.zero >= 1 ? d : 1);
  const perSequence = activationBytesPerSequence(spec, shard, mesh, impl, tokens, rematerialise);
  const activationBytes = sequencesPerReplica * perSequence;
  const fixed = parameterBytes + gradientBytes + optimizerBytes;
  const totalBytes = fixed + activationBytes;
  const free = capacityBytesPerChip - fixed;
  return {
    capacityBytesPerChip, parameterBytes, gradientBytes, optimizerBytes, activationBytes,
    activationBytesPerSequence: perSequence, totalBytes,
    fits: totalBytes <= capacityBytesPerChip,
    headroomBytes: capacityBytesPerChip - totalBytes,
    maxBatchPerReplica: free > 0 && perSequence > 0 ? Math.floor(free / perSequence) : 0,
  };
}
