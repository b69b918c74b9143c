// Resolving `--model` (a preset name or a JSON file) and applying `--set field=value` overrides.
import fs from "node:fs";
import { readValidatedJson } from "../json-file.js";
import { ModelSpecSchema, type ModelSpec } from "./schema.js";
import { PRESETS, findPreset } from "./presets.js";
import { InputError, describeIssues } from "../errors.js";
import { MAX_DESCRIPTION_JSON_BYTES } from "../limits.js";

/** Short names for the fields people override most; any dotted path also works. */
const FIELD_ALIASES: Record<string, string> = {
  window: "attention.window",
  heads: "attention.heads",
  kvHeads: "attention.kvHeads",
  headDim: "attention.headDim",
  rnnWidth: "recurrent.width",
  convWidth: "recurrent.convWidth",
  gateBlocks: "recurrent.gateBlocks",
  mlpWidth: "mlp.hiddenWidth",
  vocab: "vocabSize",
};

function parseValue(text: string): unknown {
  if (text === "true" || text === "false") return text === "true";
  if (text === "null") return null;
  const number = Number(text.replaceAll("_", ""));
  if (text.trim() !== "" && Number.isFinite(number)) return number;
  if (text.includes(",")) return text.split(",").map((part) => part.trim());
  return text;
}

/** Applies `field=value` overrides to a copy of the spec, then validates the result. */
export function applyOverrides(spec: ModelSpec, overrides: readonly string[], where: string): ModelSpec {
  const copy = structuredClone(spec) as unknown as Record<string, unknown>;
  for (const assignment of overrides) {
    const equals = assignment.indexOf("=");
    if (equals <= 0) throw new InputError(`--set ${assignment}: expected field=value (e.g. window=2048)`);
    const field = assignment.slice(0, equals).trim();
    const pathParts = (FIELD_ALIASES[field] ?? field).split(".");
    let target = copy;
    for (const part of pathParts.slice(0, -1)) {
      const next = target[part];
      if (next === undefined || next === null || typeof next !== "object") {
        throw new InputError(`--set ${assignment}: ${where} has no "${part}" section`);
      }
      target = next as Record<string, unknown>;
    }
    const last = pathParts[pathParts.length - 1]!;
    if (!(last in target)) {
      const aliases = Object.keys(FIELD_ALIASES).join(", ");
      throw new InputError(`--set ${assignment}: ${where} has no field "${field}" (short names: ${aliases})`);
    }
    target[last] = parseValue(assignment.slice(equals + 1));
  }
  return validateModel(copy, overrides.length > 0 ? `${where} with --set ${overrides.join(" ")}` : where);
}

export function validateModel(raw: unknown, where: string): ModelSpec {
  const result = ModelSpecSchema.safeParse(raw);
  if (!result.success) throw new InputError(describeIssues(where, result.error.issues));
  return result.data;
}

function looksLikePath(reference: string): boolean {
  return reference.endsWith(".json") || reference.includes("/");
}

/** Loads a preset by name or a model file by path. */
export function loadModel(reference: string, overrides: readonly string[] = []): ModelSpec {
  if (looksLikePath(reference) || (!findPreset(reference) && fs.existsSync(reference))) {
    return applyOverrides(readValidatedJson(reference, ModelSpecSchema, "model", MAX_DESCRIPTION_JSON_BYTES), overrides, reference);
  }
  const preset = findPreset(reference);
  if (!preset) {
    const names = PRESETS.map((p) => p.name).join(", ");
    throw new InputError(`unknown model "${reference}"; known: ${names} (or pass a path to a model .json)`);
  }
  return applyOverrides(preset, overrides, reference);
}
