// Mamba-2's SSD scan ([M2] = Dao & Gu 2024, arXiv 2405.21060, §6 and Listing 1), per layer, with H
// heads of P channels, state N per channel, G groups sharing B and C, chunks of Q tokens:
// - inside each chunk, attention-like matrix work: CBᵀ (Q×Q per group, 2·Q²·N), masked by the
//   decays (Q² per head, on the vector units) and applied to x (2·Q²·P per head);
// - each chunk's final state from its inputs, Bᵀx (2·Q·N·P per head), and the outputs from the
//   states entering the chunk, C·h (2·Q·N·P per head): matrix work;
// - the states passed from chunk to chunk, a scan of T/Q steps over N·P elements per head.
// Bytes follow mamba_ssm's chunked kernels (mamba_chunk_scan_combined): x, Δ, B and C read and y
// written once; the chunk states (fp32) written, read to pass them on, written again and read for
// the outputs; CBᵀ (fp32) written and read; Δ and the cumulative decays (fp32) written and read.
//
// A prompt of T ≤ Q tokens is one chunk of T tokens. Longer prompts are counted as T/Q chunks of
// Q tokens, exact when Q divides T (the kernels pad the last chunk); this keeps every cost a
// polynomial in T on each side of Q. A decode step is mamba_ssm's selective_state_update: the
// state N·P per head read, updated and written.
import type { Mamba2Spec } from "../models/schema.js";
import { BYTES_PER_ELEMENT, FP32_BYTES } from "./dtypes.js";
import { FLOPS_PER_ELEMENT } from "./flop-table.js";
import type { OpCost, Pass } from "./op.js";

/** Chunk states: written, read to pass on, written passed on, read for the outputs. */
const STATE_PASSES = 4;
/** CBᵀ and the per-head Δ and cumulative decays: each written once and read once. */
const SCORE_PASSES = 2;
const DECAY_PASSES = 4;

export function ssdScan(m2: Mamba2Spec, count: number, pass: Pass): OpCost {
  const B = pass.batch;
  const T = pass.newTokens;
  const E = m2.innerWidth;
  const H = E / m2.headDim;
  const N = m2.stateSize;
  const G = m2.groups;
  const stateElements = H * m2.headDim * N; // per sequence = E·N
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  const s = BYTES_PER_ELEMENT[pass.dtypes.state];
  const stateBytes = (pass.cachedTokens > 0 ? B * stateElements * s : 0) + (pass.training ? 0 : B * stateElements * s);
  // x read and y written (E each), Δ per head, B and C per group, per token.
  const ioBytes = B * T * (2 * E + H + 2 * G * N) * a;
  const step = T === 1;

  let matrixFlops = 0;
  let vectorFlops: number;
  let intermediateBytes = 0;
  if (step) {
    vectorFlops = B * (FLOPS_PER_ELEMENT.ssdStepState * stateElements + FLOPS_PER_ELEMENT.ssdPerHeadStep * H + FLOPS_PER_ELEMENT.ssdPerChannelStep * E);
  } else {
    const chunkTokens = Math.min(T, m2.chunkSize);
    const chunks = T / chunkTokens; // 1 up to Q tokens, T/Q beyond
    const squares = chunks * chunkTokens * chunkTokens; // T² or T·Q: scores inside chunks, per head
    matrixFlops = B * (2 * squares * (G * N + H * m2.headDim) + 2 * 2 * T * stateElements);
    vectorFlops = B * (FLOPS_PER_ELEMENT.ssdDecayMask * squares * H + FLOPS_PER_ELEMENT.ssdPerHeadStep * T * H +
      FLOPS_PER_ELEMENT.ssdPerChannelStep * T * E + FLOPS_PER_ELEMENT.ssdStatePassing * chunks * stateElements);
    intermediateBytes = B * FP32_BYTES * (STATE_PASSES * chunks * stateElements + SCORE_PASSES * squares * G + DECAY_PASSES * T * H);
  }
  return {
    name: step ? "SSD state update" : "SSD scan (chunked)",
    block: "mamba2",
    kind: "scan",
    kernel: "ssd",
    count,
    matrixFlops: count * matrixFlops,
    vectorFlops: count * vectorFlops,
    bytes: { weights: count * 3 * H * a, activations: count * (ioBytes + intermediateBytes), kvCache: 0, state: count * stateBytes },
    implementation: step ? "state update" : "chunked",
    shape: { batch: B, tokens: T, cachedTokens: pass.cachedTokens, heads: H, headDim: m2.headDim, stateSize: N, groups: G, chunkSize: m2.chunkSize },
  };
}
