// The whole analysis of one model on one chip: for each requested phase its timed ops, totals and
// memory. Every view (table, JSON, CSV, sweep, report) is built from this one structure.
import { ceilingsFor, ridgePoints, type Ceilings, type RidgePoint } from "../hardware/ceilings.js";
import type { HardwareProfile, MatrixDtype } from "../hardware/schema.js";
import { countParams, type ParamCounts } from "../models/params.js";
import type { ModelSpec } from "../models/schema.js";
import { cacheBytesPerSequence, maxBatch, weightBytes, type CacheBytes } from "../cost/memory.js";
import { decodeOps, prefillOps, trainOps, type Implementation } from "../cost/phases.js";
import { generateTimes, summarizeGenerate, type GenerateSummary } from "./generate.js";
import { calibrateOp } from "./calibrate.js";
import type { Calibration } from "../calibration/calibration.js";
import type { Estimate } from "../calibration/kinds.js";
import { estimateOps, withOpEstimates, type EstimateSource } from "./estimate.js";
import { timeOp, totalsOf, type TimedOp, type Totals } from "./time.js";

export const PHASES = ["prefill", "decode", "generate", "train"] as const;
export type Phase = (typeof PHASES)[number];

export interface Scenario {
  batch: number;
  /** Prompt length of a prefill and sequence length of a training step. */
  seqTokens: number;
  /** Tokens already cached in a decode step. */
  contextTokens: number;
  promptTokens: number;
  newTokens: number;
  rematerialise: boolean;
}

export const DEFAULT_SCENARIO: Scenario = {
  batch: 1,
  seqTokens: 2048,
  contextTokens: 4096,
  promptTokens: 2048,
  newTokens: 512,
  rematerialise: false,
};

export interface MemoryResult {
  weightBytes: number;
  /** Length (tokens) at which the cache is measured; null for training. */
  cacheTokens: number | null;
  cacheBytesPerSequence: number;
  cacheBreakdown: CacheBytes | null;
  /** Largest batch whose caches fit in main memory beside the weights; null for training. */
  maxBatch: number | null;
}

export type { GenerateSummary };

export interface PhaseResult {
  /** The expected time beside the bound, from a published-data calibration, and which fit made it. */
  estimate?: Estimate;
  phase: Phase;
  batch: number;
  /** The lengths this phase was evaluated at. */
  tokens: Partial<Record<"seq" | "context" | "prompt" | "new", number>>;
  ops: TimedOp[];
  totals: Totals;
  memory: MemoryResult;
  generate?: GenerateSummary;
}

export interface Analysis {
  /** The calibration applied to every time, if any. */
  calibration?: { file: string; calibration: Calibration };
  /** The published-data calibration the estimates come from, if the chip has one. */
  estimate?: EstimateSource;
  model: ModelSpec;
  params: ParamCounts;
  hardware: HardwareProfile;
  ceilings: Ceilings;
  ridgePoints: RidgePoint[];
  implementation: Implementation;
  phases: PhaseResult[];
}

function servingMemory(spec: ModelSpec, impl: Implementation, ceilings: Ceilings, tokens: number): MemoryResult {
  const weights = weightBytes(spec, impl.dtypes);
  const cache = cacheBytesPerSequence(spec, tokens, impl.dtypes);
  return {
    weightBytes: weights,
    cacheTokens: tokens,
    cacheBytesPerSequence: cache.total,
    cacheBreakdown: cache,
    maxBatch: maxBatch(ceilings.memoryCapacityBytes, weights, cache.total),
  };
}

export function analyzePhase(
  spec: ModelSpec, phase: Phase, scenario: Scenario, impl: Implementation, ceilings: Ceilings, calibration?: Calibration,
): PhaseResult {
  const { batch } = scenario;
  const calibrated = (ops: TimedOp[], steps = 1) => (calibration ? ops.map((op) => calibrateOp(op, calibration, op.count * steps)) : ops);
  const timed = (ops: ReturnType<typeof prefillOps>) => calibrated(ops.map((op) => timeOp(op, ceilings)));
  switch (phase) {
    case "prefill": {
      const ops = timed(prefillOps(spec, batch, scenario.seqTokens, impl));
      return { phase, batch, tokens: { seq: scenario.seqTokens }, ops, totals: totalsOf(ops), memory: servingMemory(spec, impl, ceilings, scenario.seqTokens) };
    }
    case "decode": {
      const ops = timed(decodeOps(spec, batch, scenario.contextTokens, impl));
      return { phase, batch, tokens: { context: scenario.contextTokens }, ops, totals: totalsOf(ops), memory: servingMemory(spec, impl, ceilings, scenario.contextTokens) };
    }
    case "generate": {
      const g = generateTimes(spec, batch, scenario.promptTokens, scenario.newTokens, impl, ceilings);
      const prefill = calibrated(g.prefillOps);
      const decode = calibrated(g.decodeOps, Math.max(1, g.decodeSteps));
      const ops = [
        ...prefill.map((op) => ({ ...op, stage: "prefill" as const })),
        ...decode.map((op) => ({ ...op, stage: "decode" as const })),
      ];
      const summary = summarizeGenerate(prefill, decode, batch, scenario.newTokens, g.decodeSteps);
      return {
        phase, batch,
        tokens: { prompt: scenario.promptTokens, new: scenario.newTokens },
        ops, totals: totalsOf(ops),
        memory: servingMemory(spec, impl, ceilings, scenario.promptTokens + scenario.newTokens),
        generate: summary,
      };
    }
    case "train": {
      const ops = timed(trainOps(spec, batch, scenario.seqTokens, impl, { rematerialise: scenario.rematerialise }));
      return {
        phase, batch, tokens: { seq: scenario.seqTokens }, ops, totals: totalsOf(ops),
        memory: { weightBytes: weightBytes(spec, impl.dtypes), cacheTokens: null, cacheBytesPerSequence: 0, cacheBreakdown: null, maxBatch: null },
      };
    }
  }
}

/** The matrix ceiling follows what the matrix unit multiplies in (bf16 for w4a16 weights). */
export function matrixDtypeOf(impl: Implementation): MatrixDtype {
  return impl.dtypes.matmul;
}

/** A phase with its estimate: the bound's ops, grouped by roof and scaled by the calibration. */
function withEstimate(result: PhaseResult, chip: string, source: EstimateSource): PhaseResult {
  const steps = result.generate?.decodeSteps ?? 1;
  return { ...result, ops: withOpEstimates(result.ops, chip, source, steps), estimate: estimateOps(result.ops, chip, source, steps) };
}

export function analyze(
  spec: ModelSpec, profile: HardwareProfile, phases: readonly Phase[], scenario: Scenario, impl: Implementation,
  calibration?: { file: string; calibration: Calibration }, estimate?: EstimateSource,
): Analysis {
  const ceilings = ceilingsFor(profile, matrixDtypeOf(impl));
  const evaluate = (phase: Phase) => {
    const result = analyzePhase(spec, phase, scenario, impl, ceilings, calibration?.calibration);
    return estimate ? withEstimate(result, profile.id, estimate) : result;
  };
  return {
    ...(calibration && { calibration }),
    ...(estimate && { estimate }),
    model: spec,
    params: countParams(spec),
    hardware: profile,
    ceilings,
    ridgePoints: ridgePoints(profile),
    implementation: impl,
    phases: phases.map(evaluate),
  };
}
