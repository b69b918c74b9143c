// What every importer produces: kernels by name with their summed time, and, where the format
// has hardware counters (Nsight Compute), the DRAM bytes and FLOPs they measured.
import { InputError } from "../errors.js";

export interface ImportedKernel {
  name: string;
  /** Launches of this kernel in the file. */
  launches: number;
  /** Total time over all launches, in seconds. */
  seconds: number;
  /** Median time of one launch, where the format gives one. */
  medianSeconds?: number;
  dramBytes?: number;
  flops?: number;
}

/** The device a trace was recorded on, as far as the file says. */
export interface TraceDevice {
  /** "cpu" for traces of CPU operators alone; "accelerator" for GPU and TPU kernels. */
  kind: "cpu" | "accelerator";
  /** The device names the file records (torch's deviceProperties), if any. */
  names: string[];
}

export interface ImportedTrace {
  file: string;
  format: "chrome-trace" | "ncu" | "nsys";
  kernels: ImportedKernel[];
  device?: TraceDevice;
  /** What was read but deserves a look (zero-length events, CPU operators standing in for kernels). */
  warnings: string[];
}

/** Sums launches of the same kernel name; a sum that overflows is refused. */
export function groupByName(file: string, launches: Iterable<{ name: string; seconds: number; dramBytes?: number; flops?: number }>): ImportedKernel[] {
  const byName = new Map<string, ImportedKernel>();
  for (const launch of launches) {
    const k = byName.get(launch.name) ?? { name: launch.name, launches: 0, seconds: 0 };
    k.launches += 1;
    k.seconds += launch.seconds;
    if (launch.dramBytes !== undefined) k.dramBytes = (k.dramBytes ?? 0) + launch.dramBytes;
    if (launch.flops !== undefined) k.flops = (k.flops ?? 0) + launch.flops;
    for (const [what, sum] of [["DRAM bytes", k.dramBytes], ["FLOPs", k.flops]] as const) {
      if (sum !== undefined && !Number.isFinite(sum)) {
        throw new InputError(`${file}: kernel "${launch.name}": its ${what} add up to more than ${Number.MAX_VALUE.toPrecision(4)}; the counters cannot be right`);
      }
    }
    byName.set(launch.name, k);
  }
  return [...byName.values()];
}
