// Everything a report shows, computed once: per chip the analysis of every model, latency vs
// length, memory vs context, throughput vs batch and time by block type. Charts and tables only
// format these numbers, so the report and `--json` cannot disagree.
import { ceilingsFor, type Ceilings } from "../hardware/ceilings.js";
import type { HardwareProfile } from "../hardware/schema.js";
import type { ModelSpec } from "../models/schema.js";
import { batchFits, cacheBytesPerSequence, maxBatch, weightBytes } from "../cost/memory.js";
import type { Implementation } from "../cost/phases.js";
import type { BlockType } from "../cost/op.js";
import { analyze, analyzePhaseIn, matrixDtypeOf, phaseContext, type Analysis, type PhaseContext, type PhaseResult, type Scenario } from "../roofline/analyze.js";
import { estimateOps, type EstimateSource } from "../roofline/estimate.js";
import type { Calibration } from "../calibration/calibration.js";
import type { HarnessValidation } from "../validation/harness.js";

export const LATENCY_METRICS = ["prefill: time to first token", "decode: time per token", "generate: total time"] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export interface LatencyPoint {
  chip: string;
  model: string;
  metric: LatencyMetric;
  tokens: number;
  seconds: number;
  upperBoundSeconds: number;
  /** The estimate (src/roofline/estimate.ts), the top of the chart's band; absent with --no-calibration. */
  estimateSeconds?: number;
  /** Whether the batch's caches at this length fit in memory beside the weights. */
  fits: boolean;
}

export interface Crossover {
  chip: string;
  metric: LatencyMetric;
  /** The model that is faster beyond `tokens`. */
  faster: string;
  slower: string;
  tokens: number;
  seconds: number;
}

export interface MemoryPoint { chip: string; model: string; batch: number; tokens: number; bytes: number }
export interface ThroughputPoint { chip: string; model: string; batch: number; tokensPerSecond: number; isMaxBatch: boolean }
export interface BlockTime {
  chip: string; model: string; phase: string; block: BlockType; seconds: number;
  /** Whether the phase's batch fits in memory beside the weights. */
  fits: boolean;
}

export interface ChipReport {
  profile: HardwareProfile;
  ceilings: Ceilings;
  analyses: Analysis[];
  maxBatchAtContext: Record<string, number>;
}

/** The phases the roofline, the time by block and the op tables show. */
export const SHOWN_PHASES = ["prefill", "decode"] as const;
export type ShownPhase = (typeof SHOWN_PHASES)[number];

export interface ReportData {
  /** The phases the roofline, the time by block and the op tables show (the summary shows all). */
  phases: ShownPhase[];
  /** Measured kernels against the first chip's predictions, when the report was given --measured. */
  validation?: HarnessValidation;
  models: ModelSpec[];
  scenario: Scenario;
  implementation: Implementation;
  lengths: number[];
  memoryBatches: number[];
  chips: ChipReport[];
  latency: LatencyPoint[];
  crossovers: Crossover[];
  memory: MemoryPoint[];
  throughput: ThroughputPoint[];
  blocks: BlockTime[];
  /** US dollars per chip-hour for the cost chart (--price-per-hour), overriding each profile's default. */
  pricePerChipHour?: number;
}

export interface ReportRequest {
  calibration?: { file: string; calibration: Calibration };
  /** The estimate's source per chip id; the latency charts draw the band from bound to estimate. */
  estimates?: Record<string, EstimateSource>;
  models: ModelSpec[];
  profiles: HardwareProfile[];
  scenario: Scenario;
  implementation: Implementation;
  /** x axis of the latency and memory charts. */
  lengths: number[];
  /** Batches drawn in the memory chart. */
  memoryBatches: number[];
  /** The phases the roofline, the time by block and the op tables show; both by default. */
  phases?: ShownPhase[];
}

function latencyPoints(context: PhaseContext, chip: string, request: ReportRequest): LatencyPoint[] {
  const { scenario } = request;
  const spec = context.spec;
  return request.lengths.flatMap((tokens) => {
    const estimate = request.estimates?.[chip];
    const point = (metric: LatencyMetric, result: PhaseResult): LatencyPoint => ({
      chip, model: spec.name, metric, tokens, seconds: result.totals.seconds, upperBoundSeconds: result.totals.upperBoundSeconds,
      fits: batchFits(result.batch, result.memory.maxBatch) !== false,
      ...(estimate && { estimateSeconds: estimateOps(result.ops, chip, estimate, result.generate?.decodeSteps ?? 1).seconds }),
    });
    const phase = (name: "prefill" | "decode" | "generate", at: Partial<Scenario>) => analyzePhaseIn(context, name, { ...scenario, ...at });
    return [
      point(LATENCY_METRICS[0], phase("prefill", { seqTokens: tokens })),
      point(LATENCY_METRICS[1], phase("decode", { contextTokens: tokens })),
      point(LATENCY_METRICS[2], phase("generate", { newTokens: tokens })),
    ];
  });
}

/**
 * Where one model's latency curve crosses another's: between two neighbouring lengths whose
 * ordering flips, both models' batches fitting in memory at both, interpolated linearly in
 * log-log space.
 */
export function findCrossovers(points: readonly LatencyPoint[]): Crossover[] {
  const crossovers: Crossover[] = [];
  const groups = new Map<string, LatencyPoint[]>();
  for (const p of points) {
    const key = `${p.chip}\u0000${p.metric}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) {
    const models = [...new Set(group.map((p) => p.model))];
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        const a = group.filter((p) => p.model === models[i]).sort((x, y) => x.tokens - y.tokens);
        const b = group.filter((p) => p.model === models[j]).sort((x, y) => x.tokens - y.tokens);
        for (let k = 1; k < Math.min(a.length, b.length); k++) {
          const d0 = Math.log(a[k - 1]!.seconds) - Math.log(b[k - 1]!.seconds);
          const d1 = Math.log(a[k]!.seconds) - Math.log(b[k]!.seconds);
          // A length at which either batch does not fit in memory has no latency to compare.
          if (!a[k - 1]!.fits || !a[k]!.fits || !b[k - 1]!.fits || !b[k]!.fits) continue;
          if (d0 === 0 || Math.sign(d0) === Math.sign(d1) || d1 === 0) continue;
          const f = d0 / (d0 - d1);
          const logTokens = Math.log(a[k - 1]!.tokens) + f * (Math.log(a[k]!.tokens) - Math.log(a[k - 1]!.tokens));
          const logSeconds = Math.log(a[k - 1]!.seconds) + f * (Math.log(a[k]!.seconds) - Math.log(a[k - 1]!.seconds));
          const aFasterAfter = d1 < 0;
          crossovers.push({
            chip: a[0]!.chip, metric: a[0]!.metric,
            faster: aFasterAfter ? models[i]! : models[j]!, slower: aFasterAfter ? models[j]! : models[i]!,
            tokens: Math.exp(logTokens), seconds: Math.exp(logSeconds),
          });
        }
      }
    }
  }
  return crossovers;
}

/** Powers of two up to the largest batch that fits, and that batch itself. */
export function batchesUpTo(largest: number): number[] {
  const batches: number[] = [];
  for (let b = 1; b < largest; b *= 2) batches.push(b);
  if (largest >= 1) batches.push(largest);
  return batches;
}

export function buildReport(request: ReportRequest): ReportData {
  const { scenario, implementation } = request;
  const chips: ChipReport[] = [];
  const latency: LatencyPoint[] = [];
  const memory: MemoryPoint[] = [];
  const throughput: ThroughputPoint[] = [];
  const blocks: BlockTime[] = [];
  for (const profile of request.profiles) {
    const ceilings = ceilingsFor(profile, matrixDtypeOf(implementation));
    // Prefill and decode for the roofline, the blocks and the op tables; a whole generation for the summary.
    const analyses = request.models.map((spec) => analyze(spec, profile, ["prefill", "decode", "generate"], scenario, implementation, request.calibration));
    const maxBatchAtContext: Record<string, number> = {};
    for (const spec of request.models) {
      const chip = profile.id;
      // One context per model: its ops are built once for every point of the charts.
      const context = phaseContext(spec, implementation, ceilings, request.calibration?.calibration);
      latency.push(...latencyPoints(context, chip, request));
      const weights = weightBytes(spec, implementation.dtypes);
      for (const batch of request.memoryBatches) {
        for (const tokens of request.lengths) {
          memory.push({ chip, model: spec.name, batch, tokens, bytes: weights + batch * cacheBytesPerSequence(spec, tokens, implementation.dtypes).total });
        }
      }
      const largest = maxBatch(ceilings.memoryCapacityBytes, weights, cacheBytesPerSequence(spec, scenario.contextTokens, implementation.dtypes).total);
      maxBatchAtContext[spec.name] = largest;
      for (const batch of batchesUpTo(Math.min(largest, 1 << 20))) {
        const decode = analyzePhaseIn(context, "decode", { ...scenario, batch });
        throughput.push({ chip, model: spec.name, batch, tokensPerSecond: batch / decode.totals.seconds, isMaxBatch: batch === largest });
      }
    }
    for (const analysis of analyses) {
      for (const phase of analysis.phases.filter((p) => p.phase !== "generate")) {
        const byBlock = new Map<BlockType, number>();
        for (const op of phase.ops) byBlock.set(op.block, (byBlock.get(op.block) ?? 0) + op.seconds);
        const fits = batchFits(phase.batch, phase.memory.maxBatch) !== false;
        for (const [block, seconds] of byBlock) blocks.push({ chip: profile.id, model: analysis.model.name, phase: phase.phase, block, seconds, fits });
      }
    }
    chips.push({ profile, ceilings, analyses, maxBatchAtContext });
  }
  return {
    phases: request.phases ?? [...SHOWN_PHASES],
    models: request.models, scenario, implementation, lengths: request.lengths, memoryBatches: request.memoryBatches,
    chips, latency, crossovers: findCrossovers(latency), memory, throughput, blocks,
  };
}
