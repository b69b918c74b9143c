// The calibrations fitted on the published measurements that ship with the tool, one file per
// chip (hardware-profiles/calibrations/<chip>.json, written by `npm run calibrations`). A chip
// without one gets no estimate beyond its bound. Each comes as the build validated it
// (src/bundled-snapshot.ts) unless its file changed since.
import fs from "node:fs";
import path from "node:path";
import { hardwareProfilesDir } from "../paths.js";
import { validatedAtBuild } from "../bundled-snapshot.js";
import { readTextFile } from "../json-file.js";
import { MAX_JSON_BYTES } from "../limits.js";
import type { KindCalibration } from "./kinds.js";
import { parseKindCalibration } from "./kind-files.js";
import type { HardwareProfile } from "../hardware/schema.js";
import { estimateSourceWith, type EstimateOptions, type EstimateSource } from "../roofline/estimate.js";

export const shippedCalibrationsDir = path.join(hardwareProfilesDir, "calibrations");

export function shippedCalibration(chip: string): { file: string; calibration: KindCalibration } | undefined {
  const file = path.join(shippedCalibrationsDir, `${chip}.json`);
  if (!fs.existsSync(file)) return undefined;
  const text = readTextFile(file, "calibration", MAX_JSON_BYTES);
  const calibration = (validatedAtBuild("calibrations", chip, text) as KindCalibration | undefined) ?? parseKindCalibration(text, file);
  return { file: path.relative(process.cwd(), file) || file, calibration };
}

/** The part of a calibration that concerns one chip: its own fits and the fits over every chip. */
export function calibrationForChip(calibration: KindCalibration, chip: string): KindCalibration | undefined {
  const mine = (key: string) => key.startsWith(`${chip}|`) || key.startsWith("*|");
  const kernels = Object.fromEntries(Object.entries(calibration.kernels).filter(([key]) => mine(key)));
  const backends = Object.fromEntries(Object.entries(calibration.backends).filter(([key]) => mine(key)));
  const own = [...Object.keys(kernels), ...Object.keys(backends)].some((key) => key.startsWith(`${chip}|`));
  return own ? { ...calibration, kernels, backends } : undefined;
}

/** A chip's estimate: its profile's first-principles terms, refined by the calibration it ships, if any. */
export function estimateSourceFor(profile: HardwareProfile, options: EstimateOptions = {}): EstimateSource {
  return estimateSourceWith(profile, shippedCalibration(profile.id), options);
}
