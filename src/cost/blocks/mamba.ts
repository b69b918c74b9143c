// The Mamba block ([M] Fig. 3; mamba_ssm's Mamba): in_proj D→2E into x and the gate z, a depthwise
// causal Conv1D and SiLU on x, x_proj E→(R + 2N) giving Δ (rank R), B and C, dt_proj R→E, the
// selective scan (src/cost/selective-scan.ts), y ⊙ SiLU(z) and out_proj E→D. Stacks of it have no
// MLP: each residual block is a pre-norm, this mixer and the residual add.
import type { MambaSpec } from "../../models/schema.js";
import { elementwise } from "../elementwise.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { linear } from "../linear.js";
import { tokensIn, type OpCost, type Pass } from "../op.js";
import { scanGatesInKernel, selectiveScan } from "../selective-scan.js";
import { preNorm, residualAdd, rmsNorm } from "./residual.js";
import { causalConvAndSilu } from "../causal-conv.js";

export function mambaBlock(width: number, mamba: MambaSpec, count: number, pass: Pass): OpCost[] {
  const m = tokensIn(pass);
  const E = mamba.innerWidth;
  const N = mamba.stateSize;
  const block = "mamba" as const;
  const bias = mamba.projectionBias;
  const ops: OpCost[] = [
    preNorm(block, width, count, pass),
    linear({ name: "in_proj (x and gate z)", block, count, pass, tokens: m, inFeatures: width, outFeatures: 2 * E, bias }),
    causalConvAndSilu({ name: "Conv1D (depthwise) and SiLU", block: "mamba", channels: mamba.innerWidth, convWidth: mamba.convWidth, convBias: mamba.convBias }, count, pass),
    linear({ name: "x_proj (Δ, B, C)", block, count, pass, tokens: m, inFeatures: E, outFeatures: mamba.dtRank + 2 * N, bias: false }),
  ];
  if (mamba.innerNorms) {
    // Δ, B and C normalised separately: R + 2N values per token; without a scale, nothing to read.
    const unscaled = mamba.innerNorms === "unscaled";
    const norms = rmsNorm(`Δ, B, C norms (RMSNorm${unscaled ? ", no scale" : ""})`, block, mamba.dtRank + 2 * N, m, count, pass);
    ops.push(unscaled ? { ...norms, bytes: { ...norms.bytes, weights: 0 } } : norms);
  }
  ops.push(
    linear({ name: "dt_proj", block, count, pass, tokens: m, inFeatures: mamba.dtRank, outFeatures: E, bias: true }),
    selectiveScan({ block, innerWidth: E, stateSize: N, count }, pass),
  );
  if (!scanGatesInKernel(pass)) {
    ops.push(elementwise({
      name: "gate (y ⊙ SiLU(z))", block, kernel: "silu-and-product", count, pass,
      elements: m * E, flopsPerElement: FLOPS_PER_ELEMENT.silu + FLOPS_PER_ELEMENT.product, inputs: 2, outputs: 1,
    }));
  }
  ops.push(
    linear({ name: "out_proj", block, count, pass, tokens: m, inFeatures: E, outFeatures: width, bias }),
    residualAdd(block, width, count, pass),
  );
  return ops;
}
