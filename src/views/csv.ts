// CSV for spreadsheets and notebooks: `--csv` (one row per op, the JSON field names flattened) and
// the text every CSV output shares, safe to open in a spreadsheet.
import { stringify } from "csv-stringify/sync";
import { batchFits } from "../cost/memory.js";
import type { Analysis } from "../roofline/analyze.js";
import { stripControlCharacters } from "./control-characters.js";

/** What a spreadsheet runs as a formula when a cell starts with it (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A string that is only a number ("-3", "+1.5e-3") is read as that number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One cell as a spreadsheet will see it. Numbers stay numbers; a string loses its control
 * characters, and one that a spreadsheet would run as a formula gets a leading single quote, as
 * OWASP recommends, so that a model named `=cmd|' /C calc'!A0` stays text.
 */
export function csvCell(value: unknown): unknown {
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "string") return value;
  const text = stripControlCharacters(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Rows (objects keyed by column, or arrays in column order) as CSV with a header line. */
export function csvText(rows: readonly (Record<string, unknown> | readonly unknown[])[], columns: readonly string[]): string {
  const cells = rows.map((row) =>
    Array.isArray(row) ? row.map(csvCell) : columns.map((column) => csvCell((row as Record<string, unknown>)[column])));
  return stringify(cells, { header: true, columns: [...columns] });
}

/** One text cell exactly as csvText writes it: neutralised by csvCell, then quoted where CSV needs it. */
export function csvCellText(value: string): string {
  // Written as the first of two cells: its text is what comes before the separator.
  return stringify([[csvCell(value), ""]]).slice(0, -",\n".length);
}

/** `fits` as a CSV cell: true, false, or empty where memory is not modelled (training). */
export const fitsCell = (fits: boolean | null) => (fits === null ? "" : fits);

export const CSV_COLUMNS = [
  "model", "hardware", "phase", "batch", "seqTokens", "contextTokens", "promptTokens", "newTokens",
  "stage", "pass", "name", "block", "kind", "implementation", "count",
  "matrixFlops", "vectorFlops", "flops", "bytes", "weightBytes", "activationBytes", "kvCacheBytes", "stateBytes",
  "intensity", "computeSeconds", "memorySeconds", "seconds", "upperBoundSeconds", "bound", "fits",
] as const;

export function analysisCsv(analysis: Analysis): string {
  const rows = analysis.phases.flatMap((phase) => {
    const fits = fitsCell(batchFits(phase.batch, phase.memory.maxBatch));
    return phase.ops.map((op) => ({
      model: analysis.model.name,
      hardware: analysis.hardware.id,
      phase: phase.phase,
      batch: phase.batch,
      seqTokens: phase.tokens.seq ?? "",
      contextTokens: phase.tokens.context ?? "",
      promptTokens: phase.tokens.prompt ?? "",
      newTokens: phase.tokens.new ?? "",
      stage: op.stage ?? "",
      pass: op.pass ?? "",
      name: op.name,
      block: op.block,
      kind: op.kind,
      implementation: op.implementation ?? "",
      count: op.count,
      matrixFlops: op.matrixFlops,
      vectorFlops: op.vectorFlops,
      flops: op.flops,
      bytes: op.bytesTotal,
      weightBytes: op.bytes.weights,
      activationBytes: op.bytes.activations,
      kvCacheBytes: op.bytes.kvCache,
      stateBytes: op.bytes.state,
      intensity: Number.isFinite(op.intensity) ? op.intensity : "",
      computeSeconds: op.computeSeconds,
      memorySeconds: op.memorySeconds,
      seconds: op.seconds,
      upperBoundSeconds: op.upperBoundSeconds,
      bound: op.bound,
      fits,
    }));
  });
  return csvText(rows, CSV_COLUMNS);
}
