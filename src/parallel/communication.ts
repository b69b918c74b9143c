// Which collectives a phase runs on a mesh (src/parallel/mesh.ts), as requests the α–β model times
// (src/parallel/collectives.ts).
//
// Tensor axis, per residual block ([G] §4.1, Megatron-LM): the temporal block (recurrent or
// attention) and the MLP each end in a row-split linear whose partial sums are all-reduced: one
// all-reduce of the block's output, tokens × D at the activation dtype, per block and pass. The
// backward pass all-reduces the input gradient of the column-split linears, the same size.
// With sequence parallelism each all-reduce becomes a reduce-scatter after the block and an
// all-gather before the next (the same bytes on a ring). The Conv1D, the gates and the scan add
// nothing. In training the replicated key/value projections' weight gradients are partial on each
// chip (each holds other query heads' share of dK, dV) and are all-reduced once per step.
// A split vocabulary (Megatron's vocab-parallel embedding) adds an all-reduce of the embedding's
// output (each chip looks up only its rows) per forward pass and, in the backward pass, one of the
// LM head's input gradient; serving all-gathers the last token's logits, training's cross-entropy
// all-reduces three fp32 values per token (the maximum, the target's logit, the sum of exponentials).
//
// Data axis, in training only: gradients are all-reduced (ZeRO 0); reduce-scattered, with the
// updated parameters all-gathered after the step (ZeRO 1 and 2: the same bytes on a ring); or
// with ZeRO 3 parameters are all-gathered before the forward and again before the backward (and
// before a recomputation), the gradients reduce-scattered.
import { BYTES_PER_ELEMENT, type Dtype } from "../cost/dtypes.js";
import type { Implementation } from "../cost/phases.js";
import { layerCounts } from "../models/layers.js";
import { countParams } from "../models/params.js";
import type { ModelSpec } from "../models/schema.js";
import type { CollectiveRequest } from "./collectives.js";
import { kvReplicated, vocabSplits, type Mesh } from "./mesh.js";
import { FP32_BYTES } from "../cost/dtypes.js";

type Pass = NonNullable<CollectiveRequest["pass"]>;

/** The tensor-axis collectives of one pass over `tokens` tokens per replica, run `times` times. */
export function tensorCollectives(
  spec: ModelSpec, mesh: Mesh, tokens: number, impl: Implementation, pass: Pass, times: number, stage?: CollectiveRequest["stage"],
): CollectiveRequest[] {
  if (mesh.tensor === 1) return [];
  const layers = layerCounts(spec);
  const bytes = tokens * spec.width * BYTES_PER_ELEMENT[impl.dtypes.activations];
  const blocks = [
    { block: "recurrent", count: layers.recurrent },
    { block: "local-attention", count: layers["local-attention"] },
    { block: "global-attention", count: layers["global-attention"] },
    { block: "mlp", count: spec.depth },
  ].filter((b) => b.count > 0);
  const what = pass === "backward" ? "input gradient" : "output";
  const requests = blocks.flatMap(({ block, count }): CollectiveRequest[] => {
    const base = { axis: "tensor" as const, block, pass, ...(stage && { stage }), count: count * times, bytes };
    return mesh.sequenceParallel
      ? [
          { ...base, name: `${block} ${what}: reduce-scatter over tokens`, kind: "reduce-scatter" },
          { ...base, name: `${block} ${what}: all-gather before the next block`, kind: "all-gather" },
        ]
      : [{ ...base, name: `${block} ${what}: all-reduce of partial sums`, kind: "all-reduce" }];
  });
  // Rematerialisation recomputes the residual blocks only, not the embedding.
  if (vocabSplits(spec, mesh.tensor) && pass !== "recompute") {
    const base = { axis: "tensor" as const, block: "other", pass, ...(stage && { stage }), count: times, bytes };
    requests.unshift(pass === "backward"
      ? { ...base, name: "LM head input gradient (split vocabulary): all-reduce", kind: "all-reduce" }
      : { ...base, name: "embedding output (split vocabulary): all-reduce", kind: "all-reduce" });
  }
  return requests;
}

/** Serving: the last token's logits of each sequence, gathered from the vocabulary's shards. */
export function logitCollectives(spec: ModelSpec, mesh: Mesh, sequences: number, impl: Implementation, times: number, stage?: CollectiveRequest["stage"]): CollectiveRequest[] {
  if (!vocabSplits(spec, mesh.tensor)) return [];
  const bytes = sequences * spec.vocabSize * BYTES_PER_ELEMENT[impl.dtypes.activations];
  return [{ name: "last-token logits (split vocabulary): all-gather", kind: "all-gather", axis: "tensor", block: "other", pass: "forward", ...(stage && { stage }), count: times, bytes }];
}

/** Parameters every chip of a tensor group holds whole, whose gradients are partial sums on each chip. */
export function replicatedPartialParams(spec: ModelSpec, mesh: Mesh): number {
  if (mesh.tensor === 1) return 0;
  const layers = layerCounts(spec);
  const att = spec.attention;
  const attentionLayers = layers["local-attention"] + layers["global-attention"];
  const kv = att && kvReplicated(spec, mesh.tensor) ? attentionLayers * 2 * spec.width * att.kvHeads * att.headDim : 0;
  // Norm scales see only their chip's tokens under sequence parallelism.
  const norms = mesh.sequenceParallel ? (2 * spec.depth + 1) * spec.width : 0;
  return kv + norms;
}

export interface TrainingDtypes {
  /** Gradients as communicated and stored. */
  gradients: Dtype;
}

/** Every collective of one training step: the tensor axis per pass, the data axis per ZeRO stage. */
export function trainingCollectives(
  spec: ModelSpec, shard: ModelSpec, mesh: Mesh, tokensPerReplica: number, impl: Implementation, rematerialise: boolean, dtypes: TrainingDtypes,
): CollectiveRequest[] {
  const requests: CollectiveRequest[] = [
    ...tensorCollectives(spec, mesh, tokensPerReplica, impl, "forward", 1),
    ...tensorCollectives(spec, mesh, tokensPerReplica, impl, "backward", 1),
    ...(rematerialise ? tensorCollectives(spec, mesh, tokensPerReplica, impl, "recompute", 1) : []),
  ];
  if (vocabSplits(spec, mesh.tensor)) {
    requests.push({ name: "cross-entropy over the split vocabulary (max, target, sum): all-reduce", kind: "all-reduce", axis: "tensor", block: "other", pass: "forward", count: 3, bytes: tokensPerReplica * FP32_BYTES });
  }
  const gradientBytes = BYTES_PER_ELEMENT[dtypes.gradients];
  const replicated = replicatedPartialParams(spec, mesh);
  if (replicated > 0) {
    requests.push({ name: "replicated weights' gradients (K/V projections, norms): all-reduce", kind: "all-reduce", axis: "tensor", block: "gradients", pass: "backward", count: 1, bytes: replicated * gradientBytes });
  }
  if (mesh.data === 1) return requests;
  const params = countParams(shard).total;
  const gradients = params * gradientBytes;
  const weights = params * BYTES_PER_ELEMENT[impl.dtypes.weights];
  const data = { axis: "data" as const, count: 1 };
  if (mesh.zero === 0) {
    requests.push({ ...data, name: "gradients: all-reduce", kind: "all-reduce", block: "gradients", pass: "backward", bytes: gradients });
  } else {
    requests.push({ ...data, name: "gradients: reduce-scatter to their optimizer shard", kind: "reduce-scatter", block: "gradients", pass: "backward", bytes: gradients });
    if (mesh.zero === 3) {
      requests.push({ ...data, name: "parameters: all-gather before the forward", kind: "all-gather", block: "parameters", pass: "forward", bytes: weights });
      requests.push({ ...data, name: "parameters: all-gather before the backward", kind: "all-gather", block: "parameters", pass: "backward", bytes: weights });
      if (rematerialise) requests.push({ ...data, name: "parameters: all-gather before the recomputation", kind: "all-gather", block: "parameters", pass: "recompute", bytes: weights });
    } else {
      requests.push({ ...data, name: "updated parameters: all-gather", kind: "all-gather", block: "parameters", pass: "update", bytes: weights });
    }
  }
  return requests;
}
