// The flags of the commands run most, the analysis (`roofline --model M --hw H`), the report and
// the sweep, as tables: yargs reads them for the help and for every command line it parses, and the
// plain-form reader (./plain-arguments.ts) reads the same tables, so the two cannot drift apart.
import type { Options } from "yargs";
import { DEFAULT_IMPLEMENTATION } from "../cost/phases.js";
import { DEFAULT_SCENARIO } from "../roofline/analyze.js";

/**
 * The flags that take a value and may also be negated: `--no-calibration` asks for bounds alone.
 * Any other `--no-NAME` of a flag that takes a value is refused, not read as false.
 */
export const NEGATABLE_VALUE_FLAGS: readonly string[] = ["calibration"];

/** Flags of the commands that compare several models and chips (report, sweep). */
const MANY_MODELS = {
  model: { type: "string", describe: "comma list of presets or model files", demandOption: true },
  set: { type: "string", array: true, describe: "override a field of every model" },
} as const satisfies Record<string, Options>;

/** The implementation flags every analysing command takes. */
export const IMPLEMENTATION_OPTIONS = {
  dtype: { type: "string", describe: "weights and matmul: bf16, fp16, fp8, int8 (W8A8), w8a16 or w4a16 (weight-only, multiplied at bf16)", default: "bf16" },
  "kv-dtype": { type: "string", describe: "KV cache and Conv1D state dtype", default: DEFAULT_IMPLEMENTATION.dtypes.cache },
  attention: { type: "string", describe: "flash or flash2 (only work inside the mask), flash3 or cudnn (softmax overlapped), xla (full scores in the input dtype) or dense (full fp32 scores, as the reference code)", default: DEFAULT_IMPLEMENTATION.attention },
  scan: { type: "string", describe: "RG-LRU scan: fused, naive or associative", default: DEFAULT_IMPLEMENTATION.scan },
} as const satisfies Record<string, Options>;

/**
 * Many chips (README, "Many chips"): any of these turns the analysis into one per chip of a mesh,
 * with collectives, memory per chip, energy and cost. None has a default, so that a command line
 * without them is the single-chip analysis it always was.
 */
export const MESH_OPTIONS = {
  chips: { type: "string", describe: "many chips: chips in the mesh (= --tp × --dp)" },
  tp: { type: "string", describe: "many chips: tensor-parallel degree (chips per model replica)" },
  dp: { type: "string", describe: "many chips: data-parallel degree (replicas; --batch is split over them)" },
  "sequence-parallel": { type: "boolean", describe: "many chips: split norms and residual adds over the tensor group by tokens" },
  zero: { type: "string", describe: "many chips: ZeRO stage over the data axis, 0-3" },
  overlap: { type: "boolean", describe: "many chips: headline time assumes communication overlaps compute (both bounds are shown)" },
  mesh: { type: "string", describe: "many chips: a mesh file, JSON {chips, tp, dp, sequenceParallel, zero, overlap}" },
  "price-per-hour": { type: "string", describe: "US dollars per chip-hour for cost per token (default: the profile's, where it has one)" },
  "grad-dtype": { type: "string", describe: "train on many chips: gradient dtype" },
  "master-dtype": { type: "string", describe: "train on many chips: Adam's master weights, or none" },
  "moment-dtype": { type: "string", describe: "train on many chips: Adam's two moments" },
} as const satisfies Record<string, Options>;

/** The analysis of one model on one chip: the command `roofline` runs without a command name. */
export const ANALYSIS_OPTIONS = {
  ...IMPLEMENTATION_OPTIONS,
  model: { type: "string", describe: "preset name (see `roofline models`) or path to a model .json", demandOption: true },
  hw: { type: "string", describe: "hardware profile id (see `roofline hw`) or path to a profile .json", demandOption: true },
  phase: { type: "string", describe: "prefill, decode, generate, train (comma list)", default: "prefill,decode" },
  batch: { type: "string", describe: "sequences per batch", default: String(DEFAULT_SCENARIO.batch) },
  seq: { type: "string", describe: "prefill prompt length and training sequence length", default: String(DEFAULT_SCENARIO.seqTokens) },
  context: { type: "string", describe: "tokens already cached in a decode step", default: String(DEFAULT_SCENARIO.contextTokens) },
  prompt: { type: "string", describe: "generate: prompt length", default: String(DEFAULT_SCENARIO.promptTokens) },
  gen: { type: "string", describe: "generate: new tokens (the first comes from the prefill)", default: String(DEFAULT_SCENARIO.newTokens) },
  remat: { type: "boolean", describe: "train: recompute each block's forward in the backward pass", default: false },
  set: { type: "string", array: true, describe: "override a model field, e.g. --set window=2048" },
  calibration: { type: "string", describe: "apply a calibration from `roofline calibrate` to every time; --no-calibration: bounds only, no estimate" },
  backend: { type: "string", describe: "launch costs and fusion of the estimate: eager, compiled, cuda-graphs or xla, or a stack (vllm, tensorrt-llm, torch-eager, jax, …); default cuda-graphs on GPUs, xla on TPUs" },
  json: { type: "boolean", describe: "print the versioned JSON document (see README)", conflicts: "csv" },
  csv: { type: "boolean", describe: "print one CSV row per op" },
  ...MESH_OPTIONS,
} as const satisfies Record<string, Options>;

/** `roofline report`: the HTML report, or each chart alone. */
export const REPORT_OPTIONS = {
  ...IMPLEMENTATION_OPTIONS,
  model: MANY_MODELS.model,
  hw: { type: "string", describe: "comma list of profiles, compared side by side", demandOption: true },
  output: { alias: "o", type: "string", describe: "output file (default reports/MODELS-on-CHIPS.html)" },
  format: { type: "string", describe: "html, svg, png or vl.json (one file per chart)", default: "html" },
  chart: { type: "string", describe: "only these charts: roofline, latency, memory, throughput, cost, blocks" },
  phase: { type: "string", describe: "phases of the roofline, time by block and op tables: prefill, decode or both", default: "prefill,decode" },
  batch: { type: "string", default: String(DEFAULT_SCENARIO.batch) },
  seq: { type: "string", describe: "prefill length of the roofline and tables", default: String(DEFAULT_SCENARIO.seqTokens) },
  context: { type: "string", describe: "decode context of the roofline, tables and throughput", default: String(DEFAULT_SCENARIO.contextTokens) },
  prompt: { type: "string", describe: "prompt before the generate curve and the summary's generation", default: String(DEFAULT_SCENARIO.promptTokens) },
  gen: { type: "string", describe: "new tokens of the summary's generation", default: String(DEFAULT_SCENARIO.newTokens) },
  lengths: { type: "string", describe: "x axis of the length charts (default 256..65536 in steps of √2)" },
  "memory-batch": { type: "string", describe: "batches drawn in the memory chart (default 1,16,128)" },
  set: MANY_MODELS.set,
  calibration: { type: "string", describe: "apply a calibration from `roofline calibrate`; --no-calibration: bounds only, no estimate" },
  backend: ANALYSIS_OPTIONS.backend,
  state: { type: "string", describe: "open the report's explorer in this state: key=value pairs, e.g. batch=64,context=32768,window=1024 (keys: models, chips, phase, batch, seq, context, prompt, gen, window, dtype, kv-dtype, attention, scan, backend, calibration)" },
  measured: { type: "string", describe: "harness measurements CSV: adds the validation section" },
  "allow-device-mismatch": { type: "boolean", describe: "compare with a profile of another device than the one measured" },
  "price-per-hour": MESH_OPTIONS["price-per-hour"],
} as const satisfies Record<string, Options>;

/** `roofline sweep`: totals over a grid, streamed as CSV, JSON Lines or JSON. */
export const SWEEP_OPTIONS = {
  ...IMPLEMENTATION_OPTIONS,
  model: MANY_MODELS.model,
  hw: { type: "string", describe: "comma list of profiles", demandOption: true },
  phase: { type: "string", describe: "prefill, decode, generate, train (comma list)", default: "prefill,decode" },
  seq: { type: "string", describe: "lengths: list or doubling range (prefill/train sequence, decode context, generate prompt)", default: "256..65536" },
  batch: { type: "string", describe: "batch sizes: list or range, e.g. 1..128", default: "1" },
  window: { type: "string", describe: "local attention windows to try, e.g. 1024,2048" },
  gen: { type: "string", describe: "generate: new tokens", default: String(DEFAULT_SCENARIO.newTokens) },
  remat: ANALYSIS_OPTIONS.remat,
  set: MANY_MODELS.set,
  calibration: { type: "string", describe: "apply a calibration from `roofline calibrate`; --no-calibration: bounds only, no estimate columns" },
  backend: ANALYSIS_OPTIONS.backend,
  ...MESH_OPTIONS,
  format: { type: "string", describe: "csv, jsonl (one JSON object a line) or json", default: "csv" },
  output: { alias: "o", type: "string", describe: "write to this file instead of stdout" },
} as const satisfies Record<string, Options>;
