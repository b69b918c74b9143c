// The recurrent block ([G] Fig. 2c): two input linears D→R, a GeLU branch, a depthwise Conv1D,
// the RG-LRU (gates, then the scan), the merge and the output linear R→D.
import type { RecurrentSpec } from "../../models/schema.js";
import { BYTES_PER_ELEMENT } from "../dtypes.js";
import { elementwise } from "../elementwise.js";
import { FLOPS_PER_ELEMENT } from "../flop-table.js";
import { linear } from "../linear.js";
import { tokensIn, type OpCost, type Pass } from "../op.js";
import { linearScan } from "../scan.js";
import { preNorm, residualAdd } from "./residual.js";

/** r_t and i_t: two block-diagonal matmuls (G blocks of R/G × R/G) plus the gate arithmetic. */
function rgLruGates(rec: RecurrentSpec, count: number, pass: Pass): OpCost {
  const m = tokensIn(pass);
  const R = rec.width;
  const blockWidth = R / rec.gateBlocks;
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  const w = BYTES_PER_ELEMENT[pass.dtypes.weights];
  return {
    name: "RG-LRU gates",
    block: "recurrent",
    kind: "matmul",
    kernel: "rglru-gates",
    count,
    matrixFlops: count * 2 * (2 * m * R * blockWidth),
    vectorFlops: count * FLOPS_PER_ELEMENT.rgLruGates * m * R,
    bytes: {
      weights: count * (2 * R * blockWidth * w + 3 * R * a), // two gate matrices; two biases and Λ
      activations: count * 3 * m * R * a, // read x; write a_t and the normalised input
      kvCache: 0,
      state: 0,
    },
    shape: { m, width: R, blocks: rec.gateBlocks },
  };
}

/** Depthwise causal Conv1D of temporal width k: k multiply-adds and a bias per element. Its last
 *  k−1 inputs are decode state. */
function conv1d(rec: RecurrentSpec, count: number, pass: Pass): OpCost {
  const m = tokensIn(pass);
  const R = rec.width;
  const windowBytes = pass.batch * (rec.convWidth - 1) * R * BYTES_PER_ELEMENT[pass.dtypes.cache];
  const op = elementwise({
    name: "Conv1D (depthwise)", block: "recurrent", kernel: "conv1d", count, pass,
    elements: m * R,
    flopsPerElement: FLOPS_PER_ELEMENT.convTap * rec.convWidth + FLOPS_PER_ELEMENT.biasAdd,
    inputs: 1, outputs: 1,
    params: (rec.convWidth + 1) * R,
    shape: { batch: pass.batch, tokens: pass.newTokens, cachedTokens: pass.cachedTokens, width: R, convWidth: rec.convWidth },
  });
  const stateBytes = (pass.cachedTokens > 0 ? windowBytes : 0) + (pass.training ? 0 : windowBytes);
  return { ...op, bytes: { ...op.bytes, state: count * stateBytes } };
}

export function recurrentBlock(width: number, rec: RecurrentSpec, count: number, pass: Pass): OpCost[] {
  const m = tokensIn(pass);
  const R = rec.width;
  const block = "recurrent" as const;
  return [
    preNorm(block, width, count, pass),
    linear({ name: "linear y (GeLU branch)", block, count, pass, tokens: m, inFeatures: width, outFeatures: R, bias: true }),
    linear({ name: "linear x (RG-LRU branch)", block, count, pass, tokens: m, inFeatures: width, outFeatures: R, bias: true }),
    elementwise({
      name: "GeLU (y branch)", block, kernel: "gelu", count, pass,
      elements: m * R, flopsPerElement: FLOPS_PER_ELEMENT.gelu, inputs: 1, outputs: 1,
    }),
    conv1d(rec, count, pass),
    rgLruGates(rec, count, pass),
    linearScan(R, count, pass),
    elementwise({
      name: "merge (y ⊙ h)", block, kernel: "product", count, pass,
      elements: m * R, flopsPerElement: FLOPS_PER_ELEMENT.product, inputs: 2, outputs: 1,
    }),
    linear({ name: "output linear", block, count, pass, tokens: m, inFeatures: R, outFeatures: width, bias: true }),
    residualAdd(block, width, count, pass),
  ];
}
