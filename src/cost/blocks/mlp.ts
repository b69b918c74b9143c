// The gated MLP ([G] §2.2): two up-projections D→F, the activation on one branch times the other,
// and the down-projection F→D.
import type { MlpSpec } from "../../models/schema.js";
import { elementwise } from "../elementwise.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { linear } from "../linear.js";
import { tokensIn, type OpCost, type Pass } from "../op.js";
import { preNorm, residualAdd } from "./residual.js";

export function mlpBlock(width: number, mlp: MlpSpec, count: number, pass: Pass): OpCost[] {
  const m = tokensIn(pass);
  const D = width;
  const F = mlp.hiddenWidth;
  const bias = mlp.bias;
  const block = "mlp" as const;
  const activation = mlp.activation === "gelu" ? "GeLU" : "SiLU";
  if (mlp.gated === false) {
    // GPT: one up-projection, the activation alone, the down-projection.
    return [
      preNorm(block, D, count, pass),
      linear({ name: "up-projection", block, count, pass, tokens: m, inFeatures: D, outFeatures: F, bias }),
      elementwise({
        name: activation, block, count, pass, kernel: mlp.activation,
        elements: m * F, flopsPerElement: FLOPS_PER_ELEMENT[mlp.activation], inputs: 1, outputs: 1,
      }),
      linear({ name: "down-projection", block, count, pass, tokens: m, inFeatures: F, outFeatures: D, bias }),
      residualAdd(block, D, count, pass),
    ];
  }
  return [
    preNorm(block, D, count, pass),
    linear({ name: "up-projection (gate branch)", block, count, pass, tokens: m, inFeatures: D, outFeatures: F, bias }),
    linear({ name: "up-projection (linear branch)", block, count, pass, tokens: m, inFeatures: D, outFeatures: F, bias }),
    elementwise({
      name: `${activation} and product`, block, count, pass,
      kernel: mlp.activation === "gelu" ? "gelu-and-product" : "silu-and-product",
      elements: m * F,
      flopsPerElement: FLOPS_PER_ELEMENT[mlp.activation] + FLOPS_PER_ELEMENT.product,
      inputs: 2, outputs: 1,
    }),
    linear({ name: "down-projection", block, count, pass, tokens: m, inFeatures: F, outFeatures: D, bias }),
    residualAdd(block, D, count, pass),
  ];
}
