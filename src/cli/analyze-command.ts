// `roofline --model M --hw H`: the analysis of one model on one chip, as tables, JSON or CSV. Only
// the view asked for is loaded: the tables and CSV bring their libraries.
import { loadProfile } from "../hardware/load.js";
import { loadModel } from "../models/load.js";
import { analyze } from "../roofline/analyze.js";
import { meshRequested, type MeshFlags } from "./mesh-flags.js";
import { calibrationFrom, estimateFrom, implementationFrom, listOf, parsePhases, scenarioFrom, type AnalysisFlags } from "./options.js";

export interface AnalyzeFlags extends AnalysisFlags, MeshFlags {
  model: string;
  hw: string;
  phase?: unknown;
  set?: unknown;
  json?: boolean;
  csv?: boolean;
}

export async function runAnalyze(flags: AnalyzeFlags): Promise<string> {
  if (meshRequested(flags)) {
    const { runMeshAnalyze } = await import("./mesh-command.js");
    return runMeshAnalyze(flags);
  }
  const spec = loadModel(flags.model, listOf(flags.set));
  const profile = loadProfile(flags.hw);
  const phases = parsePhases(flags.phase, ["prefill", "decode"]);
  const calibration = calibrationFrom(flags.calibration, [profile.id]);
  const estimate = estimateFrom(flags, profile);
  const analysis = analyze(spec, profile, phases, scenarioFrom(flags), implementationFrom(flags), calibration, estimate);
  if (flags.json) {
    const { analysisDocument, toJson } = await import("../views/json.js");
    return toJson(analysisDocument(analysis));
  }
  if (flags.csv) {
    const { analysisCsv } = await import("../views/csv.js");
    return analysisCsv(analysis);
  }
  const { renderAnalysis } = await import("../views/terminal.js");
  return renderAnalysis(analysis);
}
