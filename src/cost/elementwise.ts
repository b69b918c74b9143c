// An elementwise (vector-unit) op over `elements` values: it reads `inputs` tensors of that size
// and writes `outputs`, at the activation dtype, plus any small parameters it needs.
import { BYTES_PER_ELEMENT } from "./dtypes.js";
import type { BlockType, Kernel, OpCost, Pass } from "./op.js";

export interface ElementwiseArgs {
  name: string;
  block: BlockType;
  kernel: Kernel;
  count: number;
  pass: Pass;
  elements: number;
  flopsPerElement: number;
  inputs: number;
  outputs: number;
  /** Parameters read once (norm scales, conv taps), stored at the activation dtype. */
  params?: number;
  shape?: Record<string, number>;
}

export function elementwise(args: ElementwiseArgs): OpCost {
  const a = BYTES_PER_ELEMENT[args.pass.dtypes.activations];
  const { count, elements } = args;
  return {
    name: args.name,
    block: args.block,
    kind: "elementwise",
    kernel: args.kernel,
    count,
    matrixFlops: 0,
    vectorFlops: count * args.flopsPerElement * elements,
    bytes: {
      weights: count * (args.params ?? 0) * a,
      activations: count * (args.inputs + args.outputs) * elements * a,
      kvCache: 0,
      state: 0,
    },
    shape: args.shape ?? { elements },
  };
}
