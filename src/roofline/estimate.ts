// The estimate beside the bound: each op's first-principles time (src/roofline/first-principles.ts)
// scaled by the published-data calibration of its kind on that chip (src/calibration/kinds.ts),
// plus its launches under the backend mode (src/roofline/launch.ts). A phase is the sum of its
// ops, unless the named backend was fitted on whole published steps: then that fit replaces the
// first-principles launch term. Without a calibration for the chip, the first-principles terms
// alone give the estimate, marked as such.
import { estimateModel, type Estimate, type KindCalibration } from "../calibration/kinds.js";
import type { HardwareProfile } from "../hardware/schema.js";
import type { MatrixDtype } from "../hardware/schema.js";
import { chipTermsOf, modelSeconds, type AttentionTerms, type ChipTerms } from "./first-principles.js";
import { BACKEND_MODES, backendModeOf, defaultBackendMode, launchesOf, launchOverheadSeconds, loopOverheadSeconds, type BackendMode, type LaunchCosts } from "./launch.js";
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

/** Each op's first-principles kernel seconds, its launches after fusion, and what those launches add. */
export function opTerms(ops: readonly TimedOp[], terms: ChipTerms, launch: LaunchCosts, decodeSteps = 1, attention?: AttentionTerms): { seconds: number; launches: number; launchSeconds: number }[] {
  const launches = launchesOf(ops, launch, decodeSteps);
  return ops.map((op, i) => {
    const seconds = modelSeconds(op, terms, attention);
    const launchSeconds = launchOverheadSeconds(seconds, launches[i]!, launch) + loopOverheadSeconds(op, launch, decodeSteps);
    return { seconds, launches: launches[i]!, launchSeconds };
  });
}

/**
 * A whole step's first-principles seconds and launches per kernel kind, and the seconds the
 * launches add. `decodeSteps`: how many steps the ops of a generate's decode stage sum.
 */
export function kindTotals(ops: readonly TimedOp[], terms: ChipTerms, launch: LaunchCosts, decodeSteps = 1, attention?: AttentionTerms): { kinds: KindTotals; launches: number; launchSeconds: number } {
  const kinds: KindTotals = {};
  let launches = 0, launchSeconds = 0;
  opTerms(ops, terms, launch, decodeSteps, attention).forEach((t, i) => {
    const kind = kindOfOp(ops[i]!);
    kinds[kind] = { seconds: (kinds[kind]?.seconds ?? 0) + t.seconds, launches: (kinds[kind]?.launches ?? 0) + t.launches };
    launches += t.launches;
    launchSeconds += t.launchSeconds;
  });
  return { kinds, launches, launchSeconds };
}

export interface EstimateSource {
  terms: ChipTerms;
  /** Launch costs and fusion of the backend mode (named, or the chip's default). */
  launch: LaunchCosts;
  mode: BackendMode;
  /** Whether the attention kernel overlaps the softmax with the matmuls (`--attention flash3`). */
  attention?: AttentionTerms;
  /** The published-data calibration of the chip, when it ships one. */
  calibration?: { file: string; calibration: KindCalibration };
  /** The serving or training stack, for its launch overhead (vllm, tensorrt-llm, torch-eager, …). */
  backend?: string;
}

export function estimateOps(ops: readonly TimedOp[], chip: string, source: EstimateSource, decodeSteps = 1): Estimate {
  const { kinds, launchSeconds } = kindTotals(ops, source.terms, source.launch, decodeSteps, source.attention);
  return estimateModel(source.calibration?.calibration, { chip, backend: source.backend ?? "", kinds, launchSeconds });
}

/** How an estimate's launches are counted, in words: the named backend and its mode, or the chip's default mode. */
export function launchWords(source: Pick<EstimateSource, "backend" | "mode">): string {
  if (source.backend === undefined) return `launches as ${source.mode}, the chip's default (--backend to change)`;
  return source.backend === source.mode ? `launches as ${source.mode}` : `backend ${source.backend} (launches as ${source.mode})`;
}

export interface EstimateOptions { backend?: string; attention?: AttentionTerms; matrixDtype?: MatrixDtype }

/**
 * A chip's estimate: its profile's first-principles terms, refined by `shipped`, the calibration
 * it ships, if any (read from disk by src/calibration/shipped.ts, embedded in the report's page).
 */
export function estimateSourceWith(profile: HardwareProfile, shipped: EstimateSource["calibration"], options: EstimateOptions = {}): EstimateSource {
  const mode = options.backend !== undefined ? backendModeOf(options.backend) : defaultBackendMode(profile);
  return {
    terms: chipTermsOf(profile, { ...(options.matrixDtype && { matrixDtype: options.matrixDtype }) }),
    launch: BACKEND_MODES[mode],
    mode,
    ...(shipped && { calibration: shipped }),
    ...(options.attention && { attention: options.attention }),
    ...(options.backend !== undefined && { backend: options.backend }),
  };
}
