// Building many cases from one seed: the same damage applied to a file read by different
// commands, and JSON fields set to hostile values.
import type { FuzzCase } from "./case.js";
import { breaksSyntax, fieldName, jsonText, pathText, REMOVE, withField, withNewField, type JsonPath } from "./mutate.js";
import { csvText, type CsvRecord, type Json } from "./seeds.js";

/** A command that reads the input file `file`; extra files it needs besides that one. */
export interface Reader {
  label: string;
  args: (file: string) => string[];
  files?: Record<string, string | Uint8Array>;
}

/** Spreads cases over several readers of the same kind of file, in turn, so that each command meets some of them. */
export const inTurn = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

export interface FieldMutation {
  path: JsonPath;
  /** How the value is described in the case name. */
  label: string;
  value: unknown;
  /** Added where the seed lacks the field. */
  add?: boolean;
  /** Overrides the case group (default: the input kind's). */
  item?: string;
  /** Overrides what stderr must name (default: the field's name). */
  detail?: string | RegExp;
  /** Overrides what stderr's first line must name (default: the file). */
  where?: string | RegExp;
  /** Overrides the expectation (default: refused). */
  expect?: FuzzCase["expect"];
}

/** One refused case per mutation: the seed with one field changed, written to `file` and read by the readers in turn. */
export function fieldCases(kind: string, item: string, file: string, seed: Json, readers: readonly Reader[], mutations: readonly FieldMutation[]): FuzzCase[] {
  return mutations.map((m, i) => {
    const reader = inTurn(readers, i);
    const value = m.add ? withNewField(seed, m.path, m.value) : withField(seed, m.path, m.value);
    return {
      name: `${kind}: ${pathText(m.path)} ${m.value === REMOVE ? "removed" : `= ${m.label}`} (${reader.label})`,
      item: m.item ?? item,
      files: { ...reader.files, [file]: jsonText(value) },
      args: reader.args(file),
      expect: m.expect ?? "refused",
      where: m.where ?? file,
      // Text that is no longer JSON can only be placed by file (and line); a wrong value, by field.
      ...(!breaksSyntax(m.value) && { detail: m.detail ?? fieldName(m.path) }),
    };
  });
}

/** The same values for one field. */
export const valuesAt = (path: JsonPath, values: readonly [string, unknown][], item?: string): FieldMutation[] =>
  values.map(([label, value]) => ({ path, label, value, ...(item && { item }) }));

/** Damaged texts (or contents) of one file, each read by the readers in turn. */
export function textCases(kind: string, item: string, file: string, texts: readonly [string, string | Uint8Array, (string | RegExp)?][], readers: readonly Reader[]): FuzzCase[] {
  return texts.map(([label, content, detail], i) => {
    const reader = inTurn(readers, i);
    return {
      name: `${kind}: ${label} (${reader.label})`,
      item,
      files: { ...reader.files, [file]: content },
      args: reader.args(file),
      expect: "refused",
      where: file,
      ...(detail !== undefined && { detail }),
    };
  });
}

export interface CellMutation {
  /** Index of the data row (0 is the file's line 2). */
  row: number;
  column: string;
  value: string;
  item?: string;
  /** Overrides what stderr must name (default: the column and the line). */
  detail?: string | RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Both the line and the column, anywhere in stderr. */
export const lineAndColumn = (line: number, column: string): RegExp =>
  new RegExp(`^(?=[^]*\\b${line}\\b)[^]*${escapeRegExp(column)}`);

/** One refused case per mutation: the CSV seed with one cell changed, read by the readers in turn. */
export function cellCases(
  kind: string, item: string, file: string, records: readonly CsvRecord[], readers: readonly Reader[], mutations: readonly CellMutation[],
): FuzzCase[] {
  const columns = Object.keys(records[0]!);
  return mutations.map((m, i) => {
    const reader = inTurn(readers, i);
    const changed = records.map((r, j) => (j === m.row ? { ...r, [m.column]: m.value } : r));
    return {
      name: `${kind}: line ${m.row + 2} ${m.column} = ${JSON.stringify(m.value).slice(0, 40)} (${reader.label})`,
      item: m.item ?? item,
      files: { ...reader.files, [file]: csvText(changed, columns) },
      args: reader.args(file),
      expect: "refused",
      where: file,
      detail: m.detail ?? lineAndColumn(m.row + 2, m.column),
    };
  });
}
