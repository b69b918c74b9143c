// The estimate's terms beyond GEMM shape and attention, each worked by hand: achievable ceilings
// (and leaving a published source's own constants out of its points), launches and fusion per
// backend mode, the native scan's per-step cost, decode activations kept on chip, and plain
// PyTorch attention's scores in the input dtype.
import { test } from "node:test";
import assert from "node:assert/strict";
import { attentionCore } from "../src/cost/attention-core.js";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import type { Pass } from "../src/cost/op.js";
import { parseProfile, loadProfile } from "../src/hardware/load.js";
import { analyze, DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { estimateSourceFor } from "../src/calibration/shipped.js";
import { chipTermsOf, modelSeconds } from "../src/roofline/first-principles.js";
import {
  BACKEND_MODES, backendModeOf, launchesOf, launchOverheadSeconds, NATIVE_SCAN_STEP_SECONDS, type LaunchCosts,
} from "../src/roofline/launch.js";
import type { TimedOp } from "../src/roofline/time.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const close = (a: number, b: number, tolerance = 1e-12) => Math.abs(a / b - 1) < tolerance;

test("achievable ceilings: peak over sustained, a dtype without a measurement borrows bf16's fraction, a source never sees its own constant", () => {
  const a100 = loadProfile("a100-40gb");
  // gpu-stream's copy reached 1,381 of 1,555 GB/s; the best bf16 GEMM 271.2 of 312 TFLOP/s.
  const terms = chipTermsOf(a100, { matrixDtype: "bf16" });
  assert.ok(close(terms.memoryDerate, 1.555e12 / 1.381e12));
  assert.ok(close(terms.matrixDerate, 3.12e14 / 2.712e14));
  // A point of the stream source itself is estimated at the peak: the constant came from it.
  assert.equal(chipTermsOf(a100, { exclude: "ernst-gpu-benches-stream" }).memoryDerate, 1);
  assert.equal(chipTermsOf(a100, { exclude: "bekman-ml-engineering" }).matrixDerate, 1);
  const h100 = loadProfile("h100-sxm");
  // fp16 was not measured: it takes bf16's 794.5 / 989.4; fp8 has its own, 1,402.6 / 1,979.
  assert.ok(close(chipTermsOf(h100, { matrixDtype: "fp16" }).matrixDerate, 9.894e14 / 7.945e14));
  assert.ok(close(chipTermsOf(h100, { matrixDtype: "fp8" }).matrixDerate, 1.979e15 / 1.4026e15));
  // TPU-v3 states none: the peaks stand.
  const v3 = chipTermsOf(loadProfile("tpu-v3"));
  assert.deepEqual([v3.matrixDerate, v3.memoryDerate], [1, 1]);
});

test("a profile whose achievable bandwidth exceeds its peak is refused, naming the field", () => {
  const raw = JSON.parse(JSON.stringify(loadProfile("a100-40gb")));
  raw.achievable.memoryBytesPerSecond.value = 2e12;
  assert.throws(() => parseProfile(JSON.stringify(raw), "mine.json"), /mine\.json[\s\S]*achievable\.memoryBytesPerSecond\.value: above the peak memory bandwidth/);
});

test("launches: the device gap adds per kernel, and a host slower than the kernels sets the pace", () => {
  // Ten kernels of 1 µs in all. Eager: the host issues one per 10 µs, so the ten take 100 µs, not
  // 10 + 10 · 0.9 = 19: 90 µs added. CUDA graphs: 10 + 10 · 0.4 = 14 µs, 4 added.
  assert.ok(close(launchOverheadSeconds(1e-5 * 0.1, 10, BACKEND_MODES.eager), 1e-4 - 1e-6));
  assert.ok(close(launchOverheadSeconds(1e-6, 10, BACKEND_MODES["cuda-graphs"]), 4e-6));
  // A long kernel hides the host: 1 ms of work in 10 launches pays only the device gaps, 9 µs.
  assert.ok(close(launchOverheadSeconds(1e-3, 10, BACKEND_MODES.eager), 9e-6, 1e-9));
  assert.equal(launchOverheadSeconds(1e-3, 0, BACKEND_MODES.eager), 0);
});

test("fusion: eager launches every op, compiled one kernel per elementwise chain, XLA folds chains into their producer", () => {
  const op = (kernel: TimedOp["kernel"], kind: TimedOp["kind"], block: TimedOp["block"] = "mlp") =>
    ({ kernel, kind, block, count: 4, shape: {}, stage: undefined, implementation: undefined }) as Pick<TimedOp, "kernel" | "kind" | "block" | "count" | "shape" | "stage" | "implementation">;
  // rmsnorm → linear → gelu → product → linear → residual-add, four layers each.
  const ops = [op("rmsnorm", "elementwise"), op("linear", "matmul"), op("gelu", "elementwise"), op("product", "elementwise"), op("linear", "matmul"), op("residual-add", "elementwise")];
  assert.deepEqual(launchesOf(ops, BACKEND_MODES.eager), [4, 4, 4, 4, 4, 4]);
  assert.deepEqual(launchesOf(ops, BACKEND_MODES.compiled), [4, 4, 4, 0, 4, 4]);
  // The leading norm has no producer in its block: it stays a kernel of its own.
  assert.deepEqual(launchesOf(ops, BACKEND_MODES.xla), [4, 4, 0, 0, 4, 0]);
});

test("the native scan: a Python loop launches a kernel per step; XLA's loop pays its fitted cost per step", () => {
  const scan = { kernel: "scan", kind: "scan", block: "recurrent", count: 2, implementation: "naive", shape: { tokens: 2048 }, stage: undefined } as const;
  // Two layers of 2,048 steps: 4,096 launches in eager PyTorch, one program per layer under XLA.
  assert.deepEqual(launchesOf([scan], BACKEND_MODES.eager), [4096]);
  assert.deepEqual(launchesOf([scan], BACKEND_MODES.xla), [2]);
  // associative: ⌈log2 2048⌉ = 11 levels up and 11 down per layer.
  assert.deepEqual(launchesOf([{ ...scan, implementation: "associative" }], BACKEND_MODES.eager), [44]);
});

test("Hawk on TPU-v3: the estimate keeps the native scan near the paper's 3× and moves the step saving toward its 10–20%", () => {
  const v3 = loadProfile("tpu-v3");
  const hawk = preset("hawk-1b");
  const run = (scan: "fused" | "naive") => analyze(hawk, v3, ["train"], DEFAULT_SCENARIO, { ...FLASH_FUSED, scan }, undefined, estimateSourceFor(v3)).phases[0]!;
  const [fused, naive] = [run("fused"), run("naive")];
  const scanSeconds = (phase: typeof fused, key: "seconds" | "estimateSeconds") => phase.ops.filter((o) => o.kernel === "scan").reduce((s, o) => s + o[key]!, 0);
  // The bound: 12 against 6 bytes per element (an fp32 h round trip), exactly 2×.
  assert.ok(close(scanSeconds(naive, "seconds") / scanSeconds(fused, "seconds"), 2));
  // The estimate adds 27 ns per step per layer: about 3×, the constant's fit.
  const ratio = scanSeconds(naive, "estimateSeconds") / scanSeconds(fused, "estimateSeconds");
  assert.ok(ratio > 2.9 && ratio < 3.1, `naive/fused ${ratio}`);
  const saving = (a: number, b: number) => 1 - a / b;
  const boundSaving = saving(fused.totals.seconds, naive.totals.seconds);
  const estimateSaving = saving(fused.estimate!.seconds, naive.estimate!.seconds);
  assert.ok(estimateSaving > boundSaving && estimateSaving < 0.2, `bound ${boundSaving}, estimate ${estimateSaving}`);
  assert.equal(NATIVE_SCAN_STEP_SECONDS, 27e-9);
});

test("decode activations stay on chip: a residual add of one token keeps the bound; of a long prefill it pays the sustained bandwidth", () => {
  const h100 = loadProfile("h100-sxm");
  const llama = preset("llama-2-7b");
  const residual = (phase: "decode" | "prefill", batch: number) =>
    analyze(llama, h100, [phase], { ...DEFAULT_SCENARIO, batch, seqTokens: 4096 }, FLASH_FUSED).phases[0]!.ops.find((o) => o.kernel === "residual-add")!;
  // Decode, batch 1: 3 × 4,096 × 2 bytes per layer, far under the 50 MB L2: the bound's rate.
  const decode = residual("decode", 1);
  assert.equal(modelSeconds(decode, chipTermsOf(h100)), decode.seconds);
  // Prefill of 16 × 4,096 tokens: 3 × 65,536 × 4,096 × 2 = 1.6 GB per layer: 3.35 / 3.14 slower.
  const prefill = residual("prefill", 16);
  assert.ok(close(modelSeconds(prefill, chipTermsOf(h100)), prefill.seconds * (3.35e12 / 3.14e12)));
});

test("plain PyTorch attention writes its scores in the input dtype, the reference code in fp32", () => {
  // FlashAttention's Table 18 setup: batch 16, 8 heads of 64, 1,024 tokens, fp16, no mask. The
  // four passes over the score matrix move 4 · 16 · 8 · 1,024² elements: 2 bytes each, not 4.
  const pass: Pass = { batch: 16, newTokens: 1024, cachedTokens: 0, logits: "last", training: false, causal: false, dtypes: { ...DEFAULT_DTYPES, activations: "fp16", cache: "fp16" }, attention: "dense", scan: "fused" };
  const spec = { heads: 8, headDim: 64, kvHeads: 8, qkvBias: false, outputBias: false, ropeFraction: 0 };
  const flash = attentionCore("global-attention", spec, 1, { ...pass, attention: "flash" });
  const native = attentionCore("global-attention", spec, 1, { ...pass, denseScores: "activations" });
  const reference = attentionCore("global-attention", spec, 1, pass);
  assert.equal(native.bytes.activations - flash.bytes.activations, 4 * 16 * 8 * 1024 ** 2 * 2);
  assert.equal(reference.bytes.activations - flash.bytes.activations, 4 * 16 * 8 * 1024 ** 2 * 4);
});

test("--backend takes a mode or a stack, and names both lists otherwise", () => {
  assert.equal(backendModeOf("vllm"), "cuda-graphs");
  assert.equal(backendModeOf("eager"), "eager");
  assert.throws(() => backendModeOf("magic"), /--backend: expected a mode \(eager, compiled, cuda-graphs, xla\) or a stack \(vllm, .*\), got "magic"/);
  const costs: LaunchCosts = BACKEND_MODES[backendModeOf("jax")];
  assert.equal(costs.fusion, "into-producers");
});

test("the estimate keeps the bound's qualitative results: MQA slows with length in training, Griffin stays flat, decode stays memory bound at small batch", () => {
  const v3 = loadProfile("tpu-v3");
  const estimate = estimateSourceFor(v3);
  // 8,192 tokens per step either way: 4 × 2,048 or 1 × 8,192. Global attention's pairs grow with
  // T, so MQA's step grows (the bound says 1.28×); Griffin's local attention (window 1,024) does not.
  const step = (model: string, tokens: number) =>
    analyze(preset(model), v3, ["train"], { ...DEFAULT_SCENARIO, seqTokens: tokens, batch: 8192 / tokens }, FLASH_FUSED, undefined, estimate).phases[0]!.estimate!.seconds;
  const mqa = step("mqa-1b", 8192) / step("mqa-1b", 2048);
  const griffin = step("griffin-1b", 8192) / step("griffin-1b", 2048);
  assert.ok(mqa > 1.25, `mqa ${mqa}`);
  assert.ok(griffin < 1.01, `griffin ${griffin}`);
  // A decode step of griffin-7b at batch 1 and 16: memory bound, the scan memory bound.
  for (const batch of [1, 16]) {
    const phase = analyze(preset("griffin-7b"), v3, ["decode"], { ...DEFAULT_SCENARIO, batch }, FLASH_FUSED, undefined, estimate).phases[0]!;
    assert.equal(phase.totals.bound, "memory");
    assert.ok(phase.ops.filter((o) => o.kernel === "scan").every((o) => o.bound === "memory"));
    assert.ok(phase.estimate!.seconds >= phase.totals.seconds);
  }
});
