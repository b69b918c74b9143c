// The calibrations fitted on the published measurements that ship with the tool, one file per
// chip (hardware-profiles/calibrations/<chip>.json, written by `npm run calibrations`). A chip
// without one gets no estimate beyond its bound.
import fs from "node:fs";
import path from "node:path";
import { hardwareProfilesDir } from "../paths.js";
import { readKindCalibration, type KindCalibration } from "./kinds.js";

export const shippedCalibrationsDir = path.join(hardwareProfilesDir, "calibrations");

export function shippedCalibration(chip: string): { file: string; calibration: KindCalibration } | undefined {
  const file = path.join(shippedCalibrationsDir, `${chip}.json`);
  if (!fs.existsSync(file)) return undefined;
  return { file: path.relative(process.cwd(), file) || file, calibration: readKindCalibration(file) };
}

/** The part of a calibration that concerns one chip: its own fits and the fits over every chip. */
export function calibrationForChip(calibration: KindCalibration, chip: string): KindCalibration | undefined {
  const mine = (key: string) => key.startsWith(`${chip}|`) || key.startsWith("*|");
  const kernels = Object.fromEntries(Object.entries(calibration.kernels).filter(([key]) => mine(key)));
  const backends = Object.fromEntries(Object.entries(calibration.backends).filter(([key]) => mine(key)));
  const own = [...Object.keys(kernels), ...Object.keys(backends)].some((key) => key.startsWith(`${chip}|`));
  return own ? { ...calibration, kernels, backends } : undefined;
}
