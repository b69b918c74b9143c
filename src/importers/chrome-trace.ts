// Chrome trace event JSON, as torch.profiler (export_chrome_trace) and the JAX profiler write it,
// plain or gzipped. Real traces exceed Node's string limit, so the file is streamed and only
// running totals per kernel are kept (src/importers/trace-events.ts).
// Kernel time: complete events ("ph": "X", times in µs) that are GPU kernels — category "kernel"
// (torch; "Kernel" in older Kineto) or any event on a device process ("/device:…", JAX). A trace
// without any (a profile taken without a GPU) is read as its CPU operators instead: category
// "cpu_op", or every complete event of torch 1.13's legacy profiler, which has no categories.
import fs from "node:fs";
import zlib from "node:zlib";
import { InputError } from "../errors.js";
import { describeLimit, MAX_MEASURED_SECONDS } from "../measurements/limits.js";
import { CpuOperators } from "./cpu-operators.js";
import { groupByName, type ImportedKernel, type ImportedTrace } from "./kernel-record.js";
import { scanTraceEvents, TraceSyntaxError, type EventPlace } from "./trace-events.js";

interface TraceEvent {
  ph?: string;
  cat?: string;
  name?: string;
  pid?: number | string;
  tid?: number | string;
  ts?: number;
  dur?: number;
  args?: { name?: string };
}

const MICROSECONDS_PER_SECOND = 1e6;

/** Running totals of the complete events of one name on one process. */
interface Totals {
  name: string;
  pid: string;
  kernelCategory: boolean;
  launches: number;
  microseconds: number;
  zeroLength: number;
}

export async function readChromeTrace(file: string): Promise<ImportedTrace> {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such trace file`);
  const totals = new Map<string, Totals>();
  const devicePids = new Set<string>();
  // Kept only until the first GPU kernel shows that the trace has some.
  let cpu: CpuOperators | undefined = new CpuOperators();
  let legacyLayout = false;

  const onEvent = (raw: unknown, place: EventPlace) => {
    if (raw === null || typeof raw !== "object") return;
    const event = raw as TraceEvent;
    const pid = String(event.pid);
    if (event.ph === "M" && event.name === "process_name" && String(event.args?.name ?? "").startsWith("/device:")) {
      devicePids.add(pid);
      return;
    }
    if (event.ph !== "X" || typeof event.dur !== "number" || typeof event.name !== "string") return;
    const where = `${file}:${place.line}: event ${place.index} ("${event.name}")`;
    if (!(event.dur >= 0)) throw new InputError(`${where}: negative duration ${event.dur} µs`);
    if (event.dur > MAX_MEASURED_SECONDS * MICROSECONDS_PER_SECOND) {
      throw new InputError(`${where}: ${event.dur} µs is more than ${describeLimit(MAX_MEASURED_SECONDS)} (a day) for one event; is the unit right?`);
    }
    const kernelCategory = (event.cat ?? "").toLowerCase() === "kernel";
    const key = `${pid}\u0000${kernelCategory}\u0000${event.name}`;
    const t = totals.get(key) ?? { name: event.name, pid, kernelCategory, launches: 0, microseconds: 0, zeroLength: 0 };
    t.launches += 1;
    t.microseconds += event.dur;
    if (event.dur === 0) t.zeroLength += 1;
    totals.set(key, t);
    if (kernelCategory || devicePids.has(pid)) cpu = undefined;
    else if (cpu && (event.cat === "cpu_op" || (legacyLayout && event.cat === undefined)) && typeof event.ts === "number") {
      cpu.add(`${pid}\u0000${String(event.tid)}`, event.name, event.ts, event.dur);
    }
  };

  let source;
  try {
    const input = fs.createReadStream(file);
    const text = file.endsWith(".gz") ? input.pipe(zlib.createGunzip()) : input;
    text.setEncoding("utf8");
    input.on("error", (error) => text.destroy(error));
    // The legacy layout is known from the first character; it decides which events are operators.
    source = await scanTraceEvents(peekLayout(text, (layout) => (legacyLayout = layout === "array")), onEvent, ["deviceProperties"]);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = error instanceof TraceSyntaxError ? error.message : `it cannot be read (${(error as Error).message})`;
    throw new InputError(`${file}: not a readable Chrome trace: ${reason}`);
  }
  if (source.events === 0) {
    throw new InputError(`${file}: no traceEvents found (expected a Chrome trace: {"traceEvents": [...]} or a bare array of events)`);
  }
  const deviceNames = deviceNamesOf(source.kept.deviceProperties);
  const kernels = [...totals.values()].filter((t) => t.kernelCategory || devicePids.has(t.pid));
  if (kernels.length > 0) {
    const zero = kernels.reduce((s, t) => s + t.zeroLength, 0);
    const launches = kernels.reduce((s, t) => s + t.launches, 0);
    return {
      file, format: "chrome-trace", kernels: merge(kernels), device: { kind: "accelerator", names: deviceNames },
      warnings: zeroLengthWarning(file, zero, launches, "kernel"),
    };
  }
  const operators = cpu as CpuOperators | undefined;
  if (!operators || operators.count === 0) {
    throw new InputError(`${file}: no GPU kernel events (category "kernel", or events of a /device: process) and no CPU operators ` +
      `(category "cpu_op") among ${source.events} events: nothing in it can be compared with the cost model`);
  }
  return {
    file, format: "chrome-trace", kernels: groupByName(file, operators.selfTimes()), device: { kind: "cpu", names: [] },
    warnings: [
      `${file}: no GPU kernel events, so its ${operators.count} CPU operators (${operators.threadCount} threads) stand for the kernels, ` +
        "each with its own time (less the operators it calls); compare them with a CPU's profile",
      ...zeroLengthWarning(file, operators.zeroLength, operators.count, "operator"),
    ],
  };
}

/** Kernels of one name on several device processes add up. */
function merge(totals: readonly Totals[]): ImportedKernel[] {
  const byName = new Map<string, ImportedKernel>();
  for (const t of totals) {
    const k = byName.get(t.name) ?? { name: t.name, launches: 0, seconds: 0 };
    k.launches += t.launches;
    k.seconds += t.microseconds / MICROSECONDS_PER_SECOND;
    byName.set(t.name, k);
  }
  return [...byName.values()];
}

function zeroLengthWarning(file: string, zero: number, all: number, what: string): string[] {
  return zero > 0 ? [`${file}: ${zero} of ${all} ${what} events last 0 µs (below the trace's resolution) and count as 0 s`] : [];
}

function deviceNamesOf(properties: unknown): string[] {
  if (!Array.isArray(properties)) return [];
  return [...new Set(properties.flatMap((p) => (p && typeof p === "object" && typeof (p as { name?: unknown }).name === "string" ? [(p as { name: string }).name] : [])))];
}

/** Passes the text through, telling `onLayout` whether it starts with an object or an array. */
async function* peekLayout(text: AsyncIterable<string>, onLayout: (layout: "object" | "array") => void): AsyncGenerator<string> {
  let told = false;
  for await (const chunk of text) {
    if (!told) {
      const first = /[^\s\uFEFF]/.exec(chunk)?.[0];
      if (first !== undefined) {
        onLayout(first === "[" ? "array" : "object");
        told = true;
      }
    }
    yield chunk;
  }
}
