// `roofline validate` on published measurements: every row expressed or given its reason, the
// roofline bound and the estimate side by side, per source, kernel kind, implementation and chip.
// `--loso` estimates each source with a calibration fitted on all the others.
import { readTextFile } from "../json-file.js";
import { MAX_CSV_BYTES } from "../limits.js";
import fs from "node:fs";
import Table from "cli-table3";
import { UNCALIBRATED, type KindCalibration } from "../calibration/kinds.js";
import { readKindCalibration } from "../calibration/kind-files.js";
import { InputError } from "../errors.js";
import { isExpressed, type UnexpressedPoint } from "../published/express.js";
import { convertLegacyRow } from "../published/legacy.js";
import { parseCsv, withoutByteOrderMark } from "../importers/csv-input.js";
import { parsePublished, publishedFilesIn, readPublished, type PublishedPoint } from "../published/read.js";
import { PublishedRow } from "../published/schema.js";
import {
  againstCalibration, expressAll, GROUPINGS, leaveOneSourceOut, pointId, summarizeBy, type GroupSummary, type PublishedEvaluation,
} from "../validation/published.js";
import { formatPercent, formatSeconds } from "../views/format.js";
import { toJson } from "../views/json.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { PER_ROW_TABLE_LIMIT, tableLeftOut } from "./row-limit.js";

export interface PublishedFlags {
  files: string[];
  loso?: boolean;
  calibration?: string;
  points?: boolean;
  json?: boolean;
}

/** The first published-timings table (free-text workloads), converted row by row on reading. */
function readLegacy(file: string, content: string): PublishedPoint[] {
  return parseCsv(content, file).records.map(({ record, line }) => {
    let converted;
    try {
      converted = convertLegacyRow(record);
    } catch (error) {
      throw new InputError(`${file}:${line}: ${(error as Error).message}`);
    }
    const result = PublishedRow.safeParse(converted);
    if (!result.success) throw new InputError(`${file}:${line}: column "${result.error.issues[0]!.path.join(".")}": ${result.error.issues[0]!.message}`);
    return { file, line, row: result.data };
  });
}

export function readPublishedInputs(inputs: readonly string[]): PublishedPoint[] {
  const files = inputs.flatMap((input) => (fs.existsSync(input) && fs.statSync(input).isDirectory() ? publishedFilesIn(input) : [input]));
  if (files.length === 0) throw new InputError(`${inputs.join(", ")}: no published-measurement CSV files`);
  return files.flatMap((file) => {
    if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
    if (fs.statSync(file).isDirectory()) return readPublished(file);
    const content = withoutByteOrderMark(readTextFile(file, "published measurements", MAX_CSV_BYTES));
    return /^source,hardware,kernel_or_workload/.test(content) ? readLegacy(file, content) : parsePublished(content, file);
  });
}

const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : "—");
const signed = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)}%`;

function summaryTable(title: string, groups: readonly GroupSummary[]): string {
  const t = new Table({
    head: [title, "n", "bound: median |err|", "±25%", "first principles: median |err|", "±25%", "estimate: median |err|", "MAPE", "worst", "±10%", "±25%", "faster than bound"],
    style: { head: [], border: [] }, chars: COMPACT_CHARS,
  });
  for (const g of groups) {
    const e = g.estimate;
    t.push([g.group, String(g.bound.count), pct(g.bound.medianAbsoluteError), pct(g.bound.within25), pct(g.model.medianAbsoluteError), pct(g.model.within25),
      pct(e.medianAbsoluteError), pct(e.meanAbsoluteError), e.worst ? signed(e.worst.error) : "—", pct(e.within10), pct(e.within25),
      g.fasterThanBound > 0 ? `${g.fasterThanBound} FLAGGED` : "0"]);
  }
  return t.toString();
}

function pointsTable(evaluations: readonly PublishedEvaluation[]): string {
  const t = new Table({ head: ["point", "chip", "kind/impl", "work", "measured", "bound", "error", "first principles", "error", "estimate", "error", "calibration", ""], style: { head: [], border: [] }, chars: COMPACT_CHARS });
  for (const e of evaluations) {
    const p = e.point;
    t.push([pointId(p), p.chip, `${p.kind}/${p.implementation}`, p.description, formatSeconds(p.measuredSeconds), formatSeconds(p.boundSeconds), signed(e.boundError),
      formatSeconds(p.modelSeconds), signed(e.modelError),
      formatSeconds(e.estimate.seconds), signed(e.estimateError), `${e.estimate.calibration}${e.estimate.calibration !== UNCALIBRATED && !e.estimate.inRange ? " (outside its range)" : ""}`,
      e.fasterThanBound ? "FASTER THAN BOUND" : ""]);
  }
  return t.toString();
}

export function publishedValidation(flags: PublishedFlags) {
  const all = expressAll(readPublishedInputs(flags.files));
  const expressed = all.filter(isExpressed);
  const unexpressed = all.filter((p): p is UnexpressedPoint => !isExpressed(p));
  const calibration: KindCalibration | undefined = flags.calibration ? readKindCalibration(flags.calibration) : undefined;
  const evaluations = flags.loso ? leaveOneSourceOut(expressed) : againstCalibration(expressed, calibration);
  const method = flags.loso
    ? "leave-one-source-out: each source estimated by a calibration fitted on every other source"
    : calibration ? `estimated with ${flags.calibration}, fitted on ${calibration.fittedOn.length} sources (in-sample for those; --loso for held-out figures)` : "no calibration: the estimate is the first-principles time";
  return { all, expressed, unexpressed, evaluations, method };
}

export function runPublishedValidation(flags: PublishedFlags): string {
  const { all, expressed, unexpressed, evaluations, method } = publishedValidation(flags);
  const summaries = Object.fromEntries(Object.entries(GROUPINGS).map(([name, key]) => [name, summarizeBy(evaluations, key)]));
  if (flags.json) {
    return toJson({
      schema: "roofline.published-validation", version: 2, method, rows: all.length,
      points: evaluations.map((e) => ({
        id: pointId(e.point), source: e.point.point.row.source_id, chip: e.point.chip, kind: e.point.kind, implementation: e.point.implementation,
        work: e.point.description, measuredSeconds: e.point.measuredSeconds, boundSeconds: e.point.boundSeconds, boundError: e.boundError,
        modelSeconds: e.point.modelSeconds, modelError: e.modelError,
        estimateSeconds: e.estimate.seconds, estimateError: e.estimateError, calibration: e.estimate.calibration, inRange: e.estimate.inRange,
        fasterThanBound: e.fasterThanBound,
      })),
      unexpressed: unexpressed.map((u) => ({ id: pointId(u), source: u.point.row.source_id, hardware: u.point.row.hardware, workload: u.point.row.workload, reason: u.reason })),
      summaries,
    });
  }
  const reasons = new Map<string, number>();
  for (const u of unexpressed) reasons.set(`${u.point.row.source_id}: ${u.reason}`, (reasons.get(`${u.point.row.source_id}: ${u.reason}`) ?? 0) + 1);
  const flagged = evaluations.filter((e) => e.fasterThanBound);
  return [
    ...(flags.points ? [evaluations.length <= PER_ROW_TABLE_LIMIT ? pointsTable(evaluations) : tableLeftOut(evaluations.length, "points", "--json lists every one"), ""] : []),
    `${all.length} published points: ${expressed.length} expressed, ${unexpressed.length} not. Errors are (predicted − measured) / measured; ${method}.`,
    summaryTable("source", summaries.source!), summaryTable("kernel kind", summaries.kind!),
    summaryTable("kind/implementation", summaries.implementation!), summaryTable("chip", summaries.chip!),
    flagged.length > 0
      ? `${flagged.length} points measured FASTER than their roofline (a counting, unit or profile error, or a chip above its stated peak):\n` +
        flagged.map((e) => `  ${pointId(e.point)} ${e.point.chip} ${e.point.description}: measured ${formatSeconds(e.point.measuredSeconds)} < bound ${formatSeconds(e.point.boundSeconds)}`).join("\n")
      : "No point was measured faster than its roofline.",
    `Not expressed (${unexpressed.length}):`,
    ...[...reasons].map(([reason, n]) => `  ${n} × ${reason}`),
  ].join("\n");
}
