// Reading CSV text the user gave us: a UTF-8 byte-order mark (Excel writes one) is skipped, and
// csv-parse's errors (an unterminated quote, a row with too many cells) become InputErrors that
// name the file and the line where the problem starts.
import fs from "node:fs";
import { MAX_CSV_RECORD_BYTES } from "../limits.js";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.js";

export const BYTE_ORDER_MARK = "\uFEFF";

export const withoutByteOrderMark = (text: string) => (text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text);

export interface CsvRecord {
  record: Record<string, string>;
  /** Line of the file on which the record ends. */
  line: number;
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export interface CsvOptions {
  /** The file's line number of the text's first line, when the text is a slice of the file. */
  firstLine?: number;
  /** Accept rows with fewer or more cells than the header (profilers' optional columns). */
  relaxColumnCount?: boolean;
}

/** The options every reader shares: named columns, record info, no blank lines, no BOM. */
export function csvParseOptions(relaxColumnCount: boolean, onHeader: (header: string[]) => void) {
  return {
    columns: (header: string[]) => {
      onHeader(header);
      return header;
    },
    info: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: relaxColumnCount,
    // A file without line breaks (a device such as /dev/zero, a binary) must end in an error, not fill memory.
    max_record_size: MAX_CSV_RECORD_BYTES,
  } as const;
}

interface CsvParseError {
  code?: string;
  message: string;
  /** Line csv-parse was on when it stopped. */
  lines?: number;
  /** Bytes of complete records (and header) before the record it stopped in. */
  bytes?: number;
}

/**
 * An unclosed quote is only found at the end of the input, so csv-parse's line is the last one:
 * the line that matters is where the unfinished record starts, `bytes` into the input.
 */
export function csvErrorMessage(error: unknown, file: string, lineOfByte: (offset: number) => number, firstLine = 1): string {
  const e = error as CsvParseError;
  if (e.code === "CSV_QUOTE_NOT_CLOSED" && e.bytes !== undefined) {
    return `${file}: not valid CSV: line ${lineOfByte(e.bytes)}: a quoted field opened on this line is never closed`;
  }
  const reason = e.message.replace(/\s+(at|on) line \d+/, "");
  return e.lines !== undefined ? `${file}: not valid CSV: line ${e.lines + firstLine - 1}: ${reason}` : `${file}: not valid CSV: ${reason}`;
}

/** The line on which the record at `offset` bytes into `text` starts (blank lines skipped). */
function lineOfByteIn(text: string, offset: number, firstLine: number): number {
  const bytes = Buffer.from(text);
  let start = offset;
  while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
  let newlines = 0;
  for (let i = 0; i < start && i < bytes.length; i++) if (bytes[i] === 0x0a) newlines++;
  return firstLine + newlines;
}

/** The same for a file, read in chunks (only on an error, so the time does not matter). */
export function lineOfByteInFile(file: string, offset: number): number {
  const fd = fs.openSync(file, "r");
  const chunk = Buffer.alloc(1 << 20);
  let newlines = 0;
  let position = 0;
  let start = offset;
  try {
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      for (let i = 0; i < read; i++) {
        const at = position + i;
        if (at >= start) {
          if (chunk[i] === 0x0a || chunk[i] === 0x0d) start = at + 1; // a blank line before the record
          else return 1 + newlines;
        }
        if (chunk[i] === 0x0a) newlines++;
      }
      position += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return 1 + newlines;
}

/** Parses CSV text with a header row into records with their line numbers. */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvTable {
  const firstLine = options.firstLine ?? 1;
  let header: string[] = [];
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(text, csvParseOptions(options.relaxColumnCount ?? false, (h) => (header = h))) as never;
  } catch (error) {
    throw new InputError(csvErrorMessage(error, file, (offset) => lineOfByteIn(text, offset, firstLine), firstLine));
  }
  return { header, records: parsed.map(({ record, info }) => ({ record, line: info.lines + firstLine - 1 })) };
}
