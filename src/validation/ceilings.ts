// Ceilings from a profile's measured entries (copy/triad bandwidth, matmul per dtype, vector), so
// that achieved fractions can be given against what the device really reaches, not only its peaks.
import type { Ceilings } from "../hardware/ceilings.js";
import type { HardwareProfile } from "../hardware/schema.js";

export interface MeasuredCeilings extends Ceilings {
  /** Which of the three ceilings came from measurements (the others stay at the vendor figure). */
  measured: { matrix: boolean; vector: boolean; memory: boolean };
}

export function measuredCeilings(profile: HardwareProfile, vendor: Ceilings): MeasuredCeilings | null {
  const entries = profile.measured;
  const bandwidths = entries.filter((m) => m.metric === "memory-copy" || m.metric === "memory-triad").map((m) => m.value);
  const matrix = entries.find((m) => m.metric === "matrix" && m.dtype === vendor.matrixDtype)?.value;
  const vector = entries.find((m) => m.metric === "vector")?.value;
  if (bandwidths.length === 0 && matrix === undefined && vector === undefined) return null;
  return {
    ...vendor,
    matrixFlopsPerSecond: matrix ?? vendor.matrixFlopsPerSecond,
    vectorFlopsPerSecond: vector ?? vendor.vectorFlopsPerSecond,
    memoryBytesPerSecond: bandwidths.length > 0 ? Math.max(...bandwidths) : vendor.memoryBytesPerSecond,
    measured: { matrix: matrix !== undefined, vector: vector !== undefined, memory: bandwidths.length > 0 },
  };
}
