// The explorer's state: every setting the report's page lets a reader change, as one value that
// the CLI's `--state batch=64,context=32768` and the page's URL fragment both spell the same way.
// Keys follow the CLI's flags; values are checked as the flags are, and a bad one is named.
import { WEIGHT_FORMAT_NAMES, type Dtype, type WeightFormat } from "../../cost/dtypes.js";
import { didYouMean } from "../../closest-names.js";
import { InputError } from "../../errors.js";
import { BACKEND_MODE_NAMES, STACK_MODES } from "../../roofline/launch.js";
import { ATTENTION_FLAGS } from "../../roofline/first-principles.js";
import { positiveInteger } from "../../cli/analysis-flags.js";
import { SHOWN_PHASES, type ShownPhase } from "../data.js";

export const CACHE_DTYPES = ["bf16", "fp16", "fp8", "int8"] as const satisfies readonly Dtype[];
export const SCANS = ["fused", "naive", "associative"] as const;
export const BACKENDS = [...BACKEND_MODE_NAMES, ...Object.keys(STACK_MODES)] as readonly string[];

export interface ExplorerState {
  /** The phases the roofline, the time by block and the op tables show. */
  phases: ShownPhase[];
  /** Names of the models shown, in order. */
  models: string[];
  /** Ids of the chips shown, in order. */
  chips: string[];
  batch: number;
  /** Prefill prompt length of the roofline and tables. */
  seq: number;
  /** Cached tokens of the decode step of the roofline, tables and throughput. */
  context: number;
  /** Prompt before the generate curve and the summary's generation. */
  prompt: number;
  /** New tokens of the summary's generation (the first from the prefill). */
  gen: number;
  /** The local-attention window of every model that has one; null keeps each model's own. */
  window: number | null;
  dtype: WeightFormat;
  kvDtype: (typeof CACHE_DTYPES)[number];
  attention: (typeof ATTENTION_FLAGS)[number];
  scan: (typeof SCANS)[number];
  /** The backend mode or stack of the estimate's launches; null: the chip's default. */
  backend: string | null;
  /** The estimate (and a --calibration file) on; off is --no-calibration: bounds only. */
  calibration: boolean;
}

/** The names a state may choose among. */
export interface StateChoices {
  models: readonly string[];
  chips: readonly string[];
}

export const STATE_KEYS = ["models", "chips", "phase", "batch", "seq", "context", "prompt", "gen", "window", "dtype", "kv-dtype", "attention", "scan", "backend", "calibration"] as const;
export type StateKey = (typeof STATE_KEYS)[number];

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`--state ${key}: expected one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

function names(key: string, value: string, allowed: readonly string[]): string[] {
  const chosen = value.split(",").map((name) => name.trim()).filter(Boolean);
  if (chosen.length === 0) throw new InputError(`--state ${key}: expected at least one of ${allowed.join(", ")}`);
  for (const name of chosen) {
    if (!allowed.includes(name)) throw new InputError(`--state ${key}: "${name}" is not in this report${didYouMean(name, allowed)}; choose among ${allowed.join(", ")}`);
  }
  return [...new Set(chosen)];
}

/** `state` with one key set from its text; throws an InputError naming the key. */
export function withStateValue(state: ExplorerState, key: string, value: string, choices: StateChoices): ExplorerState {
  const text = value.trim();
  const count = (flag: string) => positiveInteger(flag, text, `--state ${key}`);
  switch (key as StateKey) {
    case "models": return { ...state, models: names(key, text, choices.models) };
    case "chips": return { ...state, chips: names(key, text, choices.chips) };
    case "phase": return { ...state, phases: names(key, text, SHOWN_PHASES) as ShownPhase[] };
    case "batch": return { ...state, batch: count("batch") };
    case "seq": return { ...state, seq: count("seq") };
    case "context": return { ...state, context: count("context") };
    case "prompt": return { ...state, prompt: count("prompt") };
    case "gen": return { ...state, gen: count("gen") };
    case "window": return { ...state, window: text === "own" ? null : count("window") };
    case "dtype": return { ...state, dtype: oneOf(key, text, WEIGHT_FORMAT_NAMES) };
    case "kv-dtype": return { ...state, kvDtype: oneOf(key, text, CACHE_DTYPES) };
    case "attention": return { ...state, attention: oneOf(key, text, ATTENTION_FLAGS) };
    case "scan": return { ...state, scan: oneOf(key, text, SCANS) };
    case "backend": return { ...state, backend: text === "default" ? null : oneOf(key, text, BACKENDS) };
    case "calibration": return { ...state, calibration: oneOf(key, text, ["on", "off"]) === "on" };
  }
  throw new InputError(`--state: unknown key "${key}"${didYouMean(key, STATE_KEYS)}; known: ${STATE_KEYS.join(", ")}`);
}

/**
 * `key=value` pairs of `--state` text. Pieces split at commas; a piece without "=" continues the
 * value before it, as in `--set`: `models=griffin-7b,hawk-7b,batch=64`.
 */
export function statePairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const piece of text.split(",")) {
    const equals = piece.indexOf("=");
    if (equals > 0) pairs.push([piece.slice(0, equals).trim(), piece.slice(equals + 1)]);
    else if (pairs.length > 0) pairs[pairs.length - 1]![1] += `,${piece}`;
    else if (piece.trim() !== "") throw new InputError(`--state ${piece.trim()}: expected key=value (e.g. batch=64); keys: ${STATE_KEYS.join(", ")}`);
  }
  return pairs;
}

/** `base` with every pair of `text` applied, in order; the first bad pair throws. */
export function parseState(text: string, base: ExplorerState, choices: StateChoices): ExplorerState {
  return statePairs(text).reduce((state, [key, value]) => withStateValue(state, key, value, choices), base);
}

/** Each key's value as `--state` and the fragment write it. */
export function stateValues(state: ExplorerState): Record<StateKey, string> {
  return {
    models: state.models.join(","), chips: state.chips.join(","), phase: state.phases.join(","),
    batch: String(state.batch), seq: String(state.seq), context: String(state.context), prompt: String(state.prompt), gen: String(state.gen),
    window: state.window === null ? "own" : String(state.window),
    dtype: state.dtype, "kv-dtype": state.kvDtype, attention: state.attention, scan: state.scan,
    backend: state.backend ?? "default", calibration: state.calibration ? "on" : "off",
  };
}

/** The URL fragment of a state (without "#"): every key, values URI-encoded. */
export function stateFragment(state: ExplorerState): string {
  return Object.entries(stateValues(state)).map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
}

/**
 * The state a fragment describes, over `base`: a shared link may come from an older report, so a
 * key it cannot use is reported and skipped rather than refused.
 */
export function stateFromFragment(fragment: string, base: ExplorerState, choices: StateChoices): { state: ExplorerState; problems: string[] } {
  const problems: string[] = [];
  let state = base;
  for (const part of fragment.replace(/^#/, "").split("&").filter(Boolean)) {
    const equals = part.indexOf("=");
    try {
      const key = decodeURIComponent(equals < 0 ? part : part.slice(0, equals));
      state = withStateValue(state, key, equals < 0 ? "" : decodeURIComponent(part.slice(equals + 1)), choices);
    } catch (error) {
      problems.push(error instanceof Error ? error.message.replace(/^--state /, "") : String(error));
    }
  }
  return { state, problems };
}
