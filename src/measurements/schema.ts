// The measurements CSV written by the kernel harness (bench/kernels/harness.py), one row per
// timed kernel. README.md ("Measured kernel timings") documents every column.
import { z } from "zod";
import { describeLimit, MAX_MEASURED_SECONDS } from "./limits.js";

export const MEASUREMENT_COLUMNS = [
  "kernel_id", "model", "phase", "pass", "batch", "tokens", "op", "block", "kind", "kernel", "implementation",
  "harness_implementation", "shape", "dtype", "device", "device_name", "backend", "backend_version",
  "runs", "median_seconds", "min_seconds", "p90_seconds", "mean_seconds", "samples_seconds",
  "check", "max_error", "cache_flushed",
] as const;

const text = z.string().min(1, "must not be empty");
const positiveNumber = z.string().transform((value, ctx) => {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    ctx.addIssue({ code: "custom", message: `expected a positive number, got "${value}"` });
    return z.NEVER;
  }
  return number;
});
const nonNegativeNumber = z.string().transform((value, ctx) => {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < 0) {
    ctx.addIssue({ code: "custom", message: `expected a number ≥ 0, got "${value}"` });
    return z.NEVER;
  }
  return number;
});
const positiveInteger = positiveNumber.refine(Number.isInteger, "expected a whole number");
const seconds = positiveNumber.refine((n) => n <= MAX_MEASURED_SECONDS, `expected at most ${describeLimit(MAX_MEASURED_SECONDS)} (a day) for one kernel; is the unit right?`);

/** "m=128 k=768 n=1024" → { m: 128, k: 768, n: 1024 } */
const shape = z.string().transform((value, ctx) => {
  const result: Record<string, number> = {};
  for (const part of value.trim().split(/\s+/).filter(Boolean)) {
    const [key, raw] = part.split("=");
    const number = Number(raw);
    if (!key || raw === undefined || !Number.isFinite(number)) {
      ctx.addIssue({ code: "custom", message: `expected key=number pairs, got "${part}"` });
      return z.NEVER;
    }
    result[key] = number;
  }
  return result;
});
const samples = z.string().transform((value, ctx) => {
  const numbers = value.trim().split(/\s+/).filter(Boolean).map(Number);
  if (numbers.length === 0 || numbers.some((n) => !Number.isFinite(n) || n <= 0)) {
    ctx.addIssue({ code: "custom", message: "expected space-separated positive seconds" });
    return z.NEVER;
  }
  const tooLong = numbers.find((n) => n > MAX_MEASURED_SECONDS);
  if (tooLong !== undefined) {
    ctx.addIssue({ code: "custom", message: `sample ${tooLong} s is more than ${describeLimit(MAX_MEASURED_SECONDS)} (a day) for one kernel; is the unit right?` });
    return z.NEVER;
  }
  return numbers;
});

export const MeasurementRow = z
  .object({
    kernel_id: text,
    model: text,
    phase: z.enum(["prefill", "decode", "train"]),
    pass: z.enum(["forward", "backward", "update"]),
    batch: positiveInteger,
    tokens: positiveInteger,
    op: text,
    block: z.enum(["recurrent", "local-attention", "global-attention", "mamba", "mamba2", "mlp", "other"]),
    kind: text,
    kernel: text,
    implementation: z.string(),
    harness_implementation: text,
    shape,
    dtype: text,
    device: text,
    device_name: text,
    backend: text,
    backend_version: text,
    runs: positiveInteger,
    median_seconds: seconds,
    min_seconds: seconds,
    p90_seconds: seconds,
    mean_seconds: seconds,
    samples_seconds: samples,
    check: z.enum(["pass", "fail"]),
    max_error: nonNegativeNumber,
    cache_flushed: nonNegativeNumber,
  })
  .superRefine((row, ctx) => {
    if (row.samples_seconds.length !== row.runs) {
      ctx.addIssue({ code: "custom", path: ["samples_seconds"], message: `has ${row.samples_seconds.length} samples but runs is ${row.runs}` });
    }
    if (!(row.min_seconds <= row.median_seconds && row.median_seconds <= row.p90_seconds)) {
      ctx.addIssue({ code: "custom", path: ["median_seconds"], message: "expected min ≤ median ≤ p90" });
    }
  });

export type MeasurementRow = z.output<typeof MeasurementRow>;
