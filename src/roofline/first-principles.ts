// First-principles terms between a bound and a real kernel, each from the chip's profile:
// - GEMM shape: output tiles run one per SM per wave on GPUs, so a dimension one past a tile, or
//   a last partial wave, costs whole ones; TPUs pad every dimension to the systolic array. Skinny
//   GEMMs (fewer rows than the smallest tile: decode) stay bandwidth bound, as GEMV kernels are.
// - Attention: the softmax's exponential runs on the special-function units, a ceiling of its own
//   (one per query-key pair, recomputed once in the backward pass); the causal mask wastes the
//   masked half of every diagonal block; an implementation that does not overlap softmax with the
//   matmuls (FlashAttention 1 and 2) pays matrix + softmax, one that does (FlashAttention-3,
//   cuDNN on Hopper) the larger of the two.
// Every term only adds time: the result is never below the bound.
import { BACKWARD_FACTOR } from "../cost/flop-table.js";
import type { HardwareProfile, MatrixTiling } from "../hardware/schema.js";
import type { TimedOp } from "./time.js";

/** What the terms read of a timed op. */
export type TermInput = Pick<TimedOp, "kernel" | "shape" | "count" | "pass" | "implementation" | "matrixFlops" | "matrixSeconds" | "vectorSeconds" | "memorySeconds" | "seconds">;

export interface ChipTerms {
  tiling?: MatrixTiling;
  specialFunctionOpsPerSecond?: number;
}

export const chipTermsOf = (profile: HardwareProfile): ChipTerms => ({
  ...(profile.compute.tiling && { tiling: profile.compute.tiling }),
  ...(profile.compute.specialFunction && { specialFunctionOpsPerSecond: profile.compute.specialFunction.opsPerSecond.value }),
});

/** Block size of the flash kernels' causal loop (FlashAttention-2 uses 128-row query blocks). */
export const CAUSAL_BLOCK_TOKENS = 128;

/** Useful fraction of the matrix unit's work for an m×n×k GEMM under the chip's tiling. */
export function gemmShapeEfficiency(m: number, n: number, k: number, tiling: MatrixTiling): number {
  if (tiling.kind === "systolic-padding") {
    const size = tiling.tiles[0]![0];
    const pad = (x: number) => Math.ceil(x / size) * size;
    return (m * n * k) / (pad(m) * pad(n) * pad(k));
  }
  const units = tiling.units ?? 1;
  // Libraries pick the tile that wastes least; so does the estimate.
  return Math.max(...tiling.tiles.map(([tm, tn]) => {
    const tiles = Math.ceil(m / tm) * Math.ceil(n / tn);
    const waves = Math.ceil(tiles / units);
    return (m * n) / (waves * units * tm * tn);
  }));
}

/** Rows below which a GEMM is treated as bandwidth bound (the smallest candidate tile's rows). */
function skinnyRows(tiling: MatrixTiling): number {
  return Math.min(...tiling.tiles.map(([tm]) => tm));
}

function gemmSeconds(op: TermInput, terms: ChipTerms): number {
  const { m, n, k } = op.shape as { m?: number; n?: number; k?: number };
  if (!terms.tiling || m === undefined || n === undefined || k === undefined || m < skinnyRows(terms.tiling)) return op.seconds;
  const compute = op.matrixSeconds / gemmShapeEfficiency(m, n, k, terms.tiling) + op.vectorSeconds;
  return Math.max(compute, op.memorySeconds, op.seconds);
}

/** Pairs a causal loop over blocks of `block` computes for L queries over the same L keys. */
export function causalBlockPairs(tokens: number, block: number): number {
  const blocks = Math.ceil(tokens / block);
  // Full blocks below the diagonal, and the diagonal blocks whole (their masked half included).
  return ((blocks * (blocks - 1)) / 2) * block * block + blocks * block * block;
}

export interface AttentionTerms {
  /** The implementation overlaps the softmax with the matmuls (FlashAttention-3, cuDNN on Hopper). */
  overlap: boolean;
}

/**
 * Attention implementations by name: the work they do (flash kernels only visit pairs inside the
 * mask and keep scores on chip; dense ones, such as plain PyTorch attention, write the score
 * matrix) and whether they overlap the softmax with the matmuls (warp-specialised Hopper
 * kernels). `--attention` takes the first five; published rows name any of them.
 */
export const ATTENTION_KERNELS: Record<string, { work: "flash" | "dense"; overlap: boolean }> = {
  flash: { work: "flash", overlap: false },
  flash2: { work: "flash", overlap: false },
  flash3: { work: "flash", overlap: true },
  cudnn: { work: "flash", overlap: true },
  dense: { work: "dense", overlap: false },
  flash1: { work: "flash", overlap: false },
  flashinfer: { work: "flash", overlap: false },
  xformers: { work: "flash", overlap: false },
  flexattention: { work: "flash", overlap: false },
  triton: { work: "flash", overlap: false },
  pallas: { work: "flash", overlap: false },
  "torch-sdpa": { work: "flash", overlap: false },
  ck: { work: "flash", overlap: false },
};
export const ATTENTION_FLAGS = ["flash", "flash2", "flash3", "cudnn", "dense"] as const;

function attentionSeconds(op: TermInput, terms: ChipTerms, options: AttentionTerms): number {
  const shape = op.shape as { batch?: number; queries?: number; cachedTokens?: number; keysRead?: number; heads?: number; headDim?: number; window?: number };
  const { batch, queries, keysRead, heads, headDim } = shape;
  if (!batch || !queries || !keysRead || !heads || !headDim) return op.seconds;
  const backward = op.pass === "backward" ? BACKWARD_FACTOR.attentionFlops : 1;
  // One exponential per computed pair; the backward pass recomputes the probabilities once.
  const pairs = op.matrixFlops / backward / (4 * headDim);
  const perSequenceHead = pairs / (op.count * batch * heads);
  const causalSelf = op.implementation === "flash" && !shape.cachedTokens && !shape.window && queries === keysRead &&
    Math.abs(perSequenceHead - (queries * (queries + 1)) / 2) < 0.5;
  const waste = causalSelf ? causalBlockPairs(queries, CAUSAL_BLOCK_TOKENS) / perSequenceHead : 1;
  const matrix = op.matrixSeconds * waste;
  const vector = op.vectorSeconds * waste;
  const exponentials = terms.specialFunctionOpsPerSecond ? (pairs * waste) / terms.specialFunctionOpsPerSecond : 0;
  const compute = options.overlap ? Math.max(matrix, vector + exponentials) : matrix + vector + exponentials;
  return Math.max(compute, op.memorySeconds, op.seconds);
}

/** An op's first-principles time: its bound with the terms that apply to it. */
export function modelSeconds(op: TermInput, terms: ChipTerms, attention: AttentionTerms = { overlap: false }): number {
  if (op.kernel === "linear") return gemmSeconds(op, terms);
  if (op.kernel === "attention") return attentionSeconds(op, terms, attention);
  return op.seconds;
}
