// One forward pass over the whole model: the ops of each block type, computed once per type and
// multiplied by the number of layers of that type.
import type { ModelSpec } from "../models/schema.js";
import { layerCounts } from "../models/layers.js";
import { attentionBlock } from "./blocks/attention.js";
import { embedding, outputEnd, positionEmbedding } from "./blocks/ends.js";
import { mambaBlock } from "./blocks/mamba.js";
import { mamba2Block } from "./blocks/mamba2.js";
import { mlpBlock } from "./blocks/mlp.js";
import { recurrentBlock } from "./blocks/recurrent.js";
import { modelNorm } from "./blocks/residual.js";
import { tokensIn, type OpCost, type Pass } from "./op.js";

/** A sub-block's ops with a post-norm (Gemma 2) on its output, before its residual add (the last op). */
function withPostNorm(spec: ModelSpec, ops: OpCost[], pass: Pass): OpCost[] {
  if (!spec.postNorms) return ops;
  const add = ops[ops.length - 1]!;
  return [...ops.slice(0, -1), modelNorm("post-norm", add.block, spec.width, tokensIn(pass), add.count, pass), add];
}

export function forwardOps(spec: ModelSpec, modelPass: Pass): OpCost[] {
  const pass: Pass = spec.norm === "layernorm" ? { ...modelPass, norm: "layernorm" } : modelPass;
  const layers = layerCounts(spec);
  const ops: OpCost[] = [embedding(spec, pass)];
  if (spec.positionEmbeddings !== undefined) ops.push(positionEmbedding(spec, pass));
  const add = (block: OpCost[]) => ops.push(...withPostNorm(spec, block, pass));
  if (layers.recurrent > 0) add(recurrentBlock(spec.width, spec.recurrent!, layers.recurrent, pass));
  for (const kind of ["local-attention", "global-attention"] as const) {
    if (layers[kind] > 0) add(attentionBlock(kind, spec.width, spec.attention!, layers[kind], pass));
  }
  if (layers.mamba > 0) add(mambaBlock(spec.width, spec.mamba!, layers.mamba, pass));
  if (layers.mamba2 > 0) add(mamba2Block(spec.width, spec.mamba2!, layers.mamba2, pass));
  if (spec.mlp) add(mlpBlock(spec.width, spec.mlp, spec.depth, pass));
  ops.push(...outputEnd(spec, pass));
  return ops;
}
