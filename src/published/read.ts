// Reading published-measurement files: every row validated, errors naming the file, line and
// column; one source per file, named like the file.
import { readTextFile } from "../json-file.js";
import { MAX_CSV_BYTES } from "../limits.js";
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { parseCsv } from "../importers/csv-input.js";
import { PUBLISHED_COLUMNS, PublishedRow } from "./schema.js";

export interface PublishedPoint {
  file: string;
  line: number;
  row: PublishedRow;
}

export function parsePublished(content: string, file: string): PublishedPoint[] {
  const { header, records } = parseCsv(content, file);
  const missing = PUBLISHED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new InputError(`${file}: missing columns: ${missing.join(", ")}`);
  const extra = header.filter((c) => !(PUBLISHED_COLUMNS as readonly string[]).includes(c));
  if (extra.length > 0) throw new InputError(`${file}: unknown columns: ${extra.join(", ")}`);
  if (records.length === 0) throw new InputError(`${file}: no measurements`);
  const expectedSource = path.basename(file, path.extname(file));
  return records.map(({ record, line }) => {
    const result = PublishedRow.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new InputError(`${file}:${line}: column "${issue.path.join(".")}": ${issue.message}`);
    }
    if (result.data.source_id !== expectedSource) {
      throw new InputError(`${file}:${line}: column "source_id": "${result.data.source_id}" differs from the file's name (one source per file)`);
    }
    return { file, line, row: result.data };
  });
}

export function readPublished(file: string): PublishedPoint[] {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  if (fs.statSync(file).isDirectory()) throw new InputError(`${file}: is a directory; give the CSV files (e.g. ${file}/*.csv)`);
  return parsePublished(readTextFile(file, "published measurements", MAX_CSV_BYTES), file);
}

/** A folder of sources: every CSV directly inside it. */
export function publishedFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(".csv")).sort().map((f) => path.join(dir, f));
}
