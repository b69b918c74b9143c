// Evaluating a budget: every expectation becomes one result, pass, fail or insufficient data.
import { median } from "simple-statistics";
import { ceilingsFor } from "../hardware/ceilings.js";
import { loadProfile } from "../hardware/load.js";
import { InputError } from "../errors.js";
import type { Measurements } from "../measurements/read.js";
import type { MeasurementRow } from "../measurements/schema.js";
import { loadModel } from "../models/load.js";
import { DEFAULT_SCENARIO, matrixDtypeOf } from "../roofline/analyze.js";
import { buildCalibration } from "../validation/calibration.js";
import { compareKernels, rowImplementation } from "../validation/kernels.js";
import { describeProfile, requireSameDevice } from "../validation/device.js";
import { measuredDevice } from "../validation/harness.js";
import { modelsByName } from "../validation/resolve.js";
import { formatPValue, formatQuantity, formatRelative } from "../views/format.js";
import type { HardwareProfile } from "../hardware/schema.js";
import { compileUserPattern } from "../patterns.js";
import { DEFAULT_IMPLEMENTATION } from "../cost/phases.js";
import { WEIGHT_FORMATS } from "../cost/dtypes.js";
import type { Baseline } from "./baseline.js";
import type { Budget, CalibrationExpectation, MeasuredExpectation, PredictedExpectation } from "./budget.js";
import { mannWhitney } from "./mann-whitney.js";
import { metricValue, predictionDocument, unknownMetric } from "./metric-paths.js";
import { signTest } from "./sign-test.js";

export type Status = "pass" | "fail" | "insufficient";

export interface CheckResult {
  kind: "predicted" | "measured" | "calibration";
  name: string;
  /** What was checked: a scenario and metric, or a kernel id. */
  subject: string;
  status: Status;
  message: string;
  value: number | null;
  unit: string;
}

export interface CheckInput {
  budget: Budget;
  measured?: Measurements;
  baseline?: Baseline;
  modelFiles?: string[];
  /** The budget's file, which every error about one of its entries names. */
  budgetFile?: string;
  /** Judge measurements against the `hw` profile of another device anyway (--allow-device-mismatch). */
  allowDeviceMismatch?: boolean;
}

const budgetName = (input: Pick<CheckInput, "budgetFile">) => input.budgetFile ?? "budget";

/** Achieved fractions and calibrations against another device's roofline say nothing: refused. */
function requireMeasuredOn(profile: HardwareProfile, e: { name: string }, input: CheckInput): void {
  const measured = measuredDevice(input.measured!.file, input.measured!.rows);
  requireSameDevice(measured, { ...describeProfile(profile), label: `budget "${e.name}"'s profile ${profile.id}` }, input.allowDeviceMismatch);
}

const unitOf = (metric: string) => (/seconds$/i.test(metric) ? "s" : /bytes/i.test(metric) ? "B" : /flops$/i.test(metric) ? "FLOP" : /perSecond$/i.test(metric) ? "1/s" : "");

function checkPredicted(e: PredictedExpectation, input: CheckInput): CheckResult {
  const spec = loadModel(e.model);
  const profile = loadProfile(e.hw);
  const scenario = {
    ...DEFAULT_SCENARIO,
    ...(e.batch && { batch: e.batch }), ...(e.seq && { seqTokens: e.seq }), ...(e.context && { contextTokens: e.context }),
    ...(e.prompt && { promptTokens: e.prompt }), ...(e.gen && { newTokens: e.gen }),
  };
  const d = DEFAULT_IMPLEMENTATION;
  const impl = { dtypes: { ...d.dtypes, ...WEIGHT_FORMATS[e.dtype ?? "bf16"] }, attention: e.attention ?? d.attention, scan: e.scan ?? d.scan };
  const document = predictionDocument(spec, profile, e.phase, scenario, impl);
  const value = metricValue(document, e.metric);
  const subject = `${spec.name} ${e.phase} on ${profile.id}: ${e.metric}`;
  if (value === undefined) throw new InputError(unknownMetric(`${budgetName(input)}: predicted "${e.name}"`, e.metric, e.phase, document));
  const problems: string[] = [];
  const unit = unitOf(e.metric);
  const quantity = (x: number) => formatQuantity(x, unit);
  if (e.max !== undefined && value > e.max) problems.push(`${quantity(value)} > max ${quantity(e.max)}`);
  if (e.min !== undefined && value < e.min) problems.push(`${quantity(value)} < min ${quantity(e.min)}`);
  if (e.expected !== undefined) {
    const change = e.expected === 0 ? Math.abs(value) : Math.abs(value - e.expected) / Math.abs(e.expected);
    if (change > e.tolerance) problems.push(`${quantity(value)} moved ${formatRelative(change)} from the accepted ${quantity(e.expected)} (tolerance ${formatRelative(e.tolerance)})`);
  }
  return {
    kind: "predicted", name: e.name, subject, value, unit,
    status: problems.length ? "fail" : "pass",
    message: problems.length ? problems.join("; ") : `${quantity(value)} within the budget`,
  };
}

function checkMeasured(e: MeasuredExpectation, input: CheckInput): CheckResult[] {
  if (!input.measured) throw new InputError(`${budgetName(input)}: measured "${e.name}" needs --measured`);
  const pattern = compileUserPattern(e.kernels, `${budgetName(input)}: measured "${e.name}": kernels is`);
  const rows = input.measured.rows.filter((r) => pattern.test(r.kernel_id));
  if (rows.length === 0) {
    return [{ kind: "measured", name: e.name, subject: e.kernels, status: "fail", message: `no measured kernel matches /${e.kernels}/`, value: null, unit: "s" }];
  }
  const results: CheckResult[] = [];
  if (e.maxSlowdown !== undefined && e.paired && input.baseline) requireOneSession(e, input);
  if (e.maxSlowdown !== undefined && e.aggregate) {
    if (!input.baseline) throw new InputError(`${budgetName(input)}: measured "${e.name}" has maxSlowdown and needs --baseline`);
    results.push(checkAggregate(e, rows, input.baseline, input));
  } else if (e.maxSlowdown !== undefined) {
    if (!input.baseline) throw new InputError(`${budgetName(input)}: measured "${e.name}" has maxSlowdown and needs --baseline`);
    for (const row of rows) {
      const base = input.baseline.kernels[row.kernel_id];
      const result = (status: Status, message: string): CheckResult =>
        ({ kind: "measured", name: e.name, subject: row.kernel_id, status, message, value: row.median_seconds, unit: "s" });
      if (!base) {
        results.push(result("insufficient", "not in the baseline"));
        continue;
      }
      if (row.samples_seconds.length < e.minSamples || base.samples.length < e.minSamples) {
        results.push(result("insufficient", `${row.samples_seconds.length} samples against ${base.samples.length}; at least ${e.minSamples} each are needed`));
        continue;
      }
      const verdict = (e.paired ? judgePaired : judge)(row.samples_seconds, base.samples, e.maxSlowdown, e.alpha);
      results.push(result(verdict.status, verdict.message));
    }
  }
  if (e.minAchievedFraction !== undefined) {
    const profile = loadProfile(e.hw!);
    requireMeasuredOn(profile, e, input);
    const dtype = matrixDtypeOf(rowImplementation(rows[0]!));
    const comparisons = compareKernels(rows, modelsByName(input.modelFiles ?? []), ceilingsFor(profile, dtype), null);
    if (e.aggregate) {
      // The group's roofline time over its measured time: big kernels weigh as much as they cost.
      const achieved = comparisons.reduce((s, c) => s + c.predictedSeconds, 0) / comparisons.reduce((s, c) => s + c.measuredSeconds, 0);
      results.push({
        kind: "measured", name: e.name, subject: `${comparisons.length} kernels matching /${e.kernels}/, summed`, value: achieved, unit: "",
        status: achieved >= e.minAchievedFraction ? "pass" : "fail",
        message: `achieved ${(achieved * 100).toFixed(1)}% of the roofline on ${profile.id} (minimum ${(e.minAchievedFraction * 100).toFixed(1)}%)`,
      });
      return results;
    }
    for (const c of comparisons) {
      results.push({
        kind: "measured", name: e.name, subject: c.id, value: c.achievedFraction, unit: "",
        status: c.achievedFraction >= e.minAchievedFraction ? "pass" : "fail",
        message: `achieved ${(c.achievedFraction * 100).toFixed(1)}% of the roofline on ${profile.id} (minimum ${(e.minAchievedFraction * 100).toFixed(1)}%)`,
      });
    }
  }
  return results;
}

/** Significant AND larger than the tolerance: only then is a slowdown a failure. */
function judge(current: number[], baseline: number[], maxSlowdown: number, alpha: number): { status: Status; message: string } {
  const ratio = median(current) / median(baseline);
  const test = mannWhitney(current, baseline);
  const slower = ratio > 1 + maxSlowdown;
  const significant = test.pGreater < alpha;
  const text = `median ×${ratio.toFixed(3)} of the baseline (limit ×${(1 + maxSlowdown).toFixed(3)}), Mann-Whitney ${formatPValue(test.pGreater)} (α = ${alpha})`;
  return {
    status: slower && significant ? "fail" : "pass",
    message: slower && significant ? `slower: ${text}` : slower ? `slower but not significant: ${text}` : text,
  };
}

/**
 * Paired rounds: ratio i is this run's sample i over the baseline's sample i, timed next to each
 * other. Fails only when the median ratio is over the limit AND the sign test says that more
 * rounds exceed it than chance allows.
 */
function judgePaired(current: number[], baseline: number[], maxSlowdown: number, alpha: number): { status: Status; message: string } {
  const rounds = Math.min(current.length, baseline.length);
  const ratios = Array.from({ length: rounds }, (_, i) => current[i]! / baseline[i]!);
  const ratio = median(ratios);
  const limit = 1 + maxSlowdown;
  const test = signTest(ratios, limit);
  const slower = ratio > limit;
  const significant = test.pGreater < alpha;
  const text = `median paired ratio ×${ratio.toFixed(3)} over ${rounds} interleaved rounds (limit ×${limit.toFixed(3)}), ` +
    `${test.above} of ${rounds} rounds above the limit, sign test ${formatPValue(test.pGreater)} (α = ${alpha})`;
  return {
    status: slower && significant ? "fail" : "pass",
    message: slower && significant ? `slower: ${text}` : slower ? `slower but not significant: ${text}` : text,
  };
}

function requireOneSession(e: MeasuredExpectation, input: CheckInput): void {
  const measured = input.measured!.pairingSession;
  const baseline = input.baseline?.pairingSession;
  if (!measured || !baseline || measured !== baseline) {
    throw new InputError(`${budgetName(input)}: measured "${e.name}" is paired, but ${input.measured!.file} and the baseline were not timed in one ` +
      `interleaved session (harness.py run --interleave): session ${measured ?? "none"} against ${baseline ?? "none"}`);
  }
}

function checkAggregate(e: MeasuredExpectation, rows: MeasurementRow[], baseline: Baseline, input: CheckInput): CheckResult {
  const paired = rows.filter((r) => baseline.kernels[r.kernel_id]);
  const subject = `${paired.length} kernels matching /${e.kernels}/, summed` + (paired.length < rows.length ? ` (${rows.length - paired.length} not in the baseline)` : "");
  const result = (status: Status, message: string, value: number | null): CheckResult => ({ kind: "measured", name: e.name, subject, status, message, value, unit: "s" });
  if (paired.length === 0) return result("insufficient", "no matching kernel is in the baseline", null);
  const n = Math.min(...paired.map((r) => r.samples_seconds.length));
  const m = Math.min(...paired.map((r) => baseline.kernels[r.kernel_id]!.samples.length));
  if (n < e.minSamples || m < e.minSamples) return result("insufficient", `${n} samples against ${m}; at least ${e.minSamples} each are needed`, null);
  const sums = (samplesOf: (r: MeasurementRow) => number[], count: number) =>
    Array.from({ length: count }, (_, i) => paired.reduce((s, r) => s + samplesOf(r)[i]!, 0));
  const current = sums((r) => r.samples_seconds, n);
  const verdict = (e.paired ? judgePaired : judge)(current, sums((r) => baseline.kernels[r.kernel_id]!.samples, m), e.maxSlowdown!, e.alpha);
  return result(verdict.status, verdict.message, median(current));
}

function checkCalibration(e: CalibrationExpectation, input: CheckInput): CheckResult {
  if (!input.measured) throw new InputError(`${budgetName(input)}: calibration "${e.name}" needs --measured`);
  const profile = loadProfile(e.hw);
  requireMeasuredOn(profile, e, input);
  const rows = input.measured.rows.filter((r) => r.check === "pass");
  const comparisons = compareKernels(rows, modelsByName(input.modelFiles ?? []), ceilingsFor(profile, matrixDtypeOf(rowImplementation(rows[0]!))), null)
    .filter((c) => !c.fasterThanRoofline);
  const calibration = buildCalibration(comparisons.map((c) => ({ id: c.id, opClass: c.opClass, predictedSeconds: c.predictedSeconds, measuredSeconds: c.measuredSeconds })),
    profile.id, input.measured.file, e.folds);
  const held = calibration.crossValidation.calibrated;
  const value = (e.statistic === "mape" ? held.meanAbsoluteError : held.medianAbsoluteError) ?? Number.NaN;
  return {
    kind: "calibration", name: e.name, subject: `${e.folds}-fold held-out ${e.statistic} on ${profile.id}`, value, unit: "",
    status: value <= e.max ? "pass" : "fail",
    message: `held-out ${e.statistic} ${(value * 100).toFixed(1)}% (maximum ${(e.max * 100).toFixed(1)}%) over ${held.count} kernels`,
  };
}

export function evaluateBudget(input: CheckInput): CheckResult[] {
  if (input.baseline && input.measured) {
    const devices = [...new Set(input.measured.rows.map((r) => r.device_name))];
    const foreign = devices.filter((d) => d !== input.baseline!.deviceName);
    if (foreign.length > 0) {
      throw new InputError(`refusing to compare timings from different devices: ${input.measured.file} was measured on ${foreign.join(", ")}, the baseline on ${input.baseline.deviceName}`);
    }
  }
  return [
    ...input.budget.predicted.map((e) => checkPredicted(e, input)),
    ...input.budget.measured.flatMap((e) => checkMeasured(e, input)),
    ...input.budget.calibration.map((e) => checkCalibration(e, input)),
  ];
}
