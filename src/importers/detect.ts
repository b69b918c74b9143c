// Which format a measurements file is in, from its name and first bytes.
import fs from "node:fs";
import { InputError } from "../errors.js";
import { withoutByteOrderMark } from "./csv-input.js";

export const MEASUREMENT_FORMATS = ["harness", "chrome-trace", "ncu", "nsys", "published"] as const;
export type MeasurementFormat = (typeof MEASUREMENT_FORMATS)[number];

export function detectFormat(file: string, given?: string): MeasurementFormat {
  if (given !== undefined) {
    if (!(MEASUREMENT_FORMATS as readonly string[]).includes(given)) {
      throw new InputError(`--format: unknown format "${given}"; known: ${MEASUREMENT_FORMATS.join(", ")}`);
    }
    return given as MeasurementFormat;
  }
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  if (/\.json(\.gz)?$/.test(file)) return "chrome-trace";
  const fd = fs.openSync(file, "r");
  const head = Buffer.alloc(4096);
  const read = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const text = withoutByteOrderMark(head.subarray(0, read).toString("utf8"));
  // An object with traceEvents, or torch 1.13's bare array of events.
  if (/^\s*[{[]/.test(text)) return "chrome-trace";
  if (/^kernel_id,/.test(text)) return "harness";
  if (/^(source,hardware,kernel_or_workload|format_version,)/.test(text)) return "published";
  if (/^"ID",/m.test(text)) return "ncu";
  if (/Total Time \(\w+\)/.test(text)) return "nsys";
  throw new InputError(`${file}: unknown measurements format; pass --format ${MEASUREMENT_FORMATS.join("|")}`);
}
