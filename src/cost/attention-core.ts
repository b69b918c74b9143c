// The attention core: scores QKᵀ, softmax, and the weighted sum PV, for one layer kind.
// Flash (default): only pairs inside the causal mask / window are computed and the scores stay
// on chip. Dense: the whole score rectangle is computed, written and re-read in fp32, then
// masked, as the RecurrentGemma reference code does.
import type { AttentionSpec } from "../models/schema.js";
import { BYTES_PER_ELEMENT, FP32_BYTES } from "./dtypes.js";
import { FLOPS_PER_ELEMENT } from "./flop-table.js";
import type { BlockType, OpCost, Pass } from "./op.js";

/** Dense attention writes the logits, reads them for the softmax, writes the probabilities, reads them for PV. */
const DENSE_SCORE_PASSES = 4;

/** Σ_{p=first}^{last} min(p, cap): how many earlier keys each query position sees, capped. */
function sumOfCapped(first: number, last: number, cap: number): number {
  if (last < first) return 0;
  const sum = (from: number, to: number) => ((from + to) * (to - from + 1)) / 2;
  if (last <= cap) return sum(first, last);
  if (first >= cap) return cap * (last - first + 1);
  return sum(first, cap) + cap * (last - cap);
}

export interface AttentionGeometry {
  /** Query-key pairs computed per sequence and query head. */
  pairs: number;
  /** Distinct cached keys (and values) read per sequence. */
  keysRead: number;
}

/**
 * Queries at positions c … c+q−1 (c tokens cached). A query at position p sees keys
 * max(0, p−W) … p: min(p, W) + 1 of them locally, p + 1 globally (cost-model.md).
 */
export function attentionGeometry(local: boolean, window: number, pass: Pass): AttentionGeometry {
  const q = pass.newTokens;
  const c = pass.cachedTokens;
  const last = c + q - 1;
  if (pass.causal === false && !local) return { pairs: q * (c + q), keysRead: c + q };
  if (pass.attention === "flash") {
    const cap = local ? window : Number.POSITIVE_INFINITY;
    const pairs = sumOfCapped(c, last, cap) + q;
    const firstKey = local ? Math.max(0, c - window) : 0;
    return { pairs, keysRead: last + 1 - firstKey };
  }
  // Dense: every query scores every key of the buffer. In decode a local layer's buffer is the
  // whole ring (W cached slots + the new key), filled or not; otherwise it is every position.
  const keys = local && q === 1 ? window + 1 : c + q;
  return { pairs: q * keys, keysRead: keys };
}

export function attentionCore(
  block: Extract<BlockType, "local-attention" | "global-attention">,
  att: AttentionSpec,
  count: number,
  pass: Pass,
): OpCost {
  const local = block === "local-attention";
  const window = att.window ?? 0;
  const { pairs, keysRead } = attentionGeometry(local, window, pass);
  const B = pass.batch;
  const H = att.heads;
  const a = BYTES_PER_ELEMENT[pass.dtypes.activations];
  const kvBytes = 2 * B * keysRead * att.kvHeads * att.headDim * BYTES_PER_ELEMENT[pass.dtypes.cache];
  const qAndOutputBytes = 2 * B * pass.newTokens * H * att.headDim * a;
  const scoreElementBytes = pass.denseScores === "activations" ? a : FP32_BYTES;
  const scoreBytes = pass.attention === "dense" ? DENSE_SCORE_PASSES * B * H * pairs * scoreElementBytes : 0;
  return {
    name: `attention core (${pass.attention})`,
    block,
    kind: "attention",
    kernel: "attention",
    count,
    matrixFlops: count * 4 * B * H * pairs * att.headDim, // QKᵀ and PV, 2 FLOPs per MAC each
    vectorFlops: count * (FLOPS_PER_ELEMENT.softmax + (att.logitSoftcap === undefined ? 0 : FLOPS_PER_ELEMENT.softcap)) * B * H * pairs,
    bytes: {
      weights: 0,
      activations: count * (qAndOutputBytes + scoreBytes + (pass.training ? kvBytes : 0)),
      kvCache: pass.training ? 0 : count * kvBytes,
      state: 0,
    },
    implementation: pass.attention,
    shape: {
      batch: B,
      queries: pass.newTokens,
      cachedTokens: pass.cachedTokens,
      keysRead,
      heads: H,
      kvHeads: att.kvHeads,
      headDim: att.headDim,
      window: local ? window : 0,
    },
  };
}
