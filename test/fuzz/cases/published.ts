// Published-measurement CSVs (`validate --measured`, `calibrate --published`): every column
// damaged in turn, values that are not positive, broken structure, folders without sources.
import fs from "node:fs";
import path from "node:path";
import { ITEMS, type FuzzCase } from "../case.js";
import { cellCases, textCases, type CellMutation, type Reader } from "../builders.js";
import { csvText, PUBLISHED_FILE, publishedRecords, publishedSeed } from "../seeds.js";

/** Every command that reads published measurements. */
export const PUBLISHED_READERS: readonly Reader[] = [
  { label: "validate", args: (f) => ["validate", "--measured", f] },
  { label: "validate --points", args: (f) => ["validate", "--measured", f, "--points"] },
  { label: "calibrate --published", args: (f) => ["calibrate", "--published", f, "-o", "k.json"] },
  { label: "validate --json", args: (f) => ["validate", "--measured", f, "--json"] },
];

const at = (row: number, column: string, values: readonly string[], item?: string): CellMutation[] =>
  values.map((value) => ({ row, column, value, ...(item && { item }) }));

const MUTATIONS: CellMutation[] = [
  ...at(0, "format_version", ["2"]),
  ...at(1, "source_id", ["Fuzz Source"]),

  ...at(0, "uncertainty", ["1.5"]),
  ...at(0, "power_watts", ["-300"]),
  ...at(1, "chips", ["0"]),
  ...at(0, "workload", ["mamba"]),
  ...at(0, "pass", ["sideways"]),
  ...at(0, "batch", ["9007199254740993"]),
  ...at(1, "m", ["0"]),
  ...at(0, "metric", ["furlongs"]),
  ...at(1, "value", ["", "Infinity", "=1+1", "<img src=x onerror=alert(1)>"]),
  ...at(0, "value", ["0", "-271.2"], ITEMS.implausible),
  ...at(1, "flop_convention", [""]),
  { row: 1, column: "source_id", value: "other-source", detail: "source_id" },
];

const records = publishedRecords();
const columns = Object.keys(records[0]!);
const text = publishedSeed();
const lines = text.trimEnd().split("\n");

const TEXTS: [string, string, (string | RegExp)?][] = [
  ["an empty file", ""],
  ["only the header", `${lines[0]}\n`],
  ["without the value column", csvText(records, columns.filter((c) => c !== "value")), "value"],
  ["with an unknown column", csvText(records.map((r) => ({ ...r, speedup: "2" })), [...columns, "speedup"]), "speedup"],
  ["a row one field short", [lines[0], lines[1]!.replace(/,[^,]*$/, ""), lines[2]].join("\n"), /\b2\b/],
];

function otherCases(): FuzzCase[] {
  // The quote opens on the last line, so that the line where it opens is the line where reading stops.
  const unterminated = [lines[0], lines[1], lines[2]!.replace(",table,", ',"table,')].join("\n");
  return [
    ...textCases("published CSV", ITEMS.published, PUBLISHED_FILE, TEXTS, PUBLISHED_READERS),
    ...textCases("published CSV", ITEMS.quotes, PUBLISHED_FILE, [["an unterminated quote on line 3", unterminated, /\b3\b/]], PUBLISHED_READERS),
    {
      name: "published CSV: a file named after another source", item: ITEMS.published, expect: "refused", where: "other.csv", detail: "source_id",
      files: { "other.csv": text }, args: ["validate", "--measured", "other.csv"],
    },
    {
      name: "published CSV: a folder without CSV files", item: ITEMS.published, expect: "refused", where: "sources",
      prepare: (dir) => void fs.mkdirSync(path.join(dir, "sources")), args: ["validate", "--measured", "sources/"],
    },
    {
      name: "published CSV: a good and a broken source in one folder", item: ITEMS.published, expect: "refused", where: "broken.csv",
      files: { [`sources/${PUBLISHED_FILE}`]: text, "sources/broken.csv": `${lines[0]}\n1,broken\n` },
      args: ["calibrate", "--published", "sources", "-o", "k.json"],
    },
    {
      name: "published CSV: a missing second file", item: ITEMS.published, expect: "refused", where: "missing.csv",
      files: { [PUBLISHED_FILE]: text }, args: ["validate", "--measured", PUBLISHED_FILE, "missing.csv"],
    },
  ];
}

export function publishedCases(): FuzzCase[] {
  return [...cellCases("published CSV", ITEMS.published, PUBLISHED_FILE, records, PUBLISHED_READERS, MUTATIONS), ...otherCases()];
}
