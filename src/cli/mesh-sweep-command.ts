// `roofline sweep … --chips N --tp T …`: the sweep on a mesh, one row per model × chip × phase ×
// length × batch (src/parallel/mesh-sweep.ts), as CSV, JSON Lines or JSON. Each row is a whole
// analysis on the mesh, far slower than a single-chip row, so the grid has its own, lower limit.
import { loadProfile } from "../hardware/load.js";
import { loadModels } from "../models/load.js";
import { DEFAULT_SCENARIO } from "../roofline/analyze.js";
import { MESH_SWEEP_COLUMNS, meshSweepRows, type MeshSweepRequest } from "../parallel/mesh-sweep.js";
import { csvText } from "../views/csv.js";
import { toJson } from "../views/json.js";
import { stdoutSink, streamToFile, type ChunkSink } from "../views/streamed-output.js";
import { utf8 } from "../views/text-chunk.js";
import { checkDestinations, sourcesOf } from "../views/output-paths.js";
import { printNote } from "../views/standard-streams.js";
import { InputError } from "../errors.js";
import { MAX_MESH_SWEEP_ROWS } from "../limits.js";
import { implementationFrom, listOf, parsePhases, positiveInteger } from "./options.js";
import { checkGridSize, parseAxis } from "./ranges.js";
import { meshOf, optimizerFrom, refuseEstimateFlags } from "./mesh-command.js";
import { pricePerHourFrom } from "./price.js";
import type { SweepFlags } from "./sweep-command.js";
import type { MeshFlags } from "./mesh-flags.js";

/** Rows written per chunk: the text of a few thousand rows at a time, so memory stays flat. */
const ROWS_PER_CHUNK = 1000;

export async function runMeshSweep(flags: SweepFlags & MeshFlags): Promise<void> {
  if (flags.output !== undefined) {
    checkDestinations([{ flag: "-o", file: flags.output }], [
      ...sourcesOf("--model", listOf(flags.model)), ...sourcesOf("--hw", listOf(flags.hw)),
      ...sourcesOf("--mesh", typeof flags.mesh === "string" ? [flags.mesh] : []),
    ]);
  }
  refuseEstimateFlags(flags);
  if (flags.window !== undefined) throw new InputError("--window: a sweep on many chips takes each model at its own window; use --set window=N");
  const mesh = await meshOf(flags);
  const models = loadModels(listOf(flags.model), listOf(flags.set));
  const profiles = listOf(flags.hw).map(loadProfile);
  if (models.length === 0) throw new InputError("--model: give at least one model");
  if (profiles.length === 0) throw new InputError("--hw: give at least one chip");
  const format = String(flags.format ?? "csv");
  if (!["csv", "jsonl", "json"].includes(format)) throw new InputError(`--format: expected csv, jsonl or json, got "${format}"`);
  const phases = parsePhases(flags.phase, ["prefill", "decode"]);
  const lengths = parseAxis("seq", String(flags.seq ?? "256..65536"));
  const batches = parseAxis("batch", String(flags.batch ?? String(mesh.data)));
  checkGridSize("sweep on many chips", "rows", [
    [models.length, "model", "models", "--model"], [profiles.length, "chip", "chips", "--hw"], [phases.length, "phase", "phases", "--phase"],
    [lengths.length, "length", "lengths", "--seq"], [batches.length, "batch", "batches", "--batch"],
  ], MAX_MESH_SWEEP_ROWS);
  const odd = batches.filter((b) => b % mesh.data !== 0);
  if (odd.length > 0) throw new InputError(`--batch: ${odd.slice(0, 5).join(", ")} ${odd.length === 1 ? "does" : "do"} not split over --dp ${mesh.data} replicas: give multiples of ${mesh.data}`);
  const price = pricePerHourFrom(flags.pricePerHour);
  const request: MeshSweepRequest = {
    models, profiles, phases, lengths, batches,
    newTokens: flags.gen === undefined ? DEFAULT_SCENARIO.newTokens : positiveInteger("gen", flags.gen),
    rematerialise: Boolean(flags.remat),
    implementation: implementationFrom(flags),
    options: { mesh, optimizer: optimizerFrom(flags), ...(price !== undefined && { pricePerChipHour: price }) },
  };
  let rows = 0;
  let tooLarge = 0;
  const produce = async (sink: ChunkSink) => {
    let pending: Record<string, unknown>[] = [];
    let written = 0;
    // Each chunk's text: the CSV header or the JSON document's opening before the first rows.
    const flush = async (last: boolean) => {
      let text = "";
      if (format === "csv") {
        const csv = csvText(pending, MESH_SWEEP_COLUMNS);
        text = written === 0 ? csv : csv.slice(csv.indexOf("\n") + 1);
      } else if (format === "jsonl") {
        text = pending.map((row) => `${JSON.stringify(row)}\n`).join("");
      } else {
        if (written === 0) text = '{\n  "schema": "roofline.mesh-sweep",\n  "version": 1,\n  "rows": [';
        pending.forEach((row, i) => {
          text += `${written + i > 0 ? "," : ""}\n${toJson(row).replace(/^/gm, "    ")}`;
        });
        if (last) text += "\n  ]\n}\n";
      }
      written += pending.length;
      pending = [];
      await sink(utf8(text));
    };
    for (const row of meshSweepRows(request)) {
      pending.push(row);
      rows += 1;
      if (row.fits === false) tooLarge += 1;
      if (pending.length === ROWS_PER_CHUNK) await flush(false);
    }
    await flush(true);
  };
  if (flags.output === undefined) await produce(stdoutSink);
  else await streamToFile({ flag: "-o", file: flags.output }, produce);
  if (tooLarge > 0) printNote(`warning: in ${tooLarge} of ${rows} rows the batch does not fit in memory per chip (fits = false)`);
  if (flags.output !== undefined) printNote(`wrote ${rows} rows to ${flags.output}`);
}
