// Validation of a profiler trace of one model phase: kernels are mapped to the cost model's ops
// by rules, grouped, and each group's measured time per step is compared with the predicted time
// of the same ops; where the trace has counters (Nsight Compute) its DRAM bytes and FLOPs are
// compared with the model's bytes and FLOPs too.
import { InputError } from "../errors.js";
import type { ImportedTrace } from "../importers/kernel-record.js";
import { matchRule, targetOf, type CompiledRule, type Rule } from "../importers/rules.js";
import type { TimedOp } from "../roofline/time.js";
import { relativeError, summarizeErrors, type ErrorSummary } from "./errors.js";

export interface TraceGroup {
  target: string;
  kernels: string[];
  launchesPerStep: number;
  measuredSeconds: number;
  predictedSeconds: number;
  error: number | null;
  measuredDramBytes: number | null;
  predictedBytes: number;
  bytesError: number | null;
  measuredFlops: number | null;
  predictedFlops: number;
  flopsError: number | null;
  fasterThanRoofline: boolean;
}

export interface TraceValidation {
  file: string;
  format: string;
  steps: number;
  groups: TraceGroup[];
  ignoredKernels: string[];
  summary: ErrorSummary;
}

function opMatches(rule: Rule, op: TimedOp): boolean {
  if (rule.op !== undefined) return op.name === rule.op && (rule.block === undefined || op.block === rule.block);
  return op.kernel === rule.kernel;
}

export function validateTrace(trace: ImportedTrace, rules: readonly CompiledRule[], predictedOps: readonly TimedOp[], steps: number): TraceValidation {
  const unmatched = trace.kernels.filter((k) => !matchRule(k.name, rules));
  if (unmatched.length > 0) {
    const names = unmatched.slice(0, 8).map((k) => `  ${k.name}`).join("\n");
    throw new InputError(`${trace.file}: ${unmatched.length} kernels match no rule:\n${names}${unmatched.length > 8 ? "\n  …" : ""}\n` +
      `Map them to ops with --rules FILE ({"rules": [{"pattern": "…", "op": "…"} or {"pattern": "…", "kernel": "linear" | "ignore"}]}).`);
  }
  const groups = new Map<string, TraceGroup>();
  const group = (target: string) => {
    let g = groups.get(target);
    if (!g) {
      g = { target, kernels: [], launchesPerStep: 0, measuredSeconds: 0, predictedSeconds: 0, error: null, measuredDramBytes: null,
        predictedBytes: 0, bytesError: null, measuredFlops: null, predictedFlops: 0, flopsError: null, fasterThanRoofline: false };
      groups.set(target, g);
    }
    return g;
  };
  const ignored: string[] = [];
  for (const k of trace.kernels) {
    const rule = matchRule(k.name, rules)!;
    if (rule.kernel === "ignore") {
      ignored.push(k.name);
      continue;
    }
    const g = group(targetOf(rule));
    g.kernels.push(k.name);
    g.launchesPerStep += k.launches / steps;
    g.measuredSeconds += k.seconds / steps;
    if (k.dramBytes !== undefined) g.measuredDramBytes = (g.measuredDramBytes ?? 0) + k.dramBytes / steps;
    if (k.flops !== undefined) g.measuredFlops = (g.measuredFlops ?? 0) + k.flops / steps;
  }
  for (const op of predictedOps) {
    const rule = rules.find((r) => r.kernel !== "ignore" && opMatches(r, op));
    if (!rule) continue;
    const g = group(targetOf(rule));
    g.predictedSeconds += op.seconds;
    g.predictedBytes += op.bytesTotal;
    g.predictedFlops += op.flops;
  }
  for (const g of groups.values()) {
    if (g.measuredSeconds > 0 && g.predictedSeconds > 0) {
      g.error = relativeError(g.predictedSeconds, g.measuredSeconds);
      g.fasterThanRoofline = g.measuredSeconds < g.predictedSeconds;
    }
    if (g.measuredDramBytes !== null && g.predictedBytes > 0) g.bytesError = relativeError(g.predictedBytes, g.measuredDramBytes);
    if (g.measuredFlops !== null && g.predictedFlops > 0) g.flopsError = relativeError(g.predictedFlops, g.measuredFlops);
  }
  const list = [...groups.values()];
  return {
    file: trace.file,
    format: trace.format,
    steps,
    groups: list,
    ignoredKernels: ignored,
    summary: summarizeErrors(list.filter((g) => g.error !== null).map((g) => ({ id: g.target, error: g.error! }))),
  };
}
