// Mamba-2 (transformers' Mamba2Config): Mamba-2 blocks only, num_heads heads of head_dim channels
// (their product is expand · hidden_size), n_groups groups of B and C, chunks of chunk_size.
import { z } from "zod";
import { size, type Family } from "./fields.js";

const fields = z.object({
  hidden_size: size,
  num_hidden_layers: size,
  vocab_size: size,
  state_size: size,
  num_heads: size,
  head_dim: size,
  expand: z.number().positive(),
  n_groups: size.default(1),
  conv_kernel: size,
  chunk_size: size,
  use_bias: z.boolean().default(false),
  use_conv_bias: z.boolean().default(true),
  tie_word_embeddings: z.boolean().default(true),
  hidden_act: z.literal("silu", { error: "the Mamba-2 block's activation must be silu" }).default("silu"),
  residual_in_fp32: z.boolean().default(true),
}).refine((c) => c.num_heads * c.head_dim === Math.round(c.expand * c.hidden_size), {
  path: ["num_heads"], error: "num_heads · head_dim must equal expand · hidden_size, the inner width",
});

export const mamba2: Family<typeof fields> = {
  fields,
  costFree: [
    "time_step_rank", "time_step_min", "time_step_max", "time_step_floor", "time_step_limit", "rescale_prenorm_residual",
    // The gated RMSNorm is always there in transformers' Mamba2Mixer.
    "rms_norm",
  ],
  refused: [],
  build: (c) => ({
    model: {
      family: "mamba2",
      width: c.hidden_size,
      depth: c.num_hidden_layers,
      vocabSize: c.vocab_size,
      pattern: ["mamba2"],
      tiedEmbeddings: c.tie_word_embeddings,
      scaleEmbeddings: false,
      logitSoftcap: null,
      mamba2: {
        innerWidth: c.num_heads * c.head_dim,
        headDim: c.head_dim,
        stateSize: c.state_size,
        groups: c.n_groups,
        convWidth: c.conv_kernel,
        chunkSize: c.chunk_size,
        convBias: c.use_conv_bias,
        projectionBias: c.use_bias,
      },
    },
    departures: c.residual_in_fp32 ? ["residual_in_fp32: the residual stream is costed at the activation dtype"] : [],
  }),
};
