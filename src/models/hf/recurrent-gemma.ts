// RecurrentGemma (transformers' RecurrentGemmaConfig): the Griffin pattern from block_types, the
// RG-LRU width lru_width with one gate block per attention head, local attention of
// attention_window_size. transformers' MLP is intermediate_size / 2 wide per branch
// (RecurrentGemmaMlp), so the config's 15,360 of the 2B model is the preset's 7,680.
import { z } from "zod";
import type { BlockKind } from "../schema.js";
import { activation, size, type Family } from "./fields.js";

const BLOCK_TYPES: Record<string, BlockKind> = { recurrent: "recurrent", attention: "local-attention" };

const fields = z.object({
  hidden_size: size,
  intermediate_size: size,
  num_hidden_layers: size,
  vocab_size: size,
  num_attention_heads: size,
  num_key_value_heads: size,
  head_dim: size,
  lru_width: size.nullable().default(null),
  attention_window_size: size,
  conv1d_width: size,
  logits_soft_cap: z.number().positive().nullable(),
  block_types: z.array(z.string().refine((name) => Object.hasOwn(BLOCK_TYPES, name), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a block type (${Object.keys(BLOCK_TYPES).join(", ")})`,
  })).min(1),
  partial_rotary_factor: z.number().min(0).max(1),
  embeddings_scale_by_sqrt_dim: z.boolean().default(true),
  attention_bias: z.boolean().default(false),
  hidden_activation: activation.default("gelu"),
  tie_word_embeddings: z.boolean().default(true),
});

export const recurrentGemma: Family<typeof fields> = {
  fields,
  costFree: ["final_w_init_variance_scale", "w_init_variance_scale"],
  refused: [],
  build: (c) => {
    const rnnWidth = c.lru_width ?? c.hidden_size;
    return {
      model: {
        family: "recurrentgemma",
        width: c.hidden_size,
        depth: c.num_hidden_layers,
        vocabSize: c.vocab_size,
        pattern: c.block_types.map((name) => BLOCK_TYPES[name]!),
        tiedEmbeddings: c.tie_word_embeddings,
        scaleEmbeddings: c.embeddings_scale_by_sqrt_dim,
        logitSoftcap: c.logits_soft_cap,
        mlp: { hiddenWidth: c.intermediate_size / 2, activation: c.hidden_activation, bias: true },
        attention: {
          heads: c.num_attention_heads, headDim: c.head_dim, kvHeads: c.num_key_value_heads, window: c.attention_window_size,
          qkvBias: c.attention_bias, outputBias: true, ropeFraction: c.partial_rotary_factor,
        },
        recurrent: { width: rnnWidth, convWidth: c.conv1d_width, gateBlocks: c.num_attention_heads },
      },
      departures: [],
    };
  },
};
