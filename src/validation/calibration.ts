// Building a harness calibration with k-fold cross-validation: the held-out error is reported
// beside the uncalibrated one, so a calibration is judged on kernels it was not fitted on.
import { InputError } from "../errors.js";
import { CALIBRATION_SCHEMA, calibratedSeconds, fitCalibration, type Calibration, type CalibrationPoint } from "../calibration/calibration.js";
import { relativeError, summarizeByClass, type ErrorSummary } from "./errors.js";

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

