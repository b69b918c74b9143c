// Inputs that must be accepted: every seed as it is (so that a refused mutant is refused for its
// mutation), and valid forms that look unusual: byte-order marks, torch 1.13's bare array of
// trace events, `sweep --model all`.
import zlib from "node:zlib";
import { ITEMS, type FuzzCase } from "../case.js";
import { jsonText, withBom } from "../mutate.js";
import {
  baselineSeed, budgetSeed, calibrationSeed, CPU_PROFILE, harnessSeed, jaxTraceSeed, kindCalibrationSeed, measuredBudgetSeed, modelSeed,
  ncuSeed, nsysSeed, planSeed, profileSeed, PUBLISHED_FILE, publishedSeed, rulesSeed, TRACE_ARGS, torchTraceEvents, torchTraceSeed,
} from "../seeds.js";

const accepted = (name: string, item: string, files: Record<string, string | Uint8Array>, args: string[], outputs?: string[]): FuzzCase => ({
  name, item, expect: "accepted", files, args, ...(outputs && { outputs }),
});

function seedCases(): FuzzCase[] {
  const item = ITEMS.accepted;
  const measured = { "m.csv": harnessSeed() };
  const trace = (file: string, content: string | Uint8Array, extra: string[] = []) => accepted(`seed: ${file}`, item, { [file]: content }, ["validate", "--measured", file, ...TRACE_ARGS, ...extra]);
  return [
    accepted("seed: profile file", item, { "p.json": jsonText(profileSeed()) }, ["--model", "griffin-100m", "--hw", "p.json", "--phase", "decode"]),
    accepted("seed: model file", item, { "m.json": jsonText(modelSeed()) }, ["sweep", "--model", "m.json", "--hw", "h200", "--seq", "512", "-o", "out.csv"], ["out.csv"]),
    accepted("seed: harness CSV (measurements)", item, measured, ["measurements", "m.csv"]),
    accepted("seed: harness CSV (validate --json)", item, measured, ["validate", "--measured", "m.csv", "--hw", CPU_PROFILE, "--json"]),
    accepted("seed: harness CSV (calibrate)", item, measured, ["calibrate", "--measured", "m.csv", "--hw", CPU_PROFILE, "-o", "c.json"], ["c.json"]),
    accepted("seed: harness CSV (baseline)", item, measured, ["baseline", "--measured", "m.csv", "-o", "b.json"], ["b.json"]),
    accepted("seed: measured budget and baseline (check)", item, { ...measured, "budget.json": jsonText(measuredBudgetSeed()), "b.json": jsonText(baselineSeed()) },
      ["check", "--budget", "budget.json", "--measured", "m.csv", "--baseline", "b.json", "--junit", "junit.xml", "--benchmark-json", "bench.json"], ["junit.xml", "bench.json"]),
    accepted("seed: predicted budget (check)", item, { "budget.json": jsonText(budgetSeed()) }, ["check", "--budget", "budget.json", "--summary", "summary.md"], ["summary.md"]),
    accepted("seed: plan (measurements --plan)", item, { ...measured, "plan.json": jsonText(planSeed()) }, ["measurements", "m.csv", "--plan", "plan.json"]),
    accepted("seed: harness calibration", item, { "c.json": jsonText(calibrationSeed()) }, ["--model", "griffin-100m", "--hw", CPU_PROFILE, "--phase", "decode", "--calibration", "c.json", "--json"]),
    accepted("seed: published CSV (validate)", item, { [PUBLISHED_FILE]: publishedSeed() }, ["validate", "--measured", PUBLISHED_FILE, "--points"]),
    accepted("seed: published CSV (calibrate --published)", item, { [PUBLISHED_FILE]: publishedSeed() }, ["calibrate", "--published", PUBLISHED_FILE, "-o", "k.json"], ["k.json"]),
    accepted("seed: published calibration", item, { [PUBLISHED_FILE]: publishedSeed(), "k.json": jsonText(kindCalibrationSeed()) }, ["validate", "--measured", PUBLISHED_FILE, "--calibration", "k.json"]),
    trace("t.json", jsonText(torchTraceSeed())),
    trace("t.json.gz", zlib.gzipSync(jsonText(torchTraceSeed())), ["--json"]),
    trace("jax.trace.json.gz", zlib.gzipSync(jsonText(jaxTraceSeed()))),
    trace("n.csv", ncuSeed()),
    trace("s.csv", nsysSeed(), ["--steps", "2"]),
    accepted("seed: mesh file", item, { "mesh.json": JSON.stringify({ chips: 4, tp: 2, dp: 2, zero: 1 }) }, ["--model", "griffin-100m", "--hw", "h200", "--phase", "decode,generate,train", "--batch", "2", "--mesh", "mesh.json", "--json"]),
    accepted("seed: rules", item, { "t.json": jsonText(torchTraceSeed()), "r.json": jsonText(rulesSeed()) }, ["validate", "--measured", "t.json", ...TRACE_ARGS, "--rules", "r.json"]),
  ];
}

/** Valid forms that look unusual; the hardening issue lists each. */
function unusualCases(): FuzzCase[] {
  const item = ITEMS.accepted;
  return [
    accepted("accepted: a byte-order mark before a profile", item, { "p.json": withBom(jsonText(profileSeed())) }, ["--model", "griffin-100m", "--hw", "p.json", "--phase", "decode"]),
    accepted("accepted: a byte-order mark before a model", item, { "m.json": withBom(jsonText(modelSeed())) }, ["--model", "m.json", "--hw", "h200", "--phase", "decode", "--json"]),
    accepted("accepted: a byte-order mark before a harness CSV (measurements)", item, { "m.csv": withBom(harnessSeed()) }, ["measurements", "m.csv"]),
    accepted("accepted: a byte-order mark before a harness CSV (validate)", item, { "m.csv": withBom(harnessSeed()) }, ["validate", "--measured", "m.csv", "--hw", CPU_PROFILE]),
    accepted("accepted: a byte-order mark before a published CSV", item, { [PUBLISHED_FILE]: withBom(publishedSeed()) }, ["validate", "--measured", PUBLISHED_FILE]),
    accepted("accepted: a byte-order mark before an ncu CSV", item, { "n.csv": withBom(ncuSeed()) }, ["validate", "--measured", "n.csv", ...TRACE_ARGS]),
    accepted("accepted: torch 1.13's bare array of trace events", item, { "t.json": jsonText(torchTraceEvents()) }, ["validate", "--measured", "t.json", ...TRACE_ARGS]),
    accepted("accepted: torch 1.13's bare array, gzipped", item, { "t.json.gz": zlib.gzipSync(jsonText(torchTraceEvents())) }, ["validate", "--measured", "t.json.gz", ...TRACE_ARGS, "--json"]),
    accepted("accepted: sweep --model all", item, {}, ["sweep", "--model", "all", "--hw", "h200", "--seq", "512", "--phase", "decode", "-o", "all.csv"], ["all.csv"]),
  ];
}

export function acceptedCases(): FuzzCase[] {
  return [...seedCases(), ...unusualCases()];
}
