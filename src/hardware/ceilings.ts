// The numbers a roofline needs from a profile: the compute ceilings for the chosen dtype,
// the memory bandwidth, and the ridge points (the intensity where memory time equals compute time).
import type { HardwareProfile, MatrixDtype } from "./schema.js";
import { InputError } from "../errors.js";

export interface Ceilings {
  hardwareId: string;
  matrixDtype: MatrixDtype;
  matrixFlopsPerSecond: number;
  vectorFlopsPerSecond: number;
  memoryBytesPerSecond: number;
  memoryCapacityBytes: number;
}

export function matrixFlopsPerSecond(profile: HardwareProfile, dtype: MatrixDtype): number {
  const ceiling = profile.compute.matrix.find((c) => c.dtype === dtype);
  if (!ceiling) {
    const known = profile.compute.matrix.map((c) => c.dtype).join(", ");
    throw new InputError(`${profile.id} has no ${dtype} matrix ceiling (it has: ${known})`);
  }
  return ceiling.flopsPerSecond.value;
}

export function ceilingsFor(profile: HardwareProfile, matrixDtype: MatrixDtype): Ceilings {
  return {
    hardwareId: profile.id,
    matrixDtype,
    matrixFlopsPerSecond: matrixFlopsPerSecond(profile, matrixDtype),
    vectorFlopsPerSecond: profile.compute.vector.flopsPerSecond.value,
    memoryBytesPerSecond: profile.memory.main.bytesPerSecond.value,
    memoryCapacityBytes: profile.memory.main.capacityBytes.value,
  };
}

export interface RidgePoint {
  ceiling: string; // e.g. "bf16 matrix" or "fp32 vector"
  flopsPerSecond: number;
  flopsPerByte: number;
}

/** One ridge point per matrix dtype and one for the vector unit, all against main memory. */
export function ridgePoints(profile: HardwareProfile): RidgePoint[] {
  const bytesPerSecond = profile.memory.main.bytesPerSecond.value;
  const matrix = profile.compute.matrix.map((c) => ({
    ceiling: `${c.dtype} matrix`,
    flopsPerSecond: c.flopsPerSecond.value,
    flopsPerByte: c.flopsPerSecond.value / bytesPerSecond,
  }));
  const vector = profile.compute.vector.flopsPerSecond.value;
  return [...matrix, { ceiling: "fp32 vector", flopsPerSecond: vector, flopsPerByte: vector / bytesPerSecond }];
}
