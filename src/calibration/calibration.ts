// A harness calibration (`roofline calibrate`): one fit per op class of one chip (src/calibration/
// fit.ts), with the cross-validated errors it was judged by. `--calibration FILE` applies it to
// every time a command prints.
import { z } from "zod";
import { readValidatedJson } from "../json-file.js";
import { Fit, fitPoints, type CalibrationPoint } from "./fit.js";

export { calibratedSeconds } from "./fit.js";

export type { CalibrationPoint };

export const CALIBRATION_SCHEMA = "roofline.calibration";

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

export function fitCalibration(points: readonly CalibrationPoint[]): Pick<Calibration, "classes" | "all"> {
  const classes = [...new Set(points.map((p) => p.opClass))];
  return {
    classes: Object.fromEntries(classes.map((c) => [c, fitPoints(points.filter((p) => p.opClass === c))])),
    all: fitPoints(points),
  };
}

export function readCalibration(file: string): Calibration {
  return readValidatedJson(file, CalibrationSchema, "calibration");
}
