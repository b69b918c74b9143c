// `roofline validate`: measured kernels against the cost model's predictions.
import Table from "cli-table3";
import { ceilingsFor } from "../hardware/ceilings.js";
import { readMeasurements } from "../measurements/read.js";
import { matrixDtypeOf } from "../roofline/analyze.js";
import { measuredCeilings } from "../validation/ceilings.js";
import { summarizeByClass, type ErrorSummary } from "../validation/errors.js";
import { compareKernels, rowImplementation, type KernelComparison } from "../validation/kernels.js";
import { modelsByName, profileForDevice } from "../validation/resolve.js";
import { formatPercent, formatSeconds } from "../views/format.js";
import { toJson } from "../views/json.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { InputError } from "../errors.js";
import { listOf } from "./options.js";

export interface ValidateFlags {
  measured: string;
  hw?: string;
  model?: unknown;
  json?: boolean;
}

export interface HarnessValidation {
  hardware: string;
  measuredCeilings: boolean;
  kernels: KernelComparison[];
  summary: ReturnType<typeof summarizeByClass>;
  summaryMeasuredCeilings: ReturnType<typeof summarizeByClass> | null;
}

export function validateHarness(file: string, hw: string | undefined, modelFiles: readonly string[]): HarnessValidation {
  const { rows } = readMeasurements(file);
  const usable = rows.filter((r) => r.check === "pass");
  if (usable.length === 0) throw new InputError(`${file}: no measurement passed its correctness check`);
  const profile = profileForDevice(hw, usable.map((r) => r.device_name), file);
  const dtypes = [...new Set(usable.map((r) => matrixDtypeOf(rowImplementation(r))))];
  if (dtypes.length !== 1) throw new InputError(`${file}: mixes matrix dtypes ${dtypes.join(", ")}; validate one at a time`);
  const vendor = ceilingsFor(profile, dtypes[0]!);
  const measured = measuredCeilings(profile, vendor);
  const kernels = compareKernels(usable, modelsByName(modelFiles), vendor, measured);
  const withMeasured = kernels.filter((k) => k.predictedSecondsMeasuredCeilings !== null).map((k) => ({
    ...k, error: (k.predictedSecondsMeasuredCeilings! - k.measuredSeconds) / k.measuredSeconds,
  }));
  return {
    hardware: profile.id,
    measuredCeilings: measured !== null,
    kernels,
    summary: summarizeByClass(kernels),
    summaryMeasuredCeilings: measured ? summarizeByClass(withMeasured) : null,
  };
}

const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : "—");
const signed = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)}%`;

export function summaryTable(summary: ReturnType<typeof summarizeByClass>): string {
  const t = new Table({
    head: ["op class", "kernels", "median |error|", "MAPE", "worst", "within ±10%", "within ±25%"],
    style: { head: [], border: [] }, chars: COMPACT_CHARS,
  });
  const row = (name: string, s: ErrorSummary) =>
    t.push([name, String(s.count), pct(s.medianAbsoluteError), pct(s.meanAbsoluteError), s.worst ? signed(s.worst.error) : "—", pct(s.within10), pct(s.within25)]);
  for (const [name, s] of Object.entries(summary.byClass)) row(name, s);
  row("all", summary.overall);
  return t.toString();
}

export function runValidate(flags: ValidateFlags): string {
  const result = validateHarness(flags.measured, flags.hw, listOf(flags.model));
  if (flags.json) return toJson({ schema: "roofline.validation", version: 1, ...result });
  const t = new Table({
    head: ["kernel", "class", "measured", "roofline", "achieved", ...(result.measuredCeilings ? ["achieved (measured ceilings)"] : []), "error", ""],
    style: { head: [], border: [] }, chars: COMPACT_CHARS,
  });
  for (const k of result.kernels) {
    t.push([k.id, k.opClass, formatSeconds(k.measuredSeconds), formatSeconds(k.predictedSeconds), pct(k.achievedFraction),
      ...(result.measuredCeilings ? [k.achievedFractionMeasuredCeilings === null ? "—" : pct(k.achievedFractionMeasuredCeilings)] : []),
      signed(k.error), k.fasterThanRoofline ? "FASTER THAN ROOFLINE" : ""]);
  }
  const flagged = result.kernels.filter((k) => k.fasterThanRoofline);
  return [
    t.toString(),
    "",
    `Errors of the roofline (vendor peaks of ${result.hardware}) against ${result.kernels.length} measured kernels:`,
    summaryTable(result.summary),
    ...(result.summaryMeasuredCeilings ? ["", "Against the measured ceilings:", summaryTable(result.summaryMeasuredCeilings)] : []),
    "",
    flagged.length > 0
      ? `${flagged.length} kernels ran faster than their roofline: a counting, unit or profile error (warm caches, a wrong peak), not a success:\n` +
        flagged.map((k) => `  ${k.id}: measured ${formatSeconds(k.measuredSeconds)} < roofline ${formatSeconds(k.predictedSeconds)}`).join("\n")
      : "No kernel ran faster than its roofline.",
  ].join("\n");
}
