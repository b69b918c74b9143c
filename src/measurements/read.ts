// Reading a measurements CSV back, rejecting anything malformed with the file, line and column.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.js";
import { MEASUREMENT_COLUMNS, MeasurementRow } from "./schema.js";

export interface Measurements {
  file: string;
  rows: MeasurementRow[];
  /**
   * The id of the interleaved session the file was timed in (`harness.py run --interleave`),
   * from the environment file beside it; two files with the same id are paired round by round.
   */
  pairingSession?: string;
}

export function parseMeasurements(content: string, file: string): Measurements {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(content, { columns: true, info: true, skip_empty_lines: true, trim: false }) as never;
  } catch (error) {
    throw new InputError(`${file}: not valid CSV (${(error as Error).message})`);
  }
  const header = content.split(/\r?\n/, 1)[0]?.split(",").map((c) => c.trim().replace(/^"|"$/g, "")) ?? [];
  const missing = MEASUREMENT_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new InputError(`${file}: missing columns: ${missing.join(", ")}`);
  if (records.length === 0) throw new InputError(`${file}: no measurements`);
  const rows = records.map(({ record, info }) => {
    const result = MeasurementRow.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new InputError(`${file}:${info.lines}: column "${issue.path.join(".")}": ${issue.message}`);
    }
    return result.data;
  });
  return { file, rows };
}

/** The pairing session recorded in `<stem>.environment.json` beside a harness CSV, if any. */
function pairingSessionOf(file: string): string | undefined {
  const environment = path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.environment.json`);
  try {
    const session = (JSON.parse(fs.readFileSync(environment, "utf8")) as { pairing?: { session?: unknown } }).pairing?.session;
    return typeof session === "string" && session.length > 0 ? session : undefined;
  } catch {
    return undefined; // no environment file, or not ours: the file is simply not part of a pair
  }
}

export function readMeasurements(file: string): Measurements {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such measurements file`);
  const session = pairingSessionOf(file);
  return { ...parseMeasurements(fs.readFileSync(file, "utf8"), file), ...(session && { pairingSession: session }) };
}
