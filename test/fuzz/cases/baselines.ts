// Baselines (`check --baseline FILE`): samples that are not positive or overflow, dates in the
// future or not dates at all, the wrong device, and broken files.
import { ITEMS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation, type Reader } from "../builders.js";
import { jsonText, REMOVE, truncated } from "../mutate.js";
import { baselineSeed, harnessRecords, harnessSeed, measuredBudgetSeed } from "../seeds.js";

const FILE = "b.json";

const READERS: readonly Reader[] = [
  { label: "check", args: (f) => ["check", "--budget", "budget.json", "--measured", "m.csv", "--baseline", f], files: { "budget.json": jsonText(measuredBudgetSeed()), "m.csv": harnessSeed() } },
  { label: "compare --summary", args: (f) => ["compare", "--budget", "budget.json", "--measured", "m.csv", "--baseline", f, "--summary", "summary.md"], files: { "budget.json": jsonText(measuredBudgetSeed()), "m.csv": harnessSeed() } },
];

const firstKernel = ["kernels", harnessRecords()[0]!.kernel_id!] as const;
const MUTATIONS: FieldMutation[] = [
  ...valuesAt(["schema"], [['"roofline.budget"', "roofline.budget"]]),
  ...valuesAt(["recorded"], [["empty", ""], ['"yesterday"', "yesterday"]]),
  { path: ["recorded"], label: "2999-01-01 (in the future)", value: "2999-01-01T00:00:00.000Z", item: ITEMS.implausible },
  ...valuesAt(["deviceName"], [["empty", ""]]),
  { path: ["deviceName"], label: '"NVIDIA H200" (another device)', value: "NVIDIA H200", item: ITEMS.devices, where: /b\.json|m\.csv/, detail: "NVIDIA H200" },
  ...valuesAt(["kernels"], [["[]", []]]),
  ...valuesAt([...firstKernel, "samples"], [["[]", []]]),
  ...valuesAt([...firstKernel, "samples"], [["[-1, …]", [-1, 2e-4, 2e-4, 2e-4, 2e-4]], ["[0, …]", [0, 2e-4, 2e-4, 2e-4, 2e-4]]], ITEMS.implausible),
  { path: [...firstKernel, "samples"], label: "thirty of 1e308", value: Array.from({ length: 30 }, () => 1e308), item: ITEMS.implausible, detail: /samples|1e\+?308|overflow|Infinity|large/i },
  ...valuesAt([...firstKernel, "median"], [["-1", -1]]),
  { path: [...firstKernel, "median"], label: "", value: REMOVE },
  { path: ["host"], label: '"ci" (an unknown field)', value: "ci", add: true },
];

export function baselineCases(): FuzzCase[] {
  return [
    ...fieldCases("baseline", ITEMS.baselines, FILE, baselineSeed(), READERS, MUTATIONS),
    ...textCases("baseline", ITEMS.baselines, FILE, [["an empty file", ""], ["null", "null\n"], ["cut in half", truncated(jsonText(baselineSeed()), 0.5)]], READERS),
  ];
}
