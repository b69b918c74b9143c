// The depthwise causal Conv1D with SiLU of the Mamba blocks, as mamba_ssm's causal_conv1d runs it
// (one kernel): k taps per channel, an optional bias, then SiLU. Its decode state is the last k
// inputs per channel: mamba_ssm and transformers keep k (the newest slot is overwritten before
// use), one more than the k−1 the convolution needs.
import type { BlockType } from "./op.js";
import { BYTES_PER_ELEMENT } from "./dtypes.js";
import { elementwise } from "./elementwise.js";
import { FLOPS_PER_ELEMENT } from "./flop-table.js";
import { tokensIn, type OpCost, type Pass } from "./op.js";

export interface CausalConv {
  name: string;
  block: BlockType;
  /** Channels convolved: E for Mamba (x), E + 2GN for Mamba-2 (x, B and C). */
  channels: number;
  convWidth: number;
  convBias: boolean;
}

export function causalConvAndSilu(conv: CausalConv, count: number, pass: Pass): OpCost {
  const { channels, convWidth, convBias } = conv;
  const windowBytes = pass.batch * convWidth * channels * BYTES_PER_ELEMENT[pass.dtypes.cache];
  const op = elementwise({
    name: conv.name, block: conv.block, kernel: "conv1d", count, pass,
    elements: tokensIn(pass) * channels,
    flopsPerElement: FLOPS_PER_ELEMENT.convTap * convWidth + (convBias ? FLOPS_PER_ELEMENT.biasAdd : 0) + FLOPS_PER_ELEMENT.silu,
    inputs: 1, outputs: 1,
    params: (convWidth + (convBias ? 1 : 0)) * channels,
    shape: { batch: pass.batch, tokens: pass.newTokens, cachedTokens: pass.cachedTokens, width: channels, convWidth },
  });
  // The window is read when a cache exists and written back when serving (training keeps none).
  const stateBytes = (pass.cachedTokens > 0 ? windowBytes : 0) + (pass.training ? 0 : windowBytes);
  return { ...op, bytes: { ...op.bytes, state: count * stateBytes } };
}
