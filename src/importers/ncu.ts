// Nsight Compute CSV: `ncu --csv --page raw` (one row per launch, one column per metric, a units
// row under the header) or the default long form (one row per metric). Output may start with
// ==PROF== lines; numbers may carry thousands separators; unavailable metrics print "n/a".
// FLOPs follow the NERSC roofline recipe: add + mul + 2 × fma instructions per precision.
import { readTextFile } from "../json-file.js";
import { MAX_CSV_BYTES } from "../limits.js";
import fs from "node:fs";
import { InputError } from "../errors.js";
import { describeLimit, MAX_MEASURED_SECONDS } from "../measurements/limits.js";
import { parseCsv, withoutByteOrderMark } from "./csv-input.js";
import { groupByName, type ImportedTrace } from "./kernel-record.js";

const TIME = "gpu__time_duration.sum";
const DRAM_TOTAL = "dram__bytes.sum";
const DRAM_READ = "dram__bytes_read.sum";
const DRAM_WRITE = "dram__bytes_write.sum";
const FLOP_METRICS: [string, number][] = ["d", "f", "h"].flatMap((p) => [
  [`sm__sass_thread_inst_executed_op_${p}add_pred_on.sum`, 1],
  [`sm__sass_thread_inst_executed_op_${p}mul_pred_on.sum`, 1],
  [`sm__sass_thread_inst_executed_op_${p}fma_pred_on.sum`, 2],
] as [string, number][]);

/** Time units per second (dividing keeps round numbers exact). */
const TIME_PER_SECOND: Record<string, number> = { nsecond: 1e9, usecond: 1e6, msecond: 1e3, second: 1, ns: 1e9, us: 1e6, ms: 1e3, s: 1 };
const BYTE_UNITS: Record<string, number> = {
  byte: 1, Kbyte: 1e3, Mbyte: 1e6, Gbyte: 1e9, Tbyte: 1e12, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3,
};

/** One launch: its metrics by name, and the line of the file each metric was read from. */
interface Launch {
  name: string;
  values: Record<string, string>;
  lines: Record<string, number>;
}

function scale(units: Record<string, number>, unit: string | undefined, file: string, metric: string): number {
  if (unit === undefined || unit === "") return 1;
  const factor = units[unit];
  if (factor === undefined) throw new InputError(`${file}: unknown unit "${unit}" for ${metric}`);
  return factor;
}

/** A metric of a launch as a number ≥ 0 (undefined when absent or "n/a"). */
function metric(launch: Launch, name: string, file: string): number | undefined {
  const text = launch.values[name];
  if (text === undefined) return undefined;
  const cleaned = text.replace(/,/g, "").trim();
  if (cleaned === "" || cleaned === "n/a") return undefined;
  const value = Number(cleaned);
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(`${file}:${launch.lines[name]}: ${name} of "${launch.name}": expected a number ≥ 0, got "${text}"`);
  }
  return value;
}

/** Launches from the long form: one row per metric, pivoted by launch ID. */
function pivot(records: { record: Record<string, string>; line: number }[]): { launches: Launch[]; units: Record<string, string> } {
  const byId = new Map<string, Launch>();
  const units: Record<string, string> = {};
  for (const { record: r, line } of records) {
    const launch = byId.get(r.ID!) ?? { name: r["Kernel Name"] ?? "", values: {}, lines: {} };
    launch.values[r["Metric Name"]!] = r["Metric Value"] ?? "";
    launch.lines[r["Metric Name"]!] = line;
    units[r["Metric Name"]!] = r["Metric Unit"] ?? "";
    byId.set(r.ID!, launch);
  }
  return { launches: [...byId.values()], units };
}

export function parseNcu(content: string, file: string): ImportedTrace {
  const lines = withoutByteOrderMark(content).split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith('"ID",'));
  if (start < 0) throw new InputError(`${file}: no Nsight Compute CSV header (a line starting with "ID",)`);
  const { header, records } = parseCsv(lines.slice(start).join("\n"), file, { firstLine: start + 1, relaxColumnCount: true });
  let launches: Launch[];
  let units: Record<string, string> = {};
  if (header.includes("Metric Name")) {
    ({ launches, units } = pivot(records));
  } else {
    const rows = (records[0]?.record.ID ?? "") === "" && records.length > 0 ? records.slice(1) : records;
    if (rows !== records) units = records[0]!.record;
    launches = rows.map(({ record, line }) => ({
      name: record["Kernel Name"] ?? "", values: record, lines: Object.fromEntries(Object.keys(record).map((k) => [k, line])),
    }));
  }
  for (const required of ["Kernel Name", TIME]) {
    if (!header.includes(required) && !launches.some((l) => required in l.values)) {
      throw new InputError(`${file}: missing column "${required}" (collect it with ncu --metrics ${TIME},${DRAM_TOTAL},…)`);
    }
  }
  if (launches.length === 0) throw new InputError(`${file}: no kernels (the header has no rows under it)`);
  const timePerSecond = scale(TIME_PER_SECOND, units[TIME], file, TIME);
  const bytes = (launch: Launch, name: string) => {
    const value = metric(launch, name, file);
    return value === undefined ? undefined : value * scale(BYTE_UNITS, units[name], file, name);
  };
  let noDramTraffic = 0;
  const kernels = groupByName(file, launches.map((launch, i) => {
    const time = metric(launch, TIME, file);
    if (time === undefined) throw new InputError(`${file}: launch ${i + 1} (${launch.name}) has no ${TIME}`);
    const seconds = time / timePerSecond;
    if (!(seconds > 0) || seconds > MAX_MEASURED_SECONDS) {
      throw new InputError(`${file}:${launch.lines[TIME]}: ${TIME} of "${launch.name}": a launch takes more than 0 s and at most ` +
        `${describeLimit(MAX_MEASURED_SECONDS)} (a day), got ${launch.values[TIME]} ${units[TIME] ?? ""}`.trimEnd());
    }
    const total = bytes(launch, DRAM_TOTAL);
    const read = bytes(launch, DRAM_READ);
    const write = bytes(launch, DRAM_WRITE);
    const dramBytes = total ?? (read !== undefined && write !== undefined ? read + write : undefined);
    if (dramBytes === 0) noDramTraffic += 1;
    const flopParts = FLOP_METRICS.flatMap(([name, weight]) => {
      const count = metric(launch, name, file);
      return count === undefined ? [] : [count * weight];
    });
    return {
      name: launch.name,
      seconds,
      ...(dramBytes !== undefined && { dramBytes }),
      ...(flopParts.length > 0 && { flops: flopParts.reduce((a, b) => a + b, 0) }),
    };
  }));
  return {
    file,
    format: "ncu",
    kernels,
    device: { kind: "accelerator", names: [] }, // an NVIDIA profiler: a GPU, its model not recorded here
    // Legitimate (data served from L2), but such a group's DRAM bytes fall short of the model's.
    warnings: noDramTraffic > 0 ? [`${file}: ${noDramTraffic} of ${launches.length} launches moved 0 DRAM bytes (their data stayed in cache)`] : [],
  };
}

export function readNcu(file: string): ImportedTrace {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  return parseNcu(readTextFile(file, "Nsight Compute", MAX_CSV_BYTES), file);
}
