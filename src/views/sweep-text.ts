// A sweep's rows as text, written row by row: CSV (one line a row, a header first), JSON Lines (one
// object a line) or the JSON document `{schema, version, rows: [...]}`, indented as toJson
// indents it. The characters are those csvText and toJson give for the whole set of rows at once.
//
// A group of rows (one model, chip, phase and length over the batches) shares most of its fields
// (SweepRecord.shared). When a group starts, its rows' layout becomes a template: the constant
// text (separators, keys, the shared fields' values) between the row's own values. Each row then
// copies that text and formats only its own figures.
import { BOOLEAN, COLUMN, COLUMN_KINDS, NUMBER, SWEEP_COLUMNS, type SweepColumn, type SweepRecord } from "../roofline/sweep.js";
import { csvCellText, csvText } from "./csv.js";
import { toJson } from "./json.js";
import { MAX_NUMBER_BYTES } from "./decimal-text.js";
import { TextChunk, utf8 } from "./text-chunk.js";

export const SWEEP_FORMATS = ["csv", "jsonl", "json"] as const;
export type SweepFormat = (typeof SWEEP_FORMATS)[number];

/** Writes the rows of one sweep in one format: `begin`, then `row` for each, then `end`. */
export interface SweepWriter {
  begin(out: TextChunk): void;
  row(out: TextChunk, record: SweepRecord): void;
  end(out: TextChunk): void;
}

export function sweepWriter(format: SweepFormat): SweepWriter {
  switch (format) {
    case "csv": return new RowWriter(csvStyle(), () => CSV_LAYOUT, { begin: utf8(csvText([], SWEEP_COLUMNS)), end: new Uint8Array() });
    case "jsonl": return jsonWriter({ lines: true });
    case "json": return jsonWriter({ lines: false });
  }
}

/** Text a value of a column is written as, encoded once per distinct value. */
function textCache(encode: (value: string) => string): (value: string) => Uint8Array {
  const encoded = new Map<string, Uint8Array>();
  return (value) => {
    let bytes = encoded.get(value);
    if (!bytes) encoded.set(value, (bytes = utf8(encode(value))));
    return bytes;
  };
}

const TRUE = utf8("true");
const FALSE = utf8("false");
const NULL = utf8("null");
const NOTHING = new Uint8Array();

/**
 * How a format writes a value: what stands for null (and for a non-finite number), and the
 * encoding of text. Numbers are written as they are, booleans as true and false, in both.
 */
interface CellStyle {
  empty: Uint8Array;
  text: (value: string) => Uint8Array;
}

/** CSV: empty cells for null and non-finite numbers, text as csvCellText. */
const csvStyle = (): CellStyle => ({ empty: NOTHING, text: textCache(csvCellText) });

/** JSON: null for null and non-finite numbers, text escaped as toJson escapes it (DEL and C1 too). */
const jsonStyle = (): CellStyle => ({ empty: NULL, text: textCache(toJson) });

/** The most bytes a number or boolean cell takes. */
const CELL_BYTES = Math.max(MAX_NUMBER_BYTES, FALSE.length, NULL.length);

/** Writes the value of one column of a record, within `reserved` bytes already made room for (text makes its own). */
function writeCell(out: TextChunk, style: CellStyle, record: SweepRecord, column: number, reserved: number): void {
  const kind = COLUMN_KINDS[column];
  if (kind === NUMBER) {
    const value = record.numbers[column]!;
    if (Number.isFinite(value)) out.numberReserved(value);
    else out.appendReserved(style.empty);
  } else if (kind === BOOLEAN) {
    const value = record.numbers[column]!;
    out.appendReserved(value === 1 ? TRUE : value === 0 ? FALSE : style.empty);
  } else {
    const value = record.texts[column];
    const bytes = value == null ? style.empty : style.text(value);
    out.reserve(bytes.length + reserved);
    out.appendReserved(bytes);
  }
}

/** One field of a layout: the column, and the bytes before its value (separator, key). */
interface Field {
  column: number;
  before: Uint8Array;
}

/** A row's fields in order, with what comes before the first and after the last. */
interface Layout {
  start: Uint8Array;
  fields: Field[];
  end: Uint8Array;
}

const CSV_LAYOUT: Layout = {
  start: new Uint8Array(),
  fields: SWEEP_COLUMNS.map((_, column) => ({ column, before: utf8(column > 0 ? "," : "") })),
  end: utf8("\n"),
};

/**
 * The rows of a group as constant text around the row's own values: texts[0], value of
 * columns[0], texts[1], … texts[n]. (Text and columns alternate in a row; keeping them in
 * arrays makes a row two loops' worth of copies and the formatting of its figures.)
 */
interface Template {
  texts: Uint8Array[];
  columns: Int32Array;
  /** The most bytes a row takes, but for its text values: the room made once a row. */
  bytes: number;
}

/**
 * Writes rows by a layout, through a template made when each group starts. A row without an
 * estimate leaves out the estimate's fields in JSON (`skipUnestimated`), as toJson leaves out
 * undefined ones.
 */
class RowWriter implements SweepWriter {
  private group = -1;
  private template: Template = { texts: [], columns: new Int32Array(), bytes: 0 };
  private readonly scratch = new TextChunk();
  private rows = 0;

  constructor(
    private readonly style: CellStyle,
    private readonly layoutOf: (record: SweepRecord) => Layout,
    private readonly document: { begin: Uint8Array; end: Uint8Array; between?: Uint8Array; empty?: Uint8Array },
    private readonly skipUnestimated = false,
  ) {}

  begin(out: TextChunk): void {
    out.append(this.document.begin);
  }

  row(out: TextChunk, record: SweepRecord): void {
    if (record.group !== this.group) this.startGroup(record);
    if (this.rows > 0 && this.document.between) out.append(this.document.between);
    this.rows += 1;
    const { texts, columns, bytes } = this.template;
    // One reservation a row; each piece is then copied without a check.
    out.reserve(bytes);
    const { numbers } = record;
    const style = this.style;
    for (let i = 0; i < columns.length; i++) {
      out.appendReserved(texts[i]!);
      const column = columns[i]!;
      const value = numbers[column]!;
      // Numbers, most of a row, here; the rest through writeCell.
      if (COLUMN_KINDS[column] === NUMBER && Number.isFinite(value)) out.numberReserved(value);
      else writeCell(out, style, record, column, bytes);
    }
    out.appendReserved(texts[columns.length]!);
  }

  end(out: TextChunk): void {
    out.append(this.rows === 0 && this.document.empty ? this.document.empty : this.document.end);
  }

  /** The template of this group's rows: its shared fields written out, its own left as gaps. */
  private startGroup(record: SweepRecord): void {
    this.group = record.group;
    const layout = this.layoutOf(record);
    const texts: Uint8Array[] = [];
    const columns: number[] = [];
    const text = this.scratch;
    text.append(layout.start);
    for (const field of layout.fields) {
      if (this.skipUnestimated && !record.estimated && ESTIMATE_COLUMNS.has(field.column)) continue;
      text.append(field.before);
      if ((record.shared & (1 << field.column)) !== 0) {
        text.reserve(CELL_BYTES);
        writeCell(text, this.style, record, field.column, 0);
      } else {
        texts.push(text.take().slice());
        columns.push(field.column);
      }
    }
    text.append(layout.end);
    texts.push(text.take().slice());
    const textBytes = texts.reduce((sum, piece) => sum + piece.length, 0);
    this.template = { texts, columns: Int32Array.from(columns), bytes: textBytes + columns.length * CELL_BYTES };
  }
}

const ESTIMATE_COLUMNS = new Set([COLUMN.estimateSeconds, COLUMN.estimateCalibration]);

/**
 * The key order of the JSON rows, kept as the sweep has always written it so that documents from
 * before and after compare byte for byte: a generate row carries the full analysis's totals in
 * their own order, the other rows the grid's.
 */
const JSON_KEYS: Record<"grid" | "generate", readonly SweepColumn[]> = {
  grid: [
    "model", "phase", "window", "seqTokens", "contextTokens", "promptTokens", "newTokens", "weightBytes", "cacheBytesPerSequence",
    "matrixFlops", "vectorFlops", "flops", "bytes", "intensity", "computeSeconds", "memorySeconds", "seconds", "upperBoundSeconds",
    "bound", "estimateSeconds", "estimateCalibration", "hardware", "batch", "maxBatch",
    "ttftSeconds", "decodeSeconds", "totalSeconds", "tokensPerSecond", "fits",
  ],
  generate: [
    "model", "phase", "window", "seqTokens", "contextTokens", "promptTokens", "newTokens", "weightBytes", "cacheBytesPerSequence",
    "matrixFlops", "vectorFlops", "bytes", "seconds", "upperBoundSeconds", "computeSeconds", "memorySeconds", "flops", "intensity",
    "bound", "hardware", "batch", "estimateSeconds", "estimateCalibration", "maxBatch",
    "ttftSeconds", "decodeSeconds", "totalSeconds", "tokensPerSecond", "fits",
  ],
};

/** JSON Lines: one compact object a line. The document: each row indented inside `rows`, as toJson lays it out. */
function jsonWriter({ lines }: { lines: boolean }): SweepWriter {
  const indent = lines ? "" : "\n      ";
  const colon = lines ? ":" : ": ";
  const layoutOf = (keys: readonly SweepColumn[]): Layout => ({
    start: utf8(lines ? "{" : "\n    {"),
    // The first key, the model, is in every row, so every other key follows a comma.
    fields: keys.map((name, i) => ({ column: COLUMN[name], before: utf8(`${i > 0 ? "," : ""}${indent}${JSON.stringify(name)}${colon}`) })),
    end: utf8(lines ? "}\n" : "\n    }"),
  });
  const grid = layoutOf(JSON_KEYS.grid);
  const generate = layoutOf(JSON_KEYS.generate);
  const document = lines
    ? { begin: new Uint8Array(), end: new Uint8Array() }
    : { begin: utf8('{\n  "schema": "roofline.sweep",\n  "version": 1,\n  "rows": ['), end: utf8("\n  ]\n}"), between: utf8(","), empty: utf8("]\n}") };
  return new RowWriter(jsonStyle(), (record) => (record.texts[COLUMN.phase] === "generate" ? generate : grid), document, true);
}
