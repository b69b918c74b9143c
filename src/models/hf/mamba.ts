// Mamba and Falcon Mamba (transformers' MambaConfig, FalconMambaConfig): Mamba blocks only.
// Falcon Mamba normalises Δ, B and C without a scale (mixer_rms_eps).
import { z } from "zod";
import type { MambaSpec } from "../schema.js";
import { activation, size, type Family } from "./fields.js";

const fields = z.object({
  hidden_size: size,
  num_hidden_layers: size,
  vocab_size: size,
  state_size: size,
  conv_kernel: size,
  expand: z.number().positive(),
  intermediate_size: size.optional(),
  time_step_rank: z.union([size, z.literal("auto")]).default("auto"),
  use_bias: z.boolean().default(false),
  use_conv_bias: z.boolean().default(true),
  tie_word_embeddings: z.boolean().default(true),
  hidden_act: activation.refine((act) => act === "silu", { error: "the Mamba block's activation must be silu" }).default("silu"),
  residual_in_fp32: z.boolean().default(true),
});

/** The Mamba block's sizes: E = intermediate_size or expand · D, R = time_step_rank or ⌈D/16⌉. */
function mambaSection(c: z.infer<typeof fields>, innerNorms?: MambaSpec["innerNorms"]): MambaSpec {
  return {
    innerWidth: c.intermediate_size ?? Math.round(c.expand * c.hidden_size),
    stateSize: c.state_size,
    convWidth: c.conv_kernel,
    dtRank: c.time_step_rank === "auto" ? Math.ceil(c.hidden_size / 16) : c.time_step_rank,
    convBias: c.use_conv_bias,
    projectionBias: c.use_bias,
    ...(innerNorms && { innerNorms }),
  };
}

const COST_FREE = [
  "n_layer", "d_model", "pad_vocab_size_multiple", "fused_add_norm", "rescale_prenorm_residual",
  "time_step_scale", "time_step_min", "time_step_max", "time_step_init_scheme", "time_step_floor",
  // Which implementation transformers runs without the CUDA kernels: the scan option (--scan) says.
  "use_mambapy", "use_falcon_mambapy", "use_associative_scan",
] as const;

const refused = [
  { field: "rms_norm", allowed: (v: unknown) => v === true, why: "LayerNorm with a bias instead of RMSNorm" },
  { field: "ssm_cfg", allowed: (v: unknown) => v !== null && typeof v === "object" && Object.keys(v).length === 0, why: "per-block SSM settings" },
];

function build(family: string, c: z.infer<typeof fields>, innerNorms?: MambaSpec["innerNorms"]) {
  return {
    model: {
      family,
      width: c.hidden_size,
      depth: c.num_hidden_layers,
      vocabSize: c.vocab_size,
      pattern: ["mamba" as const],
      tiedEmbeddings: c.tie_word_embeddings,
      scaleEmbeddings: false,
      logitSoftcap: null,
      mamba: mambaSection(c, innerNorms),
    },
    departures: c.residual_in_fp32 ? ["residual_in_fp32: the residual stream is costed at the activation dtype"] : [],
  };
}

export const mamba: Family<typeof fields> = { fields, costFree: COST_FREE, refused, build: (c) => build("mamba", c) };

const falconFields = fields.extend({ mixer_rms_eps: z.number().positive() });

export const falconMamba: Family<typeof falconFields> = {
  fields: falconFields, costFree: COST_FREE, refused, build: (c) => build("falcon_mamba", c, "unscaled"),
};
