// `roofline validate` for every input format: the harness CSV (kernel by kernel), profiler
// traces (grouped by rules against one phase of a model), and the published measurements.
import fs from "node:fs";
import Table from "cli-table3";
import { ceilingsFor } from "../hardware/ceilings.js";
import { loadProfile } from "../hardware/load.js";
import { InputError } from "../errors.js";
import { readChromeTrace } from "../importers/chrome-trace.js";
import { detectFormat } from "../importers/detect.js";
import { readNcu } from "../importers/ncu.js";
import { readNsys } from "../importers/nsys.js";
import type { ImportedTrace } from "../importers/kernel-record.js";
import { readRules } from "../importers/rules.js";
import { loadModel } from "../models/load.js";
import { analyzePhase, matrixDtypeOf } from "../roofline/analyze.js";
import { describeProfile, requireSameDevice } from "../validation/device.js";
import { validateTrace } from "../validation/traces.js";
import { formatBytes, formatFlops, formatPercent, formatSeconds } from "../views/format.js";
import { toJson } from "../views/json.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { implementationFrom, listOf, parsePhases, positiveInteger, scenarioFrom, type AnalysisFlags } from "./options.js";
import { runValidate } from "./validate-command.js";
import { runPublishedValidation } from "./validate-published.js";

export interface ValidateAnyFlags extends AnalysisFlags {
  measured: string | string[];
  loso?: boolean;
  calibration?: string;
  points?: boolean;
  hw?: string;
  model?: unknown;
  format?: string;
  rules?: string;
  phase?: unknown;
  steps?: unknown;
  json?: boolean;
  allowDeviceMismatch?: boolean;
}

const style = { head: [] as string[], border: [] as string[] };

/** --steps: a whole number the arithmetic can hold exactly. */
function stepsFrom(value: unknown): number {
  const steps = value === undefined ? 1 : positiveInteger("steps", value);
  if (!Number.isSafeInteger(steps)) throw new InputError(`--steps: expected a whole number of steps up to ${Number.MAX_SAFE_INTEGER}, got "${String(value)}"`);
  return steps;
}

/** Every step launches at least one kernel, so a trace cannot hold more steps than launches. */
function requireStepsIn(trace: ImportedTrace, steps: number): number {
  const launches = trace.kernels.reduce((s, k) => s + k.launches, 0);
  if (steps > launches) {
    throw new InputError(`--steps ${steps}: ${trace.file} holds ${launches} kernel launches in all, and each step launches at least one`);
  }
  return steps;
}
const signed = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)}%`);

export async function runValidateAny(flags: ValidateAnyFlags): Promise<string> {
  const measuredFiles = listOf(flags.measured);
  if (measuredFiles.length === 0) throw new InputError("--measured: give at least one file");
  const format = fs.existsSync(measuredFiles[0]!) && fs.statSync(measuredFiles[0]!).isDirectory() ? "published" : detectFormat(measuredFiles[0]!, flags.format);
  if (format !== "published" && measuredFiles.length > 1) throw new InputError(`--measured: several files are read only in the published format; ${measuredFiles[0]} is ${format}`);
  const publishedOnly = (["loso", "calibration", "points"] as const).filter((flag) => flags[flag] !== undefined && flags[flag] !== false);
  if (format !== "published" && publishedOnly.length > 0) {
    throw new InputError(`--${publishedOnly[0]} applies to published measurements; ${measuredFiles[0]} is ${format}`);
  }
  const file = measuredFiles[0]!;
  if (format === "harness") return runValidate({ ...flags, measured: file });
  if (format === "published") return runPublishedValidation({ ...flags, files: measuredFiles });

  // A trace: one phase of one model on one chip.
  const models = listOf(flags.model);
  if (models.length !== 1) throw new InputError("validating a trace needs exactly one --model (the model the trace ran)");
  if (!flags.hw) throw new InputError("validating a trace needs --hw (the chip it ran on)");
  const [phase] = parsePhases(flags.phase, ["decode"]);
  if (phase === "generate") throw new InputError("--phase generate: trace one prefill, decode or training step instead");
  const spec = loadModel(models[0]!);
  const profile = loadProfile(flags.hw);
  const impl = implementationFrom(flags);
  const result = analyzePhase(spec, phase!, scenarioFrom(flags), impl, ceilingsFor(profile, matrixDtypeOf(impl)));
  const requestedSteps = stepsFrom(flags.steps);
  const rules = readRules(flags.rules);
  const trace = format === "chrome-trace" ? await readChromeTrace(file) : format === "ncu" ? readNcu(file) : readNsys(file);
  if (trace.device) requireSameDevice({ label: file, ...trace.device }, describeProfile(profile), flags.allowDeviceMismatch);
  for (const warning of trace.warnings) process.stderr.write(`roofline: warning: ${warning}\n`);
  const steps = requireStepsIn(trace, requestedSteps);
  const validation = validateTrace(trace, rules, result.ops, steps);
  if (flags.json) return toJson({ schema: "roofline.trace-validation", version: 1, model: spec.name, hardware: profile.id, phase, ...validation });
  const t = new Table({ head: ["group", "kernels", "launches/step", "measured/step", "roofline", "error", "DRAM bytes", "model bytes", "bytes error", "FLOPs", "model FLOPs", "FLOPs error", ""], style, chars: COMPACT_CHARS });
  for (const g of validation.groups) {
    t.push([g.target, String(g.kernels.length), g.launchesPerStep.toFixed(1), formatSeconds(g.measuredSeconds), formatSeconds(g.predictedSeconds), signed(g.error),
      g.measuredDramBytes === null ? "—" : formatBytes(g.measuredDramBytes), formatBytes(g.predictedBytes), signed(g.bytesError),
      g.measuredFlops === null ? "—" : formatFlops(g.measuredFlops), formatFlops(g.predictedFlops), signed(g.flopsError),
      g.fasterThanRoofline ? "FASTER THAN ROOFLINE" : g.measuredSeconds === 0 ? "not in the trace" : g.predictedSeconds === 0 ? "not in the model" : ""]);
  }
  const s = validation.summary;
  return [
    `${trace.format} ${file}: ${trace.kernels.length} kernel names, ${steps} step(s), against ${spec.name} ${phase} on ${profile.id}`,
    t.toString(),
    `groups compared: ${s.count}; median |error| ${Number.isFinite(s.medianAbsoluteError) ? formatPercent(s.medianAbsoluteError) : "—"}, ` +
      `MAPE ${Number.isFinite(s.meanAbsoluteError) ? formatPercent(s.meanAbsoluteError) : "—"}` +
      (validation.ignoredKernels.length ? `; ${validation.ignoredKernels.length} kernels ignored by rule` : ""),
  ].join("\n");
}

