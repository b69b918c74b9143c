// One forward pass over the whole model: the ops of each block type, computed once per type and
// multiplied by the number of layers of that type.
import type { ModelSpec } from "../models/schema.js";
import { layerCounts } from "../models/layers.js";
import { attentionBlock } from "./blocks/attention.js";
import { embedding, outputEnd } from "./blocks/ends.js";
import { mambaBlock } from "./blocks/mamba.js";
import { mlpBlock } from "./blocks/mlp.js";
import { recurrentBlock } from "./blocks/recurrent.js";
import type { OpCost, Pass } from "./op.js";

export function forwardOps(spec: ModelSpec, pass: Pass): OpCost[] {
  const layers = layerCounts(spec);
  const ops: OpCost[] = [embedding(spec, pass)];
  if (layers.recurrent > 0) ops.push(...recurrentBlock(spec.width, spec.recurrent!, layers.recurrent, pass));
  for (const kind of ["local-attention", "global-attention"] as const) {
    if (layers[kind] > 0) ops.push(...attentionBlock(kind, spec.width, spec.attention!, layers[kind], pass));
  }
  if (layers.mamba > 0) ops.push(...mambaBlock(spec.width, spec.mamba!, layers.mamba, pass));
  if (spec.mlp) ops.push(...mlpBlock(spec.width, spec.mlp, spec.depth, pass));
  ops.push(...outputEnd(spec, pass));
  return ops;
}
