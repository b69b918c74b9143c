// A sweep: totals over a grid of models × chips × phases × lengths × batches × windows, one flat
// row per point with the field names of the `--json` document (totals, memory, generate). Rows
// come one at a time, so that a sweep of any size is written in constant memory.
import type { Ceilings } from "../hardware/ceilings.js";
import type { ModelSpec } from "../models/schema.js";
import { batchFits, cacheBytesPerSequence, maxBatch, weightBytes } from "../cost/memory.js";
import type { GenerateSummary } from "./generate.js";
import { decodeOps, prefillOps, trainOps, type Implementation } from "../cost/phases.js";
import { analyzePhase, DEFAULT_SCENARIO, type Phase } from "./analyze.js";
import { affineCosts, estimateFields, pointTotals, type PointTotals } from "./grid.js";
import type { Calibration } from "../calibration/calibration.js";
import { estimateOps, type EstimateSource } from "./estimate.js";

export interface SweepChip {
  id: string;
  ceilings: Ceilings;
  /** The estimate's terms and calibration for this chip; without it, rows carry bounds only. */
  estimate?: EstimateSource;
}

export interface SweepRequest {
  models: ModelSpec[];
  chips: SweepChip[];
  phases: Phase[];
  /** The phase's length: prefill and train sequence, decode context, generate prompt. */
  lengths: number[];
  batches: number[];
  /** Local attention windows to try; models without local attention are evaluated once. */
  windows: number[];
  /** New tokens of a generate phase. */
  newTokens: number;
  rematerialise: boolean;
  implementation: Implementation;
  calibration?: Calibration;
}

export interface SweepRow extends PointTotals {
  model: string;
  hardware: string;
  phase: Phase;
  batch: number;
  window: number | null;
  seqTokens: number | null;
  contextTokens: number | null;
  promptTokens: number | null;
  newTokens: number | null;
  weightBytes: number;
  cacheBytesPerSequence: number | null;
  maxBatch: number | null;
  ttftSeconds: number | null;
  decodeSeconds: number | null;
  totalSeconds: number | null;
  tokensPerSecond: number | null;
  /** Whether the batch fits in memory beside the weights; null for training (not modelled). */
  fits: boolean | null;
}

/** Every field of a row, in the order of the CSV columns (README, "Sweeps"). */
export const SWEEP_COLUMNS = [
  "model", "hardware", "phase", "batch", "window", "seqTokens", "contextTokens", "promptTokens", "newTokens",
  "matrixFlops", "vectorFlops", "flops", "bytes", "intensity", "computeSeconds", "memorySeconds", "seconds",
  "upperBoundSeconds", "bound", "weightBytes", "cacheBytesPerSequence", "maxBatch",
  "ttftSeconds", "decodeSeconds", "totalSeconds", "tokensPerSecond", "estimateSeconds", "estimateCalibration", "fits",
] as const satisfies readonly (keyof SweepRow)[];
export type SweepColumn = (typeof SWEEP_COLUMNS)[number];

/** Each column's position in SWEEP_COLUMNS. */
export const COLUMN = Object.fromEntries(SWEEP_COLUMNS.map((name, i) => [name, i])) as Record<SweepColumn, number>;

/** How a column is held in a SweepRecord: as text, or in the numbers (a boolean as 1 or 0). */
export const TEXT = 0;
export const NUMBER = 1;
export const BOOLEAN = 2;
const TEXT_COLUMNS: readonly SweepColumn[] = ["model", "hardware", "phase", "bound", "estimateCalibration"];
export const COLUMN_KINDS = Uint8Array.from(SWEEP_COLUMNS, (name) => (TEXT_COLUMNS.includes(name) ? TEXT : name === "fits" ? BOOLEAN : NUMBER));

/** A set of columns, as the bits 1 << position. */
const columnSet = (names: readonly SweepColumn[]) => names.reduce((set, name) => set | (1 << COLUMN[name]), 0);

/** What the rows of a group (one model at one window, phase, length and chip, over the batches) share. */
const GROUP_COLUMNS = columnSet([
  "model", "hardware", "phase", "window", "seqTokens", "contextTokens", "promptTokens", "newTokens", "weightBytes", "cacheBytesPerSequence", "maxBatch",
]);
/** Null in every phase but generate. */
const GENERATE_COLUMNS = columnSet(["ttftSeconds", "decodeSeconds", "totalSeconds", "tokensPerSecond"]);
/** Absent without an estimate. */
const ESTIMATE_COLUMNS = columnSet(["estimateSeconds", "estimateCalibration"]);

/** The columns that stay the same over a group's rows, in one phase, with or without an estimate. */
const sharedColumns = (phase: Phase, estimated: boolean) =>
  GROUP_COLUMNS | (phase === "generate" ? 0 : GENERATE_COLUMNS) | (estimated ? 0 : ESTIMATE_COLUMNS);

/**
 * One row as the writers read it, by column position (a loop over field names costs ten times
 * more than the row's arithmetic). Numbers, and booleans as 1 or 0, are in a typed array, NaN
 * where the field is null; text is in an array, null where the field is. Without an estimate
 * (`estimated` false) the estimate's two fields are absent rather than null. The columns in
 * `shared` (bit 1 << position) stay the same until `group` changes, so a writer can keep their text
 * until then. The record is reused from row to row: a reader keeps what it needs before asking for
 * the next.
 */
export class SweepRecord {
  readonly numbers = new Float64Array(SWEEP_COLUMNS.length).fill(Number.NaN);
  readonly texts: (string | null)[] = SWEEP_COLUMNS.map(() => null);
  estimated = false;
  group = 0;
  shared = 0;
}

/** The model at each requested window (or as it is, when it has no local attention). */
export function modelVariants(spec: ModelSpec, windows: number[]): { spec: ModelSpec; window: number | null }[] {
  const local = spec.pattern.includes("local-attention") && spec.attention;
  if (!local) return [{ spec, window: null }];
  if (windows.length === 0) return [{ spec, window: spec.attention!.window ?? null }];
  return windows.map((window) => ({ spec: { ...spec, attention: { ...spec.attention!, window } }, window }));
}

/** A number field of a record: NaN stands for null. */
const orNaN = (value: number | null | undefined) => value ?? Number.NaN;

/** Sets a record's totals, estimate and fit for one batch on one chip (whose largest batch is given). */
function setPoint(record: SweepRecord, batch: number, totals: PointTotals, largestBatch: number | null): void {
  const n = record.numbers;
  n[COLUMN.batch] = batch;
  n[COLUMN.matrixFlops] = totals.matrixFlops;
  n[COLUMN.vectorFlops] = totals.vectorFlops;
  n[COLUMN.flops] = totals.flops;
  n[COLUMN.bytes] = totals.bytes;
  n[COLUMN.intensity] = totals.intensity;
  n[COLUMN.computeSeconds] = totals.computeSeconds;
  n[COLUMN.memorySeconds] = totals.memorySeconds;
  n[COLUMN.seconds] = totals.seconds;
  n[COLUMN.upperBoundSeconds] = totals.upperBoundSeconds;
  record.texts[COLUMN.bound] = totals.bound;
  n[COLUMN.estimateSeconds] = orNaN(totals.estimateSeconds);
  record.texts[COLUMN.estimateCalibration] = totals.estimateCalibration ?? null;
  const fits = batchFits(batch, largestBatch);
  n[COLUMN.fits] = fits === null ? Number.NaN : fits ? 1 : 0;
}

/** The generate figures of a record (NaN, for null, in the other phases). */
function setGenerate(record: SweepRecord, generate: GenerateSummary | undefined): void {
  const n = record.numbers;
  n[COLUMN.ttftSeconds] = orNaN(generate?.ttftSeconds);
  n[COLUMN.decodeSeconds] = orNaN(generate?.decodeSeconds);
  n[COLUMN.totalSeconds] = orNaN(generate?.totalSeconds);
  n[COLUMN.tokensPerSecond] = orNaN(generate?.tokensPerSecond);
}

/**
 * Hands `visit` the rows of a sweep as one record rewritten for each row, in a fixed order
 * (models, their windows, phases, lengths, chips, batches): what the rows of a model, phase,
 * length or chip share is set once for them all. The sweep pauses (yields) after a row for which
 * `visit` returns true, so that a writer can hand on a full chunk: a pause a chunk rather than a
 * row, since resuming a generator costs as much as a row's arithmetic.
 */
export function* visitSweep(request: SweepRequest, visit: (record: SweepRecord) => boolean): Generator<void> {
  const impl = request.implementation;
  const record = new SweepRecord();
  const { numbers: n, texts } = record;
  /** The totals of the row being made, rewritten for each. */
  const scratch = {} as PointTotals;
  for (const model of request.models) {
    for (const { spec, window } of modelVariants(model, request.windows)) {
      const weights = weightBytes(spec, impl.dtypes);
      texts[COLUMN.model] = spec.name;
      n[COLUMN.window] = orNaN(window);
      n[COLUMN.weightBytes] = weights;
      for (const phase of request.phases) {
        texts[COLUMN.phase] = phase;
        n[COLUMN.newTokens] = phase === "generate" ? request.newTokens : Number.NaN;
        if (phase !== "generate") setGenerate(record, undefined);
        for (const length of request.lengths) {
          n[COLUMN.seqTokens] = phase === "prefill" || phase === "train" ? length : Number.NaN;
          n[COLUMN.contextTokens] = phase === "decode" ? length : Number.NaN;
          n[COLUMN.promptTokens] = phase === "generate" ? length : Number.NaN;
          const cacheTokens = phase === "generate" ? length + request.newTokens : length;
          const cache = phase === "train" ? null : cacheBytesPerSequence(spec, cacheTokens, impl.dtypes).total;
          n[COLUMN.cacheBytesPerSequence] = orNaN(cache);
          if (phase === "generate") {
            for (const chip of request.chips) {
              const largestBatch = maxBatch(chip.ceilings.memoryCapacityBytes, weights, cache!);
              texts[COLUMN.hardware] = chip.id;
              n[COLUMN.maxBatch] = largestBatch;
              record.estimated = chip.estimate !== undefined;
              record.shared = sharedColumns(phase, record.estimated);
              record.group += 1;
              for (const batch of request.batches) {
                const scenario = { ...DEFAULT_SCENARIO, batch, promptTokens: length, newTokens: request.newTokens };
                const result = analyzePhase(spec, phase, scenario, impl, chip.ceilings, request.calibration);
                const totals: PointTotals = {
                  ...result.totals,
                  ...(chip.estimate && estimateFields(estimateOps(result.ops, chip.id, chip.estimate, result.generate!.decodeSteps))),
                };
                setPoint(record, batch, totals, largestBatch);
                setGenerate(record, result.generate);
                if (visit(record)) yield;
              }
            }
            continue;
          }
          const opsAt = (batch: number) =>
            phase === "prefill" ? prefillOps(spec, batch, length, impl)
              : phase === "decode" ? decodeOps(spec, batch, length, impl)
                : trainOps(spec, batch, length, impl, { rematerialise: request.rematerialise });
          const costs = affineCosts(opsAt);
          for (const chip of request.chips) {
            const estimate = chip.estimate && { ...chip.estimate, chip: chip.id };
            const largestBatch = cache === null ? null : maxBatch(chip.ceilings.memoryCapacityBytes, weights, cache);
            texts[COLUMN.hardware] = chip.id;
            n[COLUMN.maxBatch] = orNaN(largestBatch);
            record.estimated = chip.estimate !== undefined;
            record.shared = sharedColumns(phase, record.estimated);
            record.group += 1;
            for (const batch of request.batches) {
              setPoint(record, batch, pointTotals(costs, batch, chip.ceilings, request.calibration, estimate, scratch), largestBatch);
              if (visit(record)) yield;
            }
          }
        }
      }
    }
  }
}

/** The rows of a sweep one record at a time (the record is reused: keep what you need of it). */
export function* sweepRecords(request: SweepRequest): Generator<SweepRecord> {
  let current: SweepRecord | undefined;
  for (const _ of visitSweep(request, (record) => ((current = record), true))) yield current!;
}

/** A record as a row object of its own. */
export function rowOf(record: SweepRecord): SweepRow {
  const row: Record<string, unknown> = {};
  SWEEP_COLUMNS.forEach((name, i) => {
    if (!record.estimated && (name === "estimateSeconds" || name === "estimateCalibration")) return;
    const kind = COLUMN_KINDS[i];
    const number = record.numbers[i]!;
    row[name] = kind === TEXT ? record.texts[i] : Number.isNaN(number) ? null : kind === BOOLEAN ? number === 1 : number;
  });
  return row as unknown as SweepRow;
}

/** The rows of a sweep as objects, for a program that keeps them; writers read sweepRecords. */
export function* sweepRows(request: SweepRequest): Generator<SweepRow> {
  for (const record of sweepRecords(request)) yield rowOf(record);
}
