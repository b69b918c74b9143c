// What a validation needs besides the measurements: the models they name and the profile of the
// device they were taken on.
import { bundledProfileIds, loadProfile } from "../hardware/load.js";
import type { HardwareProfile } from "../hardware/schema.js";
import { InputError } from "../errors.js";
import { loadModel } from "../models/load.js";
import { PRESETS } from "../models/presets.js";
import type { ModelSpec } from "../models/schema.js";
import { normalDeviceName } from "./device.js";

/** Every preset, plus the user's model files (which may shadow a preset of the same name). */
export function modelsByName(modelFiles: readonly string[]): Map<string, ModelSpec> {
  const models = new Map(PRESETS.map((p) => [p.name, p] as const));
  for (const file of modelFiles) {
    const spec = loadModel(file);
    models.set(spec.name, spec);
  }
  return models;
}

/** --hw when given; otherwise the one bundled profile that lists the device's name. */
export function profileForDevice(hw: string | undefined, deviceNames: readonly string[], file: string): HardwareProfile {
  if (hw) return loadProfile(hw);
  const devices = [...new Set(deviceNames)];
  if (devices.length !== 1) throw new InputError(`${file}: measurements from ${devices.length} devices (${devices.join(", ")}); validate one device at a time`);
  const device = normalDeviceName(devices[0]!);
  const matches = bundledProfileIds().map(loadProfile).filter((p) => (p.deviceNames ?? []).some((name) => normalDeviceName(name) === device));
  if (matches.length !== 1) {
    throw new InputError(`${file}: no bundled profile lists device "${devices[0]}"; pass --hw (a bundled id or a profile file, e.g. one written by harness.py ceilings)`);
  }
  return matches[0]!;
}
