// `--model path/config.json` (or a folder holding one): a Hugging Face configuration read into a
// model, by its model_type, or a mamba_ssm checkpoint's. Loaded only when such a file is given, so that other commands never
// load the importers.
import path from "node:path";
import type { z } from "zod";
import { InputError } from "../../errors.js";
import { validateModel } from "../overrides.js";
import type { ModelSpec } from "../schema.js";
import { readFamily, type Family, type HfConfig } from "./fields.js";
import { jamba } from "./jamba.js";
import { falconMamba, mamba } from "./mamba.js";
import { mamba2 } from "./mamba2.js";
import { isMambaSsmConfig, mambaSsm } from "./mamba-ssm.js";
import { recurrentGemma } from "./recurrent-gemma.js";
import { gemma, gemma2, llama, mistral, qwen2 } from "./transformers.js";

/** The importer of each model_type. */
const FAMILIES: Record<string, Family<z.ZodObject>> = {
  llama, mistral, qwen2, gemma, gemma2, recurrent_gemma: recurrentGemma, mamba, falcon_mamba: falconMamba, mamba2, jamba,
};

export const SUPPORTED_MODEL_TYPES = Object.keys(FAMILIES);

/** The name a loaded configuration goes by: its folder's for a config.json, else the file's. */
function nameOf(file: string): string {
  const base = path.basename(file);
  return base === "config.json" ? path.basename(path.dirname(path.resolve(file))) : base.replace(/\.json$/, "");
}

/** A Hugging Face configuration (it names its model_type), or mamba_ssm's (src/models/hf/mamba-ssm.ts). */
export function importHfConfig(config: HfConfig, file: string): ModelSpec {
  if (!Object.hasOwn(config, "model_type") && isMambaSsmConfig(config)) return fromFamily(config, file, mambaSsm, "mamba_ssm");
  const modelType = config.model_type as string;
  const family = Object.hasOwn(FAMILIES, modelType) ? FAMILIES[modelType] : undefined;
  if (!family) {
    throw new InputError(`${file}: model_type "${modelType}" is not one the importer reads (${SUPPORTED_MODEL_TYPES.join(", ")})`);
  }
  return fromFamily(config, file, family, `Hugging Face ${modelType}`);
}

function fromFamily(config: HfConfig, file: string, family: Family<z.ZodObject>, format: string): ModelSpec {
  const { model, departures } = readFamily(config, file, family, format);
  const source = `loaded from ${file} (${format} configuration)` +
    (departures.length > 0 ? `; not modelled: ${departures.join("; ")}` : "");
  const { family: familyName, ...fields } = model;
  // Checks across fields (heads that divide, a window the pattern needs) are the model's: named by its fields.
  return validateModel({ name: nameOf(file), family: familyName, source, ...fields }, `${file} (read as a model)`);
}
