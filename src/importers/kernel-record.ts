// What every importer produces: kernels by name with their summed time, and, where the format
// has hardware counters (Nsight Compute), the DRAM bytes and FLOPs they measured.
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

export interface ImportedTrace {
  file: string;
  format: "chrome-trace" | "ncu" | "nsys";
  kernels: ImportedKernel[];
}

/** Sums launches of the same kernel name. */
export function groupByName(launches: Iterable<{ name: string; seconds: number; dramBytes?: number; flops?: number }>): ImportedKernel[] {
  const byName = new Map<string, ImportedKernel>();
  for (const launch of launches) {
    const k = byName.get(launch.name) ?? { name: launch.name, launches: 0, seconds: 0 };
    k.launches += 1;
    k.seconds += launch.seconds;
    if (launch.dramBytes !== undefined) k.dramBytes = (k.dramBytes ?? 0) + launch.dramBytes;
    if (launch.flops !== undefined) k.flops = (k.flops ?? 0) + launch.flops;
    byName.set(launch.name, k);
  }
  return [...byName.values()];
}
