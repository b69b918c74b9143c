// Whether measurements and the profile (or plan) they are compared with describe the same device.
// CPU timings against an H200's roofline give achieved fractions near 0% and errors near −100%:
// numbers that look like findings but only say that the devices differ. So a comparison across
// devices is refused unless the user asks for it (--allow-device-mismatch).
import { InputError } from "../errors.js";
import type { HardwareProfile } from "../hardware/schema.js";

export type DeviceKind = "cpu" | "accelerator";

/** One side of a comparison, as far as it says what it ran on or describes. */
export interface DeviceDescription {
  /** How messages name this side: the file, "profile h200", "plan.json (planned for h200)". */
  label: string;
  /** Names frameworks report (torch.cuda.get_device_name, the CPU model); empty when unknown. */
  names: string[];
  kind?: DeviceKind;
}

/** Instruction sets `harness.py ceilings` records as a CPU profile's architecture (os.uname). */
export const CPU_ARCHITECTURES = ["x86_64", "amd64", "i386", "i686", "aarch64", "arm64", "armv7l", "ppc64le", "s390x", "riscv64"] as const;

export const kindOfArchitecture = (architecture: string): DeviceKind =>
  (CPU_ARCHITECTURES as readonly string[]).includes(architecture.toLowerCase()) ? "cpu" : "accelerator";

/** A harness row's `device` column: torch's device type. */
export const kindOfTorchDevice = (device: string): DeviceKind => (device === "cpu" ? "cpu" : "accelerator");

/** Device names compared whole, case and punctuation aside ("NVIDIA H200" = "nvidia-h200"). */
export const normalDeviceName = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();

export function describeProfile(profile: HardwareProfile): DeviceDescription {
  return { label: `profile ${profile.id}`, names: profile.deviceNames ?? [], kind: kindOfArchitecture(profile.architecture) };
}

const kindWords: Record<DeviceKind, string> = { cpu: "a CPU", accelerator: "a GPU or TPU" };

function describe(side: DeviceDescription): string {
  const names = side.names.map((n) => `"${n}"`).join(" or ");
  if (names && side.kind) return `${names} (${kindWords[side.kind]})`;
  return names || (side.kind ? `${kindWords[side.kind]} (no name recorded)` : "an unnamed device");
}

/** Why the two sides are different devices, or undefined when they agree or cannot be told apart. */
export function deviceMismatch(measured: DeviceDescription, target: DeviceDescription): string | undefined {
  const known = new Set(target.names.map(normalDeviceName));
  const foreign = measured.names.filter((name) => !known.has(normalDeviceName(name)));
  const differ = measured.names.length > 0 && target.names.length > 0 ? foreign.length > 0
    : measured.kind !== undefined && target.kind !== undefined && measured.kind !== target.kind;
  return differ ? `${measured.label} was measured on ${describe(measured)}, but ${target.label} describes ${describe(target)}` : undefined;
}

/** Refuses a comparison across devices unless the user allowed it. */
export function requireSameDevice(measured: DeviceDescription, target: DeviceDescription, allowMismatch: boolean | undefined): void {
  const mismatch = deviceMismatch(measured, target);
  if (mismatch && !allowMismatch) {
    throw new InputError(`${mismatch}: roofline times and achieved fractions across two devices are meaningless. ` +
      "Give the measured device's profile (bench/kernels/harness.py ceilings writes one), or --allow-device-mismatch to compare anyway.");
  }
}
