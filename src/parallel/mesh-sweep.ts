// A sweep on a mesh: one row per model × chip × phase × length × batch, each the analysis of
// ./mesh-analysis.ts flattened to the figures a deployment is chosen by: time with and without
// overlap, communication's share, memory per chip and whether it fits, energy and cost per token.
// (The single-chip sweep, src/roofline/sweep.ts, keeps its own fixed columns and speed.)
import type { Implementation } from "../cost/phases.js";
import type { HardwareProfile } from "../hardware/schema.js";
import type { ModelSpec } from "../models/schema.js";
import { DEFAULT_SCENARIO, type Phase, type Scenario } from "../roofline/analyze.js";
import { analyzeMesh, type MeshOptions, type MeshPhaseResult } from "./mesh-analysis.js";

export const MESH_SWEEP_COLUMNS = [
  "model", "hardware", "chips", "tp", "dp", "zero", "sequenceParallel", "phase", "batch",
  "seqTokens", "contextTokens", "promptTokens", "newTokens",
  "seconds", "computeSeconds", "communicationSeconds", "noOverlapSeconds", "overlapSeconds", "communicationShare", "tokensPerSecond",
  "bytesPerChip", "fits", "maxBatchPerReplica", "joulesPerToken", "tokensPerJoule", "joulesPerTokenAtMeasuredPower", "dollarsPerMillionTokens",
] as const;
export type MeshSweepRow = Record<(typeof MESH_SWEEP_COLUMNS)[number], string | number | boolean | null>;

export interface MeshSweepRequest {
  models: ModelSpec[];
  profiles: HardwareProfile[];
  phases: Phase[];
  /** The phase's length: prefill and train sequence, decode context, generate prompt. */
  lengths: number[];
  batches: number[];
  newTokens: number;
  rematerialise: boolean;
  implementation: Implementation;
  options: MeshOptions;
}

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

function memoryFigures(result: MeshPhaseResult): Pick<MeshSweepRow, "bytesPerChip" | "fits" | "maxBatchPerReplica"> {
  if (result.trainingMemory) {
    const t = result.trainingMemory;
    return { bytesPerChip: t.totalBytes, fits: t.fits, maxBatchPerReplica: t.maxBatchPerReplica };
  }
  const s = result.servingMemory!;
  return { bytesPerChip: s.weightBytes + result.batchPerReplica * s.cacheBytesPerSequence, fits: s.fits, maxBatchPerReplica: finiteOrNull(s.maxBatchPerReplica) };
}

export function* meshSweepRows(request: MeshSweepRequest): Generator<MeshSweepRow> {
  const { mesh } = request.options;
  for (const spec of request.models) {
    for (const phase of request.phases) {
      for (const length of request.lengths) {
        for (const profile of request.profiles) {
          for (const batch of request.batches) {
            const scenario: Scenario = {
              ...DEFAULT_SCENARIO, batch, rematerialise: request.rematerialise, newTokens: request.newTokens,
              seqTokens: length, contextTokens: length, promptTokens: length,
            };
            const result = analyzeMesh(spec, profile, [phase], scenario, request.implementation, request.options).phases[0]!;
            const e = result.energy;
            yield {
              model: spec.name, hardware: profile.id, chips: mesh.chips, tp: mesh.tensor, dp: mesh.data, zero: mesh.zero, sequenceParallel: mesh.sequenceParallel,
              phase, batch,
              seqTokens: phase === "prefill" || phase === "train" ? length : null,
              contextTokens: phase === "decode" ? length : null,
              promptTokens: phase === "generate" ? length : null,
              newTokens: phase === "generate" ? request.newTokens : null,
              seconds: result.seconds, computeSeconds: result.computeSeconds, communicationSeconds: result.communicationSeconds,
              noOverlapSeconds: result.noOverlapSeconds, overlapSeconds: result.overlapSeconds, communicationShare: result.communicationShare,
              tokensPerSecond: result.tokensPerSecond,
              ...memoryFigures(result),
              joulesPerToken: e.joulesPerToken, tokensPerJoule: e.tokensPerJoule, joulesPerTokenAtMeasuredPower: e.joulesPerTokenAtMeasuredPower,
              dollarsPerMillionTokens: e.dollarsPerMillionTokens,
            };
          }
        }
      }
    }
  }
}
