// Chrome trace event JSON, as torch.profiler (export_chrome_trace) and the JAX profiler write it,
// plain or gzipped. Real traces exceed Node's string limit, so the file is streamed: only the
// elements of `traceEvents` are assembled, one at a time.
// Kernel time: complete events ("ph": "X", times in µs) that are GPU kernels — category "kernel"
// (torch; "Kernel" in older Kineto) or any event on a device process ("/device:…", JAX).
import fs from "node:fs";
import zlib from "node:zlib";
import chain from "stream-chain";
import { parser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { InputError } from "../errors.js";
import { groupByName, type ImportedTrace } from "./kernel-record.js";

interface TraceEvent {
  ph?: string;
  cat?: string;
  name?: string;
  pid?: number | string;
  dur?: number;
  args?: { name?: string };
}

export async function readChromeTrace(file: string): Promise<ImportedTrace> {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such trace file`);
  const kernels: { name: string; seconds: number; pid: string; isKernel: boolean }[] = [];
  const devicePids = new Set<string>();
  let events = 0;
  const gzipped = file.endsWith(".gz");
  await new Promise<void>((resolve, reject) => {
    const pipeline = chain([
      fs.createReadStream(file),
      ...(gzipped ? [zlib.createGunzip()] : []),
      parser(),
      pick({ filter: "traceEvents" }),
      streamArray(),
      ({ value }: { value: TraceEvent }) => {
        events += 1;
        if (value.ph === "M" && value.name === "process_name" && String(value.args?.name ?? "").startsWith("/device:")) {
          devicePids.add(String(value.pid));
        } else if (value.ph === "X" && typeof value.dur === "number" && typeof value.name === "string") {
          kernels.push({ name: value.name, seconds: value.dur * 1e-6, pid: String(value.pid), isKernel: (value.cat ?? "").toLowerCase() === "kernel" });
        }
        return null;
      },
    ]);
    pipeline.on("error", (error: Error) => reject(new InputError(`${file}: not a readable Chrome trace (${error.message})`)));
    // The chain starts from a file stream, so its readable side ends ("end") once the file is read.
    pipeline.on("end", () => resolve());
    pipeline.on("finish", () => resolve());
    pipeline.resume();
  });
  if (events === 0) throw new InputError(`${file}: no traceEvents found (is it a Chrome trace JSON?)`);
  const deviceKernels = kernels.filter((k) => k.isKernel || devicePids.has(k.pid));
  if (deviceKernels.length === 0) {
    throw new InputError(`${file}: no GPU kernel events (category "kernel", or events of a /device: process) among ${events} events`);
  }
  return { file, format: "chrome-trace", kernels: groupByName(deviceKernels) };
}
