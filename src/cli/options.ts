// Turning command-line flags into the analysis inputs (./analysis-flags.ts), and the flags that
// read files: a calibration, and the calibration each chip ships.
import { InputError } from "../errors.js";
import { readCalibration, type Calibration } from "../calibration/calibration.js";
import type { HardwareProfile } from "../hardware/schema.js";
import type { EstimateSource } from "../roofline/estimate.js";
import { estimateSourceFor } from "../calibration/shipped.js";
import { estimateOptionsFrom } from "./analysis-flags.js";

export * from "./analysis-flags.js";

/** Loads `--calibration FILE` and checks it was fitted on every chip it will be applied to. */
export function calibrationFrom(file: unknown, hardwareIds: readonly string[]): { file: string; calibration: Calibration } | undefined {
  if (file === undefined || file === false) return undefined; // --no-calibration
  const calibration = readCalibration(String(file));
  for (const id of hardwareIds) {
    if (calibration.hardware !== id) {
      throw new InputError(`--calibration ${String(file)} was fitted on ${calibration.hardware}; it cannot calibrate ${id}`);
    }
  }
  return { file: String(file), calibration };
}

/**
 * The estimate for a chip: the first-principles terms of its profile, refined by the calibration
 * it ships (when it does), with the named backend's launch overhead. `--no-calibration`: none.
 */
export function estimateFrom(flags: { calibration?: unknown; backend?: unknown; attention?: unknown; dtype?: unknown }, profile: HardwareProfile): EstimateSource | undefined {
  if (flags.calibration === false) return undefined;
  return estimateSourceFor(profile, estimateOptionsFrom(flags));
}
