// Nsight Systems' kernel summary: `nsys stats --report cuda_gpu_kern_sum --format csv`. Columns
// "Time (%)", "Total Time (ns)", "Instances", "Avg (ns)", "Med (ns)", …, "Name"; the time unit is in
// the header; a title line and a blank line may precede it; numbers may carry thousands separators.
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.js";
import type { ImportedTrace } from "./kernel-record.js";

/** Units per second: dividing by these keeps round numbers exact (412,000,000 ns = 0.412 s). */
const PER_SECOND: Record<string, number> = { ns: 1e9, us: 1e6, ms: 1e3, s: 1 };

export function parseNsys(content: string, file: string): ImportedTrace {
  const lines = content.split(/\r?\n/);
  const start = lines.findIndex((line) => /Total Time \(\w+\)/.test(line));
  if (start < 0) throw new InputError(`${file}: no cuda_gpu_kern_sum header (a line with "Total Time (ns)")`);
  const records = parse(lines.slice(start).join("\n"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const columns = Object.keys(records[0] ?? {});
  const totalColumn = columns.find((c) => /^Total Time \(\w+\)$/.test(c))!;
  const unit = /\((\w+)\)/.exec(totalColumn)![1]!;
  const perSecond = PER_SECOND[unit];
  if (perSecond === undefined) throw new InputError(`${file}: unknown time unit "${unit}"`);
  const medianColumn = columns.find((c) => /^Med \(\w+\)$/.test(c));
  for (const required of ["Instances", "Name"]) {
    if (!columns.includes(required)) throw new InputError(`${file}: missing column "${required}"`);
  }
  const num = (text: string | undefined, what: string, line: number) => {
    const value = Number((text ?? "").replace(/,/g, ""));
    if (!Number.isFinite(value) || value < 0) throw new InputError(`${file}: row ${line}: "${what}" is not a number ("${text}")`);
    return value;
  };
  return {
    file,
    format: "nsys",
    kernels: records.map((r, i) => ({
      name: r.Name!,
      launches: num(r.Instances, "Instances", i + 1),
      seconds: num(r[totalColumn], totalColumn, i + 1) / perSecond,
      ...(medianColumn && { medianSeconds: num(r[medianColumn], medianColumn, i + 1) / perSecond }),
    })),
  };
}

export function readNsys(file: string): ImportedTrace {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  return parseNsys(fs.readFileSync(file, "utf8"), file);
}
