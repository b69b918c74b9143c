// `roofline sweep`: totals over a grid, as CSV (default), JSON Lines or JSON, for notebooks and
// spreadsheets, written to stdout or a file while they are computed.
import { ceilingsFor } from "../hardware/ceilings.js";
import { loadProfile } from "../hardware/load.js";
import { loadModels } from "../models/load.js";
import { DEFAULT_SCENARIO, matrixDtypeOf } from "../roofline/analyze.js";
import { COLUMN, modelVariants, visitSweep, type SweepRecord, type SweepRequest } from "../roofline/sweep.js";
import { SWEEP_FORMATS, sweepWriter, type SweepFormat } from "../views/sweep-text.js";
import { TextChunk, utf8 } from "../views/text-chunk.js";
import { stdoutSink, streamToFile, type ChunkSink } from "../views/streamed-output.js";
import { checkDestinations, sourcesOf } from "../views/output-paths.js";
import { printNote } from "../views/standard-streams.js";
import { calibrationFrom, estimateFrom, implementationFrom, listOf, parsePhases, positiveInteger, type AnalysisFlags } from "./options.js";
import { checkGridSize, parseAxis } from "./ranges.js";
import { InputError } from "../errors.js";
import { meshRequested, type MeshFlags } from "./mesh-flags.js";
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

export async function runSweep(flags: SweepFlags & MeshFlags): Promise<void> {
  if (meshRequested(flags)) {
    const { runMeshSweep } = await import("./mesh-sweep-command.js");
    return runMeshSweep(flags);
  }
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
  if (!(SWEEP_FORMATS as readonly string[]).includes(format)) throw new InputError(`--format: expected csv, jsonl or json, got "${format}"`);
  const phases = parsePhases(flags.phase, ["prefill", "decode"]);
  const lengths = parseAxis("seq", String(flags.seq ?? "256..65536"));
  const batches = parseAxis("batch", String(flags.batch ?? "1"));
  const windows = flags.window === undefined ? [] : parseAxis("window", String(flags.window));
  const variants = models.reduce((sum, model) => sum + modelVariants(model, windows).length, 0);
  checkGridSize("sweep", "rows", [
    windows.length > 0 ? [variants, "model at its windows", "models at their windows", "--model or --window"] : [variants, "model", "models", "--model"],
    [chips.length, "chip", "chips", "--hw"], [phases.length, "phase", "phases", "--phase"],
    [lengths.length, "length", "lengths", "--seq"], [batches.length, "batch", "batches", "--batch"],
  ], MAX_SWEEP_ROWS);
  const request: SweepRequest = {
    models, chips, implementation, phases, lengths, batches, windows,
    newTokens: flags.gen === undefined ? DEFAULT_SCENARIO.newTokens : positiveInteger("gen", flags.gen),
    rematerialise: Boolean(flags.remat),
    calibration: calibrationFrom(flags.calibration, chips.map((c) => c.id))?.calibration,
  };
  const writer = sweepWriter(format as SweepFormat);
  let rows = 0;
  let tooLarge = 0;
  // Rows are written as they are computed, a chunk at a time, so memory stays flat at any size.
  const produce = async (sink: ChunkSink) => {
    const out = new TextChunk();
    writer.begin(out);
    const visit = (record: SweepRecord) => {
      writer.row(out, record);
      rows += 1;
      if (record.numbers[COLUMN.fits] === 0) tooLarge += 1;
      return out.full;
    };
    // The sweep pauses when the chunk is full, for the chunk to be written.
    for (const _ of visitSweep(request, visit)) await sink(out.take());
    writer.end(out);
    // A JSON document printed on stdout ends its line, as printResult ends every result.
    if (format === "json" && flags.output === undefined) out.append(utf8("\n"));
    await sink(out.take());
  };
  if (flags.output === undefined) await produce(stdoutSink);
  else await streamToFile({ flag: "-o", file: flags.output }, produce);
  if (tooLarge > 0) printNote(`warning: in ${tooLarge} of ${rows} rows the batch does not fit in memory (fits = false; maxBatch is the largest that does)`);
  if (flags.output !== undefined) printNote(`wrote ${rows} rows to ${flags.output}`);
}
