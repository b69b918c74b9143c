// `roofline check` (a gate), `roofline compare` (the same report, never failing) and
// `roofline baseline` (recording measured samples, or accepting the current predictions).
import Table from "cli-table3";
import { ageOf, baselineFrom, readBaseline } from "../check/baseline.js";
import { readBudget, type PredictedExpectation } from "../check/budget.js";
import { evaluateBudget, type CheckResult } from "../check/evaluate.js";
import { metricValue, predictionDocument, unknownMetric } from "../check/metric-paths.js";
import { benchmarkJson, githubAnnotations, junitXml, markdownSummary } from "../check/reports.js";
import { InputError } from "../errors.js";
import { loadProfile } from "../hardware/load.js";
import { loadMeasurements } from "../measurements/read.js";
import { loadModel } from "../models/load.js";
import { PRESETS } from "../models/presets.js";
import { DEFAULT_SCENARIO, type Phase } from "../roofline/analyze.js";
import { DEFAULT_IMPLEMENTATION } from "../cost/phases.js";
import { toJson } from "../views/json.js";
import { writeFileAtomic, writeOutputs, type Output } from "../views/atomic-write.js";
import { checkDestinations, sourcesOf, type Destination } from "../views/output-paths.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { listOf, parsePhases, positiveInteger } from "./options.js";

export interface CheckFlags {
  budget: string;
  measured?: string;
  baseline?: string;
  model?: unknown;
  junit?: string;
  summary?: string;
  benchmarkJson?: string;
  annotations?: boolean;
  onlyFailures?: boolean;
  allowDeviceMismatch?: boolean;
}

export interface CheckOutcome {
  text: string;
  exitCode: number;
}

/** Where `check` writes: --summary, --junit, --benchmark-json, and $GITHUB_STEP_SUMMARY (appended to). */
function checkOutputs(flags: CheckFlags): Destination[] {
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  return [
    ...(stepSummary ? [{ flag: "$GITHUB_STEP_SUMMARY", file: stepSummary, append: true }] : []),
    ...(flags.summary !== undefined ? [{ flag: "--summary", file: flags.summary }] : []),
    ...(flags.junit !== undefined ? [{ flag: "--junit", file: flags.junit }] : []),
    ...(flags.benchmarkJson !== undefined ? [{ flag: "--benchmark-json", file: flags.benchmarkJson }] : []),
  ];
}

export async function runCheck(flags: CheckFlags, gate: boolean, now = new Date()): Promise<CheckOutcome> {
  const destinations = checkOutputs(flags);
  checkDestinations(destinations, [
    ...sourcesOf("--budget", [flags.budget]), ...sourcesOf("--measured", flags.measured ? [flags.measured] : []),
    ...sourcesOf("--baseline", flags.baseline ? [flags.baseline] : []), ...sourcesOf("--model", listOf(flags.model)),
  ]);
  const budget = readBudget(flags.budget);
  const measured = flags.measured ? await loadMeasurements(flags.measured) : undefined;
  const baseline = flags.baseline ? readBaseline(flags.baseline, now) : undefined;
  const results = evaluateBudget({ budget, measured, baseline, modelFiles: listOf(flags.model), budgetFile: flags.budget, allowDeviceMismatch: flags.allowDeviceMismatch });
  const header = baseline
    ? `Baseline ${flags.baseline}: recorded ${baseline.recorded} on ${baseline.deviceName} (${baseline.backend}) from ${baseline.source}, ${ageOf(baseline.recorded, now)}.`
    : budget.measured.length > 0
      ? "No baseline given: measured timings are checked only against their roofline."
      : `Budget ${flags.budget}: ${budget.predicted.length} predicted and ${budget.calibration.length} calibration expectations, no measured timings.`;
  const t = new Table({ head: ["", "kind", "expectation", "subject", "result"], style: { head: [], border: [] }, chars: COMPACT_CHARS, wordWrap: true, colWidths: [6, 13, 34, 60, 70] });
  const mark = { pass: "ok", fail: "FAIL", insufficient: "??" } as const;
  for (const r of results) if (!flags.onlyFailures || r.status !== "pass") t.push([mark[r.status], r.kind, r.name, r.subject, r.message]);
  const failed = results.filter((r) => r.status === "fail").length;
  const insufficient = results.filter((r) => r.status === "insufficient").length;
  const summary = markdownSummary(results, header);
  const contents: Record<string, string> = {
    "$GITHUB_STEP_SUMMARY": summary, "--summary": summary, "--junit": junitXml(results),
    "--benchmark-json": `${toJson(benchmarkJson(results))}\n`,
  };
  await writeOutputs(destinations.map((d): Output => ({ ...d, content: contents[d.flag]! })));
  const annotations = flags.annotations || process.env.GITHUB_ACTIONS === "true" ? githubAnnotations(results) : "";
  const verdict = failed + insufficient === 0
    ? `all ${results.length} expectations hold`
    : `${failed} failed, ${insufficient} with insufficient data, ${results.length - failed - insufficient} hold`;
  return {
    text: [header, ...(t.length > 0 ? [t.toString()] : []), `roofline ${gate ? "check" : "compare"}: ${verdict}`, ...(annotations ? [annotations] : [])].join("\n"),
    exitCode: gate && failed + insufficient > 0 ? 1 : 0,
  };
}

export interface BaselineFlags {
  measured?: string;
  predicted?: boolean;
  model?: unknown;
  hw?: unknown;
  phase?: unknown;
  batch?: unknown;
  seq?: unknown;
  context?: unknown;
  metrics?: unknown;
  tolerance?: unknown;
  output: string;
}

/** Metrics a predictions budget accepts by default, per phase. */
const DEFAULT_METRICS: Record<Phase, string[]> = {
  prefill: ["totals.seconds", "totals.flops", "totals.bytes"],
  decode: ["totals.seconds", "totals.bytes", "memory.cacheBytesPerSequence", "memory.maxBatch"],
  generate: ["generate.ttftSeconds", "generate.totalSeconds"],
  train: ["totals.seconds", "totals.flops"],
};

export async function runBaseline(flags: BaselineFlags, now = new Date()): Promise<string> {
  if (flags.measured && flags.predicted) throw new InputError("baseline: give --measured or --predicted, not both");
  checkDestinations([{ flag: "-o", file: flags.output }], [
    ...sourcesOf("--measured", flags.measured ? [flags.measured] : []),
    ...sourcesOf("--model", listOf(flags.model)), ...sourcesOf("--hw", listOf(flags.hw)),
  ]);
  if (flags.measured) {
    const baseline = baselineFrom(await loadMeasurements(flags.measured), now);
    await writeFileAtomic(flags.output, `${toJson(baseline)}\n`);
    return `wrote ${flags.output}: ${Object.keys(baseline.kernels).length} kernels on ${baseline.deviceName}, recorded ${baseline.recorded}`;
  }
  if (!flags.predicted) throw new InputError("baseline: give --measured FILE (a harness CSV) or --predicted (the current predictions as a budget)");
  const models = flags.model === undefined || String(flags.model) === "all" ? PRESETS.map((p) => p.name) : listOf(flags.model);
  const chips = listOf(flags.hw ?? "tpu-v3");
  const phases = parsePhases(flags.phase, ["prefill", "decode"]);
  const tolerance = flags.tolerance === undefined ? 1e-9 : Number(flags.tolerance);
  // A budget holds finite numbers only (JSON has no Infinity): `check` would refuse the file.
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new InputError(`--tolerance: expected a finite number ≥ 0, got "${String(flags.tolerance)}"`);
  const metrics = flags.metrics === undefined ? undefined : listOf(flags.metrics);
  if (metrics?.length === 0) throw new InputError("--metrics: give at least one metric path, e.g. totals.seconds");
  const batch = flags.batch === undefined ? DEFAULT_SCENARIO.batch : positiveInteger("batch", flags.batch);
  const seq = flags.seq === undefined ? DEFAULT_SCENARIO.seqTokens : positiveInteger("seq", flags.seq);
  const context = flags.context === undefined ? DEFAULT_SCENARIO.contextTokens : positiveInteger("context", flags.context);
  const predicted: PredictedExpectation[] = [];
  for (const model of models) {
    const spec = loadModel(model);
    for (const hw of chips) {
      const profile = loadProfile(hw);
      for (const phase of phases) {
        const scenario = { ...DEFAULT_SCENARIO, batch, seqTokens: seq, contextTokens: context };
        const document = predictionDocument(spec, profile, phase, scenario, DEFAULT_IMPLEMENTATION);
        for (const metric of metrics ?? DEFAULT_METRICS[phase]) {
          const value = metricValue(document, metric);
          if (value === undefined) throw new InputError(unknownMetric("--metrics", metric, phase, document));
          if (!Number.isFinite(value)) continue; // an unbounded batch: nothing to accept
          predicted.push({
            name: `${spec.name} ${phase} on ${profile.id}: ${metric}`, model, hw, phase, batch,
            ...(phase === "decode" ? { context } : { seq }), metric, expected: value, tolerance,
          });
        }
      }
    }
  }
  await writeFileAtomic(flags.output, `${toJson({ schema: "roofline.budget", version: 1, predicted })}\n`);
  return `wrote ${flags.output}: ${predicted.length} accepted predictions (${models.length} models × ${chips.length} chips × ${phases.length} phases), tolerance ${tolerance}`;
}

export type { CheckResult };
