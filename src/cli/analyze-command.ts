// `roofline --model M --hw H`: the analysis of one model on one chip, as tables, JSON or CSV.
import { loadProfile } from "../hardware/load.js";
import { loadModel } from "../models/load.js";
import { analyze } from "../roofline/analyze.js";
import { analysisCsv } from "../views/csv.js";
import { analysisDocument, toJson } from "../views/json.js";
import { renderAnalysis } from "../views/terminal.js";
import { calibrationFrom, estimateFrom, implementationFrom, listOf, parsePhases, scenarioFrom, type AnalysisFlags } from "./options.js";

export interface AnalyzeFlags extends AnalysisFlags {
  model: string;
  hw: string;
  phase?: unknown;
  set?: unknown;
  json?: boolean;
  csv?: boolean;
}

export function runAnalyze(flags: AnalyzeFlags): string {
  const spec = loadModel(flags.model, listOf(flags.set));
  const profile = loadProfile(flags.hw);
  const phases = parsePhases(flags.phase, ["prefill", "decode"]);
  const calibration = calibrationFrom(flags.calibration, [profile.id]);
  const estimate = estimateFrom(flags, profile);
  const analysis = analyze(spec, profile, phases, scenarioFrom(flags), implementationFrom(flags), calibration, estimate);
  if (flags.json) return toJson(analysisDocument(analysis));
  if (flags.csv) return analysisCsv(analysis);
  return renderAnalysis(analysis);
}
