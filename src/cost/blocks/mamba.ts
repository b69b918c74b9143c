// The Mamba block ([M] Fig. 3; mamba_ssm's Mamba): in_proj D→2E into x and the gate z, a depthwise
// causal Conv1D and SiLU on x, x_proj E→(R + 2N) giving Δ (rank R), B and C, dt_proj R→E, the
// selective scan (src/cost/selective-scan.ts), y ⊙ SiLU(z) and out_proj E→D. Stacks of it have no
// MLP: each residual block is a pre-norm, this mixer and the residual add.
import type { MambaSpec } from "../../models/schema.js";
import { BYTES_PER_ELEMENT } from "../dtypes.js";
import { elementwise } from "../elementwise.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { linear } from "../linear.js";
import { tokensIn, type OpCost, type Pass } from "../op.js";
import { scanGatesInKernel, selectiveScan } from "../selective-scan.js";
import { preNorm, residualAdd, rmsNorm } from "./residual.js";

/**
 * Depthwise causal Conv1D of width k with SiLU, as mamba_ssm's causal_conv1d runs it (one kernel).
 * Its decode state is the last k inputs per channel: mamba_ssm and transformers keep k (the
 * newest slot is overwritten before use), one more than the k−1 the convolution needs.
 */
function convAndSilu(mamba: MambaSpec, count: number, pass: Pass): OpCost {
  const E = mamba.innerWidth;
  const windowBytes = pass.batch * mamba.convWidth * E * BYTES_PER_ELEMENT[pass.dtypes.cache];
  const op = elementwise({
    name: "Conv1D (depthwise) and SiLU", block: "mamba", kernel: "conv1d", count, pass,
    elements: tokensIn(pass) * E,
    flopsPerElement: FLOPS_PER_ELEMENT.convTap * mamba.convWidth + (mamba.convBias ? FLOPS_PER_ELEMENT.biasAdd : 0) + FLOPS_PER_ELEMENT.silu,
    inputs: 1, outputs: 1,
    params: (mamba.convWidth + (mamba.convBias ? 1 : 0)) * E,
    shape: { batch: pass.batch, tokens: pass.newTokens, cachedTokens: pass.cachedTokens, width: E, convWidth: mamba.convWidth },
  });
  const stateBytes = (pass.cachedTokens > 0 ? windowBytes : 0) + (pass.training ? 0 : windowBytes);
  return { ...op, bytes: { ...op.bytes, state: count * stateBytes } };
}

export function mambaBlock(width: number, mamba: MambaSpec, count: number, pass: Pass): OpCost[] {
  const m = tokensIn(pass);
  const E = mamba.innerWidth;
  const N = mamba.stateSize;
  const block = "mamba" as const;
  const bias = mamba.projectionBias;
  const ops: OpCost[] = [
    preNorm(block, width, count, pass),
    linear({ name: "in_proj (x and gate z)", block, count, pass, tokens: m, inFeatures: width, outFeatures: 2 * E, bias }),
    convAndSilu(mamba, count, pass),
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
