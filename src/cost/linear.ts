// A linear layer (matmul with an optional bias): 2·m·k·n FLOPs; the weights, the input and the
// output each cross HBM once. Weight-only quantized weights add their dequantization.
import { BYTES_PER_ELEMENT, isWeightOnlyQuantized } from "./dtypes.js";
import { FLOPS_PER_ELEMENT } from "./flop-table.js";
import type { BlockType, OpCost, Pass } from "./op.js";

export interface LinearArgs {
  name: string;
  block: BlockType;
  count: number;
  pass: Pass;
  /** Rows of the input: tokens in this pass. */
  tokens: number;
  inFeatures: number;
  outFeatures: number;
  bias: boolean;
  /** Where the output goes: an activation, or straight into the KV cache (v projection). */
  outputTo?: "activations" | "kvCache";
}

export function linear(args: LinearArgs): OpCost {
  const { count, tokens: m, inFeatures: k, outFeatures: n, pass } = args;
  const w = BYTES_PER_ELEMENT[pass.dtypes.weights];
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  const toCache = args.outputTo === "kvCache" && !pass.training;
  const outputBytes = m * n * (toCache ? BYTES_PER_ELEMENT[pass.dtypes.cache] : a);
  return {
    name: args.name,
    block: args.block,
    kind: "matmul",
    kernel: "linear",
    count,
    matrixFlops: count * 2 * m * k * n,
    // Weight-only quantization dequantizes every weight once per launch, on the vector units.
    vectorFlops: (args.bias ? count * FLOPS_PER_ELEMENT.biasAdd * m * n : 0) +
      (isWeightOnlyQuantized(pass.dtypes) ? count * FLOPS_PER_ELEMENT.dequantize * k * n : 0),
    bytes: {
      weights: count * (k * n * w + (args.bias ? n * a : 0)),
      activations: count * (m * k * a + (toCache ? 0 : outputBytes)),
      kvCache: toCache ? count * outputBytes : 0,
      state: 0,
    },
    shape: { m, k, n, bias: args.bias ? 1 : 0 },
  };
}
