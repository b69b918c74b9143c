// What a profile's numbers can plausibly be. Profiles are in SI units (bytes, bytes/s, FLOP/s, Hz,
// W), and the usual mistake is a datasheet's unit instead (3350 GB/s, 989 TFLOP/s): such a value
// is off by 1e9 or 1e12 and would silently make every time in the output wrong by as much. The
// ranges are wide (a laptop CPU to chips a decade beyond today's) and each says what the likely
// slip was.

export interface PlausibleRange {
  unit: string;
  min: number;
  max: number;
  /** What the user probably did when the value is below `min`. */
  belowHint?: string;
  /** What the user probably did when the value is above `max`. */
  aboveHint?: string;
}

export const PLAUSIBLE = {
  /** Main memory (HBM, GDDR, DRAM): 100 MB to 100 TB. */
  mainMemoryBytes: { unit: "bytes", min: 1e8, max: 1e14, belowHint: "did you give GB?" },
  /**
   * Main memory bandwidth, peak, sustained or measured. The floor sits far below any real chip so
   * that a measurement on a loaded CPU (under 1 GB/s) still passes, yet far above a GB/s slip (3350).
   */
  mainMemoryBytesPerSecond: { unit: "bytes/s", min: 1e7, max: 1e14, belowHint: "did you give GB/s?" },
  /** One on-chip memory (shared memory, L2, VMEM, SRAM): 1 kB to 100 GB. */
  onChipBytes: { unit: "bytes", min: 1e3, max: 1e11, belowHint: "did you give kB or MB?" },
  /** On-chip memory bandwidth (registers and caches run far above main memory). */
  onChipBytesPerSecond: { unit: "bytes/s", min: 1e9, max: 1e17, belowHint: "did you give GB/s?" },
  /** One chip-to-chip link, or the host link, per direction. */
  linkBytesPerSecond: { unit: "bytes/s", min: 1e8, max: 1e13, belowHint: "did you give GB/s?" },
  /** Matrix and vector ceilings, peak, sustained or measured (a loaded CPU measures tens of MFLOP/s; a TFLOP/s slip is under 1e4). */
  flopsPerSecond: { unit: "FLOP/s", min: 1e6, max: 1e17, belowHint: "did you give TFLOP/s?" },
  /** Transcendentals (exp, log, rsqrt) per second. */
  opsPerSecond: { unit: "op/s", min: 1e6, max: 1e17, belowHint: "did you give Top/s?" },
  clockHz: { unit: "Hz", min: 1e8, max: 1e10, belowHint: "did you give MHz or GHz?" },
  powerWatts: { unit: "W", min: 1, max: 1e5, aboveHint: "did you give mW?" },
  /** One hop or step of a collective: 10 ns to 1 ms (a value above is likely microseconds given as seconds' units). */
  linkLatencySeconds: { unit: "s", min: 1e-8, max: 1e-3, aboveHint: "did you give µs?" },
  /** Rent of one chip for an hour, in US dollars. */
  dollarsPerChipHour: { unit: "USD per chip-hour", min: 0.01, max: 1000 },
} as const satisfies Record<string, PlausibleRange>;

/** 1e9, 3.5e12: the ranges' bounds as people write them. */
const scientific = (value: number) => value.toExponential().replace("e+", "e");

/** Why `value` is implausible for `range`, or undefined when it lies inside. */
export function implausibility(value: number, range: PlausibleRange): string | undefined {
  if (value >= range.min && value <= range.max) return undefined;
  const hint = value < range.min ? range.belowHint : range.aboveHint;
  return `${value} is not a plausible ${range.unit} (expected ${scientific(range.min)}–${scientific(range.max)}${hint ? `; ${hint}` : ""})`;
}
