// A sweep's rows as text, written row by row: CSV (one line a row, a header first), JSON Lines (one
// object a line) or the JSON document `{schema, version, rows: [...]}`, indented as toJson
// indents it. The characters are those csvText and toJson give for the whole set of rows at once.
//
// A row is laid out as runs of fields, each run either shared by a group of rows (the model,
// chip, phase and length over the batches: SweepRecord.shared) or the row's own. A shared run's
// text is written once per group and copied into each row; only the row's own figures are
// formatted for every row.
import { BOOLEAN, COLUMN, COLUMN_KINDS, NUMBER, SWEEP_COLUMNS, type SweepColumn, type SweepRecord } from "../roofline/sweep.js";
import { csvCellText, csvText } from "./csv.js";
import { toJson } from "./json.js";
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
    case "csv": return new RowWriter(csvCell(), () => CSV_LAYOUT, { begin: utf8(csvText([], SWEEP_COLUMNS)), end: new Uint8Array() });
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

/** Writes the value of one column of a record. */
type CellWriter = (out: TextChunk, record: SweepRecord, column: number) => void;

/** CSV: numbers as they are, empty cells for null and non-finite numbers, text as csvCellText. */
function csvCell(): CellWriter {
  const text = textCache(csvCellText);
  return (out, { numbers, texts }, column) => {
    const kind = COLUMN_KINDS[column];
    if (kind === NUMBER) {
      const value = numbers[column]!;
      if (Number.isFinite(value)) out.number(value);
    } else if (kind === BOOLEAN) {
      const value = numbers[column]!;
      if (value === 1) out.append(TRUE);
      else if (value === 0) out.append(FALSE);
    } else {
      const value = texts[column];
      if (value != null) out.append(text(value));
    }
  };
}

/** JSON: null for null and non-finite numbers, text escaped as toJson escapes it (DEL and C1 too). */
function jsonCell(): CellWriter {
  const text = textCache(toJson);
  return (out, { numbers, texts }, column) => {
    const kind = COLUMN_KINDS[column];
    if (kind === NUMBER) {
      const value = numbers[column]!;
      if (Number.isFinite(value)) out.number(value);
      else out.append(NULL);
    } else if (kind === BOOLEAN) {
      const value = numbers[column]!;
      out.append(value === 1 ? TRUE : value === 0 ? FALSE : NULL);
    } else {
      const value = texts[column];
      out.append(value == null ? NULL : text(value));
    }
  };
}

/** One field of a layout: the column, and the bytes before its value (separator, key). */
interface Field {
  column: number;
  before: Uint8Array;
}

/** Consecutive fields that are all shared by a group of rows, or all a row's own. */
interface Run {
  shared: boolean;
  fields: Field[];
}

/** A row's fields in order, what comes before the first and after the last. */
interface Layout {
  start: Uint8Array;
  fields: Field[];
  end: Uint8Array;
  /** The fields as runs, for each set of shared columns met (one per phase, with or without an estimate). */
  runs: Map<number, Run[]>;
}

function runsOf(fields: readonly Field[], shared: number): Run[] {
  const runs: Run[] = [];
  for (const field of fields) {
    const isShared = (shared & (1 << field.column)) !== 0;
    const last = runs.at(-1);
    if (last && last.shared === isShared) last.fields.push(field);
    else runs.push({ shared: isShared, fields: [field] });
  }
  return runs;
}

const CSV_LAYOUT: Layout = {
  start: new Uint8Array(),
  fields: SWEEP_COLUMNS.map((_, column) => ({ column, before: utf8(column > 0 ? "," : "") })),
  end: utf8("\n"),
  runs: new Map(),
};

/**
 * Writes rows by a layout: a group's shared runs are written when the group changes and copied
 * after; the row's own fields are written each time. A row without an estimate leaves out the
 * estimate's fields in JSON (`skipUnestimated`), as toJson leaves out undefined ones.
 */
class RowWriter implements SweepWriter {
  private group = -1;
  private runs: Run[] = [];
  private sharedText: Uint8Array[] = [];
  private readonly scratch = new TextChunk();
  private rows = 0;

  constructor(
    private readonly cell: CellWriter,
    private readonly layoutOf: (record: SweepRecord) => Layout,
    private readonly document: { begin: Uint8Array; end: Uint8Array; between?: Uint8Array; empty?: Uint8Array },
    private readonly skipUnestimated = false,
  ) {}

  begin(out: TextChunk): void {
    out.append(this.document.begin);
  }

  row(out: TextChunk, record: SweepRecord): void {
    const layout = this.layoutOf(record);
    if (record.group !== this.group) this.startGroup(record, layout);
    if (this.rows > 0 && this.document.between) out.append(this.document.between);
    this.rows += 1;
    out.append(layout.start);
    const runs = this.runs;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      if (run.shared) {
        out.append(this.sharedText[r]!);
        continue;
      }
      for (const field of run.fields) this.writeField(out, record, field);
    }
    out.append(layout.end);
  }

  end(out: TextChunk): void {
    out.append(this.rows === 0 && this.document.empty ? this.document.empty : this.document.end);
  }

  private writeField(out: TextChunk, record: SweepRecord, field: Field): void {
    if (this.skipUnestimated && !record.estimated && ESTIMATE_COLUMNS.has(field.column)) return;
    out.append(field.before);
    this.cell(out, record, field.column);
  }

  /** The runs of this group's rows, and the text of the shared ones. */
  private startGroup(record: SweepRecord, layout: Layout): void {
    this.group = record.group;
    let runs = layout.runs.get(record.shared);
    if (!runs) layout.runs.set(record.shared, (runs = runsOf(layout.fields, record.shared)));
    this.runs = runs;
    this.sharedText = runs.map((run) => {
      if (!run.shared) return new Uint8Array();
      for (const field of run.fields) this.writeField(this.scratch, record, field);
      return this.scratch.take().slice();
    });
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
    runs: new Map(),
  });
  const grid = layoutOf(JSON_KEYS.grid);
  const generate = layoutOf(JSON_KEYS.generate);
  const document = lines
    ? { begin: new Uint8Array(), end: new Uint8Array() }
    : { begin: utf8('{\n  "schema": "roofline.sweep",\n  "version": 1,\n  "rows": ['), end: utf8("\n  ]\n}"), between: utf8(","), empty: utf8("]\n}") };
  return new RowWriter(jsonCell(), (record) => (record.texts[COLUMN.phase] === "generate" ? generate : grid), document, true);
}
