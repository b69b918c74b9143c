// The budget file: expectations `roofline check` evaluates. Three kinds: predicted metrics of the
// cost model, measured kernels against a baseline (and against their roofline), and the quality
// of a calibration fitted to the measurements. README.md ("Performance budgets") documents it.
import path from "node:path";
import { z } from "zod";
import { readValidatedJson } from "../json-file.js";
import { compileUserPattern } from "../patterns.js";

const positive = z.number().finite().positive();
const fraction = z.number().finite().min(0);

export const PredictedExpectation = z.object({
  name: z.string().min(1),
  model: z.string().min(1),
  hw: z.string().min(1),
  phase: z.enum(["prefill", "decode", "generate", "train"]),
  batch: z.number().int().positive().optional(),
  seq: z.number().int().positive().optional(),
  context: z.number().int().positive().optional(),
  prompt: z.number().int().positive().optional(),
  gen: z.number().int().positive().optional(),
  dtype: z.enum(["bf16", "fp16", "fp8", "int8", "w8a16", "w4a16"]).optional(),
  attention: z.enum(["flash", "dense"]).optional(),
  scan: z.enum(["fused", "naive", "associative"]).optional(),
  /** A numeric path of the `--json` document of that phase: totals.seconds, memory.cacheBytesPerSequence, … */
  metric: z.string().min(1),
  max: z.number().finite().optional(),
  min: z.number().finite().optional(),
  /** The accepted value; any relative change beyond `tolerance` fails. */
  expected: z.number().finite().optional(),
  tolerance: fraction.default(0),
}).strict().refine((e) => e.max !== undefined || e.min !== undefined || e.expected !== undefined, "needs max, min or expected");

export const MeasuredExpectation = z.object({
  name: z.string().min(1),
  /** Regular expression (RE2) on kernel ids; every matching kernel is checked. */
  kernels: z.string().min(1),
  /** Fail when the median slows down by more than this fraction AND the slowdown is significant. */
  maxSlowdown: fraction.optional(),
  /** One-sided significance level of the Mann-Whitney U test. */
  alpha: z.number().gt(0).lt(1).default(0.01),
  /**
   * Judge the matching kernels together: sample i of the group is the sum of every kernel's
   * sample i, so the test sees the group's total time, and the achieved fraction is the group's
   * summed roofline time over its summed measured time. Much steadier on a shared machine, where
   * single small kernels jitter by 2× between identical runs.
   */
  aggregate: z.boolean().default(false),
  /**
   * The baseline and this run were timed in alternation in one session (`harness.py run
   * --interleave`): judge the ratios of paired rounds with an exact sign test instead of comparing
   * two distributions. Drift in the machine's speed hits both sides of every pair, so this holds
   * on a loaded machine where comparing separate runs cannot.
   */
  paired: z.boolean().default(false),
  /** Fewer samples on either side is "insufficient data". */
  minSamples: z.number().int().min(3).default(5),
  /** Roofline time / measured median must be at least this (needs `hw`). */
  minAchievedFraction: z.number().gt(0).max(1).optional(),
  hw: z.string().optional(),
}).strict().refine((e) => e.maxSlowdown !== undefined || e.minAchievedFraction !== undefined, "needs maxSlowdown or minAchievedFraction")
  .refine((e) => e.minAchievedFraction === undefined || e.hw !== undefined, "minAchievedFraction needs hw");

export const CalibrationExpectation = z.object({
  name: z.string().min(1),
  hw: z.string().min(1),
  /** Held-out error of a calibration fitted to --measured: mean (MAPE) or median absolute error. */
  statistic: z.enum(["mape", "median"]).default("mape"),
  max: positive,
  folds: z.number().int().min(2).default(5),
}).strict();

export const BudgetSchema = z.object({
  schema: z.literal("roofline.budget"),
  version: z.literal(1),
  predicted: z.array(PredictedExpectation).default([]),
  measured: z.array(MeasuredExpectation).default([]),
  calibration: z.array(CalibrationExpectation).default([]),
}).strict();

export type Budget = z.infer<typeof BudgetSchema>;
export type PredictedExpectation = z.infer<typeof PredictedExpectation>;
export type MeasuredExpectation = z.infer<typeof MeasuredExpectation>;
export type CalibrationExpectation = z.infer<typeof CalibrationExpectation>;

/** Profile and model paths in a budget are relative to the budget file. */
function resolveRelative(reference: string, dir: string): string {
  return reference.endsWith(".json") && !path.isAbsolute(reference) ? path.join(dir, reference) : reference;
}

export function readBudget(file: string): Budget {
  const budget = readValidatedJson(file, BudgetSchema, "budget");
  const dir = path.dirname(file);
  for (const e of budget.measured) {
    compileUserPattern(e.kernels, `${file}: measured "${e.name}": kernels is`);
    if (e.hw) e.hw = resolveRelative(e.hw, dir);
  }
  for (const e of budget.predicted) {
    e.hw = resolveRelative(e.hw, dir);
    e.model = resolveRelative(e.model, dir);
  }
  for (const e of budget.calibration) e.hw = resolveRelative(e.hw, dir);
  return budget;
}
