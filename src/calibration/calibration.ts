// A harness calibration (`roofline calibrate`): one fit per op class of one chip (src/calibration/
// fit.ts), with the cross-validated errors it was judged by. `--calibration FILE` applies it to
// every time a command prints.
import { readValidatedJson } from "../json-file.js";
import { onDemand } from "../on-demand.js";
import { fitPoints, type CalibrationPoint } from "./fit.js";
import type { Calibration } from "./schemas.js";

/** The schema, zod and all, loaded only when a calibration file is read. */
const schemas = onDemand<typeof import("./schemas.js")>(new URL("./schemas.js", import.meta.url));

export { calibratedSeconds } from "./fit.js";

export type { CalibrationPoint };

export const CALIBRATION_SCHEMA = "roofline.calibration";

export type { Calibration } from "./schemas.js";

export function fitCalibration(points: readonly CalibrationPoint[]): Pick<Calibration, "classes" | "all"> {
  const classes = [...new Set(points.map((p) => p.opClass))];
  return {
    classes: Object.fromEntries(classes.map((c) => [c, fitPoints(points.filter((p) => p.opClass === c))])),
    all: fitPoints(points),
  };
}

export function readCalibration(file: string): Calibration {
  return readValidatedJson(file, schemas().CalibrationSchema, "calibration");
}
