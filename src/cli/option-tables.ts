// The flags of the two commands run most, the analysis (`roofline --model M --hw H`) and the
// report, as tables: yargs reads them for the help and for every command line it parses, and the
// plain-form reader (./plain-arguments.ts) reads the same tables, so the two cannot drift apart.
import type { Options } from "yargs";
import { DEFAULT_IMPLEMENTATION } from "../cost/phases.js";
import { DEFAULT_SCENARIO } from "../roofline/analyze.js";

/** The implementation flags every analysing command takes. */
export const IMPLEMENTATION_OPTIONS = {
  dtype: { type: "string", describe: "weights and matmul: bf16, fp16, fp8, int8 (W8A8), w8a16 or w4a16 (weight-only, multiplied at bf16)", default: "bf16" },
  "kv-dtype": { type: "string", describe: "KV cache and Conv1D state dtype", default: DEFAULT_IMPLEMENTATION.dtypes.cache },
  attention: { type: "string", describe: "flash or flash2 (only work inside the mask), flash3 or cudnn (softmax overlapped), xla (full scores in the input dtype) or dense (full fp32 scores, as the reference code)", default: DEFAULT_IMPLEMENTATION.attention },
  scan: { type: "string", describe: "RG-LRU scan: fused, naive or associative", default: DEFAULT_IMPLEMENTATION.scan },
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
} as const satisfies Record<string, Options>;

/** `roofline report`: the HTML report, or each chart alone. */
export const REPORT_OPTIONS = {
  ...IMPLEMENTATION_OPTIONS,
  model: { type: "string", describe: "comma list of presets or model files", demandOption: true },
  hw: { type: "string", describe: "comma list of profiles, compared side by side", demandOption: true },
  output: { alias: "o", type: "string", describe: "output file (default reports/MODELS-on-CHIPS.html)" },
  format: { type: "string", describe: "html, svg, png or vl.json (one file per chart)", default: "html" },
  chart: { type: "string", describe: "only these charts: roofline, latency, memory, throughput, blocks" },
  phase: { type: "string", describe: "phases of the roofline, time by block and op tables: prefill, decode or both", default: "prefill,decode" },
  batch: { type: "string", default: String(DEFAULT_SCENARIO.batch) },
  seq: { type: "string", describe: "prefill length of the roofline and tables", default: String(DEFAULT_SCENARIO.seqTokens) },
  context: { type: "string", describe: "decode context of the roofline, tables and throughput", default: String(DEFAULT_SCENARIO.contextTokens) },
  prompt: { type: "string", describe: "prompt before the generate curve and the summary's generation", default: String(DEFAULT_SCENARIO.promptTokens) },
  gen: { type: "string", describe: "new tokens of the summary's generation", default: String(DEFAULT_SCENARIO.newTokens) },
  lengths: { type: "string", describe: "x axis of the length charts (default 256..65536 in steps of √2)" },
  "memory-batch": { type: "string", describe: "batches drawn in the memory chart (default 1,16,128)" },
  set: { type: "string", array: true, describe: "override a field of every model" },
  calibration: { type: "string", describe: "apply a calibration from `roofline calibrate`; --no-calibration: bounds only, no estimate" },
  backend: { type: "string", describe: "launch costs and fusion of the estimate: eager, compiled, cuda-graphs or xla, or a stack (vllm, tensorrt-llm, torch-eager, …)" },
  state: { type: "string", describe: "open the report's explorer in this state: key=value pairs, e.g. batch=64,context=32768,window=1024 (keys: models, chips, phase, batch, seq, context, prompt, gen, window, dtype, kv-dtype, attention, scan, backend, calibration)" },
  measured: { type: "string", describe: "harness measurements CSV: adds the validation section" },
  "allow-device-mismatch": { type: "boolean", describe: "compare with a profile of another device than the one measured" },
} as const satisfies Record<string, Options>;
