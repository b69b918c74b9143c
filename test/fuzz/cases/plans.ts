// Plans given to `measurements FILE --plan PLAN`: null, without kernels, with an empty kernel,
// with negative or missing predictions, and files that are not plans.
import fs from "node:fs";
import path from "node:path";
import { ITEMS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation, type Reader } from "../builders.js";
import { jsonText, REMOVE, truncated } from "../mutate.js";
import { harnessSeed, planSeed } from "../seeds.js";

const FILE = "plan.json";

const READERS: readonly Reader[] = [
  { label: "measurements --plan", args: (f) => ["measurements", "m.csv", "--plan", f], files: { "m.csv": harnessSeed() } },
];

const predicted = ["kernels", 0, "predicted"] as const;
const MUTATIONS: FieldMutation[] = [
  { path: ["kernels"], label: "", value: REMOVE, item: ITEMS.emptyPlans, detail: "kernels" },
  { path: ["kernels"], label: "[{}] (an empty kernel)", value: [{}], item: ITEMS.emptyPlans, detail: "kernels" },
  { path: ["kernels"], label: "null", value: null, item: ITEMS.emptyPlans, detail: "kernels" },
  { path: [...predicted, "seconds"], label: "-5e-5 (a negative prediction)", value: -5e-5, item: ITEMS.implausible },
  ...valuesAt([...predicted, "seconds"], [['"fast"', "fast"]]),
  { path: predicted, label: "", value: REMOVE },
  { path: ["kernels", 0, "id"], label: "a number", value: 7, detail: /\bid\b|not in plan\.json/ },
  { path: ["schema"], label: '"roofline.budget"', value: "roofline.budget", detail: /schema|not a roofline plan/ },
  ...valuesAt(["version"], [["2", 2]]),
];

const TEXTS: [string, string][] = [
  ["null", "null\n"],
  ["an empty file", ""],
  ["cut in half", truncated(jsonText(planSeed()), 0.5)],
];

export function planCases(): FuzzCase[] {
  return [
    ...textCases("plan", ITEMS.emptyPlans, FILE, TEXTS.slice(0, 1), READERS),
    ...fieldCases("plan", ITEMS.plans, FILE, planSeed(), READERS, MUTATIONS),
    ...textCases("plan", ITEMS.plans, FILE, TEXTS.slice(1), READERS),
    {
      name: "plan: --plan names a folder", item: ITEMS.paths, expect: "refused", where: "plans",
      files: { "m.csv": harnessSeed() }, prepare: (dir) => void fs.mkdirSync(path.join(dir, "plans")), args: ["measurements", "m.csv", "--plan", "plans/"],
    },
    {
      name: "plan: no such file", item: ITEMS.plans, expect: "refused", where: "missing.json",
      files: { "m.csv": harnessSeed() }, args: ["measurements", "m.csv", "--plan", "missing.json"],
    },
  ];
}
