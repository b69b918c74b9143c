// Mamba's selective scan ([M] = Gu & Dao 2023, arXiv 2312.00752, §3.3 and Alg. 2): per channel e
// of the E-wide branch and state index n < N,
//     h_t[e,n] = exp(Δ_t[e]·A[e,n])·h_{t−1}[e,n] + Δ_t[e]·B_t[n]·u_t[e],   y_t[e] = Σ_n C_t[n]·h_t[e,n] + D[e]·u_t[e],
// with Δ = softplus(dt_proj output), then y ⊙ SiLU(z). The state is N times the width of the
// activations, so where it lives decides the bytes (cost-model.md's scan options):
// - fused (mamba_ssm's selective_scan_cuda, the default): u, Δ, z, B and C are read once, y written
//   once; the discretised Ā, B̄u and h stay in SRAM, and the SiLU(z) gate runs in the kernel.
// - naive (mamba_ssm's selective_scan_ref): Ā and B̄u are written to HBM as E·N tensors in fp32 and
//   read back, and h makes an HBM round trip every step, as the per-step loop keeps it; the gate is
//   its own op.
// - associative: Ā and B̄u written in fp32, then a parallel-prefix tree over the (Ā, B̄u) pairs.
// A decode step (mamba_ssm's selective_state_update) is one fused kernel that reads and writes h.
import { BYTES_PER_ELEMENT, FP32_BYTES } from "./dtypes.js";
import { ASSOCIATIVE_SCAN_COMBINES_PER_ELEMENT, FLOPS_PER_ELEMENT } from "./flop-table.js";
import type { BlockType, OpCost, Pass } from "./op.js";

/** A combine reads two (a, b) pairs and writes one, each pair two fp32 values. */
const ASSOCIATIVE_BYTES_PER_COMBINE = 3 * 2 * FP32_BYTES;

/** Ā and B̄u written and read back, fp32 each. */
const DISCRETISED_BYTES_PER_STATE_ELEMENT = 2 * 2 * FP32_BYTES;

export interface SelectiveScanShape {
  block: BlockType;
  /** E: channels. */
  innerWidth: number;
  /** N: state per channel. */
  stateSize: number;
  count: number;
}

/** Whether the SiLU(z) gate runs inside the scan kernel (fused and decode) rather than as its own op. */
export const scanGatesInKernel = (pass: Pass): boolean => pass.newTokens === 1 || pass.scan === "fused";

export function selectiveScan(shape: SelectiveScanShape, pass: Pass): OpCost {
  const { innerWidth: E, stateSize: N, count } = shape;
  const B = pass.batch;
  const m = B * pass.newTokens;
  const channelSteps = m * E;
  const stateSteps = channelSteps * N;
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  const s = BYTES_PER_ELEMENT[pass.dtypes.state];
  const implementation = pass.newTokens === 1 ? "fused" : pass.scan;
  const gated = scanGatesInKernel(pass);

  // h enters from the cache when there is one, and the final h is stored for the next step.
  const stateBytes = (pass.cachedTokens > 0 ? B * E * N * s : 0) + (pass.training ? 0 : B * E * N * s);
  // u and Δ (and z when gated here), B and C read; y written.
  let activationBytes = ((gated ? 3 : 2) * channelSteps + 2 * m * N + channelSteps) * a;
  let vectorFlops = FLOPS_PER_ELEMENT.selectiveScanChannel * channelSteps + FLOPS_PER_ELEMENT.selectiveScanState * stateSteps +
    (gated ? (FLOPS_PER_ELEMENT.silu + FLOPS_PER_ELEMENT.product) * channelSteps : 0);
  if (implementation === "naive") {
    activationBytes += stateSteps * (DISCRETISED_BYTES_PER_STATE_ELEMENT + 2 * s); // read h_{t−1}, write h_t
  } else if (implementation === "associative") {
    const combines = ASSOCIATIVE_SCAN_COMBINES_PER_ELEMENT * stateSteps;
    // The recurrence's multiply-add (2 of selectiveScanState) becomes the tree's combines.
    vectorFlops += FLOPS_PER_ELEMENT.scanCombine * combines - FLOPS_PER_ELEMENT.scanStep * stateSteps;
    activationBytes += stateSteps * DISCRETISED_BYTES_PER_STATE_ELEMENT + combines * ASSOCIATIVE_BYTES_PER_COMBINE;
  }
  return {
    name: `selective scan (${implementation}${gated ? ", gated" : ""})`,
    block: shape.block,
    kind: "scan",
    kernel: "selective-scan",
    count,
    matrixFlops: 0,
    vectorFlops: count * vectorFlops,
    bytes: {
      weights: count * (E * N + E) * a, // A (E·N) and D (E)
      activations: count * activationBytes,
      kvCache: 0,
      state: count * stateBytes,
    },
    implementation,
    shape: { batch: B, tokens: pass.newTokens, cachedTokens: pass.cachedTokens, width: E, stateSize: N },
  };
}
