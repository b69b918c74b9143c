// Nsight Systems' kernel summary: `nsys stats --report cuda_gpu_kern_sum --format csv`. Columns
// "Time (%)", "Total Time (ns)", "Instances", "Avg (ns)", "Med (ns)", …, "Name"; the time unit is in
// the header; a title line and a blank line may precede it; numbers may carry thousands separators.
// Some versions annotate a column with its aggregation ("Total Time (ns) [sum]"); the annotation
// is ignored.
import { readTextFile } from "../json-file.js";
import { MAX_CSV_BYTES } from "../limits.js";
import fs from "node:fs";
import { InputError } from "../errors.js";
import { describeLimit, MAX_MEASURED_SECONDS } from "../measurements/limits.js";
import { parseCsv, withoutByteOrderMark } from "./csv-input.js";
import type { ImportedTrace } from "./kernel-record.js";

/** Units per second: dividing by these keeps round numbers exact (412,000,000 ns = 0.412 s). */
const PER_SECOND: Record<string, number> = { ns: 1e9, us: 1e6, ms: 1e3, s: 1 };

const TOTAL_TIME = /^Total Time \((\w+)\)(\s*\[[^\]]*\])?$/;
const MEDIAN_TIME = /^Med \((\w+)\)(\s*\[[^\]]*\])?$/;
/** A column's name without an aggregation annotation: "Instances [sum]" → "Instances". */
const bare = (column: string) => column.replace(/\s*\[[^\]]*\]$/, "");

export function parseNsys(content: string, file: string): ImportedTrace {
  const lines = withoutByteOrderMark(content).split(/\r?\n/);
  const start = lines.findIndex((line) => /Total Time \(\w+\)/.test(line));
  if (start < 0) throw new InputError(`${file}: no cuda_gpu_kern_sum header (a line with "Total Time (ns)")`);
  const { header, records } = parseCsv(lines.slice(start).join("\n"), file, { firstLine: start + 1 });
  const totalColumn = header.find((c) => TOTAL_TIME.test(c));
  if (totalColumn === undefined) {
    throw new InputError(`${file}:${start + 1}: no "Total Time (unit)" column in the header (${header.map((c) => `"${c}"`).join(", ")})`);
  }
  const unit = TOTAL_TIME.exec(totalColumn)![1]!;
  const perSecond = PER_SECOND[unit];
  if (perSecond === undefined) throw new InputError(`${file}:${start + 1}: unknown time unit "${unit}" in "${totalColumn}"; known: ${Object.keys(PER_SECOND).join(", ")}`);
  const medianColumn = header.find((c) => MEDIAN_TIME.test(c));
  const column = (name: string) => header.find((c) => bare(c) === name);
  const instancesColumn = column("Instances");
  const nameColumn = column("Name");
  if (instancesColumn === undefined) throw new InputError(`${file}: missing column "Instances"`);
  if (nameColumn === undefined) throw new InputError(`${file}: missing column "Name"`);
  if (records.length === 0) throw new InputError(`${file}: no kernels (the summary's header has no rows under it)`);
  const num = (text: string | undefined, what: string, line: number, check: (n: number) => boolean, expected: string) => {
    const value = Number((text ?? "").replace(/,/g, "").trim());
    if ((text ?? "").trim() === "" || !Number.isFinite(value) || !check(value)) {
      throw new InputError(`${file}:${line}: column "${what}": expected ${expected}, got "${text ?? ""}"`);
    }
    return value;
  };
  return {
    file,
    format: "nsys",
    device: { kind: "accelerator", names: [] }, // an NVIDIA profiler: a GPU, its model not recorded here
    warnings: [],
    kernels: records.map(({ record: r, line }) => {
      const launches = num(r[instancesColumn], instancesColumn, line, (n) => Number.isSafeInteger(n) && n >= 1, "a whole number ≥ 1");
      const seconds = num(r[totalColumn], totalColumn, line, (n) => n > 0, "a positive time") / perSecond;
      if (seconds / launches > MAX_MEASURED_SECONDS) {
        throw new InputError(`${file}:${line}: column "${totalColumn}": ${r[totalColumn]} ${unit} over ${launches} instances is more than ` +
          `${describeLimit(MAX_MEASURED_SECONDS)} (a day) per launch; is the unit right?`);
      }
      return {
        name: r[nameColumn] ?? "",
        launches,
        seconds,
        ...(medianColumn && { medianSeconds: num(r[medianColumn], medianColumn, line, (n) => n > 0, "a positive time") / perSecond }),
      };
    }),
  };
}

export function readNsys(file: string): ImportedTrace {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  return parseNsys(readTextFile(file, "Nsight Systems", MAX_CSV_BYTES), file);
}
