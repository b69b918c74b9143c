// A baseline: the samples of every measured kernel, where and when they were recorded, so that
// later runs are compared with distributions, not single numbers.
import { z } from "zod";
import { InputError } from "../errors.js";
import { readValidatedJson } from "../json-file.js";
import { describeLimit, MAX_MEASURED_SECONDS } from "../measurements/limits.js";
import type { Measurements } from "../measurements/read.js";

/**
 * How far ahead of this machine's clock a baseline's time may lie: clocks of two machines differ
 * by seconds (minutes when unsynchronised), never by hours. Later than this, the date is wrong.
 */
export const CLOCK_SKEW_SECONDS = 3600;

const kernelSeconds = z.number().positive().max(MAX_MEASURED_SECONDS, `at most ${describeLimit(MAX_MEASURED_SECONDS)} (a day) for one kernel`);

export const BaselineSchema = z.object({
  schema: z.literal("roofline.baseline"),
  version: z.literal(1),
  recorded: z.string().refine((text) => !Number.isNaN(Date.parse(text)), "expected a date and time (ISO 8601, e.g. 2026-01-31T12:00:00Z)"),
  source: z.string().min(1),
  deviceName: z.string().min(1),
  backend: z.string().min(1),
  /** The interleaved session the samples were timed in; `paired` expectations need it to match. */
  pairingSession: z.string().min(1).optional(),
  kernels: z.record(z.string(), z.object({ samples: z.array(kernelSeconds).min(1), median: kernelSeconds }).strict()),
}).strict();
export type Baseline = z.infer<typeof BaselineSchema>;

export function baselineFrom(measurements: Measurements, now: Date): Baseline {
  const devices = [...new Set(measurements.rows.map((r) => r.device_name))];
  if (devices.length !== 1) throw new InputError(`${measurements.file}: measurements from ${devices.length} devices; a baseline holds one`);
  // A baseline keys samples by kernel id: a second row of the same id would silently replace the first.
  const lineOf = new Map<string, number>();
  measurements.rows.forEach((row, i) => {
    const line = measurements.lines[i]!;
    const first = lineOf.get(row.kernel_id);
    if (first !== undefined) {
      throw new InputError(`${measurements.file}:${line}: column "kernel_id": "${row.kernel_id}" was measured on line ${first} already; ` +
        "a baseline holds one row per kernel (record each run in a file of its own)");
    }
    lineOf.set(row.kernel_id, line);
  });
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

/** A baseline file, refused when it claims to be recorded after `now`. */
export function readBaseline(file: string, now = new Date()): Baseline {
  const baseline = readValidatedJson(file, BaselineSchema, "baseline");
  const aheadSeconds = (Date.parse(baseline.recorded) - now.getTime()) / 1000;
  if (aheadSeconds > CLOCK_SKEW_SECONDS) {
    throw new InputError(`${file}: recorded: ${baseline.recorded} is in the future (this machine's clock says ${now.toISOString()}); ` +
      "a baseline's samples must have been taken already");
  }
  return baseline;
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
