// `roofline sweep`: totals over a grid, as CSV (default) or JSON, for notebooks and spreadsheets.
import { ceilingsFor } from "../hardware/ceilings.js";
import { loadProfile } from "../hardware/load.js";
import { loadModels } from "../models/load.js";
import { DEFAULT_SCENARIO, matrixDtypeOf } from "../roofline/analyze.js";
import { modelVariants, sweepRows, type SweepRow } from "../roofline/sweep.js";
import { toJson } from "../views/json.js";
import { writeFileAtomic } from "../views/atomic-write.js";
import { csvText, fitsCell } from "../views/csv.js";
import { checkDestinations, sourcesOf } from "../views/output-paths.js";
import { printNote } from "../views/standard-streams.js";
import { batchFits } from "../cost/memory.js";
import { calibrationFrom, estimateFrom, implementationFrom, listOf, parsePhases, positiveInteger, type AnalysisFlags } from "./options.js";
import { checkGridSize, parseAxis } from "./ranges.js";
import { InputError } from "../errors.js";
import { MAX_SWEEP_ROWS } from "../limits.js";

export interface SweepFlags extends AnalysisFlags {
  model: unknown;
  hw: unknown;
  phase?: unknown;
  seq?: unknown;
  batch?: unknown;
  window?: unknown;
  set?: unknown;
  format?: unknown;
  output?: string;
}

export const SWEEP_COLUMNS: (keyof SweepRow)[] = [
  "model", "hardware", "phase", "batch", "window", "seqTokens", "contextTokens", "promptTokens", "newTokens",
  "matrixFlops", "vectorFlops", "flops", "bytes", "intensity", "computeSeconds", "memorySeconds", "seconds",
  "upperBoundSeconds", "bound", "weightBytes", "cacheBytesPerSequence", "maxBatch",
  "ttftSeconds", "decodeSeconds", "totalSeconds", "tokensPerSecond", "estimateSeconds", "estimateCalibration",
];

/** The CSV columns: the row's, then whether the batch fits in memory (empty for training). */
export const SWEEP_CSV_COLUMNS = [...SWEEP_COLUMNS, "fits"] as const;

export async function runSweep(flags: SweepFlags): Promise<string | undefined> {
  if (flags.output !== undefined) {
    checkDestinations([{ flag: "-o", file: flags.output }], [
      ...sourcesOf("--model", listOf(flags.model)), ...sourcesOf("--hw", listOf(flags.hw)),
      ...sourcesOf("--calibration", typeof flags.calibration === "string" ? [flags.calibration] : []),
    ]);
  }
  const overrides = listOf(flags.set);
  const models = loadModels(listOf(flags.model), overrides);
  const hardware = listOf(flags.hw);
  if (models.length === 0) throw new InputError("--model: give at least one model");
  if (hardware.length === 0) throw new InputError("--hw: give at least one chip");
  const implementation = implementationFrom(flags);
  const chips = hardware.map((id) => {
    const profile = loadProfile(id);
    const estimate = estimateFrom(flags, profile);
    return { id: profile.id, ceilings: ceilingsFor(profile, matrixDtypeOf(implementation)), ...(estimate && { estimate }) };
  });
  const format = String(flags.format ?? "csv");
  if (format !== "csv" && format !== "json") throw new InputError(`--format: expected csv or json, got "${format}"`);
  const phases = parsePhases(flags.phase, ["prefill", "decode"]);
  const lengths = parseAxis("seq", String(flags.seq ?? "256..65536"));
  const batches = parseAxis("batch", String(flags.batch ?? "1"));
  const windows = flags.window === undefined ? [] : parseAxis("window", String(flags.window));
  const variants = models.reduce((sum, model) => sum + modelVariants(model, windows).length, 0);
  checkGridSize("sweep", "rows", [
    windows.length > 0 ? [variants, "model at its windows", "models at their windows"] : [variants, "model", "models"],
    [chips.length, "chip", "chips"], [phases.length, "phase", "phases"], [lengths.length, "length", "lengths"], [batches.length, "batch", "batches"],
  ], MAX_SWEEP_ROWS);
  const rows = [
    ...sweepRows({
      models, chips, implementation, phases, lengths, batches, windows,
      newTokens: flags.gen === undefined ? DEFAULT_SCENARIO.newTokens : positiveInteger("gen", flags.gen),
      rematerialise: Boolean(flags.remat),
      calibration: calibrationFrom(flags.calibration, chips.map((c) => c.id))?.calibration,
    }),
  ];
  const withFits = rows.map((row) => ({ ...row, fits: batchFits(row.batch, row.maxBatch) }));
  const cell = (value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? "" : value ?? "");
  const text = format === "json"
    ? toJson({ schema: "roofline.sweep", version: 1, rows: withFits })
    : csvText(withFits.map((row) => [...SWEEP_COLUMNS.map((c) => cell(row[c])), fitsCell(row.fits)]), SWEEP_CSV_COLUMNS);
  const tooLarge = withFits.filter((row) => row.fits === false).length;
  if (tooLarge > 0) printNote(`warning: in ${tooLarge} of ${rows.length} rows the batch does not fit in memory (fits = false; maxBatch is the largest that does)`);
  if (flags.output !== undefined) {
    await writeFileAtomic(flags.output, text);
    printNote(`wrote ${rows.length} rows to ${flags.output}`);
    return undefined;
  }
  return text;
}
