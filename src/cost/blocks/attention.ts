// A multi-query (or multi-head) attention block: q, k, v projections, RoPE, the attention core
// and the output projection. Local and global layers differ only in the core.
import type { AttentionSpec } from "../../models/schema.js";
import { attentionCore } from "../attention-core.js";
import { BYTES_PER_ELEMENT } from "../dtypes.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { linear } from "../linear.js";
import { tokensIn, type OpCost, type Pass } from "../op.js";
import { preNorm, residualAdd } from "./residual.js";

/** RoPE rotates q and k in place; the rotated k is what goes into the KV cache. */
function rope(block: "local-attention" | "global-attention", att: AttentionSpec, count: number, pass: Pass): OpCost {
  const m = tokensIn(pass);
  const qElements = m * att.heads * att.headDim;
  const kElements = m * att.kvHeads * att.headDim;
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  const kOut = kElements * (pass.training ? a : BYTES_PER_ELEMENT[pass.dtypes.cache]);
  return {
    name: "RoPE (q, k)",
    block,
    kind: "elementwise",
    kernel: "rope",
    count,
    matrixFlops: 0,
    vectorFlops: count * FLOPS_PER_ELEMENT.rope * att.ropeFraction * (qElements + kElements),
    bytes: {
      weights: 0,
      activations: count * ((qElements + kElements) * a + qElements * a + (pass.training ? kOut : 0)),
      kvCache: pass.training ? 0 : count * kOut,
      state: 0,
    },
    shape: { tokens: m, heads: att.heads, kvHeads: att.kvHeads, headDim: att.headDim, ropeFraction: att.ropeFraction },
  };
}

export function attentionBlock(
  block: "local-attention" | "global-attention",
  width: number,
  att: AttentionSpec,
  count: number,
  pass: Pass,
): OpCost[] {
  const m = tokensIn(pass);
  const q = att.heads * att.headDim;
  const kv = att.kvHeads * att.headDim;
  const ops = [
    preNorm(block, width, count, pass),
    linear({ name: "q projection", block, count, pass, tokens: m, inFeatures: width, outFeatures: q, bias: att.qkvBias }),
    linear({ name: "k projection", block, count, pass, tokens: m, inFeatures: width, outFeatures: kv, bias: att.qkvBias }),
    linear({ name: "v projection", block, count, pass, tokens: m, inFeatures: width, outFeatures: kv, bias: att.qkvBias, outputTo: "kvCache" }),
  ];
  if (att.ropeFraction > 0) ops.push(rope(block, att, count, pass));
  ops.push(
    attentionCore(block, att, count, pass),
    linear({ name: "output projection", block, count, pass, tokens: m, inFeatures: q, outFeatures: width, bias: att.outputBias }),
    residualAdd(block, width, count, pass),
  );
  return ops;
}
