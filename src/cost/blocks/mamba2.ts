// The Mamba-2 block ([M2] Fig. 6; mamba_ssm's Mamba2): one in_proj D→(2E + 2GN + H) for z, x, B, C
// and Δ, a depthwise Conv1D with SiLU over x, B and C, the SSD scan (src/cost/ssd.ts), a gated
// RMSNorm norm(y ⊙ SiLU(z)) and out_proj E→D. Like Mamba, its stacks have no MLP.
import type { Mamba2Spec } from "../../models/schema.js";
import { elementwise } from "../elementwise.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { linear } from "../linear.js";
import { tokensIn, type OpCost, type Pass } from "../op.js";
import { ssdScan } from "../ssd.js";
import { causalConvAndSilu } from "../causal-conv.js";
import { preNorm, residualAdd } from "./residual.js";

export function mamba2Block(width: number, m2: Mamba2Spec, count: number, pass: Pass): OpCost[] {
  const m = tokensIn(pass);
  const E = m2.innerWidth;
  const heads = E / m2.headDim;
  const block = "mamba2" as const;
  const bias = m2.projectionBias;
  return [
    preNorm(block, width, count, pass),
    linear({ name: "in_proj (z, x, B, C, Δ)", block, count, pass, tokens: m, inFeatures: width, outFeatures: 2 * E + 2 * m2.groups * m2.stateSize + heads, bias }),
    // The Conv1D runs over x, B and C.
    causalConvAndSilu({ name: "Conv1D (depthwise, x B C) and SiLU", block: "mamba2", channels: m2.innerWidth + 2 * m2.groups * m2.stateSize, convWidth: m2.convWidth, convBias: m2.convBias }, count, pass),
    ssdScan(m2, count, pass),
    elementwise({
      name: "gated RMSNorm (norm(y ⊙ SiLU(z)))", block, kernel: "gated-rmsnorm", count, pass,
      elements: m * E, flopsPerElement: FLOPS_PER_ELEMENT.gatedRmsNorm, inputs: 2, outputs: 1, params: E,
    }),
    linear({ name: "out_proj", block, count, pass, tokens: m, inFeatures: E, outFeatures: width, bias }),
    residualAdd(block, width, count, pass),
  ];
}
