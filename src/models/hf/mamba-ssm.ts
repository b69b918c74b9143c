// The config.json that state-spaces/mamba and mamba2 checkpoints ship, in mamba_ssm's own format
// (mamba_ssm/models/config_mamba.py, MambaConfig): d_model, n_layer, the block's settings in
// ssm_cfg (layer "Mamba1" or "Mamba2"), an optional gated MLP of d_intermediate, and the
// vocabulary padded up to pad_vocab_size_multiple as MambaLMHeadModel pads it. No model_type:
// it is recognised by its d_model, n_layer and ssm_cfg.
import { z } from "zod";
import { padVocab } from "../mamba-presets.js";
import { size, type Family } from "./fields.js";

/** mamba_ssm's defaults for each layer type (Mamba and Mamba2 in mamba_ssm/modules). */
const DEFAULTS = {
  Mamba1: { d_state: 16, d_conv: 4, expand: 2 },
  Mamba2: { d_state: 128, d_conv: 4, expand: 2, headdim: 64, ngroups: 1, chunk_size: 256 },
} as const;

const ssmCfg = z.object({
  layer: z.enum(["Mamba1", "Mamba2"]).default("Mamba1"),
  d_state: size.optional(),
  d_conv: size.optional(),
  expand: z.number().positive().optional(),
  dt_rank: z.union([size, z.literal("auto")]).default("auto"),
  headdim: size.optional(),
  ngroups: size.optional(),
  chunk_size: size.optional(),
  conv_bias: z.boolean().default(true),
  bias: z.boolean().default(false),
}).strict();

const fields = z.object({
  d_model: size,
  n_layer: size,
  vocab_size: size,
  pad_vocab_size_multiple: size.default(8),
  d_intermediate: z.number().int().nonnegative().default(0),
  ssm_cfg: ssmCfg.default({ layer: "Mamba1", dt_rank: "auto", conv_bias: true, bias: false }),
  tie_embeddings: z.boolean().default(true),
  residual_in_fp32: z.boolean().default(true),
});

export const isMambaSsmConfig = (raw: Record<string, unknown>): boolean =>
  Object.hasOwn(raw, "d_model") && Object.hasOwn(raw, "n_layer") && Object.hasOwn(raw, "ssm_cfg");

export const mambaSsm: Family<typeof fields> = {
  fields,
  costFree: ["fused_add_norm"],
  refused: [
    { field: "rms_norm", allowed: (v) => v === true, why: "LayerNorm with a bias instead of RMSNorm" },
    { field: "attn_layer_idx", allowed: (v) => Array.isArray(v) && v.length === 0, why: "attention at listed layers, not a repeating pattern" },
    { field: "attn_cfg", allowed: (v) => v !== null && typeof v === "object" && Object.keys(v).length === 0, why: "attention settings, used with attn_layer_idx" },
  ],
  build: (c) => {
    const cfg = c.ssm_cfg;
    const layer = cfg.layer;
    const expand = cfg.expand ?? DEFAULTS[layer].expand;
    const innerWidth = Math.round(expand * c.d_model);
    const common = {
      width: c.d_model,
      depth: c.n_layer,
      vocabSize: padVocab(c.vocab_size, c.pad_vocab_size_multiple),
      tiedEmbeddings: c.tie_embeddings,
      scaleEmbeddings: false,
      logitSoftcap: null,
      // mamba_ssm's GatedMLP: fc1 D→2F without bias, SiLU on one half, fc2 F→D.
      ...(c.d_intermediate > 0 && { mlp: { hiddenWidth: c.d_intermediate, activation: "silu" as const, bias: false } }),
    };
    const departures = c.residual_in_fp32 ? ["residual_in_fp32: the residual stream is costed at the activation dtype"] : [];
    if (layer === "Mamba2") {
      const d = DEFAULTS.Mamba2;
      return {
        model: {
          family: "mamba2", ...common, pattern: ["mamba2" as const],
          mamba2: {
            innerWidth, headDim: cfg.headdim ?? d.headdim, stateSize: cfg.d_state ?? d.d_state, groups: cfg.ngroups ?? d.ngroups,
            convWidth: cfg.d_conv ?? d.d_conv, chunkSize: cfg.chunk_size ?? d.chunk_size, convBias: cfg.conv_bias, projectionBias: cfg.bias,
          },
        },
        departures,
      };
    }
    const d = DEFAULTS.Mamba1;
    return {
      model: {
        family: "mamba", ...common, pattern: ["mamba" as const],
        mamba: {
          innerWidth, stateSize: cfg.d_state ?? d.d_state, convWidth: cfg.d_conv ?? d.d_conv,
          dtRank: cfg.dt_rank === "auto" ? Math.ceil(c.d_model / 16) : cfg.dt_rank, convBias: cfg.conv_bias, projectionBias: cfg.bias,
        },
      },
      departures,
    };
  },
};
