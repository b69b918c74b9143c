// First-principles terms between a bound and a real kernel, each from the chip's profile:
// - Achievable ceilings: matrix time scales by peak / best achievable matmul throughput (of the
//   dtype, else the fraction measured for bf16), memory time by peak / sustained bandwidth, except
//   for activations small enough to stay in on-chip memory between kernels (L2, VMEM).
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
import type { HardwareProfile, MatrixDtype, MatrixTiling } from "../hardware/schema.js";
import type { TimedOp } from "./time.js";

/** What the terms read of a timed op. */
export type TermInput = Pick<TimedOp, "kernel" | "shape" | "count" | "pass" | "implementation" | "matrixFlops" | "matrixSeconds" | "vectorSeconds" | "memorySeconds" | "seconds" | "bytes" | "bytesTotal">;

export interface ChipTerms {
  tiling?: MatrixTiling;
  specialFunctionOpsPerSecond?: number;
  /** Peak over achievable matrix throughput for the dtype in use (≥ 1; 1 where unmeasured). */
  matrixDerate: number;
  /** Peak over sustained memory bandwidth (≥ 1; 1 where unmeasured). */
  memoryDerate: number;
  /** On-chip memory that holds one kernel's activations for the next (the largest level's total). */
  onChipBytes: number;
}

/** The terms of a chip for a matmul dtype, leaving out achievable ceilings read from `exclude` (a published source). */
export function chipTermsOf(profile: HardwareProfile, options: { matrixDtype?: MatrixDtype; exclude?: string } = {}): ChipTerms {
  const usable = <T extends { dataset?: string | undefined }>(n: T | undefined) =>
    (n && !(options.exclude !== undefined && n.dataset === options.exclude) ? n : undefined);
  const peakOf = (dtype: MatrixDtype) => profile.compute.matrix.find((c) => c.dtype === dtype)?.flopsPerSecond.value;
  const fractionOf = (dtype: MatrixDtype) => {
    const entry = profile.achievable?.matrix.find((m) => m.dtype === dtype && usable(m.flopsPerSecond));
    const peak = peakOf(dtype);
    return entry && peak ? entry.flopsPerSecond.value / peak : undefined;
  };
  const dtype = options.matrixDtype ?? "bf16";
  // A dtype never measured borrows the fraction of the 16-bit measurement: the same units and clock.
  const matrixFraction = fractionOf(dtype) ?? fractionOf("bf16") ?? fractionOf("fp16") ?? 1;
  const memory = usable(profile.achievable?.memoryBytesPerSecond);
  return {
    ...(profile.compute.tiling && { tiling: profile.compute.tiling }),
    ...(profile.compute.specialFunction && { specialFunctionOpsPerSecond: profile.compute.specialFunction.opsPerSecond.value }),
    matrixDerate: 1 / matrixFraction,
    memoryDerate: memory ? profile.memory.main.bytesPerSecond.value / memory.value : 1,
    onChipBytes: Math.max(0, ...profile.memory.onChip.map((m) => m.capacityBytes.value * (m.scope === "chip" ? 1 : m.count))),
  };
}

/** The op's memory time at the sustained bandwidth, activations that fit on chip at the bound's rate. */
function memorySecondsOf(op: TermInput, terms: ChipTerms): number {
  if (op.bytesTotal === 0) return 0;
  const onChip = op.bytes.activations / op.count <= terms.onChipBytes ? op.bytes.activations : 0;
  const offChipShare = (op.bytesTotal - onChip) / op.bytesTotal;
  return op.memorySeconds * (offChipShare * terms.memoryDerate + (1 - offChipShare));
}

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
  // Libraries pick the tile that wastes least; so does the estimate. (A loop: this runs for every
  // matmul of every point of a prepared analysis.)
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < tiling.tiles.length; i++) {
    const [tm, tn] = tiling.tiles[i]!;
    const tiles = Math.ceil(m / tm) * Math.ceil(n / tn);
    const waves = Math.ceil(tiles / units);
    best = Math.max(best, (m * n) / (waves * units * tm * tn));
  }
  return best;
}

/** Rows below which a GEMM is treated as bandwidth bound (the smallest candidate tile's rows). */
function skinnyRows(tiling: MatrixTiling): number {
  let rows = Number.POSITIVE_INFINITY;
  for (let i = 0; i < tiling.tiles.length; i++) rows = Math.min(rows, tiling.tiles[i]![0]);
  return rows;
}

function gemmSeconds(op: TermInput, terms: ChipTerms): number {
  const { m, n, k } = op.shape as { m?: number; n?: number; k?: number };
  const matrix = op.matrixSeconds * terms.matrixDerate;
  const memory = memorySecondsOf(op, terms);
  const shaped = terms.tiling && m !== undefined && n !== undefined && k !== undefined && m >= skinnyRows(terms.tiling);
  const compute = (shaped ? matrix / gemmShapeEfficiency(m, n, k, terms.tiling!) : matrix) + op.vectorSeconds;
  return Math.max(compute, memory, op.seconds);
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
 * kernels). `--attention` takes ATTENTION_FLAGS; published rows name any of them.
 */
export const ATTENTION_KERNELS: Record<string, { work: "flash" | "dense"; overlap: boolean; denseScores?: "fp32" | "activations" }> = {
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
  // Plain PyTorch attention (HuggingFace's reference) and XLA's einsum attention: the scores
  // materialised in the input dtype.
  "torch-eager": { work: "dense", overlap: false, denseScores: "activations" },
  xla: { work: "dense", overlap: false, denseScores: "activations" },
};
export const ATTENTION_FLAGS = ["flash", "flash2", "flash3", "cudnn", "xla", "dense"] as const;

function attentionSeconds(op: TermInput, terms: ChipTerms, options: AttentionTerms): number {
  const shape = op.shape as { batch?: number; queries?: number; cachedTokens?: number; keysRead?: number; heads?: number; headDim?: number; window?: number };
  const { batch, queries, keysRead, heads, headDim } = shape;
  if (!batch || !queries || !keysRead || !heads || !headDim) return otherSeconds(op, terms);
  const backward = op.pass === "backward" ? BACKWARD_FACTOR.attentionFlops : 1;
  // One exponential per computed pair; the backward pass recomputes the probabilities once.
  const pairs = op.matrixFlops / backward / (4 * headDim);
  const perSequenceHead = pairs / (op.count * batch * heads);
  const causalSelf = op.implementation === "flash" && !shape.cachedTokens && !shape.window && queries === keysRead &&
    Math.abs(perSequenceHead - (queries * (queries + 1)) / 2) < 0.5;
  const waste = causalSelf ? causalBlockPairs(queries, CAUSAL_BLOCK_TOKENS) / perSequenceHead : 1;
  const matrix = op.matrixSeconds * terms.matrixDerate * waste;
  const vector = op.vectorSeconds * waste;
  const exponentials = terms.specialFunctionOpsPerSecond ? (pairs * waste) / terms.specialFunctionOpsPerSecond : 0;
  const compute = options.overlap ? Math.max(matrix, vector + exponentials) : matrix + vector + exponentials;
  return Math.max(compute, memorySecondsOf(op, terms), op.seconds);
}

/** Elementwise ops, the scan, norms: the achievable ceilings alone. */
function otherSeconds(op: TermInput, terms: ChipTerms): number {
  return Math.max(op.matrixSeconds * terms.matrixDerate + op.vectorSeconds, memorySecondsOf(op, terms), op.seconds);
}

/** An op's first-principles kernel time (launches apart): its bound with the terms that apply to it. */
export function modelSeconds(op: TermInput, terms: ChipTerms, attention: AttentionTerms = { overlap: false }): number {
  if (op.kernel === "linear") return gemmSeconds(op, terms);
  if (op.kernel === "attention") return attentionSeconds(op, terms, attention);
  return otherSeconds(op, terms);
}
