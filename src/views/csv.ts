// `--csv`: one row per op and phase, with the JSON field names flattened.
import { stringify } from "csv-stringify/sync";
import type { Analysis } from "../roofline/analyze.js";

export const CSV_COLUMNS = [
  "model", "hardware", "phase", "batch", "seqTokens", "contextTokens", "promptTokens", "newTokens",
  "stage", "pass", "name", "block", "kind", "implementation", "count",
  "matrixFlops", "vectorFlops", "flops", "bytes", "weightBytes", "activationBytes", "kvCacheBytes", "stateBytes",
  "intensity", "computeSeconds", "memorySeconds", "seconds", "upperBoundSeconds", "bound",
] as const;

export function analysisCsv(analysis: Analysis): string {
  const rows = analysis.phases.flatMap((phase) =>
    phase.ops.map((op) => ({
      model: analysis.model.name,
      hardware: analysis.hardware.id,
      phase: phase.phase,
      batch: phase.batch,
      seqTokens: phase.tokens.seq ?? "",
      contextTokens: phase.tokens.context ?? "",
      promptTokens: phase.tokens.prompt ?? "",
      newTokens: phase.tokens.new ?? "",
      stage: op.stage ?? "",
      pass: op.pass ?? "",
      name: op.name,
      block: op.block,
      kind: op.kind,
      implementation: op.implementation ?? "",
      count: op.count,
      matrixFlops: op.matrixFlops,
      vectorFlops: op.vectorFlops,
      flops: op.flops,
      bytes: op.bytesTotal,
      weightBytes: op.bytes.weights,
      activationBytes: op.bytes.activations,
      kvCacheBytes: op.bytes.kvCache,
      stateBytes: op.bytes.state,
      intensity: Number.isFinite(op.intensity) ? op.intensity : "",
      computeSeconds: op.computeSeconds,
      memorySeconds: op.memorySeconds,
      seconds: op.seconds,
      upperBoundSeconds: op.upperBoundSeconds,
      bound: op.bound,
    })),
  );
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}
