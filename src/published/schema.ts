// The published-measurement format (`roofline.published`, version 1): one CSV per source, one row
// per measured point, each stating its workload in the tool's own terms. README.md ("Published
// measurements") documents every column.
import { z } from "zod";

export const PUBLISHED_FORMAT_VERSION = "1";

export const PUBLISHED_COLUMNS = [
  "format_version", "source_id", "citation", "locator", "reading", "uncertainty", "hardware", "hw", "power_watts", "clock_mhz",
  "chips", "workload", "model", "implementation", "pass", "dtype", "weight_dtype", "kv_dtype", "batch", "seq", "context", "new_tokens",
  "heads", "kv_heads", "head_dim", "causal", "m", "n", "k", "bytes", "metric", "value", "flop_convention", "notes",
] as const;

export const WORKLOADS = [
  "linear", "batched-linear", "attention-core", "decode-attention", "memory-copy", "memory-triad", "memory-read", "scan",
  "decode-step", "prefill", "generate", "train-step", "all-reduce", "all-gather", "reduce-scatter",
] as const;
export type Workload = (typeof WORKLOADS)[number];

export const METRICS = ["seconds", "TFLOP/s", "tokens/s", "tokens/s/sequence", "GB/s"] as const;
export type Metric = (typeof METRICS)[number];

const text = z.string().trim().min(1, "must not be empty");
/** An empty cell is "not stated". */
const optionalText = z.string().trim().transform((v) => (v === "" ? undefined : v));
function optionalNumber(check: (n: number) => boolean, expected: string) {
  return z.string().trim().transform((value, ctx) => {
    if (value === "") return undefined;
    const number = Number(value);
    if (!Number.isFinite(number) || !check(number)) {
      ctx.addIssue({ code: "custom", message: `expected ${expected}, got "${value}"` });
      return z.NEVER;
    }
    return number;
  });
}
const count = optionalNumber((n) => Number.isSafeInteger(n) && n > 0, "a whole number ≥ 1");
const positive = optionalNumber((n) => n > 0, "a positive number");

export const PublishedRow = z
  .object({
    format_version: z.literal(PUBLISHED_FORMAT_VERSION, { message: `must be ${PUBLISHED_FORMAT_VERSION}` }),
    source_id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "a lower-case slug: letters, digits, '.', '-'"),
    citation: text,
    locator: text,
    reading: z.enum(["table", "text", "bar-label", "plot-digitized"]),
    uncertainty: optionalNumber((n) => n >= 0 && n < 1, "a relative uncertainty in [0, 1)"),
    hardware: text,
    hw: optionalText,
    power_watts: positive,
    clock_mhz: positive,
    chips: count,
    workload: z.enum(WORKLOADS),
    model: optionalText,
    implementation: text,
    pass: z.enum(["", "forward", "backward", "forward+backward"]).transform((v) => (v === "" ? undefined : v)),
    dtype: z.enum(["", "fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp64"]).transform((v) => (v === "" ? undefined : v)),
    weight_dtype: z.enum(["", "bf16", "fp16", "fp8", "int8", "int4"]).transform((v) => (v === "" ? undefined : v)),
    kv_dtype: z.enum(["", "bf16", "fp16", "fp8", "int8"]).transform((v) => (v === "" ? undefined : v)),
    batch: count, seq: count, context: count, new_tokens: count,
    heads: count, kv_heads: count, head_dim: count,
    causal: z.enum(["", "true", "false"]).transform((v) => (v === "" ? undefined : v === "true")),
    m: count, n: count, k: count, bytes: count,
    metric: z.enum(METRICS),
    value: optionalNumber((n) => n > 0, "a positive number").refine((v) => v !== undefined, "must not be empty"),
    flop_convention: z.enum(["", "2mnk", "fa", "6N", "source", "read+write", "busbw", "algbw"]).transform((v) => (v === "" ? undefined : v)),
    notes: z.string(),
  })
  .strict()
  .superRefine((row, ctx) => {
    if (row.metric === "TFLOP/s" && !row.flop_convention) ctx.addIssue({ code: "custom", path: ["flop_convention"], message: "required for TFLOP/s" });
  });

export type PublishedRow = z.output<typeof PublishedRow>;
