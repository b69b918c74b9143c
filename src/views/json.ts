// The `--json` document: a versioned contract (README.md, "JSON output"). All values are SI.
// Non-finite numbers (an unbounded batch) become null so that the output is valid JSON.
import type { Analysis, PhaseResult } from "../roofline/analyze.js";
import type { TimedOp } from "../roofline/time.js";
import { launchWords } from "../roofline/estimate.js";
import { batchFits } from "../cost/memory.js";

export const JSON_SCHEMA_ID = "roofline.analysis";
export const JSON_SCHEMA_VERSION = 1;

export function opRecord(op: TimedOp) {
  return {
    name: op.name,
    block: op.block,
    kind: op.kind,
    kernel: op.kernel,
    ...(op.stage && { stage: op.stage }),
    ...(op.pass && { pass: op.pass }),
    ...(op.implementation && { implementation: op.implementation }),
    count: op.count,
    shape: op.shape,
    matrixFlops: op.matrixFlops,
    vectorFlops: op.vectorFlops,
    flops: op.flops,
    bytes: op.bytesTotal,
    bytesBy: op.bytes,
    intensity: op.intensity,
    matrixSeconds: op.matrixSeconds,
    vectorSeconds: op.vectorSeconds,
    computeSeconds: op.computeSeconds,
    memorySeconds: op.memorySeconds,
    seconds: op.seconds,
    upperBoundSeconds: op.upperBoundSeconds,
    bound: op.bound,
    ...(op.efficiency !== undefined && { efficiency: op.efficiency, extrapolated: op.extrapolated ?? false }),
    ...(op.estimateSeconds !== undefined && { estimateSeconds: op.estimateSeconds, estimateCalibration: op.estimateCalibration }),
  };
}

function phaseRecord(result: PhaseResult) {
  const { cacheBreakdown, ...memory } = result.memory;
  return {
    phase: result.phase,
    batch: result.batch,
    tokens: result.tokens,
    // fits: whether the batch fits beside the weights; null where memory is not modelled (training).
    memory: { ...memory, cacheBytesBy: cacheBreakdown, fits: batchFits(result.batch, memory.maxBatch) },
    totals: result.totals,
    ...(result.estimate && {
      estimate: { seconds: result.estimate.seconds, calibration: result.estimate.calibration, inRange: result.estimate.inRange },
    }),
    ...(result.generate && { generate: result.generate }),
    ops: result.ops.map(opRecord),
  };
}

export function analysisDocument(analysis: Analysis) {
  const { model, params, hardware, ceilings, implementation } = analysis;
  const phases = analysis.phases.map(phaseRecord);
  return {
    schema: JSON_SCHEMA_ID,
    version: JSON_SCHEMA_VERSION,
    model: {
      name: model.name,
      family: model.family,
      spec: model,
      params: {
        total: params.total,
        embedding: params.embedding,
        nonEmbedding: params.nonEmbedding,
        byBlock: params.byBlock,
      },
    },
    hardware: {
      id: hardware.id,
      name: hardware.name,
      unit: hardware.granularity.unit,
      coresPerChip: hardware.granularity.coresPerChip,
      ceilings,
      ridgePoints: analysis.ridgePoints,
    },
    assumptions: {
      dtypes: implementation.dtypes,
      attention: implementation.attention,
      scan: implementation.scan,
      efficiency: analysis.calibration
        ? `calibrated with ${analysis.calibration.file} (fitted on ${analysis.calibration.calibration.hardware}); op.efficiency divides each roofline time, op.extrapolated marks sizes outside the fitted range`
        : "none: roofline times at the profile's peaks",
      estimate: analysis.estimate
        ? `first-principles terms (achievable ceilings, GEMM shape, special-function units, causal blocks, launches and fusion, loop steps)` +
          (analysis.estimate.calibration
            ? `, calibrated with ${analysis.estimate.calibration.file}, fitted on ${analysis.estimate.calibration.calibration.fittedOn.length} published sources`
            : "; no published calibration for this chip") +
          `; ${launchWords(analysis.estimate)}` +
          "; estimate.calibration names the fit, estimate.inRange whether the point lies inside what it saw"
        : "none: --no-calibration gives the bound alone",
    },
    // The first requested phase, mirrored at the top level for single-phase consumers.
    ...phases[0]!,
    phases,
  };
}

/**
 * JSON text. JSON.stringify escapes C0 control characters; DEL and C1 (which some terminals obey)
 * are escaped too, so a model name cannot drive a terminal the document is printed on. Escaping
 * keeps the value: a parser reads back the same string.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)
    .replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
