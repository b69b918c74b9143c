// `roofline plan`: the kernels to benchmark, with exact shapes, dtypes and predictions, as JSON.
import { ceilingsFor } from "../hardware/ceilings.js";
import { loadProfile } from "../hardware/load.js";
import { loadModels } from "../models/load.js";
import { DEFAULT_IMPLEMENTATION } from "../cost/phases.js";
import { buildPlan, type Plan, type PlanPhase } from "../plan/plan.js";
import { matrixDtypeOf } from "../roofline/analyze.js";
import { InputError } from "../errors.js";
import { toJson } from "../views/json.js";
import { writeFileAtomic } from "../views/atomic-write.js";
import { checkDestinations, sourcesOf } from "../views/output-paths.js";
import { printNote } from "../views/standard-streams.js";
import { implementationFrom, listOf, type AnalysisFlags } from "./options.js";
import { checkGridSize, parseAxis } from "./ranges.js";
import { MAX_PLAN_POINTS } from "../limits.js";

export interface PlanFlags extends AnalysisFlags {
  model: unknown;
  hw: unknown;
  phase?: unknown;
  set?: unknown;
  output?: string;
}

const PLAN_PHASES: PlanPhase[] = ["prefill", "decode", "train"];

export async function runPlan(flags: PlanFlags): Promise<string | undefined> {
  if (flags.output !== undefined) {
    checkDestinations([{ flag: "-o", file: flags.output }], [...sourcesOf("--model", listOf(flags.model)), ...sourcesOf("--hw", listOf(flags.hw))]);
  }
  const phases = listOf(flags.phase ?? "prefill,decode");
  for (const phase of phases) {
    if (!(PLAN_PHASES as string[]).includes(phase)) throw new InputError(`--phase: "${phase}" cannot be planned; choose from ${PLAN_PHASES.join(", ")}`);
  }
  // --attention and --scan take lists: the plan holds every implementation of the ops that have
  // one (their names and ids differ), and the other ops once.
  const attentions = listOf(flags.attention ?? DEFAULT_IMPLEMENTATION.attention);
  const scans = listOf(flags.scan ?? DEFAULT_IMPLEMENTATION.scan);
  const profile = loadProfile(String(flags.hw));
  const models = loadModels(listOf(flags.model), listOf(flags.set));
  if (models.length === 0) throw new InputError("--model: give at least one model");
  const lengths = parseAxis("seq", String(flags.seq ?? "512..8192"));
  const batches = parseAxis("batch", String(flags.batch ?? "1"));
  checkGridSize("plan", "points", [
    [models.length, "model", "models"], [phases.length, "phase", "phases"], [lengths.length, "length", "lengths"], [batches.length, "batch", "batches"],
  ], MAX_PLAN_POINTS);
  let plan: Plan | undefined;
  const seen = new Set<string>();
  for (const attention of attentions) {
    for (const scan of scans) {
      const implementation = implementationFrom({ ...flags, attention, scan });
      const part = buildPlan({
        models, phases: phases as PlanPhase[], lengths, batches, implementation,
        hardware: profile.id, deviceNames: profile.deviceNames ?? [], architecture: profile.architecture,
        ceilings: ceilingsFor(profile, matrixDtypeOf(implementation)),
      });
      part.kernels = part.kernels.filter((entry) => !seen.has(entry.id) && seen.add(entry.id));
      if (plan) plan.kernels.push(...part.kernels);
      else plan = part;
    }
  }
  if (!plan) throw new InputError("nothing to plan");
  const text = toJson(plan);
  if (flags.output !== undefined) {
    await writeFileAtomic(flags.output, `${text}\n`);
    printNote(`wrote ${plan.kernels.length} kernels to ${flags.output}`);
    return undefined;
  }
  return text;
}
