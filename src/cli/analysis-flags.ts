// Turning command-line flags into the analysis inputs, with clear errors for bad values: the part
// that reads no file, which the report's page runs too (src/report/explorer/).
import { DEFAULT_DTYPES, DTYPES, WEIGHT_FORMAT_NAMES, WEIGHT_FORMATS, type Dtype, type WeightFormat } from "../cost/dtypes.js";
import { DEFAULT_IMPLEMENTATION, type Implementation } from "../cost/phases.js";
import { InputError } from "../errors.js";
import { DEFAULT_SCENARIO, PHASES, type Phase, type Scenario } from "../roofline/analyze.js";
import type { EstimateOptions } from "../roofline/estimate.js";
import { ATTENTION_FLAGS, ATTENTION_KERNELS } from "../roofline/first-principles.js";
import { MAX_BATCH, MAX_TOKENS, formatLimit } from "../limits.js";

export interface FlagLimit {
  max: number;
  /** What the limit counts, for the error: "tokens". */
  unit: string;
}

/** The largest value of each numeric flag (src/limits.ts). */
const FLAG_LIMITS: Record<string, FlagLimit> = {
  batch: { max: MAX_BATCH, unit: "sequences per batch" },
  "memory-batch": { max: MAX_BATCH, unit: "sequences per batch" },
  seq: { max: MAX_TOKENS, unit: "tokens" },
  context: { max: MAX_TOKENS, unit: "tokens" },
  prompt: { max: MAX_TOKENS, unit: "tokens" },
  gen: { max: MAX_TOKENS, unit: "tokens" },
  window: { max: MAX_TOKENS, unit: "tokens" },
  lengths: { max: MAX_TOKENS, unit: "tokens" },
};

/** Any other count stops where doubles stop holding every integer exactly (2^53 − 1). */
const EXACT_INTEGERS: FlagLimit = { max: Number.MAX_SAFE_INTEGER, unit: "(the largest exact integer)" };

export function flagLimit(flag: string): FlagLimit {
  return Object.hasOwn(FLAG_LIMITS, flag) ? FLAG_LIMITS[flag]! : EXACT_INTEGERS;
}

/** A whole number from 1 to the flag's limit; `shown` is the text the error quotes. */
export function positiveInteger(flag: string, value: unknown, shown = `--${flag}`): number {
  const number = typeof value === "number" ? value : Number(String(value).replaceAll("_", ""));
  if (!Number.isInteger(number) || number <= 0) {
    throw new InputError(`${shown}: expected a positive integer, got "${String(value)}"`);
  }
  const limit = flagLimit(flag);
  if (number > limit.max) {
    throw new InputError(`${shown}: ${String(value)} is above the limit of ${formatLimit(limit.max)} ${limit.unit}`);
  }
  return number;
}

export function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((item) => String(item).split(",")).map((s) => s.trim()).filter(Boolean);
}

export function parsePhases(value: unknown, fallback: Phase[]): Phase[] {
  const names = listOf(value);
  if (names.length === 0) return fallback;
  for (const name of names) {
    if (!(PHASES as readonly string[]).includes(name)) {
      throw new InputError(`--phase: unknown phase "${name}"; known: ${PHASES.join(", ")}`);
    }
  }
  return [...new Set(names)] as Phase[];
}

function dtype(flag: string, value: unknown, fallback: Dtype, allowed: readonly Dtype[] = DTYPES): Dtype {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(String(value))) {
    throw new InputError(`--${flag}: unknown dtype "${String(value)}"; choose one of ${allowed.join(", ")}`);
  }
  return value as Dtype;
}

export interface AnalysisFlags {
  batch?: unknown;
  seq?: unknown;
  context?: unknown;
  prompt?: unknown;
  gen?: unknown;
  dtype?: unknown;
  kvDtype?: unknown;
  attention?: unknown;
  scan?: unknown;
  remat?: boolean;
  calibration?: unknown;
  /** The serving stack whose launch overhead the estimate adds (vllm, tensorrt-llm, …). */
  backend?: unknown;
}

export function scenarioFrom(flags: AnalysisFlags): Scenario {
  const pick = (flag: string, value: unknown, fallback: number) => (value === undefined ? fallback : positiveInteger(flag, value));
  return {
    batch: pick("batch", flags.batch, DEFAULT_SCENARIO.batch),
    seqTokens: pick("seq", flags.seq, DEFAULT_SCENARIO.seqTokens),
    contextTokens: pick("context", flags.context, DEFAULT_SCENARIO.contextTokens),
    promptTokens: pick("prompt", flags.prompt, DEFAULT_SCENARIO.promptTokens),
    newTokens: pick("gen", flags.gen, DEFAULT_SCENARIO.newTokens),
    rematerialise: Boolean(flags.remat),
  };
}

export function implementationFrom(flags: AnalysisFlags): Implementation {
  const kernel = String(flags.attention ?? DEFAULT_IMPLEMENTATION.attention);
  if (!(ATTENTION_FLAGS as readonly string[]).includes(kernel)) {
    throw new InputError(`--attention: expected ${ATTENTION_FLAGS.join(", ")}, got "${kernel}"`);
  }
  const attention = ATTENTION_KERNELS[kernel]!.work;
  const scan = flags.scan ?? DEFAULT_IMPLEMENTATION.scan;
  if (scan !== "fused" && scan !== "naive" && scan !== "associative") {
    throw new InputError(`--scan: expected fused, naive or associative, got "${String(scan)}"`);
  }
  const format = flags.dtype === undefined ? "bf16" : String(flags.dtype);
  if (!(WEIGHT_FORMAT_NAMES as readonly string[]).includes(format)) {
    throw new InputError(`--dtype: expected one of ${WEIGHT_FORMAT_NAMES.join(", ")}, got "${format}"`);
  }
  const cache = dtype("kv-dtype", flags.kvDtype, DEFAULT_DTYPES.cache, ["bf16", "fp16", "fp8", "int8"]);
  const denseScores = ATTENTION_KERNELS[kernel]!.denseScores;
  return { dtypes: { ...DEFAULT_DTYPES, ...WEIGHT_FORMATS[format as WeightFormat], cache }, attention, ...(denseScores && { denseScores }), scan };
}

/** What the estimate's flags ask of it: the attention kernel's overlap, the matrix dtype, the backend. */
export function estimateOptionsFrom(flags: { backend?: unknown; attention?: unknown; dtype?: unknown }): EstimateOptions {
  const format = WEIGHT_FORMATS[String(flags.dtype ?? "bf16") as WeightFormat];
  return {
    attention: { overlap: ATTENTION_KERNELS[String(flags.attention ?? "flash")]?.overlap ?? false },
    ...(format && { matrixDtype: format.matmul }),
    ...(flags.backend !== undefined && { backend: String(flags.backend) }),
  };
}
