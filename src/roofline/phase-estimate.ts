// A phase's estimate, written into its ops: each op's first-principles seconds scaled by its
// kind's slowdown plus what its launches add, and the phase's estimate from the sums per kind,
// every op's terms computed once for both. What every point shares (the fits of each kind and of
// the backend) is looked up once per analysis, so that `analyze()` and a prepared analysis of
// many points estimate the same way at the cost of the arithmetic alone.
import { kernelFit, modelEstimator, UNCALIBRATED } from "../calibration/kinds.js";
import { kindOfOp, type EstimateSource, type KernelKind, type KindTotals } from "./estimate.js";
import { modelSeconds } from "./first-principles.js";
import { launchesOf, launchOverheadSeconds, loopOverheadSeconds } from "./launch.js";
import type { PhaseResult } from "./analyze.js";

/** The kernel kinds, in the order their sums are kept. */
const KERNEL_KINDS = ["attention", "gemm", "memory", "scan"] as const satisfies readonly KernelKind[];
const KIND_INDEX: Record<KernelKind, number> = { attention: 0, gemm: 1, memory: 2, scan: 3 };

/** What the estimates of every point share: the fit of each kernel kind and of the backend, looked up once. */
export interface PreparedEstimate {
  source: EstimateSource;
  /** Per kernel kind, in KERNEL_KINDS order: the slowdown of its fit (1 where none) and the fit's name. */
  slowdowns: number[];
  calibrations: string[];
  phase: ReturnType<typeof modelEstimator>;
  /** Per kernel kind: the phase's sums, rewritten for every phase. */
  seconds: Float64Array;
  launches: Float64Array;
  present: boolean[];
}

export function prepareEstimate(source: EstimateSource, chip: string): PreparedEstimate {
  const calibration = source.calibration?.calibration;
  const fits = KERNEL_KINDS.map((kind) => kernelFit(calibration, chip, kind, "*"));
  return {
    source,
    slowdowns: fits.map((found) => (found ? found.fit.slowdown : 1)),
    calibrations: fits.map((found) => (found ? found.key : UNCALIBRATED)),
    phase: modelEstimator(calibration, chip, source.backend ?? ""),
    seconds: new Float64Array(KERNEL_KINDS.length),
    launches: new Float64Array(KERNEL_KINDS.length),
    present: KERNEL_KINDS.map(() => false),
  };
}

/**
 * A phase with its estimate, as src/roofline/analyze.ts's `withEstimate` gives it: each op's
 * first-principles seconds scaled by its kind's slowdown plus what its launches add, and the
 * phase's estimate from the sums per kind, with every op's terms computed once for both. The
 * ops are this phase's own, so they take their fields in place.
 */
export function withPreparedEstimate(result: PhaseResult, estimate: PreparedEstimate): PhaseResult {
  const { source, seconds: kindSeconds, launches: kindLaunches, present } = estimate;
  const steps = result.generate?.decodeSteps ?? 1;
  const ops = result.ops;
  const launches = launchesOf(ops, source.launch, steps);
  kindSeconds.fill(0);
  kindLaunches.fill(0);
  present.fill(false);
  let launchSeconds = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const seconds = modelSeconds(op, source.terms, source.attention);
    const opLaunchSeconds = launchOverheadSeconds(seconds, launches[i]!, source.launch) + loopOverheadSeconds(op, source.launch, steps);
    const kind = KIND_INDEX[kindOfOp(op)];
    // Summed in op order from 0, as src/roofline/estimate.ts's kindTotals sums them.
    kindSeconds[kind] = kindSeconds[kind]! + seconds;
    kindLaunches[kind] = kindLaunches[kind]! + launches[i]!;
    present[kind] = true;
    launchSeconds += opLaunchSeconds;
    op.estimateSeconds = estimate.slowdowns[kind]! * seconds + opLaunchSeconds;
    op.estimateCalibration = estimate.calibrations[kind]!;
  }
  const sums = (kind: number) => (present[kind] ? { seconds: kindSeconds[kind]!, launches: kindLaunches[kind]! } : undefined);
  const kinds: KindTotals = { attention: sums(0), gemm: sums(1), memory: sums(2), scan: sums(3) };
  result.estimate = estimate.phase(kinds, launchSeconds);
  return result;
}

