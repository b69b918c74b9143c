// `roofline calibrate`: fit efficiency per op class and size, with k-fold cross-validation.
import Table from "cli-table3";
import type { Calibration } from "../calibration/calibration.js";
import { buildCalibration } from "../validation/calibration.js";
import { toJson } from "../views/json.js";
import { writeFileAtomic } from "../views/atomic-write.js";
import { checkDestinations, sourcesOf } from "../views/output-paths.js";
import { formatPercent, formatSeconds } from "../views/format.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { listOf, positiveInteger } from "./options.js";
import { validateHarness } from "../validation/harness.js";
import { InputError } from "../errors.js";

export interface CalibrateFlags {
  measured: string;
  hw?: string;
  model?: unknown;
  output: string;
  folds?: unknown;
  allowDeviceMismatch?: boolean;
}

/** k of k-fold cross-validation: each kernel is held out once, fitted on the other k − 1 parts. */
function foldsFrom(value: unknown): number {
  const folds = value === undefined ? 5 : positiveInteger("folds", value);
  if (folds < 2) throw new InputError(`--folds: expected a whole number ≥ 2 (one part held out, the others fitted), got "${String(value)}"`);
  return folds;
}

export async function runCalibrate(flags: CalibrateFlags): Promise<string> {
  const folds = foldsFrom(flags.folds);
  checkDestinations([{ flag: "-o", file: flags.output }], [
    ...sourcesOf("--measured", [flags.measured]), ...sourcesOf("--model", listOf(flags.model)), ...sourcesOf("--hw", flags.hw ? [flags.hw] : []),
  ]);
  const validation = await validateHarness(flags.measured, flags.hw, listOf(flags.model), { allowDeviceMismatch: flags.allowDeviceMismatch });
  // Kernels faster than their roofline are errors to fix, not data to fit.
  const points = validation.kernels.filter((k) => !k.fasterThanRoofline).map((k) => ({
    id: k.id, opClass: k.opClass, predictedSeconds: k.predictedSeconds, measuredSeconds: k.measuredSeconds,
  }));
  const calibration = buildCalibration(points, validation.hardware, flags.measured, folds);
  await writeFileAtomic(flags.output, `${toJson(calibration)}\n`);
  return describeCalibration(calibration, flags.output, validation.kernels.length - points.length);
}

export function describeCalibration(c: Calibration, file: string, excluded: number): string {
  const t = new Table({
    head: ["op class", "kernels", "overhead", "slowdown", "achieved at the smallest", "at the largest", "held-out MAPE", "uncalibrated MAPE", "held-out within ±25%"],
    style: { head: [], border: [] }, chars: COMPACT_CHARS,
  });
  const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? "—" : formatPercent(x));
  for (const [name, fit] of Object.entries(c.classes)) {
    const cv = c.crossValidation.byClass[name];
    const achieved = (r: number) => r / (fit.overheadSeconds + fit.slowdown * r);
    t.push([name, String(fit.points), formatSeconds(fit.overheadSeconds), `×${fit.slowdown.toFixed(2)}`,
      pct(achieved(fit.minSeconds)), pct(achieved(fit.maxSeconds)),
      pct(cv?.calibrated.meanAbsoluteError ?? null), pct(cv?.uncalibrated.meanAbsoluteError ?? null), pct(cv?.calibrated.within25 ?? null)]);
  }
  const cv = c.crossValidation;
  return [
    t.toString(),
    `${cv.folds}-fold cross-validation over ${cv.uncalibrated.count} kernels: held-out MAPE ${pct(cv.calibrated.meanAbsoluteError)} ` +
      `(median ${pct(cv.calibrated.medianAbsoluteError)}), uncalibrated ${pct(cv.uncalibrated.meanAbsoluteError)} (median ${pct(cv.uncalibrated.medianAbsoluteError)}).`,
    ...(excluded > 0 ? [`${excluded} kernels measured faster than their roofline were left out of the fit.`] : []),
    `wrote ${file} (for ${c.hardware}); apply it with --calibration ${file}`,
  ].join("\n");
}
