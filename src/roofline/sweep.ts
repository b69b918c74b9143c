// A sweep: totals over a grid of models × chips × phases × lengths × batches × windows, one flat
// row per point with the field names of the `--json` document (totals, memory, generate).
import type { Ceilings } from "../hardware/ceilings.js";
import type { ModelSpec } from "../models/schema.js";
import { cacheBytesPerSequence, maxBatch, weightBytes } from "../cost/memory.js";
import { decodeOps, prefillOps, trainOps, type Implementation } from "../cost/phases.js";
import { analyzePhase, DEFAULT_SCENARIO, type Phase } from "./analyze.js";
import { affineCosts, estimateFields, pointTotals, type PointTotals } from "./grid.js";
import type { Calibration } from "../calibration/calibration.js";
import { estimateOps, type EstimateSource } from "./estimate.js";

export interface SweepChip {
  id: string;
  ceilings: Ceilings;
  /** The estimate's terms and calibration for this chip; without it, rows carry bounds only. */
  estimate?: EstimateSource;
}

export interface SweepRequest {
  models: ModelSpec[];
  chips: SweepChip[];
  phases: Phase[];
  /** The phase's length: prefill and train sequence, decode context, generate prompt. */
  lengths: number[];
  batches: number[];
  /** Local attention windows to try; models without local attention are evaluated once. */
  windows: number[];
  /** New tokens of a generate phase. */
  newTokens: number;
  rematerialise: boolean;
  implementation: Implementation;
  calibration?: Calibration;
}

export interface SweepRow extends PointTotals {
  model: string;
  hardware: string;
  phase: Phase;
  batch: number;
  window: number | null;
  seqTokens: number | null;
  contextTokens: number | null;
  promptTokens: number | null;
  newTokens: number | null;
  weightBytes: number;
  cacheBytesPerSequence: number | null;
  maxBatch: number | null;
  ttftSeconds: number | null;
  decodeSeconds: number | null;
  totalSeconds: number | null;
  tokensPerSecond: number | null;
}

/** The model at each requested window (or as it is, when it has no local attention). */
export function modelVariants(spec: ModelSpec, windows: number[]): { spec: ModelSpec; window: number | null }[] {
  const local = spec.pattern.includes("local-attention") && spec.attention;
  if (!local) return [{ spec, window: null }];
  if (windows.length === 0) return [{ spec, window: spec.attention!.window ?? null }];
  return windows.map((window) => ({ spec: { ...spec, attention: { ...spec.attention!, window } }, window }));
}

const lengthFields = (phase: Phase, length: number, newTokens: number) => ({
  seqTokens: phase === "prefill" || phase === "train" ? length : null,
  contextTokens: phase === "decode" ? length : null,
  promptTokens: phase === "generate" ? length : null,
  newTokens: phase === "generate" ? newTokens : null,
});

export function* sweepRows(request: SweepRequest): Generator<SweepRow> {
  const impl = request.implementation;
  for (const model of request.models) {
    for (const { spec, window } of modelVariants(model, request.windows)) {
      const weights = weightBytes(spec, impl.dtypes);
      for (const phase of request.phases) {
        for (const length of request.lengths) {
          const cacheTokens = phase === "generate" ? length + request.newTokens : length;
          const cache = phase === "train" ? null : cacheBytesPerSequence(spec, cacheTokens, impl.dtypes).total;
          const base = { model: spec.name, phase, window, ...lengthFields(phase, length, request.newTokens), weightBytes: weights, cacheBytesPerSequence: cache };
          if (phase === "generate") {
            for (const chip of request.chips) {
              for (const batch of request.batches) {
                const scenario = { ...DEFAULT_SCENARIO, batch, promptTokens: length, newTokens: request.newTokens };
                const result = analyzePhase(spec, phase, scenario, impl, chip.ceilings, request.calibration);
                const { bytesBy: _b, boundShares: _s, ...totals } = result.totals;
                yield {
                  ...base, ...totals, hardware: chip.id, batch,
                  ...(chip.estimate && estimateFields(estimateOps(result.ops, chip.id, chip.estimate, result.generate!.decodeSteps))),
                  maxBatch: maxBatch(chip.ceilings.memoryCapacityBytes, weights, cache!),
                  ttftSeconds: result.generate!.ttftSeconds, decodeSeconds: result.generate!.decodeSeconds,
                  totalSeconds: result.generate!.totalSeconds, tokensPerSecond: result.generate!.tokensPerSecond,
                };
              }
            }
            continue;
          }
          const opsAt = (batch: number) =>
            phase === "prefill" ? prefillOps(spec, batch, length, impl)
              : phase === "decode" ? decodeOps(spec, batch, length, impl)
                : trainOps(spec, batch, length, impl, { rematerialise: request.rematerialise });
          const costs = affineCosts(opsAt);
          for (const chip of request.chips) {
            for (const batch of request.batches) {
              yield {
                ...base, ...pointTotals(costs, batch, chip.ceilings, request.calibration, chip.estimate && { ...chip.estimate, chip: chip.id }), hardware: chip.id, batch,
                maxBatch: cache === null ? null : maxBatch(chip.ceilings.memoryCapacityBytes, weights, cache),
                ttftSeconds: null, decodeSeconds: null, totalSeconds: null, tokensPerSecond: null,
              };
            }
          }
        }
      }
    }
  }
}
