// A harness run against the cost model: every measured kernel with its roofline time, against
// the vendor peaks and, where the profile has them, the measured ceilings.
import { ceilingsFor } from "../hardware/ceilings.js";
import { InputError } from "../errors.js";
import { loadMeasurements } from "../measurements/read.js";
import type { MeasurementRow } from "../measurements/schema.js";
import { matrixDtypeOf } from "../roofline/analyze.js";
import { measuredCeilings } from "./ceilings.js";
import { describeProfile, kindOfTorchDevice, requireSameDevice, type DeviceDescription } from "./device.js";
import { summarizeByClass } from "./errors.js";
import { compareKernels, rowImplementation, type KernelComparison } from "./kernels.js";
import { modelsByName, profileForDevice } from "./resolve.js";

export interface HarnessValidation {
  hardware: string;
  measuredCeilings: boolean;
  kernels: KernelComparison[];
  summary: ReturnType<typeof summarizeByClass>;
  summaryMeasuredCeilings: ReturnType<typeof summarizeByClass> | null;
}

export interface DeviceCheck {
  /** Compare with a profile of another device anyway (--allow-device-mismatch). */
  allowDeviceMismatch?: boolean;
}

/** The device a harness CSV was measured on, from its device and device_name columns. */
export function measuredDevice(file: string, rows: readonly Pick<MeasurementRow, "device" | "device_name">[]): DeviceDescription {
  const kinds = [...new Set(rows.map((r) => kindOfTorchDevice(r.device)))];
  return { label: file, names: [...new Set(rows.map((r) => r.device_name))], ...(kinds.length === 1 && { kind: kinds[0] }) };
}

export async function validateHarness(file: string, hw: string | undefined, modelFiles: readonly string[], check: DeviceCheck = {}): Promise<HarnessValidation> {
  const { rows } = await loadMeasurements(file);
  const usable = rows.filter((r) => r.check === "pass");
  if (usable.length === 0) throw new InputError(`${file}: no measurement passed its correctness check`);
  const profile = profileForDevice(hw, usable.map((r) => r.device_name), file);
  requireSameDevice(measuredDevice(file, usable), describeProfile(profile), check.allowDeviceMismatch);
  const dtypes = [...new Set(usable.map((r) => matrixDtypeOf(rowImplementation(r))))];
  if (dtypes.length !== 1) throw new InputError(`${file}: mixes matrix dtypes ${dtypes.join(", ")}; validate one at a time`);
  const vendor = ceilingsFor(profile, dtypes[0]!);
  const measured = measuredCeilings(profile, vendor);
  const kernels = compareKernels(usable, modelsByName(modelFiles), vendor, measured);
  const withMeasured = kernels.filter((k) => k.predictedSecondsMeasuredCeilings !== null).map((k) => ({
    ...k, error: (k.predictedSecondsMeasuredCeilings! - k.measuredSeconds) / k.measuredSeconds,
  }));
  return {
    hardware: profile.id,
    measuredCeilings: measured !== null,
    kernels,
    summary: summarizeByClass(kernels),
    summaryMeasuredCeilings: measured ? summarizeByClass(withMeasured) : null,
  };
}
