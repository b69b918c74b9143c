// The whole analysis of one model on one chip: for each requested phase its timed ops, totals and
// memory. Every view (table, JSON, CSV, sweep, report) is built from this one structure.
import { ceilingsFor, ridgePoints, type Ceilings, type RidgePoint } from "../hardware/ceilings.js";
import type { HardwareProfile, MatrixDtype } from "../hardware/schema.js";
import { countParams, type ParamCounts } from "../models/params.js";
import type { ModelSpec } from "../models/schema.js";
import { cacheBytesPerSequence, maxBatch, weightBytes, type CacheBytes } from "../cost/memory.js";
import type { Implementation } from "../cost/phases.js";
import { generateTimes, summarizeGenerate, type GenerateSummary } from "./generate.js";
import { calibrateOp } from "./calibrate.js";
import type { Calibration } from "../calibration/calibration.js";
import type { Estimate } from "../calibration/kinds.js";
import type { EstimateSource } from "./estimate.js";
import { prepareEstimate, withPreparedEstimate } from "./phase-estimate.js";
import { timedModelOps, totalsOf, type TimedOp, type TimedPhaseOps, type Totals } from "./time.js";

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

/**
 * What every phase of one model on one chip needs, whatever the point: built for one analysis
 * (`analyze`), or once for many points (src/roofline/prepared-analysis.ts).
 */
export interface PhaseContext {
  spec: ModelSpec;
  impl: Implementation;
  ceilings: Ceilings;
  calibration?: Calibration;
  /** Each phase's timed ops: the cost model's, or those of tables fitted to it. */
  ops: TimedPhaseOps;
  weightBytes: number;
}

export function phaseContext(spec: ModelSpec, impl: Implementation, ceilings: Ceilings, calibration?: Calibration, ops?: TimedPhaseOps): PhaseContext {
  return {
    spec, impl, ceilings, ...(calibration && { calibration }),
    ops: ops ?? timedModelOps(spec, impl, ceilings),
    weightBytes: weightBytes(spec, impl.dtypes),
  };
}

function servingMemory(context: PhaseContext, tokens: number): MemoryResult {
  const weights = context.weightBytes;
  const cache = cacheBytesPerSequence(context.spec, tokens, context.impl.dtypes);
  return {
    weightBytes: weights,
    cacheTokens: tokens,
    cacheBytesPerSequence: cache.total,
    cacheBreakdown: cache,
    maxBatch: maxBatch(context.ceilings.memoryCapacityBytes, weights, cache.total),
  };
}

export function analyzePhase(
  spec: ModelSpec, phase: Phase, scenario: Scenario, impl: Implementation, ceilings: Ceilings, calibration?: Calibration,
): PhaseResult {
  return analyzePhaseIn(phaseContext(spec, impl, ceilings, calibration), phase, scenario);
}

export function analyzePhaseIn(context: PhaseContext, phase: Phase, scenario: Scenario): PhaseResult {
  if (phase === "generate") return generatePhase(context, scenario);
  const { batch } = scenario;
  const timed = context.ops;
  const ops = phase === "prefill" ? timed.prefill(batch, scenario.seqTokens)
    : phase === "decode" ? timed.decode(batch, scenario.contextTokens)
    : timed.train(batch, scenario.seqTokens, { rematerialise: scenario.rematerialise });
  return phaseOf(context, phase, scenario, calibrated(context, ops));
}

function calibrated(context: PhaseContext, ops: TimedOp[], steps = 1): TimedOp[] {
  const { calibration } = context;
  return calibration ? ops.map((op) => calibrateOp(op, calibration, op.count * steps)) : ops;
}

/** A prefill, decode or train phase from its timed ops: their totals, and the memory the phase needs. */
export function phaseOf(context: PhaseContext, phase: Exclude<Phase, "generate">, scenario: Scenario, ops: TimedOp[]): PhaseResult {
  const { batch } = scenario;
  switch (phase) {
    case "prefill":
      return { phase, batch, tokens: { seq: scenario.seqTokens }, ops, totals: totalsOf(ops), memory: servingMemory(context, scenario.seqTokens) };
    case "decode":
      return { phase, batch, tokens: { context: scenario.contextTokens }, ops, totals: totalsOf(ops), memory: servingMemory(context, scenario.contextTokens) };
    case "train":
      return {
        phase, batch, tokens: { seq: scenario.seqTokens }, ops, totals: totalsOf(ops),
        memory: { weightBytes: context.weightBytes, cacheTokens: null, cacheBytesPerSequence: 0, cacheBreakdown: null, maxBatch: null },
      };
  }
}

function generatePhase(context: PhaseContext, scenario: Scenario): PhaseResult {
  const { batch } = scenario;
  const g = generateTimes(context.spec, batch, scenario.promptTokens, scenario.newTokens, context.impl, context.ceilings, context.ops);
  const prefill = calibrated(context, g.prefillOps);
  const decode = calibrated(context, g.decodeOps, Math.max(1, g.decodeSteps));
  const ops = [
    ...prefill.map((op) => ({ ...op, stage: "prefill" as const })),
    ...decode.map((op) => ({ ...op, stage: "decode" as const })),
  ];
  const summary = summarizeGenerate(prefill, decode, batch, scenario.newTokens, g.decodeSteps);
  return {
    phase: "generate", batch,
    tokens: { prompt: scenario.promptTokens, new: scenario.newTokens },
    ops, totals: totalsOf(ops),
    memory: servingMemory(context, scenario.promptTokens + scenario.newTokens),
    generate: summary,
  };
}

/** The matrix ceiling follows what the matrix unit multiplies in (bf16 for w4a16 weights). */
export function matrixDtypeOf(impl: Implementation): MatrixDtype {
  return impl.dtypes.matmul;
}

export function analyze(
  spec: ModelSpec, profile: HardwareProfile, phases: readonly Phase[], scenario: Scenario, impl: Implementation,
  calibration?: { file: string; calibration: Calibration }, estimate?: EstimateSource,
): Analysis {
  const ceilings = ceilingsFor(profile, matrixDtypeOf(impl));
  const context = phaseContext(spec, impl, ceilings, calibration?.calibration);
  // The phase's ops are its own, new at each call: the estimate is written into them.
  const prepared = estimate && prepareEstimate(estimate, profile.id);
  const evaluate = (phase: Phase) => {
    const result = analyzePhaseIn(context, phase, scenario);
    return prepared ? withPreparedEstimate(result, prepared) : result;
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
