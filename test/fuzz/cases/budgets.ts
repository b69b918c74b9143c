// Budgets (`check`/`compare --budget FILE`): every kind of expectation with fields of the wrong
// type or range, names of models, chips and metrics that do not exist, and broken files.
import { ITEMS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation, type Reader } from "../builders.js";
import { jsonText, raw, REMOVE, truncated } from "../mutate.js";
import { baselineSeed, budgetSeed, CPU_PROFILE, harnessSeed, measuredBudgetSeed, type Json } from "../seeds.js";

const FILE = "budget.json";

const PREDICTED_READERS: readonly Reader[] = [
  { label: "check", args: (f) => ["check", "--budget", f] },
  { label: "compare", args: (f) => ["compare", "--budget", f] },
  { label: "check --junit", args: (f) => ["check", "--budget", f, "--junit", "junit.xml"] },
];

const measuredFiles = { "m.csv": harnessSeed(), "b.json": jsonText(baselineSeed()) };
const MEASURED_READERS: readonly Reader[] = [
  { label: "check --measured --baseline", args: (f) => ["check", "--budget", f, "--measured", "m.csv", "--baseline", "b.json"], files: measuredFiles },
  { label: "compare --measured --baseline", args: (f) => ["compare", "--budget", f, "--measured", "m.csv", "--baseline", "b.json"], files: measuredFiles },
];

const expectation = ["predicted", 0] as const;
const PREDICTED: FieldMutation[] = [
  ...valuesAt(["schema"], [['"roofline.baseline"', "roofline.baseline"]]),
  ...valuesAt(["version"], [["2", 2]]),
  ...valuesAt([...expectation, "context"], [["0", 0]]),
  ...valuesAt([...expectation, "metric"], [["empty", ""]]),
  { path: [...expectation, "metric"], label: '"totals.speed" (no such number)', value: "totals.speed", detail: "totals.speed" },
  { path: [...expectation, "metric"], label: '"ops" (not a number)', value: "ops", detail: "ops" },
  ...valuesAt([...expectation, "max"], [["1e400", raw("1e400")]]),
  { path: [...expectation, "max"], label: "", value: REMOVE, detail: /max|min|expected/ },
  { path: [...expectation, "tolerance"], label: "-1", value: -1, add: true },
  { path: [...expectation, "model"], label: '"nope-7b"', value: "nope-7b", where: /budget\.json|nope-7b/, detail: "nope-7b" },
  { path: [...expectation, "model"], label: '"missing.json"', value: "missing.json", where: /budget\.json|missing\.json/, detail: "missing.json" },
  { path: [...expectation, "hw"], label: '"tpu-v9"', value: "tpu-v9", where: /budget\.json|tpu-v9/, detail: "tpu-v9" },
  { path: [...expectation, "speed"], label: "1 (an unknown field)", value: 1, add: true },
];

const measured = ["measured", 0] as const;
const MEASURED: FieldMutation[] = [
  ...valuesAt([...measured, "kernels"], [['"(" (not a regular expression)', "("]]),
  ...valuesAt([...measured, "maxSlowdown"], [["-1", -1]]),
  { path: [...measured, "minAchievedFraction"], label: "1.5", value: 1.5, add: true },
  { path: [...measured, "minAchievedFraction"], label: "0.5 without hw", value: 0.5, add: true, detail: "hw" },
  { path: [...measured, "maxSlowdown"], label: "", value: REMOVE, detail: /maxSlowdown|minAchievedFraction/ },
];

const calibrationBudget = (): Json => ({ schema: "roofline.budget", version: 1, calibration: [{ name: "calibration holds", hw: CPU_PROFILE, statistic: "mape", max: 0.9 }] });
const CALIBRATION: FieldMutation[] = [
  { path: ["calibration", 0, "folds"], label: "1", value: 1, add: true },
  ...valuesAt(["calibration", 0, "statistic"], [['"mode"', "mode"]]),
];

const TEXTS: [string, string][] = [
  ["an empty file", ""],
  ["null", "null\n"],
  ["cut in half", truncated(jsonText(budgetSeed()), 0.5)],
];

function flagCases(): FuzzCase[] {
  return [
    {
      name: "budget: a measured expectation without --measured", item: ITEMS.budgets, expect: "refused", where: "--measured",
      files: { [FILE]: jsonText(measuredBudgetSeed()) }, args: ["check", "--budget", FILE],
    },
    {
      name: "budget: maxSlowdown without --baseline", item: ITEMS.budgets, expect: "refused", where: "--baseline",
      files: { [FILE]: jsonText(measuredBudgetSeed()), "m.csv": harnessSeed() }, args: ["check", "--budget", FILE, "--measured", "m.csv"],
    },
    { name: "budget: no such file", item: ITEMS.budgets, expect: "refused", where: "missing.json", args: ["check", "--budget", "missing.json"] },
  ];
}

export function budgetCases(): FuzzCase[] {
  const calibrationReaders: Reader[] = [{ label: "check --measured", args: (f) => ["check", "--budget", f, "--measured", "m.csv"], files: { "m.csv": harnessSeed() } }];
  return [
    ...fieldCases("budget", ITEMS.budgets, FILE, budgetSeed(), PREDICTED_READERS, PREDICTED),
    ...fieldCases("budget", ITEMS.budgets, FILE, measuredBudgetSeed(), MEASURED_READERS, MEASURED),
    ...fieldCases("budget", ITEMS.budgets, FILE, calibrationBudget(), calibrationReaders, CALIBRATION),
    ...textCases("budget", ITEMS.budgets, FILE, TEXTS, PREDICTED_READERS),
    ...flagCases(),
  ];
}
