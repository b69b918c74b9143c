// Model files (`--model FILE`, a budget's `model`): broken JSON, wrong types, shapes that do not
// divide, absurd depths, and paths that are not files.
import fs from "node:fs";
import path from "node:path";
import { ITEMS, QUICK_SECONDS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation, type Reader } from "../builders.js";
import { jsonText, raw, REMOVE, truncated, withBom } from "../mutate.js";
import { modelSeed } from "../seeds.js";

const FILE = "m.json";

/** Every command that reads a model file. */
export const MODEL_READERS: readonly Reader[] = [
  { label: "analysis", args: (f) => ["--model", f, "--hw", "h200", "--phase", "decode"] },
  { label: "sweep -o", args: (f) => ["sweep", "--model", f, "--hw", "h200", "--seq", "512", "-o", "out.csv"] },
  { label: "plan -o", args: (f) => ["plan", "--model", f, "--hw", "h200", "--seq", "512", "-o", "plan.json"] },
  { label: "report", args: (f) => ["report", "--model", f, "--hw", "h200", "--format", "vl.json", "--chart", "blocks", "-o", "r.vl.json"] },
  { label: "baseline --predicted", args: (f) => ["baseline", "--predicted", "--model", f, "--hw", "h200", "--phase", "decode", "-o", "budget.json"] },
  {
    label: "check", args: () => ["check", "--budget", "budget.json"],
    files: {
      "budget.json": jsonText({
        schema: "roofline.budget", version: 1,
        predicted: [{ name: "decode", model: FILE, hw: "h200", phase: "decode", context: 1024, metric: "totals.seconds", max: 1 }],
      }),
    },
  },
];

const MUTATIONS: FieldMutation[] = [
  ...valuesAt(["name"], [["a number", 5]]),
  ...valuesAt(["width"], [["0", 0], ["768.5", 768.5], ['"wide"', "wide"], ["1e400", raw("1e400")]]),
  ...valuesAt(["depth"], [["-1", -1]]),
  ...valuesAt(["depth"], [["1e15", 1e15], ["2^32", 2 ** 32]], ITEMS.magnitudes),
  ...valuesAt(["vocabSize"], [["0", 0]]),
  ...valuesAt(["pattern"], [["[]", []], ['["mamba"]', ["mamba"]]]),
  ...valuesAt(["logitSoftcap"], [["-30", -30]]),
  ...valuesAt(["mlp", "hiddenWidth"], [["0", 0]]),
  ...valuesAt(["attention", "heads"], [["0", 0]]),
  ...valuesAt(["attention", "kvHeads"], [["4 (does not divide 6 heads)", 4]]),
  ...valuesAt(["attention", "window"], [["0", 0], ["-1", -1]]),
  ...valuesAt(["attention", "ropeFraction"], [["1.5", 1.5]]),
  ...valuesAt(["recurrent", "gateBlocks"], [["7 (does not divide 1024)", 7]]),
  { path: ["attention", "window"], label: "", value: REMOVE, detail: "window" },
  { path: ["recurrent"], label: "", value: REMOVE },
  { path: ["width"], label: "", value: REMOVE },
  { path: ["moe"], label: "true (an unknown field)", value: true, add: true },
];

const seedText = jsonText(modelSeed());
const TEXTS: [string, string][] = [
  ["an empty file", ""],
  ["null", "null\n"],
  ["cut in half", truncated(seedText, 0.5)],
  ["a byte-order mark before a cut file", withBom(truncated(seedText, 0.7))],
  ["with a trailing comma", seedText.replace(/\n}\n$/, ",\n}\n")],
];

function otherCases(): FuzzCase[] {
  const analysis = (model: string) => ["--model", model, "--hw", "h200", "--phase", "decode"];
  return [
    { name: "model: --model names a folder (models/)", item: ITEMS.paths, prepare: (dir) => void fs.mkdirSync(path.join(dir, "models")), args: analysis("models/"), expect: "refused", where: "models" },
    { name: "model: --model names a folder called m.json", item: ITEMS.paths, prepare: (dir) => void fs.mkdirSync(path.join(dir, FILE)), args: analysis(FILE), expect: "refused", where: FILE },
    { name: "model: no such file", item: ITEMS.models, args: analysis("missing.json"), expect: "refused", where: "missing.json" },
    {
      // Ten million layers must not take ten seconds: refused, or answered in closed form.
      name: "model: depth = 1e7 must answer quickly", item: ITEMS.magnitudes, expect: "answered", timeoutSeconds: QUICK_SECONDS,
      files: { [FILE]: jsonText({ ...(modelSeed() as object), depth: 1e7 }) }, args: analysis(FILE), where: FILE, detail: "depth",
    },
  ];
}

export function modelCases(): FuzzCase[] {
  return [
    ...fieldCases("model", ITEMS.models, FILE, modelSeed(), MODEL_READERS, MUTATIONS),
    ...textCases("model", ITEMS.models, FILE, TEXTS, MODEL_READERS),
    ...otherCases(),
  ];
}
