// Decoder-only Transformers: llama, mistral, qwen2, gemma and gemma2 (transformers'
// Llama/Mistral/Qwen2/Gemma/Gemma2Config). Gated MLPs, grouped-query attention with RoPE on every
// dimension; Mistral's sliding window applies to every layer, Gemma 2's to every other layer.
import { z } from "zod";
import type { ModelSpec } from "../schema.js";
import { activation, isFalse, size, type Family } from "./fields.js";

const common = {
  hidden_size: size,
  intermediate_size: size,
  num_hidden_layers: size,
  num_attention_heads: size,
  num_key_value_heads: size.optional(),
  head_dim: size.nullable().optional(),
  vocab_size: size,
};

type Common = z.infer<z.ZodObject<typeof common>>;

/** What every one of these families shares, with each family's own defaults. */
function decoder(c: Common, options: {
  tied: boolean; act: "gelu" | "silu"; qkvBias: boolean; outputBias: boolean; mlpBias: boolean; scaleEmbeddings: boolean;
}): Omit<ModelSpec, "name" | "source" | "family"> {
  return {
    width: c.hidden_size,
    depth: c.num_hidden_layers,
    vocabSize: c.vocab_size,
    pattern: ["global-attention"],
    tiedEmbeddings: options.tied,
    scaleEmbeddings: options.scaleEmbeddings,
    logitSoftcap: null,
    mlp: { hiddenWidth: c.intermediate_size, activation: options.act, bias: options.mlpBias },
    attention: {
      heads: c.num_attention_heads,
      headDim: c.head_dim ?? c.hidden_size / c.num_attention_heads,
      kvHeads: c.num_key_value_heads ?? c.num_attention_heads,
      qkvBias: options.qkvBias,
      outputBias: options.outputBias,
      ropeFraction: 1,
    },
  };
}

const llamaFields = z.object({
  ...common,
  hidden_act: activation.default("silu"),
  tie_word_embeddings: z.boolean().default(false),
  attention_bias: z.boolean().default(false),
  mlp_bias: z.boolean().default(false),
});

export const llama: Family<typeof llamaFields> = {
  fields: llamaFields,
  costFree: ["pretraining_tp"],
  refused: [],
  build: (c) => ({
    model: { family: "llama", ...decoder(c, { tied: c.tie_word_embeddings, act: c.hidden_act, qkvBias: c.attention_bias, outputBias: c.attention_bias, mlpBias: c.mlp_bias, scaleEmbeddings: false }) },
    departures: [],
  }),
};

const mistralFields = z.object({
  ...common,
  hidden_act: activation.default("silu"),
  tie_word_embeddings: z.boolean().default(false),
  sliding_window: size.nullable().default(null),
});

/** Mistral: a sliding window on every layer, or none (v0.2 and later set it to null). */
export const mistral: Family<typeof mistralFields> = {
  fields: mistralFields,
  costFree: [],
  refused: [],
  build: (c) => {
    const base = decoder(c, { tied: c.tie_word_embeddings, act: c.hidden_act, qkvBias: false, outputBias: false, mlpBias: false, scaleEmbeddings: false });
    const window = c.sliding_window;
    return {
      model: {
        family: "mistral",
        ...base,
        ...(window !== null && { pattern: ["local-attention"], attention: { ...base.attention!, window } }),
      },
      departures: [],
    };
  },
};

const qwen2Fields = z.object({
  ...common,
  hidden_act: activation.default("silu"),
  tie_word_embeddings: z.boolean().default(false),
});

/** Qwen2: biases on q, k and v only; its sliding window, on the layers from max_window_layers on, is refused. */
export const qwen2: Family<typeof qwen2Fields> = {
  fields: qwen2Fields,
  // Read only when use_sliding_window is true, which is refused.
  costFree: ["sliding_window", "max_window_layers"],
  refused: [{ field: "use_sliding_window", allowed: isFalse, why: "a sliding window on some layers only (those from max_window_layers on)" }],
  build: (c) => ({
    model: { family: "qwen2", ...decoder(c, { tied: c.tie_word_embeddings, act: c.hidden_act, qkvBias: true, outputBias: false, mlpBias: false, scaleEmbeddings: false }) },
    departures: [],
  }),
};

const gemmaFields = z.object({
  ...common,
  hidden_act: activation.optional(),
  hidden_activation: activation.nullable().optional(),
  tie_word_embeddings: z.boolean().default(true),
  attention_bias: z.boolean().default(false),
});

/** Gemma: tied embeddings scaled by √D, GeLU (tanh) MLP; transformers reads hidden_activation first. */
export const gemma: Family<typeof gemmaFields> = {
  fields: gemmaFields,
  costFree: [],
  refused: [],
  build: (c) => ({
    model: {
      family: "gemma",
      ...decoder(c, { tied: c.tie_word_embeddings, act: c.hidden_activation ?? c.hidden_act ?? "gelu", qkvBias: c.attention_bias, outputBias: c.attention_bias, mlpBias: false, scaleEmbeddings: true }),
    },
    departures: [],
  }),
};

const gemma2Fields = gemmaFields.extend({
  sliding_window: size,
  attn_logit_softcapping: z.number().positive().nullable().default(null),
  final_logit_softcapping: z.number().positive().nullable().default(null),
});

/**
 * Gemma 2: local (sliding window) and global attention alternate, starting with local; a second
 * norm after each sub-block; soft-capped attention scores and logits.
 */
export const gemma2: Family<typeof gemma2Fields> = {
  fields: gemma2Fields,
  costFree: ["query_pre_attn_scalar", "cache_implementation", "sliding_window_size"],
  refused: [],
  build: (c) => {
    const base = gemma.build(c).model;
    return {
      model: {
        ...base,
        family: "gemma2",
        pattern: ["local-attention", "global-attention"],
        postNorms: true,
        logitSoftcap: c.final_logit_softcapping,
        attention: {
          ...base.attention!,
          window: c.sliding_window,
          ...(c.attn_logit_softcapping !== null && { logitSoftcap: c.attn_logit_softcapping }),
        },
      },
      departures: [],
    };
  },
};
