// Jamba (transformers' JambaConfig; Lieber et al. 2024, arXiv 2403.19887): Mamba layers with one
// attention layer every attn_layer_period layers, an MLP after every layer. Attention has no
// positional encoding; the Mamba blocks normalise Δ, B and C with a scale each. Mixture-of-experts
// MLPs (num_experts > 1) are refused: the model has no routing.
import { z } from "zod";
import type { BlockKind } from "../schema.js";
import { activation, isAbsent, size, type Family } from "./fields.js";

const fields = z.object({
  hidden_size: size,
  intermediate_size: size,
  num_hidden_layers: size,
  num_attention_heads: size,
  num_key_value_heads: size,
  vocab_size: size,
  tie_word_embeddings: z.boolean().default(false),
  hidden_act: activation.default("silu"),
  attn_layer_period: size,
  attn_layer_offset: z.number().int().nonnegative(),
  mamba_d_state: size,
  mamba_d_conv: size,
  mamba_expand: z.number().positive(),
  mamba_dt_rank: z.union([size, z.literal("auto")]).default("auto"),
  mamba_conv_bias: z.boolean().default(true),
  mamba_proj_bias: z.boolean().default(false),
}).refine((c) => c.attn_layer_offset < c.attn_layer_period, { path: ["attn_layer_offset"], error: "must be below attn_layer_period" });

export const jamba: Family<typeof fields> = {
  fields,
  costFree: [
    "use_mamba_kernels", "router_aux_loss_coef", "output_router_logits", "num_logits_to_keep",
    // Read only with num_experts > 1, which is refused.
    "num_experts_per_tok", "expert_layer_period", "expert_layer_offset",
  ],
  refused: [
    { field: "num_experts", allowed: (v) => v === 1, why: "mixture-of-experts MLPs: routing to num_experts_per_tok of num_experts experts every expert_layer_period layers" },
    { field: "sliding_window", allowed: isAbsent, why: "a sliding window on the attention layers" },
  ],
  build: (c) => {
    const pattern = Array.from({ length: c.attn_layer_period }, (_, i): BlockKind => (i === c.attn_layer_offset ? "global-attention" : "mamba"));
    return {
      model: {
        family: "jamba",
        width: c.hidden_size,
        depth: c.num_hidden_layers,
        vocabSize: c.vocab_size,
        pattern,
        tiedEmbeddings: c.tie_word_embeddings,
        scaleEmbeddings: false,
        logitSoftcap: null,
        mlp: { hiddenWidth: c.intermediate_size, activation: c.hidden_act, bias: false },
        attention: {
          heads: c.num_attention_heads, headDim: c.hidden_size / c.num_attention_heads, kvHeads: c.num_key_value_heads,
          qkvBias: false, outputBias: false, ropeFraction: 0,
        },
        mamba: {
          innerWidth: Math.round(c.mamba_expand * c.hidden_size),
          stateSize: c.mamba_d_state,
          convWidth: c.mamba_d_conv,
          dtRank: c.mamba_dt_rank === "auto" ? Math.ceil(c.hidden_size / 16) : c.mamba_dt_rank,
          convBias: c.mamba_conv_bias,
          projectionBias: c.mamba_proj_bias,
          innerNorms: "scaled",
        },
      },
      departures: [],
    };
  },
};
