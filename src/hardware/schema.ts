// The shape of a hardware profile (hardware-profiles/*.json), validated with zod.
// Every number is SI (bytes, bytes/s, FLOP/s, Hz, W) and carries where it came from and how
// sure we are of it; where sources disagree the other values are kept as `alternatives`.
import { z } from "zod";
import { PLAUSIBLE, implausibility, plausibleNumber, type PlausibleRange } from "./plausible.js";

export const Confidence = z.enum([
  "vendor", // a vendor datasheet or documentation page, checked
  "paper", // a peer-reviewed or arXiv paper
  "secondary", // a reputable secondary source (scaling book, JAX tpu_info, microbenchmarks)
  "derived", // arithmetic on other sourced values (the note shows the formula)
  "recalled", // from a datasheet not re-checked; verify before relying on it
  "estimate", // no published figure; an informed estimate (the note says how)
  "measured", // measured on a real device (see `measured`)
]);
export type Confidence = z.infer<typeof Confidence>;

/** A number with its sources; it and its alternatives must lie in `range` (src/hardware/plausible.ts). */
export function sourcedNumber(range: PlausibleRange) {
  const value = plausibleNumber(range);
  return z
    .object({
      value,
      source: z.array(z.string()).min(1),
      confidence: Confidence,
      alternatives: z.array(z.object({ value, source: z.array(z.string()).min(1), note: z.string().optional() }).strict()).optional(),
      note: z.string().optional(),
    })
    .strict();
}
export type SourcedNumber = z.infer<ReturnType<typeof sourcedNumber>>;

const flopsPerSecond = sourcedNumber(PLAUSIBLE.flopsPerSecond);

/** Data types a matrix unit can take as input. */
export const MatrixDtype = z.enum(["bf16", "fp16", "fp8", "int8", "tf32", "fp32"]);
export type MatrixDtype = z.infer<typeof MatrixDtype>;

export const MatrixCeiling = z
  .object({
    dtype: MatrixDtype,
    accumulator: z.enum(["fp32", "fp16", "int32"]),
    flopsPerSecond,
    sparseFlopsPerSecond: plausibleNumber(PLAUSIBLE.flopsPerSecond).optional(),
    note: z.string().optional(),
  })
  .strict();
export type MatrixCeiling = z.infer<typeof MatrixCeiling>;

export const VectorCeiling = z
  .object({ unit: z.string().min(1), dtype: z.literal("fp32"), flopsPerSecond })
  .strict();

/**
 * How a matrix unit quantizes a GEMM's shape. GPUs compute output tiles, one per SM per wave: an
 * M or N one past a tile costs a whole tile, a last partial wave a whole wave (NVIDIA's "Matrix
 * Multiplication Background" guide); libraries pick among a few tile shapes. TPUs pad every
 * dimension to the systolic array's size.
 */
export const MatrixTiling = z
  .object({
    kind: z.enum(["tiles-and-waves", "systolic-padding"]),
    /** SMs (tiles-and-waves); unused for systolic padding. */
    units: z.number().int().positive().optional(),
    /** Candidate output tiles (m, n); systolic padding: the array's size, e.g. [[128, 128]]. */
    tiles: z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])).min(1),
    source: z.array(z.string()).min(1),
    confidence: Confidence,
    note: z.string().optional(),
  })
  .strict();
export type MatrixTiling = z.infer<typeof MatrixTiling>;

/** Transcendentals (exp, log, rsqrt) on their own units: the softmax's exponential runs here. */
export const SpecialFunctionCeiling = z
  .object({ unit: z.string().min(1), opsPerSecond: sourcedNumber(PLAUSIBLE.opsPerSecond) })
  .strict();

/**
 * What real kernels reach, beside the vendor peak: sustained memory bandwidth (a STREAM-style copy)
 * and the best matmul throughput a shape search finds, each with the power or clock it was
 * measured at. `dataset` names the published-measurement source it was read from, so a point of
 * that source is never estimated with a constant taken from itself.
 */
const achievableNumber = (range: PlausibleRange) =>
  sourcedNumber(range).extend({ conditions: z.string().min(1), dataset: z.string().min(1).optional() }).strict();
export type AchievableNumber = z.infer<ReturnType<typeof achievableNumber>>;

export const AchievableCeilings = z
  .object({
    memoryBytesPerSecond: achievableNumber(PLAUSIBLE.mainMemoryBytesPerSecond).optional(),
    matrix: z.array(z.object({ dtype: MatrixDtype, flopsPerSecond: achievableNumber(PLAUSIBLE.flopsPerSecond) }).strict()).default([]),
  })
  .strict();
export type AchievableCeilings = z.infer<typeof AchievableCeilings>;

export const MemoryScope = z.enum(["chip", "per-core", "per-sm", "per-cu", "per-xcd"]);

export const OnChipMemory = z
  .object({
    name: z.string().min(1),
    scope: MemoryScope,
    count: z.number().int().positive(),
    capacityBytes: sourcedNumber(PLAUSIBLE.onChipBytes),
    bytesPerSecond: sourcedNumber(PLAUSIBLE.onChipBytesPerSecond).optional(),
    note: z.string().optional(),
  })
  .strict();
export type OnChipMemory = z.infer<typeof OnChipMemory>;

export const Interconnect = z
  .object({
    name: z.string().min(1),
    topology: z.enum(["torus-2d", "torus-3d", "switched", "point-to-point"]),
    ports: z.number().int().positive(),
    bytesPerSecondPerLinkPerDirection: sourcedNumber(PLAUSIBLE.linkBytesPerSecond),
    maxDomainChips: z.number().int().positive().optional(),
    /** α of the α–β model: the fixed time of one step of a collective (one hop, one message). */
    latencySecondsPerHop: sourcedNumber(PLAUSIBLE.linkLatencySeconds).optional(),
    /** The switch itself sums what the chips send (NVLink SHARP): an all-reduce sends each byte once. */
    inNetworkReduction: z.object({ source: z.array(z.string()).min(1), confidence: Confidence, note: z.string().optional() }).strict().optional(),
    note: z.string().optional(),
  })
  .strict();

/** The network between hosts (data-centre network, InfiniBand): what a collective beyond the scale-up domain crosses. */
export const HostNetwork = z
  .object({
    name: z.string().min(1),
    bytesPerSecondPerChip: sourcedNumber(PLAUSIBLE.linkBytesPerSecond),
    latencySecondsPerHop: sourcedNumber(PLAUSIBLE.linkLatencySeconds).optional(),
    note: z.string().optional(),
  })
  .strict();

/** A calendar date, YYYY-MM-DD: when a price was read. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");

/** What one chip costs per hour to rent, and when that price was read (prices change). */
export const ChipHourPrice = sourcedNumber(PLAUSIBLE.dollarsPerChipHour).extend({ currency: z.literal("USD"), date: isoDate }).strict();

export const HostLink = z
  .object({ name: z.string().min(1), bytesPerSecondPerDirection: sourcedNumber(PLAUSIBLE.linkBytesPerSecond) })
  .strict();

export const MeasuredCeiling = z
  .object({
    metric: z.enum(["memory-copy", "memory-triad", "matrix", "vector"]),
    dtype: z.string().optional(),
    value: z.number(), // its range depends on `unit`: checked with the profile below
    unit: z.enum(["bytes/s", "FLOP/s"]),
    bytesCounted: z.string().optional(),
    tool: z.string().min(1),
    date: z.string().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((ceiling, ctx) => {
    const range = ceiling.unit === "bytes/s" ? PLAUSIBLE.mainMemoryBytesPerSecond : PLAUSIBLE.flopsPerSecond;
    const message = implausibility(ceiling.value, range);
    if (message) ctx.addIssue({ code: "custom", path: ["value"], message });
  });

export const Source = z
  .object({ title: z.string().min(1), url: z.string().optional(), accessed: isoDate.optional(), note: z.string().optional() })
  .strict();

export const HardwareProfileSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "kebab-case id"),
    name: z.string().min(1),
    vendor: z.enum(["google", "nvidia", "amd", "intel", "other"]),
    architecture: z.string().min(1),
    /** Names frameworks report for this device (torch.cuda.get_device_name, JAX device_kind). */
    deviceNames: z.array(z.string().min(1)).optional(),
    /**
     * Names publications give this chip ("H100 80GB SXM5", "TPU v5e"): published measurements map
     * their hardware column to a profile through these, matched whole (case and spacing aside).
     * Only unambiguous names: "A100 80GB" could be the SXM4 or the PCIe card, and is not listed.
     */
    aliases: z.array(z.string().min(1)).optional(),
    granularity: z
      .object({
        unit: z.enum(["chip", "core", "gcd"]),
        coresPerChip: z.number().int().positive(),
        frameworkDevice: z.enum(["chip", "core", "gcd"]),
        note: z.string().optional(),
      })
      .strict(),
    clockHz: sourcedNumber(PLAUSIBLE.clockHz).optional(),
    compute: z
      .object({
        matrixUnit: z.string().min(1),
        matrix: z.array(MatrixCeiling).min(1),
        vector: VectorCeiling,
        tiling: MatrixTiling.optional(),
        specialFunction: SpecialFunctionCeiling.optional(),
      })
      .strict(),
    memory: z
      .object({
        main: z
          .object({
            technology: z.string().min(1),
            capacityBytes: sourcedNumber(PLAUSIBLE.mainMemoryBytes),
            bytesPerSecond: sourcedNumber(PLAUSIBLE.mainMemoryBytesPerSecond),
          })
          .strict(),
        onChip: z.array(OnChipMemory),
      })
      .strict(),
    interconnect: Interconnect.nullable(),
    host: HostLink.optional(),
    /** Scale-out network between hosts. */
    network: HostNetwork.optional(),
    powerWatts: sourcedNumber(PLAUSIBLE.powerWatts).optional(),
    /** Power measured while running (a published mean under load), beside the TDP of `powerWatts`. */
    measuredPowerWatts: sourcedNumber(PLAUSIBLE.powerWatts).extend({ conditions: z.string().min(1) }).strict().optional(),
    /** A default for cost per token; `--price-per-hour` overrides it. */
    pricePerChipHour: ChipHourPrice.optional(),
    achievable: AchievableCeilings.optional(),
    measured: z.array(MeasuredCeiling).default([]),
    sources: z.record(z.string(), Source),
  })
  .strict()
  .superRefine((profile, ctx) => {
    // Source ids are plain names: not ones every JavaScript object already has ("toString").
    for (const id of Object.keys(profile.sources)) {
      if (id in Object.prototype) ctx.addIssue({ code: "custom", path: ["sources", id], message: `"${id}" cannot be a source id (every JavaScript object has it)` });
    }
    // Every source id cited anywhere must be defined in `sources`, as its own key.
    const visit = (value: unknown, path: (string | number)[]): void => {
      if (Array.isArray(value)) return value.forEach((item, i) => visit(item, [...path, i]));
      if (value === null || typeof value !== "object") return;
      for (const [key, child] of Object.entries(value)) {
        if (key === "sources") continue;
        if (key === "source" && Array.isArray(child)) {
          child.forEach((id, i) => {
            if (typeof id === "string" && !Object.hasOwn(profile.sources, id)) {
              ctx.addIssue({ code: "custom", path: [...path, key, i], message: `unknown source id "${id}"` });
            }
          });
        } else visit(child, [...path, key]);
      }
    };
    visit(profile, []);
    // An achievable ceiling is a fraction of its peak: above it, one of the two is wrong.
    const achievable = profile.achievable;
    if (achievable?.memoryBytesPerSecond && achievable.memoryBytesPerSecond.value > profile.memory.main.bytesPerSecond.value) {
      ctx.addIssue({ code: "custom", path: ["achievable", "memoryBytesPerSecond", "value"], message: "above the peak memory bandwidth" });
    }
    achievable?.matrix.forEach((entry, i) => {
      const peak = profile.compute.matrix.find((c) => c.dtype === entry.dtype);
      if (!peak) ctx.addIssue({ code: "custom", path: ["achievable", "matrix", i, "dtype"], message: `no ${entry.dtype} peak to compare with` });
      else if (entry.flopsPerSecond.value > peak.flopsPerSecond.value) {
        ctx.addIssue({ code: "custom", path: ["achievable", "matrix", i, "flopsPerSecond", "value"], message: `above the ${entry.dtype} peak` });
      }
    });
    const dtypes = profile.compute.matrix.map((c) => c.dtype);
    dtypes.forEach((dtype, i) => {
      if (dtypes.indexOf(dtype) !== i) {
        ctx.addIssue({ code: "custom", path: ["compute", "matrix", i, "dtype"], message: `duplicate dtype "${dtype}"` });
      }
    });
  });

export type HardwareProfile = z.infer<typeof HardwareProfileSchema>;
