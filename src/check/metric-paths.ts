// The metrics a predicted expectation names: dotted paths to numbers in the `--json` document of
// one phase, computed with the estimate (totals.seconds, memory.cacheBytesPerSequence,
// estimate.seconds, …). Arrays (ops, phases) are reachable by index but not listed.
import type { Implementation } from "../cost/phases.js";
import type { HardwareProfile } from "../hardware/schema.js";
import type { ModelSpec } from "../models/schema.js";
import { analyze, type Phase, type Scenario } from "../roofline/analyze.js";
import { estimateSourceFor } from "../calibration/shipped.js";
import { analysisDocument } from "../views/json.js";

/** The document a predicted expectation is evaluated on, and `roofline baseline --predicted` reads. */
export function predictionDocument(spec: ModelSpec, profile: HardwareProfile, phase: Phase, scenario: Scenario, impl: Implementation): unknown {
  // With the estimate, so that `estimate.seconds` (and each op's estimateSeconds) can be budgeted too.
  return analysisDocument(analyze(spec, profile, [phase], scenario, impl, undefined, estimateSourceFor(profile, { matrixDtype: impl.dtypes.matmul })));
}

/** The value at `path`, or undefined when the path does not lead to a number. */
export function metricValue(document: unknown, path: string): number | undefined {
  let value: unknown = document;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === "number" ? value : undefined;
}

/** Every path to a number outside arrays, in document order. */
function numberPaths(document: unknown, prefix = ""): string[] {
  if (document === null || typeof document !== "object" || Array.isArray(document)) return [];
  return Object.entries(document).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === "number" ? [path] : numberPaths(value, path);
  });
}

/** The paths of a phase's results (not the model's or chip's inputs echoed in the document). */
export function metricPaths(document: unknown): string[] {
  return numberPaths(document).filter((path) => !/^(version|model|hardware)\b/.test(path));
}

/** "…: "totals.speed" is not a number in the decode document; its metrics: totals.seconds, …" */
export function unknownMetric(where: string, metric: string, phase: string, document: unknown): string {
  return `${where}: "${metric}" is not a number in the ${phase} document; its metrics are ${metricPaths(document).join(", ")} ` +
    "(and any numeric field of `roofline --json`)";
}
