// Reading a measurements CSV back, rejecting anything malformed with the file, line and column.
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.js";
import { MEASUREMENT_COLUMNS, MeasurementRow } from "./schema.js";

export interface Measurements {
  file: string;
  rows: MeasurementRow[];
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

export function readMeasurements(file: string): Measurements {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such measurements file`);
  return parseMeasurements(fs.readFileSync(file, "utf8"), file);
}
