// Expressing a published point in the cost model's terms: the chip's ceilings (with a fixed clock
// applied), the work the row describes (one GEMM, an attention kernel, a bandwidth test, a
// collective between chips, or a whole model's step), its roofline time, and the measured time from the row's metric and FLOP
// convention. A row the model cannot express gets the reason instead: never a silent drop.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { readValidatedJson } from "../json-file.js";
import { attentionCore } from "../cost/attention-core.js";
import { DEFAULT_DTYPES, type Dtype, type MatmulDtype } from "../cost/dtypes.js";
import { BACKWARD_FACTOR } from "../cost/flop-table.js";
import { linear } from "../cost/linear.js";
import type { OpCost, Pass } from "../cost/op.js";
import { DEFAULT_IMPLEMENTATION, type Implementation } from "../cost/phases.js";
import { profileIdForName } from "../hardware/aliases.js";
import { ceilingsFor, type Ceilings } from "../hardware/ceilings.js";
import { bundledProfileIds, loadProfile } from "../hardware/load.js";
import type { HardwareProfile, MatrixDtype } from "../hardware/schema.js";
import { loadModel } from "../models/load.js";
import { analyzePhase, DEFAULT_SCENARIO, type Phase, type Scenario } from "../roofline/analyze.js";
import { analyzeMesh, type MeshPhaseResult } from "../parallel/mesh-analysis.js";
import { meshFrom } from "../parallel/mesh.js";
import { DEFAULT_OPTIMIZER_DTYPES } from "../parallel/training-memory.js";
import type { ModelSpec } from "../models/schema.js";
import { kindTotals, type KernelKind, type KindTotals } from "../roofline/estimate.js";
import { ATTENTION_KERNELS, chipTermsOf, modelSeconds, type ChipTerms } from "../roofline/first-principles.js";
import { BACKEND_MODES, defaultBackendMode, launchOverheadSeconds, STACK_MODES, type LaunchCosts } from "../roofline/launch.js";
import { timeOp } from "../roofline/time.js";
import { pathFor, timeCollective, type CollectiveAlgorithm, type CollectiveKind, type CollectivePath } from "../parallel/collectives.js";
import { InputError } from "../errors.js";
import type { PublishedPoint } from "./read.js";
import type { PublishedRow } from "./schema.js";


export interface ExpressedPoint {
  point: PublishedPoint;
  chip: string;
  kind: KernelKind | "model" | "collective";
  implementation: string;
  /** Roofline (lower-bound) time of the measured work. */
  boundSeconds: number;
  /** The bound with the first-principles terms (src/roofline/first-principles.ts). */
  modelSeconds: number;
  measuredSeconds: number;
  /** Kernel launches the time stands for: 1 for a kernel, every op of every step for a model. */
  launches: number;
  /** A whole model's step: its first-principles time per kernel kind, and what its launches add. */
  kinds?: KindTotals;
  launchSeconds?: number;
  /** A step on several chips: its collectives' time, added to every estimate of it. */
  communicationSeconds?: number;
  description: string;
}

export interface UnexpressedPoint {
  point: PublishedPoint;
  reason: string;
}

const MATRIX_DTYPES: Record<string, MatrixDtype> = { bf16: "bf16", fp16: "fp16", fp8: "fp8", int8: "int8", tf32: "tf32", fp32: "fp32" };
const STORAGE: Record<string, Dtype> = { bf16: "bf16", fp16: "fp16", fp8: "fp8", int8: "int8", fp32: "fp32", tf32: "fp32" };
/** The multiply type the cost model's ops take (tf32 inputs are fp32 in memory and at the op level). */
const MATMUL: Record<string, MatmulDtype> = { bf16: "bf16", fp16: "fp16", fp8: "fp8", int8: "int8", fp32: "fp32", tf32: "fp32" };

class Unexpressible extends Error {}
const refuse = (reason: string): never => {
  throw new Unexpressible(reason);
};

/** The profile a row names: its `hw` column, else the alias table of the bundled profiles. */
function profileOf(row: PublishedRow): HardwareProfile {
  if (row.hw) {
    if (!bundledProfileIds().includes(row.hw)) refuse(`hw "${row.hw}" is not a bundled profile`);
    return loadProfile(row.hw);
  }
  const id = profileIdForName(row.hardware);
  return id ? loadProfile(id) : refuse(`no profile claims the name "${row.hardware}" (add it to a profile's aliases if one is meant)`);
}

/** The chip's first-principles terms, without achievable ceilings read from the row's own source. */
const termsFor = (row: PublishedRow, profile: HardwareProfile, matrixDtype: MatrixDtype): ChipTerms =>
  chipTermsOf(profile, { matrixDtype, exclude: row.source_id });

/** The mode a row ran under: a named stack's, else eager PyTorch on GPUs (kernel benchmarks) and XLA on TPUs. */
function launchOf(row: PublishedRow, profile: HardwareProfile): LaunchCosts {
  const mode = STACK_MODES[row.implementation] ?? (profile.vendor === "google" ? defaultBackendMode(profile) : "eager");
  return BACKEND_MODES[mode];
}

/** A kernel benchmark's first-principles time: its terms, and its launches under the row's mode. */
const withLaunches = (row: PublishedRow, profile: HardwareProfile, seconds: number, launches: number): number =>
  seconds + launchOverheadSeconds(seconds, launches, launchOf(row, profile));

/**
 * Ceilings at the row's operating point. A fixed clock scales the compute ceilings by the clock
 * over the one the profile's peaks assume (memory bandwidth does not follow the SM clock). A
 * power cap below the profile's has no published ceilings, so such a row is not expressed.
 */
export function ceilingsAt(profile: HardwareProfile, row: Pick<PublishedRow, "clock_mhz" | "power_watts">, dtype: MatrixDtype): Ceilings {
  if (!profile.compute.matrix.some((c) => c.dtype === dtype)) refuse(`${profile.id} has no ${dtype} matrix ceiling`);
  const ceilings = ceilingsFor(profile, dtype);
  if (row.power_watts !== undefined && profile.powerWatts && row.power_watts < profile.powerWatts.value) {
    refuse(`power-capped at ${row.power_watts} W, below ${profile.id}'s ${profile.powerWatts.value} W: no ceilings are known at that cap`);
  }
  if (row.clock_mhz === undefined) return ceilings;
  if (!profile.clockHz) return refuse(`a fixed clock of ${row.clock_mhz} MHz, but ${profile.id} states no clock for its peaks`);
  const scale = (row.clock_mhz * 1e6) / profile.clockHz.value;
  return { ...ceilings, matrixFlopsPerSecond: ceilings.matrixFlopsPerSecond * scale, vectorFlopsPerSecond: ceilings.vectorFlopsPerSecond * scale };
}

const need = <T>(value: T | undefined, column: string): T => (value === undefined ? refuse(`${column} not stated`) : value);

function dtypeOf(row: PublishedRow): MatrixDtype {
  return MATRIX_DTYPES[need(row.dtype, "dtype")] ?? refuse(`dtype ${row.dtype} has no matrix ceiling in the profiles`);
}

function kernelPass(row: PublishedRow, tokens: number, causal: boolean, training: boolean): Pass {
  const storage = STORAGE[row.dtype ?? "bf16"] ?? "bf16";
  return {
    batch: row.batch ?? 1, newTokens: tokens, cachedTokens: 0, logits: "last", training, causal,
    dtypes: { ...DEFAULT_DTYPES, weights: storage, matmul: MATMUL[row.dtype ?? "bf16"] ?? "bf16", activations: storage, cache: storage },
    // Implementations not in the table (plain PyTorch attention) are costed as dense.
    attention: ATTENTION_KERNELS[row.implementation]?.work ?? "dense", scan: "fused",
    ...(ATTENTION_KERNELS[row.implementation]?.denseScores && { denseScores: ATTENTION_KERNELS[row.implementation]!.denseScores }),
  };
}

/** The measured seconds of `flops` (or `bytes`) of work from the row's metric. */
function measuredSeconds(row: PublishedRow, work: { flops?: number; bytes?: number; tokens?: number; sequences?: number }): number {
  switch (row.metric) {
    case "seconds":
      return row.value!;
    case "TFLOP/s":
      return need(work.flops, "a FLOP count in the row's convention") / (row.value! * 1e12);
    case "GB/s":
      return need(work.bytes, "bytes") / (row.value! * 1e9);
    case "tokens/s":
      return need(work.tokens, "tokens") / row.value!;
    case "tokens/s/sequence":
      return need(work.tokens, "tokens") / need(work.sequences, "batch") / row.value!;
  }
}

function expressGemm(row: PublishedRow, profile: HardwareProfile): Omit<ExpressedPoint, "point" | "chip" | "implementation"> {
  const [m, n, k] = [need(row.m, "m"), need(row.n, "n"), need(row.k, "k")];
  const groups = row.workload === "batched-linear" ? need(row.batch, "batch") : 1;
  const dtype = dtypeOf(row);
  const pass = kernelPass(row, m, true, false);
  const op = linear({ name: "matmul", block: "other", count: groups, tokens: m, inFeatures: k, outFeatures: n, bias: false, pass });
  if (row.flop_convention && row.flop_convention !== "2mnk") refuse(`GEMM FLOPs in the "${row.flop_convention}" convention`);
  const timed = timeOp(op, ceilingsAt(profile, row, dtype));
  return {
    kind: "gemm", boundSeconds: timed.seconds, modelSeconds: withLaunches(row, profile, modelSeconds(timed, termsFor(row, profile, dtype)), groups), launches: 1,
    measuredSeconds: measuredSeconds(row, { flops: 2 * m * n * k * groups }),
    description: `${groups > 1 ? `${groups} × ` : ""}${m}×${n}×${k} ${dtype}`,
  };
}

/** FlashAttention's convention: 4·seq²·head_dim·heads·batch, halved when causal; backward 2.5×. */
const PASS_FACTOR = { forward: 1, backward: 2.5, "forward+backward": 3.5 } as const;

function expressAttention(row: PublishedRow, profile: HardwareProfile): Omit<ExpressedPoint, "point" | "chip" | "implementation"> {
  const [batch, seq, heads, headDim] = [need(row.batch, "batch"), need(row.seq, "seq"), need(row.heads, "heads"), need(row.head_dim, "head_dim")];
  const pass = need(row.pass, "pass (forward, backward or both)");
  const causal = need(row.causal, "causal");
  if ((row.context ?? seq) !== seq) refuse("attention with a context longer than the queries (decode-style) is not a training kernel");
  const kvHeads = row.kv_heads ?? heads;
  const dtype = dtypeOf(row);
  const ceilings = ceilingsAt(profile, row, dtype);
  const spec = { heads, headDim, kvHeads, qkvBias: false, outputBias: false, ropeFraction: 0 };
  const forward = attentionCore("global-attention", spec, 1, { ...kernelPass(row, seq, causal, pass !== "forward"), batch });
  const backward: OpCost = {
    ...forward,
    matrixFlops: forward.matrixFlops * BACKWARD_FACTOR.attentionFlops,
    vectorFlops: forward.vectorFlops * BACKWARD_FACTOR.vectorFlops,
    bytes: { ...forward.bytes, activations: forward.bytes.activations * BACKWARD_FACTOR.bytes },
  };
  const timed = [...(pass !== "backward" ? [timeOp(forward, ceilings)] : []), ...(pass !== "forward" ? [timeOp({ ...backward, pass: "backward" }, ceilings)] : [])];
  const seconds = timed.reduce((s, op) => s + op.seconds, 0);
  const overlap = { overlap: ATTENTION_KERNELS[row.implementation]?.overlap ?? false };
  const kernels = timed.reduce((s, op) => s + modelSeconds(op, termsFor(row, profile, dtype), overlap), 0);
  const model = withLaunches(row, profile, kernels, timed.length);
  if (row.flop_convention && row.flop_convention !== "fa") refuse(`attention FLOPs in the "${row.flop_convention}" convention`);
  const flops = ((4 * seq * seq * headDim * heads * batch) / (causal ? 2 : 1)) * PASS_FACTOR[pass];
  return {
    kind: "attention", boundSeconds: seconds, modelSeconds: model, launches: pass === "forward+backward" ? 2 : 1,
    measuredSeconds: measuredSeconds(row, { flops }),
    description: `batch ${batch}, ${seq} tokens, ${heads}${kvHeads !== heads ? `/${kvHeads}` : ""} heads × ${headDim}, ${causal ? "causal" : "non-causal"}, ${pass}`,
  };
}

/** Arrays a STREAM-style kernel moves per element: read counts 1, copy 2, triad 3. */
const STREAM_ARRAYS = { "memory-read": 1, "memory-copy": 2, "memory-triad": 3 } as const;

function expressBandwidth(row: PublishedRow, profile: HardwareProfile): Omit<ExpressedPoint, "point" | "chip" | "implementation"> {
  if (row.metric !== "GB/s" || (row.flop_convention !== "read+write" && row.flop_convention !== undefined)) {
    refuse(`a bandwidth test in ${row.metric}${row.flop_convention ? ` (${row.flop_convention})` : ""}, not GB/s counting reads and writes`);
  }
  // The error does not depend on the size; without one, a nominal 1 GB array.
  const bytes = (row.bytes ?? 1e9) * STREAM_ARRAYS[row.workload as keyof typeof STREAM_ARRAYS];
  const boundSeconds = bytes / profile.memory.main.bytesPerSecond.value;
  const model = boundSeconds * termsFor(row, profile, "bf16").memoryDerate;
  return {
    kind: "memory", boundSeconds, modelSeconds: withLaunches(row, profile, model, 1), launches: 1,
    measuredSeconds: measuredSeconds(row, { bytes }),
    description: `${row.workload.replace("memory-", "")} of ${(bytes / 1e9).toPrecision(3)} GB`,
  };
}

/** Implementations that name their all-reduce algorithm (NCCL_ALGO); any other takes the fastest the links allow. */
const NAMED_ALGORITHMS: Record<string, CollectiveAlgorithm> = { "nccl-ring": "ring", "nccl-tree": "tree", "nccl-nvls": "in-switch" };

/**
 * A collective benchmark (nccl-tests): `bytes` is the buffer (an all-gather's output), `chips` the
 * ranks. nccl-tests' bus bandwidth is the algorithm bandwidth (bytes / time) times 2(p−1)/p for an
 * all-reduce and (p−1)/p for an all-gather or reduce-scatter.
 */
function expressCollective(row: PublishedRow, profile: HardwareProfile): Omit<ExpressedPoint, "point" | "chip" | "implementation"> {
  const kind = row.workload as CollectiveKind;
  const chips = need(row.chips, "chips");
  if (chips < 2) refuse("a collective over one chip");
  const bytes = need(row.bytes, "bytes (the buffer)");
  let path: CollectivePath;
  try {
    path = pathFor(profile, chips, chips);
  } catch (error) {
    if (error instanceof InputError) refuse(error.message);
    throw error;
  }
  const algorithm = NAMED_ALGORITHMS[row.implementation];
  let timing;
  try {
    timing = timeCollective(kind, bytes, chips, path, algorithm);
  } catch (error) {
    if (error instanceof InputError) refuse(error.message);
    throw error;
  }
  const busFactor = (kind === "all-reduce" ? 2 : 1) * (chips - 1) / chips;
  if (row.metric === "GB/s" && row.flop_convention !== "busbw" && row.flop_convention !== "algbw") refuse("a collective's GB/s without saying busbw or algbw");
  const measured = row.metric === "GB/s"
    ? (bytes * (row.flop_convention === "busbw" ? busFactor : 1)) / (row.value! * 1e9)
    : row.metric === "seconds" ? row.value! : refuse(`a collective measured in ${row.metric}`);
  return {
    kind: "collective", boundSeconds: timing.seconds, modelSeconds: timing.seconds, launches: 1,
    measuredSeconds: measured,
    description: `${kind} of ${(bytes / 2 ** 30).toPrecision(3)} GiB over ${chips} chips, ${timing.algorithm} on ${path.link}`,
  };
}

function analyzeMeshOrRefuse(
  spec: ModelSpec, profile: HardwareProfile, phase: Phase, scenario: Scenario, impl: Implementation, ceilings: Ceilings, chips: number,
): MeshPhaseResult {
  try {
    return analyzeMesh(spec, profile, [phase], scenario, impl, { mesh: meshFrom({ tensor: chips }), optimizer: DEFAULT_OPTIMIZER_DTYPES, ceilings }).phases[0]!;
  } catch (error) {
    if (error instanceof InputError) refuse(error.message);
    throw error;
  }
}

/** Publications' model names → a preset or a file in measurements/published/models. */
const ModelAliases = z.object({ about: z.string().optional(), models: z.record(z.string(), z.string().min(1)) }).strict();

export function modelReference(name: string, modelsDir: string): string | undefined {
  const file = path.join(modelsDir, "aliases.json");
  if (!fs.existsSync(file)) return undefined;
  const target = readValidatedJson(file, ModelAliases, "model aliases").models[name];
  return target === undefined ? undefined : target.endsWith(".json") ? path.join(modelsDir, target) : target;
}

function expressModel(row: PublishedRow, profile: HardwareProfile, modelsDir: string): Omit<ExpressedPoint, "point" | "chip" | "implementation"> {
  const chips = row.chips ?? 1;
  if (chips > 1 && row.workload === "train-step") refuse(`${chips} chips: a training step's split over tensor and data axes is not stated in the format`);
  if (row.workload === "train-step") refuse("a training step's throughput at an unstated per-chip batch");
  const name = need(row.model, "model");
  const reference = modelReference(name, modelsDir) ?? refuse(`model "${name}" is not a preset or a model file in ${modelsDir}`);
  const batch = row.batch ?? refuse("batch not stated (a throughput at saturation)");
  const activations = STORAGE[need(row.dtype, "dtype")] ?? refuse(`dtype ${row.dtype}`);
  const weights = (row.weight_dtype as Dtype | undefined) ?? activations;
  // fp8 engines keep activations in 16 bits between kernels; the KV cache is fp8 only where stated.
  const sixteen: Dtype = activations === "fp8" ? "bf16" : activations;
  const cache: Dtype = (row.kv_dtype as Dtype | undefined) ?? sixteen;
  // Weights stored in another type than the compute dtype are weight-only quantized (w8a16, w4a16).
  const matmul = MATMUL[row.dtype!] ?? "bf16";
  const impl: Implementation = { ...DEFAULT_IMPLEMENTATION, dtypes: { ...DEFAULT_DTYPES, weights, matmul, activations: sixteen, cache } };
  const phase: Phase = row.workload === "prefill" ? "prefill" : row.workload === "decode-step" ? "decode" : "generate";
  const scenario = {
    ...DEFAULT_SCENARIO, batch,
    seqTokens: phase === "prefill" ? need(row.seq, "seq") : DEFAULT_SCENARIO.seqTokens,
    contextTokens: phase === "decode" ? need(row.context, "context") : DEFAULT_SCENARIO.contextTokens,
    promptTokens: phase === "generate" ? need(row.seq, "seq (the prompt)") : DEFAULT_SCENARIO.promptTokens,
    newTokens: phase === "generate" ? need(row.new_tokens, "new_tokens") : DEFAULT_SCENARIO.newTokens,
  };
  const spec = loadModel(reference);
  const ceilings = ceilingsAt(profile, row, matmul);
  // Serving on several chips is one tensor-parallel group of them (a TP degree, as serving stacks
  // report it): each chip runs its shard, and the collectives are added without overlap.
  const mesh = chips > 1
    ? analyzeMeshOrRefuse(spec, profile, phase, scenario, impl, ceilings, chips)
    : undefined;
  const result = mesh?.perChip ?? analyzePhase(spec, phase, scenario, impl, ceilings);
  const steps = phase === "generate" ? Math.max(1, result.generate!.decodeSteps) : 1;
  const { kinds, launches, launchSeconds } = kindTotals(result.ops, termsFor(row, profile, matmul), launchOf(row, profile), steps);
  const communicationSeconds = mesh?.communicationSeconds ?? 0;
  // The bound lets communication hide behind compute; first principles adds it.
  const boundSeconds = mesh ? mesh.overlapSeconds : phase === "generate" ? result.generate!.totalSeconds : result.totals.seconds;
  const newTokens = phase === "generate" ? scenario.newTokens : phase === "decode" ? 1 : 0;
  if ((row.metric === "tokens/s" || row.metric === "tokens/s/sequence") && newTokens === 0) refuse(`${row.metric} of a prefill`);
  return {
    kind: "model", boundSeconds, modelSeconds: Object.values(kinds).reduce((s, k) => s + (k?.seconds ?? 0), 0) + launchSeconds + communicationSeconds, launches, kinds, launchSeconds,
    ...(mesh && { communicationSeconds }),
    measuredSeconds: measuredSeconds(row, { tokens: batch * newTokens, sequences: batch }),
    description: `${spec.name} ${phase}${chips > 1 ? ` on ${chips} chips (tensor-parallel)` : ""}, batch ${batch}, ${phase === "generate" ? `${scenario.promptTokens} + ${scenario.newTokens} tokens` : phase === "decode" ? `context ${scenario.contextTokens}` : `${scenario.seqTokens} tokens`}, ` +
      `${weights === matmul ? weights : `${weights} weights at ${matmul}`}${cache !== sixteen ? `, ${cache} KV cache` : ""}`,
  };
}

export function expressPoint(point: PublishedPoint, modelsDir: string): ExpressedPoint | UnexpressedPoint {
  const { row } = point;
  try {
    const profile = profileOf(row);
    const common = { point, chip: profile.id, implementation: row.implementation };
    switch (row.workload) {
      case "linear":
      case "batched-linear":
        return { ...common, ...expressGemm(row, profile) };
      case "attention-core":
        return { ...common, ...expressAttention(row, profile) };
      case "memory-copy":
      case "memory-triad":
      case "memory-read":
        return { ...common, ...expressBandwidth(row, profile) };
      case "decode-step":
      case "prefill":
      case "generate":
      case "train-step":
        return { ...common, ...expressModel(row, profile, modelsDir) };
      case "all-reduce":
      case "all-gather":
      case "reduce-scatter":
        return { ...common, ...expressCollective(row, profile) };
      case "scan":
        return refuse("scan kernels alone are not expressed yet (Mamba's selective scan is modelled, src/cost/selective-scan.ts, but the published rows state neither the pass nor a chip with a profile)");
      case "decode-attention":
        return refuse("decode attention kernels alone are not expressed yet (whole decode steps are)");
    }
  } catch (error) {
    if (error instanceof Unexpressible) return { point, reason: error.message };
    throw error;
  }
}

export const isExpressed = (p: ExpressedPoint | UnexpressedPoint): p is ExpressedPoint => "boundSeconds" in p;
