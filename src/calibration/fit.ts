// Fitting how much slower than its roofline a kind of kernel runs: measured time = overhead ×
// launches + slowdown × roofline time. The overhead (launch, dispatch) dominates small kernels,
// the slowdown (1 / achieved fraction of the roof) large ones, so the achieved fraction rises
// with size as measurements show. The fit minimises relative errors (least squares weighted by
// 1 / measured²), with overhead ≥ 0 and slowdown ≥ 1: a calibration never makes a kernel faster
// than its roofline. This layer sits below the roofline evaluation and the validation that use it.
import type { Fit } from "./schemas.js";

export interface CalibrationPoint {
  id: string;
  opClass: string;
  /** Roofline time of the measured work (all its launches). */
  predictedSeconds: number;
  measuredSeconds: number;
  /** Kernel launches the measured time stands for (1 for a single kernel). */
  launches?: number;
}

export type { Fit } from "./schemas.js";

/** Weighted least squares of measured = overhead + slowdown × roofline, weights 1 / measured². */
function solve(points: readonly CalibrationPoint[], fixed: { overhead?: number; slowdown?: number }): { overhead: number; slowdown: number } {
  // Minimise Σ ((t0·n + k·r − m) / m)²: with u = n/m and v = r/m, Σ (t0·u + k·v − 1)².
  let uu = 0, uv = 0, vv = 0, u1 = 0, v1 = 0;
  for (const p of points) {
    const u = (p.launches ?? 1) / p.measuredSeconds;
    const v = p.predictedSeconds / p.measuredSeconds;
    uu += u * u; uv += u * v; vv += v * v; u1 += u; v1 += v;
  }
  if (fixed.overhead !== undefined) return { overhead: fixed.overhead, slowdown: (v1 - fixed.overhead * uv) / vv };
  if (fixed.slowdown !== undefined) return { overhead: (u1 - fixed.slowdown * uv) / uu, slowdown: fixed.slowdown };
  const det = uu * vv - uv * uv;
  if (Math.abs(det) < 1e-12 * uu * vv) return { overhead: 0, slowdown: v1 / vv };
  return { overhead: (u1 * vv - v1 * uv) / det, slowdown: (v1 * uu - u1 * uv) / det };
}

/**
 * Sizes (roofline seconds per launch) must span at least this factor for an overhead to be told
 * apart from a slowdown; a narrower group (a bandwidth test at one array size) fits a slowdown alone.
 */
export const OVERHEAD_SIZE_SPAN = 4;

/** `withOverhead: false` fits a slowdown alone (e.g. points pooled from several chips). */
export function fitPoints(points: readonly CalibrationPoint[], options: { withOverhead?: boolean } = {}): Fit {
  const perLaunch = points.map((p) => p.predictedSeconds / (p.launches ?? 1));
  const identifiable = (options.withOverhead ?? true) && Math.max(...perLaunch) >= OVERHEAD_SIZE_SPAN * Math.min(...perLaunch);
  let { overhead, slowdown } = solve(points, identifiable ? {} : { overhead: 0 });
  if (overhead < 0) ({ overhead, slowdown } = solve(points, { overhead: 0 }));
  if (slowdown < 1) ({ overhead, slowdown } = solve(points, { slowdown: 1 }));
  if (overhead < 0) ({ overhead, slowdown } = { overhead: 0, slowdown: 1 });
  return { overheadSeconds: overhead, slowdown: Math.max(1, slowdown), minSeconds: Math.min(...perLaunch), maxSeconds: Math.max(...perLaunch), points: points.length };
}

/** Fits per op class, and one over every class for classes never measured. */
export interface FitTable {
  classes: Record<string, Fit>;
  all: Fit;
}

/** Margin, as a factor on roofline time, inside which a kernel still counts as within the fitted range. */
export const RANGE_MARGIN = 1.25;

/** The calibrated time of `instances` kernels whose roofline times add up to `rooflineSeconds`. */
export function calibratedSeconds(
  calibration: FitTable, opClass: string, rooflineSeconds: number, instances: number,
): { seconds: number; extrapolated: boolean } {
  const fit = calibration.classes[opClass] ?? calibration.all;
  const perInstance = rooflineSeconds / instances;
  const extrapolated = !calibration.classes[opClass] || perInstance < fit.minSeconds / RANGE_MARGIN || perInstance > fit.maxSeconds * RANGE_MARGIN;
  return { seconds: instances * fit.overheadSeconds + fit.slowdown * rooflineSeconds, extrapolated };
}

