// The RG-LRU's linear recurrence h_t = a_t ⊙ h_{t−1} + b_t over a sequence, in three
// implementations (cost-model.md):
// - fused: one kernel keeps h on chip; a and b are read, the outputs written (the paper's Pallas kernel);
// - naive: h makes an HBM round trip every step (read h_{t−1}, write h_t);
// - associative: a parallel-prefix tree whose (a, b) pairs go through HBM in fp32 at every level.
// A single step (decode) is the same kernel in all three.
import { BYTES_PER_ELEMENT, FP32_BYTES } from "./dtypes.js";
import { ASSOCIATIVE_SCAN_COMBINES_PER_ELEMENT, FLOPS_PER_ELEMENT } from "./flop-table.js";
import type { OpCost, Pass } from "./op.js";

/** A combine reads two (a, b) pairs and writes one, each pair two fp32 values. */
const ASSOCIATIVE_BYTES_PER_COMBINE = 3 * 2 * FP32_BYTES;

export function linearScan(width: number, count: number, pass: Pass): OpCost {
  const B = pass.batch;
  const elements = B * pass.newTokens * width;
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  const s = BYTES_PER_ELEMENT[pass.dtypes.state];
  const implementation = pass.newTokens === 1 ? "fused" : pass.scan;

  // h enters from the cache when there is one, and the final h is stored for the next step.
  const stateBytes = (pass.cachedTokens > 0 ? B * width * s : 0) + (pass.training ? 0 : B * width * s);
  let vectorFlops = FLOPS_PER_ELEMENT.scanStep * elements;
  let activationBytes = 3 * elements * a; // read a and b, write y
  if (implementation === "naive") {
    activationBytes = 2 * elements * a + 2 * elements * s; // read a, b and h_{t−1}; write h_t (the output)
  } else if (implementation === "associative") {
    const combines = ASSOCIATIVE_SCAN_COMBINES_PER_ELEMENT * elements;
    vectorFlops = FLOPS_PER_ELEMENT.scanCombine * combines;
    activationBytes = 3 * elements * a + combines * ASSOCIATIVE_BYTES_PER_COMBINE;
  }
  return {
    name: `RG-LRU scan (${implementation})`,
    block: "recurrent",
    kind: "scan",
    kernel: "scan",
    count,
    matrixFlops: 0,
    vectorFlops: count * vectorFlops,
    bytes: { weights: 0, activations: count * activationBytes, kvCache: 0, state: count * stateBytes },
    implementation,
    shape: { batch: B, tokens: pass.newTokens, cachedTokens: pass.cachedTokens, width },
  };
}
