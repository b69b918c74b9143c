// Reading a measurements CSV back, rejecting anything malformed with the file, line and column.
// Small files are parsed whole; the CLI streams them (csv-parse's streaming API), so that a file
// of millions of rows is read in bounded memory when only a summary is wanted.
import { readJsonFile, readTextFile } from "../json-file.js";
import { MAX_CSV_BYTES } from "../limits.js";
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse";
import { InputError } from "../errors.js";
import { csvErrorMessage, csvParseOptions, lineOfByteInFile, parseCsv } from "../importers/csv-input.js";
import { MEASUREMENT_COLUMNS, MeasurementRow } from "./schema.js";

export interface Measurements {
  file: string;
  rows: MeasurementRow[];
  /** The line each row ends on, in the order of `rows`. */
  lines: number[];
  /**
   * The id of the interleaved session the file was timed in (`harness.py run --interleave`),
   * from the environment file beside it; two files with the same id are paired round by round.
   */
  pairingSession?: string;
}

function requireColumns(header: readonly string[], file: string): void {
  const missing = MEASUREMENT_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new InputError(`${file}: missing columns: ${missing.join(", ")}`);
}

/** Where each row read from a file came from, so that a later error can name the file and line. */
const ROW_LOCATIONS = new WeakMap<MeasurementRow, string>();

/** `file:line` of a row read by this module, else the row's kernel id (rows built in code). */
export function whereIs(row: MeasurementRow): string {
  return ROW_LOCATIONS.get(row) ?? `measurement ${row.kernel_id}`;
}

function rowFrom(record: Record<string, string>, file: string, line: number): MeasurementRow {
  const result = MeasurementRow.safeParse(record);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`${file}:${line}: column "${issue.path.join(".")}": ${issue.message}`);
  }
  ROW_LOCATIONS.set(result.data, `${file}:${line}`);
  return result.data;
}

export function parseMeasurements(content: string, file: string): Measurements {
  const { header, records } = parseCsv(content, file);
  requireColumns(header, file);
  if (records.length === 0) throw new InputError(`${file}: no measurements`);
  return { file, rows: records.map(({ record, line }) => rowFrom(record, file, line)), lines: records.map((r) => r.line) };
}

/** The pairing session recorded in `<stem>.environment.json` beside a harness CSV, if any. */
function pairingSessionOf(file: string): string | undefined {
  const environment = path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.environment.json`);
  try {
    const session = (readJsonFile(environment, "harness environment") as { pairing?: { session?: unknown } }).pairing?.session;
    return typeof session === "string" && session.length > 0 ? session : undefined;
  } catch {
    return undefined; // no environment file, or not ours: the file is simply not part of a pair
  }
}

function requireFile(file: string): void {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such measurements file`);
  if (fs.statSync(file).isDirectory()) throw new InputError(`${file}: is a directory, not a measurements CSV`);
}

/** The whole file at once: for small files (tests, scripts). */
export function readMeasurements(file: string): Measurements {
  requireFile(file);
  const session = pairingSessionOf(file);
  return { ...parseMeasurements(readTextFile(file, "measurements", MAX_CSV_BYTES), file), ...(session && { pairingSession: session }) };
}

/**
 * Every row in turn, validated, without holding the file: `visit` sees each row and the line it
 * ends on. Resolves to the number of rows.
 */
export async function streamMeasurements(file: string, visit: (row: MeasurementRow, line: number) => void): Promise<number> {
  requireFile(file);
  let count = 0;
  const parser = parse(csvParseOptions(false, (header) => requireColumns(header, file)));
  const input = fs.createReadStream(file);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      visit(rowFrom(record, file, info.lines), info.lines);
      count += 1;
    }
  } catch (error) {
    input.destroy();
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).syscall) throw new InputError(`${file}: cannot read (${(error as Error).message})`);
    throw new InputError(csvErrorMessage(error, file, (offset) => lineOfByteInFile(file, offset)));
  }
  if (count === 0) throw new InputError(`${file}: no measurements`);
  return count;
}

/** Every row, read as a stream (the file is never held whole). */
export async function loadMeasurements(file: string): Promise<Measurements> {
  const rows: MeasurementRow[] = [];
  const lines: number[] = [];
  await streamMeasurements(file, (row, line) => {
    rows.push(row);
    lines.push(line);
  });
  const session = pairingSessionOf(file);
  return { file, rows, lines, ...(session && { pairingSession: session }) };
}
