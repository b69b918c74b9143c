// Resolving `--model`: a preset name, a model file, or a Hugging Face config.json (or a folder
// holding one), with `--set field=value` overrides.
import fs from "node:fs";
import path from "node:path";
import { readJsonFile } from "../json-file.js";
import type { ModelSpec } from "./schema.js";
import { PRESETS, findPreset } from "./presets.js";
import { labelDerived } from "./derived.js";
import { applyOverrides, joinOverrides, validateModel } from "./overrides.js";
import { InputError } from "../errors.js";
import { didYouMean } from "../closest-names.js";
import { MAX_DESCRIPTION_JSON_BYTES } from "../limits.js";
import { onDemand } from "../on-demand.js";

const hfImport = onDemand<typeof import("./hf/import.js")>(new URL("./hf/import.js", import.meta.url));

/**
 * A Hugging Face configuration names its model_type; a mamba_ssm checkpoint's has d_model, n_layer
 * and ssm_cfg. The project's model files have none of these.
 */
const isHfConfig = (raw: unknown): raw is Record<string, unknown> =>
  raw !== null && typeof raw === "object" && !Array.isArray(raw) &&
  (Object.hasOwn(raw, "model_type") || ["d_model", "n_layer", "ssm_cfg"].every((key) => Object.hasOwn(raw, key)));

/** A folder stands for the config.json in it. */
function fileOf(reference: string): string {
  const isFolder = fs.existsSync(reference) && fs.statSync(reference).isDirectory();
  if (!isFolder) return reference;
  const config = path.join(reference, "config.json");
  if (!fs.existsSync(config)) throw new InputError(`${reference}: is a directory, not a model file, and holds no config.json`);
  return config;
}

/** A model loaded from `file`, with `--set` overrides labelled as derived from it. */
function withOverrides(loaded: ModelSpec, file: string, overrides: readonly string[]): ModelSpec {
  if (joinOverrides(overrides).length === 0) return loaded;
  const base = { ...loaded, source: loaded.source ?? `loaded from ${file}` };
  return labelDerived(applyOverrides(loaded, overrides, file), base, { withSet: true });
}

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
    const file = fileOf(reference);
    const raw = readJsonFile(file, "model", MAX_DESCRIPTION_JSON_BYTES);
    if (isHfConfig(raw)) return withOverrides(hfImport().importHfConfig(raw, file), file, overrides);
    const fromFile = validateModel(raw, file);
    const base = findPreset(fromFile.name);
    if (!base) return withOverrides(fromFile, file, overrides);
    const spec = applyOverrides(fromFile, overrides, file);
    return labelDerived(spec, base, { file, withSet: joinOverrides(overrides).length > 0 });
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
