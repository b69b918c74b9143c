// The shapes of calibration files, validated with zod: a harness calibration (`roofline
// calibrate`, ./calibration.ts) and a calibration fitted on published measurements (./kinds.ts).
// Kept apart from the arithmetic that applies them, so that applying a bundled calibration does
// not load zod (src/on-demand.ts).
import { z } from "zod";
import { CALIBRATION_SCHEMA } from "./calibration.js";
import { KIND_CALIBRATION_SCHEMA } from "./kinds.js";

export const Fit = z.object({
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

export const KindCalibrationSchema = z.object({
  schema: z.literal(KIND_CALIBRATION_SCHEMA),
  version: z.literal(1),
  /** The sources (published-measurement files) it was fitted on. */
  fittedOn: z.array(z.string()),
  /** Keys "chip|kind|implementation", "chip|kind", "*|kind|implementation", "*|kind". */
  kernels: z.record(z.string(), Fit),
  /** Whole model steps, keys "chip|backend" and "*|backend": measured = overhead × launches + slowdown × kernel estimate. */
  backends: z.record(z.string(), Fit),
}).strict();
export type KindCalibration = z.infer<typeof KindCalibrationSchema>;
