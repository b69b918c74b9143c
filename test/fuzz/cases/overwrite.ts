// An output path that is one of the command's own inputs: refused, and the input left as it was.
import { ITEMS, type FuzzCase } from "../case.js";
import { jsonText } from "../mutate.js";
import { budgetSeed, CPU_PROFILE, harnessSeed, modelSeed, PUBLISHED_FILE, publishedSeed } from "../seeds.js";

export function overwriteCases(): FuzzCase[] {
  const model = { "m.json": jsonText(modelSeed()) };
  const measured = { "m.csv": harnessSeed() };
  const refused = (name: string, files: Record<string, string>, args: string[], where: string): FuzzCase => ({
    name: `overwrite: ${name}`, item: ITEMS.overwrite, expect: "refused", files, args, where,
  });
  return [
    refused("sweep -o onto the model it reads", model, ["sweep", "--model", "m.json", "--hw", "h200", "--seq", "512", "-o", "m.json"], "m.json"),
    refused("calibrate -o onto its own measurements", measured, ["calibrate", "--measured", "m.csv", "--hw", CPU_PROFILE, "-o", "m.csv"], "m.csv"),
    refused("plan -o onto the model it reads", model, ["plan", "--model", "m.json", "--hw", "h200", "--seq", "512", "-o", "m.json"], "m.json"),
    refused("baseline -o onto its own measurements", measured, ["baseline", "--measured", "m.csv", "-o", "m.csv"], "m.csv"),
    refused("report -o onto the model it reads", model, ["report", "--model", "m.json", "--hw", "h200", "--chart", "blocks", "-o", "m.json"], "m.json"),
    refused("check --junit onto the budget it reads", { "budget.json": jsonText(budgetSeed()) }, ["check", "--budget", "budget.json", "--junit", "budget.json"], "budget.json"),
    refused("calibrate --published -o onto its source", { [PUBLISHED_FILE]: publishedSeed() }, ["calibrate", "--published", PUBLISHED_FILE, "-o", PUBLISHED_FILE], PUBLISHED_FILE),
  ];
}
