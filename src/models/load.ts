// Resolving `--model`: a preset name or a JSON file, with `--set field=value` overrides.
import fs from "node:fs";
import { readJsonFile } from "../json-file.js";
import type { ModelSpec } from "./schema.js";
import { PRESETS, findPreset } from "./presets.js";
import { labelDerived } from "./derived.js";
import { applyOverrides, joinOverrides, validateModel } from "./overrides.js";
import { InputError } from "../errors.js";
import { didYouMean } from "../closest-names.js";
import { MAX_DESCRIPTION_JSON_BYTES } from "../limits.js";

function looksLikePath(reference: string): boolean {
  return reference.endsWith(".json") || reference.includes("/");
}

/**
 * Loads a preset by name or a model file by path, with `--set` overrides. A model that differs
 * from the preset whose name it carries is named and sourced as derived from it. A preset taken
 * as it is needs no validation here: the build and the tests validate every preset.
 */
export function loadModel(reference: string, overrides: readonly string[] = []): ModelSpec {
  if (looksLikePath(reference) || (!findPreset(reference) && fs.existsSync(reference))) {
    const fromFile = validateModel(readJsonFile(reference, "model", MAX_DESCRIPTION_JSON_BYTES), reference);
    const spec = applyOverrides(fromFile, overrides, reference);
    const base = findPreset(fromFile.name);
    return base ? labelDerived(spec, base, { file: reference, withSet: joinOverrides(overrides).length > 0 }) : spec;
  }
  const preset = findPreset(reference);
  if (!preset) {
    const names = PRESETS.map((p) => p.name);
    const suggestion = didYouMean(reference, names);
    const known = suggestion ? " (`roofline models` lists every preset;" : `; known: ${names.join(", ")} (`;
    throw new InputError(`unknown model "${reference}"${suggestion}${known} or pass a path to a model .json)`);
  }
  if (joinOverrides(overrides).length === 0) return structuredClone(preset);
  return labelDerived(applyOverrides(preset, overrides, reference), preset, { withSet: true });
}

/** A comma list of models; `all` stands for every preset. */
export function loadModels(references: readonly string[], overrides: readonly string[] = []): ModelSpec[] {
  const names = references.flatMap((reference) => (reference === "all" ? PRESETS.map((p) => p.name) : [reference]));
  return names.map((name) => loadModel(name, overrides));
}
