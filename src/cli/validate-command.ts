// `roofline validate`: measured kernels against the cost model's predictions.
import Table from "cli-table3";
import { summarizeByClass, type ErrorSummary } from "../validation/errors.js";
import { validateHarness } from "../validation/harness.js";
import { formatPercent, formatSeconds } from "../views/format.js";
import { toJson } from "../views/json.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { listOf } from "./options.js";
import { PER_ROW_TABLE_LIMIT, tableLeftOut } from "./row-limit.js";

export interface ValidateFlags {
  measured: string;
  hw?: string;
  model?: unknown;
  json?: boolean;
  allowDeviceMismatch?: boolean;
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

export async function runValidate(flags: ValidateFlags): Promise<string> {
  const result = await validateHarness(flags.measured, flags.hw, listOf(flags.model), { allowDeviceMismatch: flags.allowDeviceMismatch });
  if (flags.json) return toJson({ schema: "roofline.validation", version: 1, ...result });
  const listed = result.kernels.length <= PER_ROW_TABLE_LIMIT;
  const t = new Table({
    head: ["kernel", "class", "measured", "roofline", "achieved", ...(result.measuredCeilings ? ["achieved (measured ceilings)"] : []), "error", ""],
    style: { head: [], border: [] }, chars: COMPACT_CHARS,
  });
  for (const k of listed ? result.kernels : []) {
    t.push([k.id, k.opClass, formatSeconds(k.measuredSeconds), formatSeconds(k.predictedSeconds), pct(k.achievedFraction),
      ...(result.measuredCeilings ? [k.achievedFractionMeasuredCeilings === null ? "—" : pct(k.achievedFractionMeasuredCeilings)] : []),
      signed(k.error), k.fasterThanRoofline ? "FASTER THAN ROOFLINE" : ""]);
  }
  const flagged = result.kernels.filter((k) => k.fasterThanRoofline);
  return [
    listed ? t.toString() : tableLeftOut(result.kernels.length, "kernels", "--json lists every one"),
    "",
    `Errors of the roofline (vendor peaks of ${result.hardware}) against ${result.kernels.length} measured kernels:`,
    summaryTable(result.summary),
    ...(result.summaryMeasuredCeilings ? ["", "Against the measured ceilings:", summaryTable(result.summaryMeasuredCeilings)] : []),
    "",
    flagged.length > 0
      ? `${flagged.length} kernels ran faster than their roofline: a counting, unit or profile error (warm caches, a wrong peak), not a success:\n` +
        flagged.slice(0, PER_ROW_TABLE_LIMIT).map((k) => `  ${k.id}: measured ${formatSeconds(k.measuredSeconds)} < roofline ${formatSeconds(k.predictedSeconds)}`).join("\n") +
        (flagged.length > PER_ROW_TABLE_LIMIT ? `\n  … and ${flagged.length - PER_ROW_TABLE_LIMIT} more (--json lists them)` : "")
      : "No kernel ran faster than its roofline.",
  ].join("\n");
}
