// Nsight Compute CSV: `ncu --csv --page raw` (one row per launch, one column per metric, a units
// row under the header) or the default long form (one row per metric). Output may start with
// ==PROF== lines; numbers may carry thousands separators; unavailable metrics print "n/a".
// FLOPs follow the NERSC roofline recipe: add + mul + 2 × fma instructions per precision.
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.js";
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

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const cleaned = text.replace(/,/g, "").trim();
  if (cleaned === "" || cleaned === "n/a") return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

function scale(units: Record<string, number>, unit: string | undefined, file: string, metric: string): number {
  if (unit === undefined || unit === "") return 1;
  const factor = units[unit];
  if (factor === undefined) throw new InputError(`${file}: unknown unit "${unit}" for ${metric}`);
  return factor;
}

export function parseNcu(content: string, file: string): ImportedTrace {
  const lines = content.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith('"ID",'));
  if (start < 0) throw new InputError(`${file}: no Nsight Compute CSV header (a line starting with "ID",)`);
  const records = parse(lines.slice(start).join("\n"), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  if (records.length === 0) throw new InputError(`${file}: no kernels`);
  // Long form: pivot metric rows into one record per launch.
  let launches: Record<string, string>[] = records;
  let units: Record<string, string> = {};
  if ("Metric Name" in records[0]!) {
    const byId = new Map<string, Record<string, string>>();
    for (const r of records) {
      const launch = byId.get(r.ID!) ?? { "Kernel Name": r["Kernel Name"] ?? "" };
      launch[r["Metric Name"]!] = r["Metric Value"] ?? "";
      units[r["Metric Name"]!] = r["Metric Unit"] ?? "";
      byId.set(r.ID!, launch);
    }
    launches = [...byId.values()];
  } else if ((records[0]!.ID ?? "") === "") {
    units = records[0]!;
    launches = records.slice(1);
  }
  const columns = Object.keys(launches[0] ?? {});
  for (const required of ["Kernel Name", TIME]) {
    if (!columns.includes(required)) throw new InputError(`${file}: missing column "${required}" (collect it with ncu --metrics ${TIME},${DRAM_TOTAL},…)`);
  }
  const timePerSecond = scale(TIME_PER_SECOND, units[TIME], file, TIME);
  return {
    file,
    format: "ncu",
    kernels: groupByName(launches.map((launch, i) => {
      const seconds = number(launch[TIME]);
      if (seconds === undefined) throw new InputError(`${file}: launch ${i + 1} (${launch["Kernel Name"]}) has no ${TIME}`);
      const total = number(launch[DRAM_TOTAL]);
      const read = number(launch[DRAM_READ]);
      const write = number(launch[DRAM_WRITE]);
      const dramBytes = total !== undefined ? total * scale(BYTE_UNITS, units[DRAM_TOTAL], file, DRAM_TOTAL)
        : read !== undefined && write !== undefined
          ? read * scale(BYTE_UNITS, units[DRAM_READ], file, DRAM_READ) + write * scale(BYTE_UNITS, units[DRAM_WRITE], file, DRAM_WRITE)
          : undefined;
      const flopParts = FLOP_METRICS.map(([metric, weight]) => (number(launch[metric]) ?? Number.NaN) * weight).filter((v) => !Number.isNaN(v));
      return {
        name: launch["Kernel Name"] ?? "",
        seconds: seconds / timePerSecond,
        ...(dramBytes !== undefined && { dramBytes }),
        ...(flopParts.length > 0 && { flops: flopParts.reduce((a, b) => a + b, 0) }),
      };
    })),
  };
}

export function readNcu(file: string): ImportedTrace {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  return parseNcu(fs.readFileSync(file, "utf8"), file);
}
