// Published measurements: the converter of the first table, the format's validation, expression
// in the cost model's terms (hand-worked numbers), the calibration's fallback chain and
// leave-one-source-out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { estimateKernel, estimateModel, fitKindCalibration, type KernelObservation } from "../src/calibration/kinds.js";
import { loadProfile } from "../src/hardware/load.js";
import { ceilingsAt, expressPoint, isExpressed, type ExpressedPoint } from "../src/published/express.js";
import { convertLegacyRow } from "../src/published/legacy.js";
import { parsePublished } from "../src/published/read.js";
import { PUBLISHED_COLUMNS } from "../src/published/schema.js";
import { leaveOneSourceOut } from "../src/validation/published.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
const root = fileURLToPath(new URL("../../", import.meta.url));
const modelsDir = path.join(root, "measurements/published/models");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-published-"));

/** A published row with every column, the given ones set. */
function row(values: Partial<Record<(typeof PUBLISHED_COLUMNS)[number], string>>): Record<string, string> {
  return {
    ...Object.fromEntries(PUBLISHED_COLUMNS.map((c) => [c, ""])),
    format_version: "1", source_id: "test-source", citation: "a test", locator: "Table 1", reading: "table", chips: "1", notes: "",
    ...values,
  };
}
const csvOf = (rows: Record<string, string>[]) => stringify(rows, { header: true, columns: [...PUBLISHED_COLUMNS] });
const express = (values: Parameters<typeof row>[0]) => expressPoint(parsePublished(csvOf([row(values)]), "test-source.csv")[0]!, modelsDir);

test("the first table converts row by row: FlashAttention-2, MAMF and a power-capped GH200, worked by hand", () => {
  const fa2 = convertLegacyRow({
    source: "Dao 2023 FlashAttention-2 arXiv:2307.08691 Fig.7c (bar label)", hardware: "H100 80GB SXM5",
    kernel_or_workload: "FlashAttention-2 attention fwd+bwd, causal (no Hopper-specific instructions)", dtype: "fp16", batch: "32", seq_len: "512",
    heads: "32", head_dim: "64", other_shape: "hidden 2048; batch*seqlen=16384", metric: "achieved TFLOP/s", value: "141", unit: "TFLOP/s", notes: "n",
  });
  assert.deepEqual(
    [fa2.source_id, fa2.locator, fa2.reading, fa2.hardware, fa2.workload, fa2.implementation, fa2.pass, fa2.causal, fa2.seq, fa2.context, fa2.heads, fa2.kv_heads, fa2.metric, fa2.flop_convention, fa2.value],
    ["dao2023-flashattention2", "Fig. 7c", "bar-label", "H100 80GB SXM5", "attention-core", "flash2", "forward+backward", "true", "512", "512", "32", "32", "TFLOP/s", "fa", "141"],
  );
  const mamf = convertLegacyRow({
    source: "stas00/ml-engineering compute/accelerator/README.md @744d01e, MAMF table (mean of 100 iters after 50 warmup, best shape)", hardware: "GH200 (900 W)",
    kernel_or_workload: "torch.matmul max achievable (MAMF)", dtype: "bf16", batch: "", seq_len: "", heads: "", head_dim: "",
    other_shape: "best MxNxK 2048x2048x13312", metric: "achieved TFLOP/s", value: "828.7", unit: "TFLOP/s", notes: "",
  });
  assert.deepEqual([mamf.hardware, mamf.power_watts, mamf.workload, mamf.m, mamf.n, mamf.k, mamf.flop_convention], ["GH200", "900", "linear", "2048", "2048", "13312", "2mnk"]);
  // Mamba's plot in milliseconds becomes seconds: 0.0395 ms = 3.95e-5 s.
  const scan = convertLegacyRow({
    source: "Gu & Dao 2023 Mamba arXiv:2312.00752 Fig.8 left (values recovered from the PDF vector plot path; log axis)", hardware: "A100 80GB PCIe",
    kernel_or_workload: "Mamba fused selective scan (ours)", dtype: "bf16", batch: "1", seq_len: "512", heads: "", head_dim: "", other_shape: "D=1024, state N=16",
    metric: "time", value: "0.0395", unit: "ms", notes: "",
  });
  assert.deepEqual([scan.workload, scan.metric, Number(scan.value), scan.reading, scan.uncertainty], ["scan", "seconds", 3.95e-5, "plot-digitized", "0.02"]);
  // Eight GPUs in the hardware name become the chips column.
  const train = convertLegacyRow({
    source: "Dao 2023 FlashAttention-2 arXiv:2307.08691 Table 1", hardware: "8x A100 80GB SXM", kernel_or_workload: "end-to-end GPT training step, GPT3-1.3B, FlashAttention-2",
    dtype: "bf16/fp16 mixed", batch: "", seq_len: "2048", heads: "", head_dim: "", other_shape: "", metric: "model TFLOP/s per GPU", value: "196", unit: "TFLOP/s/GPU", notes: "",
  });
  assert.deepEqual([train.chips, train.hardware, train.workload, train.model, train.implementation], ["8", "A100 80GB SXM", "train-step", "GPT3-1.3B", "flash2"]);
});

test("a GEMM and an attention kernel, expressed by hand", () => {
  // A100 SXM (alias of a100-80gb), bf16 1024×10240×5120 at 271.2 TFLOP/s: 2·m·n·k = 107.37 GFLOP,
  // measured 107.37e9 / 271.2e12 = 395.9 µs; bound at 312 TFLOP/s = 344.1 µs (bytes take 66.8 µs).
  const gemm = express({ hardware: "A100 SXM", workload: "linear", implementation: "cublas", dtype: "bf16", m: "1024", n: "10240", k: "5120", metric: "TFLOP/s", value: "271.2", flop_convention: "2mnk" });
  assert.ok(isExpressed(gemm));
  const flops = 2 * 1024 * 10240 * 5120;
  assert.equal(gemm.chip, "a100-80gb");
  assert.ok(Math.abs(gemm.measuredSeconds - flops / 271.2e12) < 1e-12);
  assert.ok(Math.abs(gemm.boundSeconds - flops / 312e12) < 1e-12);
  // FlashAttention-2 forward, non-causal, batch 32 × 512 tokens, 32 heads × 64, at 178 TFLOP/s:
  // 4·512²·64·32·32 = 68.72 GFLOP → 386.1 µs measured; the bound counts the same matrix FLOPs.
  const fa = express({ hardware: "A100 80GB SXM4", workload: "attention-core", implementation: "flash2", pass: "forward", causal: "false", dtype: "fp16",
    batch: "32", seq: "512", heads: "32", head_dim: "64", metric: "TFLOP/s", value: "178", flop_convention: "fa" });
  assert.ok(isExpressed(fa));
  assert.ok(Math.abs(fa.measuredSeconds - (4 * 512 * 512 * 64 * 32 * 32) / 178e12) < 1e-15);
  assert.ok(fa.boundSeconds >= (4 * 512 * 512 * 64 * 32 * 32) / 312e12 && fa.boundSeconds < fa.measuredSeconds);
  // A STREAM triad at 1,800 GB/s on an H100 PCIe (2,000 GB/s): error −10% whatever the size.
  const triad = express({ hardware: "H100 PCIe", workload: "memory-triad", implementation: "stream", metric: "GB/s", value: "1800", flop_convention: "read+write", bytes: "1000000000" });
  assert.ok(isExpressed(triad));
  assert.ok(Math.abs(triad.boundSeconds / triad.measuredSeconds - 1800 / 2000) < 1e-12);
});

test("a clock-fixed row uses scaled compute ceilings; a power-capped one is refused with the reason", () => {
  // H100 SXM's peaks assume 1,830 MHz: fixed at 1,500 MHz, bf16 989.4 TFLOP/s × 1500/1830 = 811.0.
  const h100 = loadProfile("h100-sxm");
  const fixed = ceilingsAt(h100, { clock_mhz: 1500, power_watts: undefined }, "bf16");
  assert.ok(Math.abs(fixed.matrixFlopsPerSecond - 9.894e14 * (1500 / 1830)) < 1e3);
  assert.equal(fixed.memoryBytesPerSecond, 3.35e12);
  const gemm = (extra: Parameters<typeof row>[0]) => express({ hardware: "H100 SXM", workload: "linear", implementation: "cublas", dtype: "bf16",
    m: "8192", n: "8192", k: "8192", metric: "seconds", value: "0.002", ...extra });
  const atClock = gemm({ clock_mhz: "1500" });
  const atPeak = gemm({});
  assert.ok(isExpressed(atClock) && isExpressed(atPeak));
  assert.ok(Math.abs(atClock.boundSeconds / atPeak.boundSeconds - 1830 / 1500) < 1e-9);
  const capped = gemm({ power_watts: "400" });
  assert.ok(!isExpressed(capped));
  assert.match(capped.reason, /power-capped at 400 W, below h100-sxm's 700 W/);
});

test("rows the model cannot express carry the reason: unknown chip, unstated batch, many chips, a preset model", () => {
  const reason = (values: Parameters<typeof row>[0]) => {
    const p = express(values);
    return isExpressed(p) ? "expressed" : p.reason;
  };
  assert.match(reason({ hardware: "A100 80GB", workload: "memory-copy", implementation: "stream", metric: "GB/s", value: "1700" }), /no profile claims the name "A100 80GB"/);
  assert.match(reason({ hardware: "H200", workload: "generate", model: "Llama-3.1-8B", implementation: "tensorrt-llm", dtype: "fp8", seq: "128", new_tokens: "128", metric: "tokens/s", value: "27911" }),
    /batch not stated/);
  assert.match(reason({ hardware: "TPU v5e", chips: "256", workload: "train-step", model: "x", implementation: "maxtext", metric: "TFLOP/s", value: "100", flop_convention: "source" }),
    /256 chips: a training step.s split over tensor and data axes is not stated/);
  // Llama-2-7B, batch 1, 128 + 128 tokens on an H100 SXM: the preset through the alias table.
  const e2e = express({ hardware: "H100 SXM", workload: "generate", model: "Llama-2-7B", implementation: "vllm", dtype: "fp16", batch: "1", seq: "128", new_tokens: "128", metric: "seconds", value: "1.5" });
  assert.ok(isExpressed(e2e));
  // 127 decode steps each read about 13.5 GB of fp16 weights at 3.35 TB/s (4.0 ms): about 0.51 s.
  assert.ok(e2e.boundSeconds > 0.5 && e2e.boundSeconds < 0.53, String(e2e.boundSeconds));
});

test("malformed published files name the file, line and column", () => {
  const bad = (rows: Record<string, string>[], name = "test-source.csv") => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, csvOf(rows));
    return roofline("validate", "--measured", file);
  };
  const negative = bad([row({ hardware: "H100 SXM", workload: "linear", implementation: "x", metric: "seconds", value: "-1", m: "1", n: "1", k: "1" })]);
  assert.equal(negative.status, 2);
  assert.match(negative.stderr, /test-source\.csv:2: column "value": expected a positive number, got "-1"/);
  const nan = bad([row({ hardware: "H100 SXM", workload: "linear", implementation: "x", metric: "seconds", value: "1", m: "NaN" })]);
  assert.match(nan.stderr, /test-source\.csv:2: column "m": expected a whole number ≥ 1, got "NaN"/);
  const rate = bad([row({ hardware: "H100 SXM", workload: "linear", implementation: "x", metric: "TFLOP/s", value: "100" })]);
  assert.match(rate.stderr, /column "flop_convention": required for TFLOP\/s/);
  const other = bad([row({ hardware: "H100 SXM", workload: "linear", implementation: "x", metric: "seconds", value: "1" })], "another-name.csv");
  assert.match(other.stderr, /another-name\.csv:2: column "source_id": "test-source" differs from the file's name/);
  const file = path.join(dir, "test-source.csv");
  fs.writeFileSync(file, "format_version,source_id\n1,test-source\n");
  const missing = roofline("validate", "--measured", file);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /missing columns: citation, locator/);
});

/** Kernels with a planted efficiency: measured = overhead + slowdown × bound. */
function planted(chip: string, kind: string, implementation: string, overhead: number, slowdown: number, n = 6): KernelObservation[] {
  return Array.from({ length: n }, (_, i) => {
    const baseSeconds = 1e-5 * 4 ** i;
    return { chip, kind, implementation, baseSeconds, measuredSeconds: overhead + slowdown * baseSeconds, launches: 1 };
  });
}

test("a calibration fitted on synthetic kernels recovers the planted efficiency per kind and implementation", () => {
  const calibration = fitKindCalibration([
    ...planted("h100-sxm", "attention", "flash2", 5e-6, 2.0),
    ...planted("h100-sxm", "attention", "flash3", 3e-6, 1.25),
    ...planted("a100-80gb", "gemm", "cublas", 4e-6, 1.1),
  ], [], ["synthetic"]);
  const flash2 = calibration.kernels["h100-sxm|attention|flash2"]!;
  assert.ok(Math.abs(flash2.slowdown - 2.0) < 1e-9 && Math.abs(flash2.overheadSeconds - 5e-6) < 1e-15);
  const flash3 = calibration.kernels["h100-sxm|attention|flash3"]!;
  assert.ok(Math.abs(flash3.slowdown - 1.25) < 1e-9);
  // A measured implementation is estimated with its own fit: 5 µs + 2 × 100 µs = 205 µs.
  const own = estimateKernel(calibration, "h100-sxm", "attention", "flash2", 1e-4);
  assert.equal(own.calibration, "h100-sxm|attention|flash2");
  assert.ok(Math.abs(own.seconds - 205e-6) < 1e-12);
  // The same implementation on another chip: the slowdown measured elsewhere (2), without the
  // 5 µs overhead, which belongs to the chip and host it was measured on: 2 × 100 µs.
  const other = estimateKernel(calibration, "h200", "attention", "flash2", 1e-4);
  assert.equal(other.calibration, "*|attention|flash2");
  assert.equal(calibration.kernels["*|attention|flash2"]!.overheadSeconds, 0);
  assert.ok(Math.abs(other.seconds - 2e-4) < 1e-15);
});

test("an unseen class falls back as documented: a named implementation to first principles, a whole step's kernels to their kind", () => {
  const calibration = fitKindCalibration([
    ...planted("h100-sxm", "attention", "flash2", 5e-6, 2.0),
    ...planted("h100-sxm", "attention", "flash3", 3e-6, 1.25),
  ], [], ["synthetic"]);
  // cudnn was never measured: FlashAttention's slowdowns say nothing of it, so first principles.
  const cudnn = estimateKernel(calibration, "h100-sxm", "attention", "cudnn", 1e-4);
  assert.deepEqual(cudnn, { seconds: 1e-4, calibration: "first principles", inRange: false });
  // The kernels of a whole step ("*") take their kind: slowdown = median(2.0, 1.25) = 1.625, no overhead…
  const kind = estimateKernel(calibration, "h100-sxm", "attention", "*", 1e-4);
  assert.equal(kind.calibration, "h100-sxm|attention");
  assert.ok(Math.abs(kind.seconds - 1.625e-4) < 1e-15);
  // …on a chip with no attention data at all, the cross-chip kind level.
  assert.equal(estimateKernel(calibration, "tpu-v5e", "attention", "*", 1e-4).calibration, "*|attention");
  // A kind never measured anywhere: the first-principles time alone, and it says so.
  const gemm = estimateKernel(calibration, "h100-sxm", "gemm", "*", 1e-4);
  assert.deepEqual(gemm, { seconds: 1e-4, calibration: "first principles", inRange: false });
  // A whole step with no backend fit: each kind scaled by its slowdown, plus the launches'
  // first-principles seconds (here 0.1 ms): 1.625 ms + 4 ms + 0.1 ms.
  const step = estimateModel(calibration, { chip: "h100-sxm", backend: "vllm", kinds: { attention: { seconds: 1e-3, launches: 32 }, gemm: { seconds: 4e-3, launches: 224 } }, launchSeconds: 1e-4 });
  assert.ok(Math.abs(step.seconds - (1.625e-3 + 4e-3 + 1e-4)) < 1e-15);
  assert.equal(step.calibration, "h100-sxm|attention (no backend fit: launches from first principles)");
});

test("a backend's launch overhead is fitted on whole steps, as a property of the backend", () => {
  // Steps of 200 launches with kernel time t: measured = 200 × 10 µs + 1.5 t. The fit finds both.
  const models = [1e-3, 3e-3, 1e-2, 3e-2].map((t) => ({ chip: "a100-80gb", backend: "vllm", kinds: { memory: { seconds: t, launches: 200 } }, measuredSeconds: 200 * 10e-6 + 1.5 * t }));
  const calibration = fitKindCalibration([], models, ["synthetic"]);
  const fit = calibration.backends["a100-80gb|vllm"]!;
  assert.ok(Math.abs(fit.overheadSeconds - 10e-6) < 1e-12 && Math.abs(fit.slowdown - 1.5) < 1e-9);
  const estimate = estimateModel(calibration, { chip: "a100-80gb", backend: "vllm", kinds: { memory: { seconds: 5e-3, launches: 200 } } });
  assert.ok(Math.abs(estimate.seconds - (2e-3 + 7.5e-3)) < 1e-12);
  assert.equal(estimate.calibration, "a100-80gb|vllm over first principles");
});

test("leave-one-source-out never estimates a source with a fit that saw it", () => {
  // Two sources of flash2 on one chip with different planted slowdowns (2× and 3×): each held-out
  // source is estimated with the other's fit, so the errors are 3/2 − 1 = +50%... and 2/3 − 1.
  const make = (source: string, slowdown: number): ExpressedPoint[] => planted("h100-sxm", "attention", "flash2", 0, slowdown).map((o, i) => ({
    point: { file: `${source}.csv`, line: i + 2, row: { source_id: source } as never }, chip: o.chip, kind: "attention", implementation: "flash2",
    boundSeconds: o.baseSeconds, modelSeconds: o.baseSeconds, measuredSeconds: o.measuredSeconds, launches: 1, description: "",
  }));
  const evaluations = leaveOneSourceOut([...make("a", 2), ...make("b", 3)]);
  for (const e of evaluations) {
    const expected = e.point.point.row.source_id === "a" ? 3 / 2 - 1 : 2 / 3 - 1;
    assert.ok(Math.abs(e.estimateError - expected) < 1e-9, `${e.point.point.row.source_id}: ${e.estimateError}`);
  }
});

test("the first table's format is still read, converted on the fly", () => {
  const legacy = fileURLToPath(new URL("../../test/fixtures/published-sample.csv", import.meta.url));
  const result = roofline("validate", "--measured", legacy, "--json");
  assert.equal(result.status, 0, result.stderr);
  const document = JSON.parse(result.stdout);
  // FlashAttention-2 on an A100 80GB SXM4 and the A100's best matmul are expressed; Mamba's
  // scan (on an A100 PCIe, which no profile claims) and the power-capped GH200 are not.
  assert.deepEqual(document.points.map((p: { kind: string; chip: string }) => `${p.kind} ${p.chip}`), ["attention a100-80gb", "gemm a100-80gb"]);
  assert.deepEqual(document.unexpressed.map((u: { reason: string }) => u.reason), [
    'no profile claims the name "A100 80GB PCIe" (add it to a profile\'s aliases if one is meant)',
    'no profile claims the name "GH200" (add it to a profile\'s aliases if one is meant)',
  ]);
});

test("published-only flags on another format are refused, not ignored", () => {
  const harness = path.join(root, "measurements/cpu-amd-epyc-2c/serving.csv");
  const result = roofline("validate", "--measured", harness, "--loso");
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--loso applies to published measurements; .*serving\.csv is harness/);
});

test("property: an estimate is never below its bound, whatever the fits and the point", () => {
  const observation = fc.record({
    chip: fc.constantFrom("h100-sxm", "a100-80gb"), kind: fc.constantFrom("gemm", "attention", "memory"),
    implementation: fc.constantFrom("flash2", "cublas", "x"),
    baseSeconds: fc.double({ min: 1e-7, max: 1, noNaN: true }), ratio: fc.double({ min: 0.5, max: 20, noNaN: true }),
  });
  fc.assert(fc.property(fc.array(observation, { minLength: 3, maxLength: 30 }), observation, (points, query) => {
    const calibration = fitKindCalibration(points.map((p) => ({ ...p, measuredSeconds: p.baseSeconds * p.ratio, launches: 1 })), [], ["p"]);
    const kernel = estimateKernel(calibration, query.chip, query.kind, query.implementation, query.baseSeconds);
    const step = estimateModel(calibration, { chip: query.chip, backend: "vllm", kinds: { [query.kind]: { seconds: query.baseSeconds, launches: 10 } } });
    return kernel.seconds >= query.baseSeconds * (1 - 1e-12) && step.seconds >= query.baseSeconds * (1 - 1e-12);
  }), { seed: 7, numRuns: 200 });
});

test("the main command prints the shipped estimate beside the bound, and --no-calibration removes it", () => {
  const args = ["--model", "llama-2-7b", "--hw", "a100-40gb", "--phase", "decode", "--context", "1024", "--backend", "vllm", "--json"];
  const document = JSON.parse(roofline(...args).stdout);
  assert.ok(document.estimate.seconds >= document.totals.seconds);
  assert.match(document.estimate.calibration, /^a100-40gb\|vllm over /);
  // Every op has its own estimate, never below its bound; the phase adds vLLM's launch overhead.
  const ops = document.ops as { seconds: number; estimateSeconds: number; estimateCalibration: string }[];
  assert.ok(ops.every((op) => op.estimateSeconds >= op.seconds && op.estimateCalibration.length > 0));
  assert.ok(ops.reduce((s, op) => s + op.estimateSeconds, 0) <= document.estimate.seconds);
  assert.match(document.assumptions.estimate, /hardware-profiles\/calibrations\/a100-40gb\.json, fitted on \d+ published sources; backend vllm \(launches as cuda-graphs\)/);
  const bare = JSON.parse(roofline(...args, "--no-calibration").stdout);
  assert.equal(bare.estimate, undefined);
  assert.equal(bare.totals.seconds, document.totals.seconds);
  // A chip without published data gets the first-principles estimate alone, and says so.
  const tpu = JSON.parse(roofline("--model", "griffin-7b", "--hw", "tpu-v3", "--json").stdout);
  assert.equal(tpu.estimate.calibration, "first principles");
  assert.ok(tpu.estimate.seconds >= tpu.totals.seconds);
  assert.match(tpu.assumptions.estimate, /no published calibration for this chip/);
});

test("points of one size fit a slowdown alone: an overhead needs sizes spanning 4×", () => {
  // A bandwidth test at one array size, measured at 1/0.85 of its bound: slowdown 1/0.85, no overhead.
  const same = Array.from({ length: 5 }, (_, i) => ({ chip: "h200", kind: "memory", implementation: "stream", baseSeconds: 1e-3 * (1 + i * 0.01), measuredSeconds: (1e-3 * (1 + i * 0.01)) / 0.85, launches: 1 }));
  const fit = fitKindCalibration(same, [], ["s"]).kernels["h200|memory|stream"]!;
  assert.equal(fit.overheadSeconds, 0);
  assert.ok(Math.abs(fit.slowdown - 1 / 0.85) < 1e-12);
});

test("a published collective: nccl-tests' bus bandwidth becomes a time, against the ring or the in-switch bound", () => {
  const base = { hardware: "H200", hw: "h200", chips: "8", bytes: "17179869184", metric: "GB/s", flop_convention: "busbw" } as const;
  // Ring all-reduce of 16 GiB on 8 H200s at a bus bandwidth of 367.2 GB/s: the algorithm
  // bandwidth is 367.2 / (2·7/8), so 17,179,869,184 × 1.75 / 367.2e9 = 81.88 ms. The bound: the ring
  // sends 1.75 × 16 GiB at 18 × 25 GB/s in 14 hops of 0.47 µs: 66.82 ms.
  const ring = express({ ...base, workload: "all-reduce", implementation: "nccl-ring", value: "367.2" });
  assert.ok(isExpressed(ring));
  assert.equal(ring.kind, "collective");
  assert.ok(Math.abs(ring.measuredSeconds - (17179869184 * 1.75) / 367.2e9) < 1e-12);
  assert.ok(Math.abs(ring.boundSeconds - (14 * 0.47e-6 + (1.75 * 17179869184) / 450e9)) < 1e-12);
  // NVLS (NVLink SHARP): each GPU sends the 16 GiB once, 2 hops: 38.18 ms.
  const nvls = express({ ...base, workload: "all-reduce", implementation: "nccl-nvls", value: "480.0" });
  assert.ok(isExpressed(nvls));
  assert.ok(Math.abs(nvls.boundSeconds - (2 * 0.47e-6 + 17179869184 / 450e9)) < 1e-12);
  // An all-gather's bus bandwidth carries (p−1)/p: 16 GiB × 7/8 / 361.4e9 = 41.60 ms.
  const gather = express({ ...base, workload: "all-gather", implementation: "nccl-ring", value: "361.4" });
  assert.ok(isExpressed(gather) && Math.abs(gather.measuredSeconds - (17179869184 * 0.875) / 361.4e9) < 1e-12);
  // Over more GPUs than an NVLink node, with no network in the A100's profile: refused, with the reason.
  const wide = express({ ...base, hardware: "A100 SXM", hw: "a100-80gb", chips: "16", workload: "all-reduce", implementation: "nccl-ring", value: "100" });
  assert.ok(!isExpressed(wide) && /no network between hosts/.test(wide.reason), isExpressed(wide) ? "expressed" : wide.reason);
  // A100's switch does not reduce: an NVLS row cannot be expressed on it.
  const a100nvls = express({ ...base, hardware: "A100 SXM", hw: "a100-80gb", workload: "all-reduce", implementation: "nccl-nvls", value: "100" });
  assert.ok(!isExpressed(a100nvls) && /in-switch is not possible/.test(a100nvls.reason));
});

test("a tensor-parallel serving row is one chip's shard plus its collectives: bound with overlap, first principles without", async () => {
  const { analyzeMesh } = await import("../src/parallel/mesh-analysis.js");
  const { meshFrom } = await import("../src/parallel/mesh.js");
  const { DEFAULT_OPTIMIZER_DTYPES } = await import("../src/parallel/training-memory.js");
  const { loadModel } = await import("../src/models/load.js");
  const { estimatePoint } = await import("../src/validation/published.js");
  const { DEFAULT_SCENARIO } = await import("../src/roofline/analyze.js");
  const { DEFAULT_DTYPES } = await import("../src/cost/dtypes.js");
  const values = { hardware: "H100", hw: "h100-sxm", chips: "4", workload: "prefill", model: "LLaMA 70B", implementation: "tensorrt-llm", dtype: "fp16", batch: "1", seq: "2048", metric: "seconds", value: "0.109" } as const;
  const p = express(values);
  assert.ok(isExpressed(p), isExpressed(p) ? "" : p.reason);
  const spec = loadModel(path.join(modelsDir, "llama-2-70b.json"));
  const impl = { dtypes: { ...DEFAULT_DTYPES, weights: "fp16", matmul: "fp16", activations: "fp16", cache: "fp16" }, attention: "flash", scan: "fused" } as const;
  const mesh = analyzeMesh(spec, loadProfile("h100-sxm"), ["prefill"], { ...DEFAULT_SCENARIO, batch: 1, seqTokens: 2048 }, impl,
    { mesh: meshFrom({ tensor: 4 }), optimizer: DEFAULT_OPTIMIZER_DTYPES }).phases[0]!;
  // 80 layers × 2 all-reduces of 2048 × 8192 × 2 bytes, plus the embedding's: 161 collectives.
  assert.equal(mesh.collectives.reduce((n, c) => n + c.count, 0), 161 + 1); // and the last token's logits gathered
  assert.equal(p.boundSeconds, mesh.overlapSeconds);
  assert.equal(p.communicationSeconds, mesh.communicationSeconds);
  assert.ok(p.modelSeconds > mesh.computeSeconds + mesh.communicationSeconds - 1e-12, "first principles adds the collectives to the shard's time");
  // Every estimate of it, calibrated or not, carries the collectives' time.
  const bare = estimatePoint({ kernels: {}, backends: {} }, p);
  assert.ok(Math.abs(bare.seconds - p.modelSeconds) < 1e-12);
  // A training step on several chips still says what is missing.
  const train = express({ ...values, workload: "train-step", metric: "TFLOP/s", value: "100", flop_convention: "source" });
  assert.ok(!isExpressed(train) && /split over tensor and data axes is not stated/.test(train.reason));
});
