// The two pieces every residual sub-block has around its body ([G] §2.1): a pre-norm and the
// residual add. They are charged to the sub-block they wrap.
import { elementwise } from "../elementwise.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { tokensIn, type BlockType, type OpCost, type Pass } from "../op.js";

export function rmsNorm(name: string, block: BlockType, width: number, tokens: number, count: number, pass: Pass): OpCost {
  return elementwise({
    name, block, kernel: "rmsnorm", count, pass,
    elements: tokens * width,
    flopsPerElement: FLOPS_PER_ELEMENT.rmsNorm,
    inputs: 1, outputs: 1, params: width,
    shape: { tokens, width },
  });
}

/** The model's norm, named `role (RMSNorm)` or `role (LayerNorm)`: LayerNorm reads a bias beside its scale. */
export function modelNorm(role: string, block: BlockType, width: number, tokens: number, count: number, pass: Pass): OpCost {
  if (pass.norm !== "layernorm") return rmsNorm(`${role} (RMSNorm)`, block, width, tokens, count, pass);
  return elementwise({
    name: `${role} (LayerNorm)`, block, kernel: "layernorm", count, pass,
    elements: tokens * width,
    flopsPerElement: FLOPS_PER_ELEMENT.layerNorm,
    inputs: 1, outputs: 1, params: 2 * width,
    shape: { tokens, width },
  });
}

export function preNorm(block: BlockType, width: number, count: number, pass: Pass): OpCost {
  return modelNorm("pre-norm", block, width, tokensIn(pass), count, pass);
}

export function residualAdd(block: BlockType, width: number, count: number, pass: Pass): OpCost {
  const tokens = tokensIn(pass);
  return elementwise({
    name: "residual add", block, kernel: "residual-add", count, pass,
    elements: tokens * width,
    flopsPerElement: FLOPS_PER_ELEMENT.residualAdd,
    inputs: 2, outputs: 1,
    shape: { tokens, width },
  });
}
