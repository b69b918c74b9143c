// A baseline: the samples of every measured kernel, where and when they were recorded, so that
// later runs are compared with distributions, not single numbers.
import { z } from "zod";
import { InputError } from "../errors.js";
import { readValidatedJson } from "../json-file.js";
import type { Measurements } from "../measurements/read.js";

export const BaselineSchema = z.object({
  schema: z.literal("roofline.baseline"),
  version: z.literal(1),
  recorded: z.string().min(1),
  source: z.string().min(1),
  deviceName: z.string().min(1),
  backend: z.string().min(1),
  /** The interleaved session the samples were timed in; `paired` expectations need it to match. */
  pairingSession: z.string().min(1).optional(),
  kernels: z.record(z.string(), z.object({ samples: z.array(z.number().positive()).min(1), median: z.number().positive() }).strict()),
}).strict();
export type Baseline = z.infer<typeof BaselineSchema>;

export function baselineFrom(measurements: Measurements, now: Date): Baseline {
  const devices = [...new Set(measurements.rows.map((r) => r.device_name))];
  if (devices.length !== 1) throw new InputError(`${measurements.file}: measurements from ${devices.length} devices; a baseline holds one`);
  const first = measurements.rows[0]!;
  return {
    schema: "roofline.baseline",
    version: 1,
    recorded: now.toISOString(),
    source: measurements.file,
    deviceName: devices[0]!,
    backend: `${first.backend} ${first.backend_version}`,
    ...(measurements.pairingSession && { pairingSession: measurements.pairingSession }),
    kernels: Object.fromEntries(measurements.rows.map((r) => [r.kernel_id, { samples: r.samples_seconds, median: r.median_seconds }])),
  };
}

export function readBaseline(file: string): Baseline {
  return readValidatedJson(file, BaselineSchema, "baseline");
}

/** "3 days old", "5 hours old". */
export function ageOf(recorded: string, now: Date): string {
  const seconds = (now.getTime() - new Date(recorded).getTime()) / 1000;
  if (!Number.isFinite(seconds)) return "of unknown age";
  const units: [number, string][] = [[86400, "day"], [3600, "hour"], [60, "minute"]];
  for (const [size, unit] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${unit}${n === 1 ? "" : "s"} old`;
    }
  }
  return "less than a minute old";
}
