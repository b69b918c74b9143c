// How a Hugging Face config.json is read: every field is either mapped into the model, known not
// to change cost (token ids, initialisation, numerical epsilons, metadata), or refused. A field
// the importer does not know is refused too, since it might change cost: nothing is ignored
// silently. Departures the model makes from a mapped field are stated in the model's source.
import { z } from "zod";
import { InputError, describeIssues } from "../../errors.js";
import type { ModelSpec } from "../schema.js";

export type HfConfig = Record<string, unknown>;

/** Fields of every family that do not change FLOPs or bytes. */
export const COST_FREE_FIELDS = [
  "_name_or_path", "architectures", "model_type", "transformers_version", "torch_dtype", "dtype",
  "bos_token_id", "eos_token_id", "pad_token_id", "initializer_range", "rms_norm_eps", "layer_norm_epsilon",
  "use_cache", "max_position_embeddings", "rope_theta", "rope_scaling", "attention_dropout", "hidden_dropout",
  "output_attentions", "output_hidden_states", "return_dict", "tokenizer_class", "auto_map", "is_decoder",
] as const;

/** A field that changes cost in a way the model does not express: refused unless `allowed` holds. */
export interface Refusal {
  field: string;
  allowed: (value: unknown) => boolean;
  /** What the field does that the model cannot express. */
  why: string;
}

export interface Family<Fields extends z.ZodObject> {
  /** Mapped fields, validated with their types. */
  fields: Fields;
  /** Family fields known not to change cost. */
  costFree: readonly string[];
  refused: readonly Refusal[];
  /** The model (without its name and source), and the departures it makes from the file. */
  build(config: z.infer<Fields>): { model: Omit<ModelSpec, "name" | "source">; departures: string[] };
}

const show = (value: unknown) => JSON.stringify(value);

/** Reads `config` with `family`'s rules; every error names the file and the field. */
export function readFamily<Fields extends z.ZodObject>(config: HfConfig, where: string, family: Family<Fields>, format: string): {
  model: Omit<ModelSpec, "name" | "source">; departures: string[];
} {
  const mapped = Object.keys(family.fields.shape);
  const known = new Set<string>([...mapped, ...COST_FREE_FIELDS, ...family.costFree, ...family.refused.map((r) => r.field)]);
  const unknown = Object.keys(config).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new InputError(`${where}: ${unknown.map((key) => `"${key}"`).join(", ")} not known to the ${format} importer, ` +
      `so ${unknown.length === 1 ? "it" : "they"} may change cost and ${unknown.length === 1 ? "is" : "are"} refused (fields it maps: ${mapped.join(", ")})`);
  }
  for (const refusal of family.refused) {
    if (Object.hasOwn(config, refusal.field) && !refusal.allowed(config[refusal.field])) {
      throw new InputError(`${where}: ${refusal.field}: ${show(config[refusal.field])} is not modelled (${refusal.why})`);
    }
  }
  const parsed = family.fields.safeParse(config);
  if (!parsed.success) throw new InputError(describeIssues(where, parsed.error.issues));
  return family.build(parsed.data);
}

/** A whole positive size. */
export const size = z.number().int().positive();

/** The activations the model knows, by the names transformers gives them. */
const ACTIVATIONS: Record<string, "gelu" | "silu"> = {
  silu: "silu", swish: "silu", gelu: "gelu", gelu_new: "gelu", gelu_pytorch_tanh: "gelu", gelu_fast: "gelu",
};
export const activation = z.string().refine((name) => Object.hasOwn(ACTIVATIONS, name), {
  error: (issue) => `${show(issue.input)} is not an activation the model knows (${Object.keys(ACTIVATIONS).join(", ")})`,
}).transform((name) => ACTIVATIONS[name]!);

export const isFalse = (value: unknown) => value === false || value === null;
export const isAbsent = (value: unknown) => value === null || value === undefined;
