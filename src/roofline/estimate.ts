// The estimate beside the bound: each op's first-principles time (src/roofline/first-principles.ts)
// scaled by the published-data calibration of its kind on that chip (src/calibration/kinds.ts),
// plus the backend's launch overhead on the phase when a backend is named and was fitted. Without
// a calibration for the chip, the first-principles terms alone give the estimate, marked as such.
import { estimateKernel, estimateModel, type Estimate, type KindCalibration } from "../calibration/kinds.js";
import { shippedCalibration } from "../calibration/shipped.js";
import type { HardwareProfile } from "../hardware/schema.js";
import { chipTermsOf, modelSeconds, type AttentionTerms, type ChipTerms } from "./first-principles.js";
import type { TimedOp } from "./time.js";

/** What a calibration is fitted per: the roof a kernel runs against, not the op's name. */
export type KernelKind = "gemm" | "attention" | "memory" | "scan";

/** First-principles seconds and launches of a whole step's ops, per kernel kind. */
export type KindTotals = Partial<Record<KernelKind, { seconds: number; launches: number }>>;

/** Memory-bound ops take the bandwidth efficiency; compute-bound ones their kind's. */
export function kindOfOp(op: Pick<TimedOp, "bound" | "kernel" | "kind">): KernelKind {
  if (op.bound === "memory") return "memory";
  if (op.kernel === "attention") return "attention";
  if (op.kind === "scan") return "scan";
  return op.kind === "matmul" ? "gemm" : "memory";
}

/** `decodeSteps`: how many steps the ops of a generate's decode stage sum (their launches repeat). */
export function kindTotals(ops: readonly TimedOp[], terms: ChipTerms, decodeSteps = 1, attention?: AttentionTerms): { kinds: KindTotals; launches: number } {
  const kinds: KindTotals = {};
  let launches = 0;
  for (const op of ops) {
    const n = op.count * (op.stage === "decode" ? decodeSteps : 1);
    const kind = kindOfOp(op);
    kinds[kind] = { seconds: (kinds[kind]?.seconds ?? 0) + modelSeconds(op, terms, attention), launches: (kinds[kind]?.launches ?? 0) + n };
    launches += n;
  }
  return { kinds, launches };
}

export interface EstimateSource {
  terms: ChipTerms;
  /** Whether the attention kernel overlaps the softmax with the matmuls (`--attention flash3`). */
  attention?: AttentionTerms;
  /** The published-data calibration of the chip, when it ships one. */
  calibration?: { file: string; calibration: KindCalibration };
  /** The serving or training stack, for its launch overhead (vllm, tensorrt-llm, torch-eager, …). */
  backend?: string;
}

export function estimateOps(ops: readonly TimedOp[], chip: string, source: EstimateSource, decodeSteps = 1): Estimate {
  return estimateModel(source.calibration?.calibration, { chip, backend: source.backend ?? "", kinds: kindTotals(ops, source.terms, decodeSteps, source.attention).kinds });
}

/**
 * Each op with its own estimate: its first-principles time scaled by the slowdown of its kind on
 * this chip (no launch overhead, which belongs to the backend and is added to the phase only).
 */
export function withOpEstimates(ops: readonly TimedOp[], chip: string, source: EstimateSource, decodeSteps = 1): TimedOp[] {
  return ops.map((op) => {
    const launches = op.count * (op.stage === "decode" ? decodeSteps : 1);
    const estimate = estimateKernel(source.calibration?.calibration, chip, kindOfOp(op), "*", modelSeconds(op, source.terms, source.attention), launches, { overhead: false });
    return { ...op, estimateSeconds: estimate.seconds, estimateCalibration: estimate.calibration };
  });
}

/** A chip's estimate: its profile's first-principles terms, refined by the calibration it ships, if any. */
export function estimateSourceFor(profile: HardwareProfile, options: { backend?: string; attention?: AttentionTerms } = {}): EstimateSource {
  const shipped = shippedCalibration(profile.id);
  return {
    terms: chipTermsOf(profile),
    ...(shipped && { calibration: shipped }),
    ...(options.attention && { attention: options.attention }),
    ...(options.backend !== undefined && { backend: options.backend }),
  };
}
