// Valid inputs of every kind, small enough to run fast: the fuzz cases mutate these. Each seed is
// also run unchanged (as an accepted case), so that a refusal of a mutant is owed to the mutation.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { findPreset } from "../../src/models/presets.js";

/** The repository (compiled tests sit in dist/test/fuzz/; data files stay in the source tree). */
export const repoRoot = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");
export const repoFile = (...parts: string[]) => path.join(repoRoot, ...parts);

/** The reference machine's measured profile: the device its harness CSV names ("AMD EPYC"). */
export const CPU_PROFILE = repoFile("measurements", "cpu-amd-epyc-2c", "profile.json");
const CPU_SERVING = repoFile("measurements", "cpu-amd-epyc-2c", "serving.csv");
const CPU_PLAN = repoFile("measurements", "cpu-amd-epyc-2c", "plan-serving.json");

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export const clone = <T>(value: T): T => structuredClone(value);
const readJson = (file: string): Json => JSON.parse(fs.readFileSync(file, "utf8")) as Json;

// ---- JSON inputs ----------------------------------------------------------------------------

/**
 * A bundled profile (H200) as a user's profile file, without its achievable ceilings: they are
 * checked against the peaks, and would refuse a wrong peak for a reason other than the one tested.
 */
export function profileSeed(): Json {
  const profile = readJson(repoFile("hardware-profiles", "h200.json")) as Record<string, Json>;
  delete profile.achievable;
  return profile;
}

/** griffin-100m as a user's model file (what `roofline models --show griffin-100m` prints). */
export function modelSeed(): Json {
  return clone(findPreset("griffin-100m")) as unknown as Json;
}

/** A budget of one predicted expectation that holds. */
export const budgetSeed = (): Json => ({
  schema: "roofline.budget",
  version: 1,
  predicted: [
    { name: "griffin-100m decode", model: "griffin-100m", hw: "h200", phase: "decode", context: 1024, metric: "totals.seconds", max: 1 },
  ],
});

/** A budget that judges measured kernels against a baseline, summed. */
export const measuredBudgetSeed = (): Json => ({
  schema: "roofline.budget",
  version: 1,
  measured: [{ name: "the plan summed", kernels: ".*", aggregate: true, maxSlowdown: 0.25 }],
});

/** The reference machine's harness calibration, fitted on its serving kernels. */
export const calibrationSeed = (): Json => readJson(repoFile("measurements", "cpu-amd-epyc-2c", "calibration.json"));

/** A published calibration (per kernel kind), as `calibrate --published` writes it. */
export const kindCalibrationSeed = (): Json => readJson(repoFile("hardware-profiles", "calibrations", "h100-sxm.json"));

/** Trace rules: a user's rule before the defaults. */
export const rulesSeed = (): Json => ({ rules: [{ pattern: "xmma_gemm", kernel: "linear" }] });

// ---- The harness CSV, its baseline and its plan ---------------------------------------------

export type CsvRecord = Record<string, string>;

/** The first six kernels the reference machine measured (griffin-1b prefill, batch 1, 512 tokens). */
export function harnessRecords(): CsvRecord[] {
  const text = fs.readFileSync(CPU_SERVING, "utf8").split("\n").slice(0, 7).join("\n");
  return parse(text, { columns: true }) as CsvRecord[];
}

export const harnessColumns = (): string[] => Object.keys(harnessRecords()[0]!);

export function csvText(records: readonly CsvRecord[], columns: readonly string[] = Object.keys(records[0] ?? {})): string {
  return stringify(records.map((r) => columns.map((c) => r[c] ?? "")), { header: true, columns: [...columns] });
}

export const harnessSeed = (): string => csvText(harnessRecords());

/** The baseline `roofline baseline --measured` records from the harness seed. */
export function baselineSeed(): Json {
  const kernels: Record<string, Json> = {};
  for (const r of harnessRecords()) {
    kernels[r.kernel_id!] = { samples: r.samples_seconds!.split(" ").map(Number), median: Number(r.median_seconds) };
  }
  return {
    schema: "roofline.baseline", version: 1, recorded: "2026-01-05T10:00:00.000Z", source: "m.csv",
    deviceName: "AMD EPYC", backend: "torch 1.13.0a0", kernels,
  };
}

/** The part of the reference machine's plan that the harness seed measured. */
export function planSeed(): Json {
  const plan = readJson(CPU_PLAN) as { kernels: Json[] } & Record<string, Json>;
  const ids = new Set(harnessRecords().map((r) => r.kernel_id));
  return { ...plan, kernels: plan.kernels.filter((k) => ids.has((k as { id: string }).id)) };
}

// ---- Published measurements -----------------------------------------------------------------

/** The source id, and so the file name, of the published seed. */
export const PUBLISHED_SOURCE = "fuzz-source";
export const PUBLISHED_FILE = `${PUBLISHED_SOURCE}.csv`;

/** Two GEMM points of one source: one names its profile, one goes through the profiles' aliases. */
export function publishedRecords(): CsvRecord[] {
  const text = fs.readFileSync(repoFile("measurements", "published", "bekman-ml-engineering.csv"), "utf8");
  const records = parse(text, { columns: true }) as CsvRecord[];
  return [records[2]!, records[0]!].map((r) => ({ ...r, source_id: PUBLISHED_SOURCE }));
}

export const publishedSeed = (): string => csvText(publishedRecords());

// ---- Profiler outputs -----------------------------------------------------------------------

/** torch.profiler's export_chrome_trace: host events around GPU kernels (category "kernel"), µs. */
export const torchTraceEvents = (): Json[] => [
  { ph: "X", cat: "cpu_op", name: "aten::addmm", pid: 1, tid: 1, ts: 100, dur: 30 },
  { ph: "X", cat: "kernel", name: "sm90_xmma_gemm_bf16bf16_bf16f32", pid: 0, tid: 7, ts: 110, dur: 12.5 },
  { ph: "X", cat: "kernel", name: "sm90_xmma_gemm_bf16bf16_bf16f32", pid: 0, tid: 7, ts: 140, dur: 7.5 },
  { ph: "X", cat: "kernel", name: "_linear_scan_kernel", pid: 0, tid: 7, ts: 150, dur: 3 },
];
export const torchTraceSeed = (): Json => ({ schemaVersion: 1, traceEvents: torchTraceEvents() });

/** The JAX profiler: events of /device: processes are kernels. */
export const jaxTraceSeed = (): Json => ({
  displayTimeUnit: "ns",
  traceEvents: [
    { ph: "M", pid: 3, name: "process_name", args: { name: "/device:GPU:0" } },
    { ph: "M", pid: 9, name: "process_name", args: { name: "/host:CPU" } },
    { ph: "X", pid: 9, tid: 1, name: "PjitFunction(f)", ts: 1, dur: 50 },
    { ph: "X", pid: 3, tid: 1, name: "cutlass_gemm_bf16", ts: 10, dur: 4 },
    { ph: "X", pid: 3, tid: 1, name: "rms_norm_fusion", ts: 15, dur: 2 },
  ],
});

/** `ncu --csv --page raw`: a units row under the header, a ==PROF== preamble. */
export const NCU_HEADER = ["ID", "Kernel Name", "Device", "dram__bytes.sum", "gpu__time_duration.sum", "sm__sass_thread_inst_executed_op_ffma_pred_on.sum"];
export const ncuRows = (): string[][] => [
  ["", "", "", "Mbyte", "usecond", "inst"],
  ["0", "void gemm_kernel<float, 128>(int, float*)", "0", "2,000.5", "12.5", "3,000,000"],
  ["1", "rms_norm_kernel", "0", "10", "2", "n/a"],
];
export function ncuText(header: readonly string[] = NCU_HEADER, rows: readonly (readonly string[])[] = ncuRows()): string {
  const line = (cells: readonly string[]) => cells.map((c) => `"${c}"`).join(",");
  return ["==PROF== Connected to process 1234", line(header), ...rows.map(line)].join("\n") + "\n";
}
export const ncuSeed = (): string => ncuText();

/** `nsys stats --report cuda_gpu_kern_sum --format csv`: a title, a blank line, then the table. */
export const NSYS_HEADER = ["Time (%)", "Total Time (ns)", "Instances", "Avg (ns)", "Med (ns)", "Min (ns)", "Max (ns)", "StdDev (ns)", "Name"];
export const nsysRows = (): string[][] => [
  ["80.0", "412,000", "64", "6,437.5", "6,400.0", "6,000", "7,000", "100.0", "ampere_bf16_s16816gemm_bf16_128x128"],
  ["20.0", "103,000", "32", "3,218.8", "3,200.0", "3,000", "3,500", "50.0", "flash_fwd_splitkv_kernel"],
];
export function nsysText(header: readonly string[] = NSYS_HEADER, rows: readonly (readonly string[])[] = nsysRows()): string {
  const line = (cells: readonly string[]) => cells.map((c) => `"${c}"`).join(",");
  return ["** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):", "", line(header), ...rows.map(line)].join("\n") + "\n";
}
export const nsysSeed = (): string => nsysText();

/** The model, chip and phase every trace seed is validated against. */
export const TRACE_ARGS = ["--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "decode", "--context", "1024"] as const;
