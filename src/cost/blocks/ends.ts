// What sits before and after the residual blocks: the embedding lookup, the final norm, the
// output projection (tied to the embedding, or not), and in training the loss.
import type { ModelSpec } from "../../models/schema.js";
import { BYTES_PER_ELEMENT, FP32_BYTES } from "../dtypes.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { linear } from "../linear.js";
import { tokensIn, type OpCost, type Pass } from "../op.js";
import { modelNorm } from "./residual.js";

/** Gathers one row of the table per token: only those rows are read. */
export function embedding(spec: ModelSpec, pass: Pass): OpCost {
  const m = tokensIn(pass);
  const D = spec.width;
  return {
    name: "embedding",
    block: "other",
    kind: "gather",
    kernel: "embedding",
    count: 1,
    matrixFlops: 0,
    vectorFlops: spec.scaleEmbeddings ? FLOPS_PER_ELEMENT.embeddingScale * m * D : 0,
    bytes: {
      weights: m * D * BYTES_PER_ELEMENT[pass.dtypes.weights],
      activations: m * D * BYTES_PER_ELEMENT[pass.dtypes.activations],
      kvCache: 0,
      state: 0,
    },
    shape: { tokens: m, width: D, vocab: spec.vocabSize, scale: spec.scaleEmbeddings ? 1 : 0 },
  };
}

/**
 * Learned absolute positions (GPT): the rows of the tokens' positions read from the table and
 * added to the token embeddings.
 */
export function positionEmbedding(spec: ModelSpec, pass: Pass): OpCost {
  const m = tokensIn(pass);
  const D = spec.width;
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  return {
    name: "position embedding (learned)",
    block: "other",
    kind: "gather",
    kernel: "embedding",
    count: 1,
    matrixFlops: 0,
    vectorFlops: FLOPS_PER_ELEMENT.residualAdd * m * D,
    bytes: { weights: m * D * BYTES_PER_ELEMENT[pass.dtypes.weights], activations: 2 * m * D * a, kvCache: 0, state: 0 },
    shape: { tokens: m, width: D, positions: spec.positionEmbeddings ?? 0 },
  };
}

/** Tokens whose logits are computed: the last of each sequence when serving, all when training. */
export const logitTokens = (pass: Pass): number => (pass.logits === "all" ? tokensIn(pass) : pass.batch);

export function outputEnd(spec: ModelSpec, pass: Pass): OpCost[] {
  const tokens = logitTokens(pass);
  const V = spec.vocabSize;
  const head = linear({
    name: spec.tiedEmbeddings ? "LM head (tied embedding)" : "LM head",
    block: "other", count: 1, pass, tokens, inFeatures: spec.width, outFeatures: V, bias: false,
  });
  if (spec.logitSoftcap !== null) {
    head.vectorFlops += FLOPS_PER_ELEMENT.softcap * tokens * V;
    head.shape = { ...head.shape, softcap: spec.logitSoftcap };
  }
  const ops = [modelNorm("final norm", "other", spec.width, tokens, 1, pass), head];
  if (pass.training) {
    ops.push({
      name: "loss (softmax cross-entropy)",
      block: "other",
      kind: "elementwise",
      kernel: "cross-entropy",
      count: 1,
      matrixFlops: 0,
      vectorFlops: FLOPS_PER_ELEMENT.crossEntropy * tokens * V,
      bytes: { weights: 0, activations: tokens * V * BYTES_PER_ELEMENT[pass.dtypes.activations] + tokens * FP32_BYTES, kvCache: 0, state: 0 },
      shape: { tokens, vocab: V },
    });
  }
  return ops;
}
