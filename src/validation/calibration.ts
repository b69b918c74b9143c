// Calibration: how much slower than its roofline each op class runs, as a function of size,
// fitted to measurements. Per class, measured time = overhead + slowdown × roofline time: the
// overhead (launch, dispatch) dominates small kernels, the slowdown (achieved fraction of the
// roof = 1 / slowdown) large ones, so the achieved fraction rises with size as measurements
// show. The fit minimises relative errors (least squares weighted by 1 / measured²), with
// overhead ≥ 0 and slowdown ≥ 1 (calibration never makes a kernel faster than its roofline).
// k-fold cross-validation reports the held-out error beside the uncalibrated one.
import { z } from "zod";
import { InputError } from "../errors.js";
import { readValidatedJson } from "../json-file.js";
import { relativeError, summarizeByClass, type ErrorSummary } from "./errors.js";

export const CALIBRATION_SCHEMA = "roofline.calibration";

export interface CalibrationPoint {
  id: string;
  opClass: string;
  /** Roofline time of one kernel instance. */
  predictedSeconds: number;
  measuredSeconds: number;
}

const Fit = z.object({
  overheadSeconds: z.number().finite().min(0),
  slowdown: z.number().finite().min(1),
  /** Range of roofline times (seconds per kernel) the fit saw. */
  minSeconds: z.number().finite().positive(),
  maxSeconds: z.number().finite().positive(),
  points: z.number().int().positive(),
}).strict();
export type Fit = z.infer<typeof Fit>;

const Summary = z.object({
  count: z.number(), medianAbsoluteError: z.number().nullable(), meanAbsoluteError: z.number().nullable(),
  worst: z.object({ id: z.string(), error: z.number() }).nullable(), within10: z.number().nullable(), within25: z.number().nullable(),
});

export const CalibrationSchema = z.object({
  schema: z.literal(CALIBRATION_SCHEMA),
  version: z.literal(1),
  hardware: z.string(),
  source: z.string(),
  predictor: z.string(),
  classes: z.record(z.string(), Fit),
  all: Fit,
  crossValidation: z.object({
    folds: z.number().int().positive(),
    uncalibrated: Summary,
    calibrated: Summary,
    byClass: z.record(z.string(), z.object({ uncalibrated: Summary, calibrated: Summary })),
  }),
}).strict();
export type Calibration = z.infer<typeof CalibrationSchema>;

/** Weighted least squares of measured = overhead + slowdown × roofline, weights 1 / measured². */
function solve(points: readonly CalibrationPoint[], fixed: { overhead?: number; slowdown?: number }): { overhead: number; slowdown: number } {
  // Minimise Σ ((t0 + k·r − m) / m)²: with u = 1/m and v = r/m, Σ (t0·u + k·v − 1)².
  let uu = 0, uv = 0, vv = 0, u1 = 0, v1 = 0;
  for (const p of points) {
    const u = 1 / p.measuredSeconds;
    const v = p.predictedSeconds / p.measuredSeconds;
    uu += u * u; uv += u * v; vv += v * v; u1 += u; v1 += v;
  }
  if (fixed.overhead !== undefined) return { overhead: fixed.overhead, slowdown: (v1 - fixed.overhead * uv) / vv };
  if (fixed.slowdown !== undefined) return { overhead: (u1 - fixed.slowdown * uv) / uu, slowdown: fixed.slowdown };
  const det = uu * vv - uv * uv;
  if (Math.abs(det) < 1e-12 * uu * vv) return { overhead: 0, slowdown: v1 / vv };
  return { overhead: (u1 * vv - v1 * uv) / det, slowdown: (v1 * uu - u1 * uv) / det };
}

export function fitPoints(points: readonly CalibrationPoint[]): Fit {
  let { overhead, slowdown } = solve(points, {});
  if (overhead < 0) ({ overhead, slowdown } = solve(points, { overhead: 0 }));
  if (slowdown < 1) ({ overhead, slowdown } = solve(points, { slowdown: 1 }));
  if (overhead < 0) ({ overhead, slowdown } = { overhead: 0, slowdown: 1 });
  const seconds = points.map((p) => p.predictedSeconds);
  return { overheadSeconds: overhead, slowdown: Math.max(1, slowdown), minSeconds: Math.min(...seconds), maxSeconds: Math.max(...seconds), points: points.length };
}

/** Margin, as a factor on roofline time, inside which a kernel still counts as within the fitted range. */
const RANGE_MARGIN = 1.25;

/** The calibrated time of `instances` kernels whose roofline times add up to `rooflineSeconds`. */
export function calibratedSeconds(
  calibration: Pick<Calibration, "classes" | "all">, opClass: string, rooflineSeconds: number, instances: number,
): { seconds: number; extrapolated: boolean } {
  const fit = calibration.classes[opClass] ?? calibration.all;
  const perInstance = rooflineSeconds / instances;
  const extrapolated = !calibration.classes[opClass] || perInstance < fit.minSeconds / RANGE_MARGIN || perInstance > fit.maxSeconds * RANGE_MARGIN;
  return { seconds: instances * fit.overheadSeconds + fit.slowdown * rooflineSeconds, extrapolated };
}

export function fitCalibration(points: readonly CalibrationPoint[]): Pick<Calibration, "classes" | "all"> {
  const classes = [...new Set(points.map((p) => p.opClass))];
  return {
    classes: Object.fromEntries(classes.map((c) => [c, fitPoints(points.filter((p) => p.opClass === c))])),
    all: fitPoints(points),
  };
}

/** A stable pseudo-random fold per point, from its id, so that runs are reproducible. */
function foldOf(id: string, folds: number): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619) >>> 0;
  return hash % folds;
}

export function crossValidate(points: readonly CalibrationPoint[], folds: number): Calibration["crossValidation"] {
  const k = Math.max(2, Math.min(folds, points.length));
  const held: { id: string; opClass: string; error: number }[] = [];
  for (let fold = 0; fold < k; fold++) {
    const test = points.filter((p) => foldOf(p.id, k) === fold);
    const train = points.filter((p) => foldOf(p.id, k) !== fold);
    if (test.length === 0 || train.length === 0) continue;
    const fitted = fitCalibration(train);
    for (const p of test) {
      const { seconds } = calibratedSeconds(fitted, p.opClass, p.predictedSeconds, 1);
      held.push({ id: p.id, opClass: p.opClass, error: relativeError(seconds, p.measuredSeconds) });
    }
  }
  const raw = points.map((p) => ({ id: p.id, opClass: p.opClass, error: relativeError(p.predictedSeconds, p.measuredSeconds) }));
  const calibrated = summarizeByClass(held);
  const uncalibrated = summarizeByClass(raw);
  const byClass = Object.fromEntries(Object.keys(uncalibrated.byClass).map((c) => [c, {
    uncalibrated: uncalibrated.byClass[c]!,
    calibrated: calibrated.byClass[c] ?? summarizeByClass([]).overall,
  }]));
  return { folds: k, uncalibrated: uncalibrated.overall, calibrated: calibrated.overall, byClass: byClass as Record<string, { uncalibrated: ErrorSummary; calibrated: ErrorSummary }> };
}

export function buildCalibration(points: readonly CalibrationPoint[], hardware: string, source: string, folds = 5): Calibration {
  if (points.length === 0) throw new InputError(`${source}: no usable measurements to calibrate from`);
  return {
    schema: CALIBRATION_SCHEMA,
    version: 1,
    hardware,
    source,
    predictor: "per op class: measured seconds = overheadSeconds + slowdown × roofline seconds, per kernel; fitted on relative errors, overhead ≥ 0, slowdown ≥ 1",
    ...fitCalibration(points),
    crossValidation: crossValidate(points, folds),
  };
}

export function readCalibration(file: string): Calibration {
  return readValidatedJson(file, CalibrationSchema, "calibration");
}
