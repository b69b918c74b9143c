// A model is data: width, depth, the repeating pattern of temporal-mixing blocks, and the
// parameters of each block type. Presets and user files (`--model my.json`) share this schema.
import { z } from "zod";
import { MAX_DEPTH, MAX_MODEL_DIMENSION, MAX_TOKENS, formatLimit } from "../limits.js";

const BLOCK_KINDS = ["recurrent", "local-attention", "global-attention", "mamba", "mamba2"] as const;
export const BlockKind = z.enum(BLOCK_KINDS, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a block kind; expected ${BLOCK_KINDS.join(", ")}`,
});
export type BlockKind = z.infer<typeof BlockKind>;

/** A positive whole size up to `limit` (src/limits.ts), whose error names the limit it passed. */
const sizeUpTo = (limit: number, what: string) =>
  z.number().int().positive().max(limit, { error: (issue) => `${String(issue.input)} is above the limit of ${formatLimit(limit)} ${what}` });
const count = sizeUpTo(MAX_MODEL_DIMENSION, "for a model dimension");

export const AttentionSpec = z
  .object({
    heads: count,
    headDim: count,
    kvHeads: count,
    /** Sliding window of local attention layers, in tokens; required when the pattern has them. */
    window: sizeUpTo(MAX_TOKENS, "tokens").optional(),
    qkvBias: z.boolean(),
    outputBias: z.boolean(),
    /** Fraction of each head's dimensions that RoPE rotates (0.5 in RecurrentGemma). */
    ropeFraction: z.number().min(0).max(1),
    /** Soft-cap of the attention scores, tanh(s / cap) · cap (Gemma 2); absent for none. */
    logitSoftcap: z.number().positive().optional(),
  })
  .strict();

export const RecurrentSpec = z
  .object({
    /** D_RNN: width of the recurrent branch. */
    width: count,
    /** Temporal width of the depthwise Conv1D. */
    convWidth: count,
    /** Number of diagonal blocks of the RG-LRU gate matrices. */
    gateBlocks: count,
  })
  .strict();

/**
 * The Mamba block (Gu & Dao 2023, arXiv 2312.00752, Fig. 3; state-spaces/mamba, modules/mamba_simple.py):
 * in_proj D→2E (x and the gate z), a depthwise causal Conv1D on x, x_proj E→(Δ rank + 2N) giving
 * Δ, B and C, dt_proj Δ rank→E, the selective scan with state N per channel, y ⊙ SiLU(z) and
 * out_proj E→D.
 */
export const MambaSpec = z
  .object({
    /** E = d_inner: width of the expanded branch (expand · width; 2 · width in every Mamba). */
    innerWidth: count,
    /** N = d_state: SSM state size per channel. */
    stateSize: count,
    /** Temporal width of the depthwise Conv1D (d_conv). */
    convWidth: count,
    /** R = dt_rank: rank of the Δ projection (⌈width/16⌉ by default). */
    dtRank: count,
    /** Bias on the Conv1D (conv_bias, true in mamba_ssm). */
    convBias: z.boolean(),
    /** Biases on in_proj and out_proj (bias, false in mamba_ssm). */
    projectionBias: z.boolean(),
    /**
     * RMSNorms on Δ, B and C after x_proj: with a scale each (Jamba) or without (Falcon Mamba);
     * absent in Mamba.
     */
    innerNorms: z.enum(["scaled", "unscaled"]).optional(),
  })
  .strict();

/**
 * The Mamba-2 block (Dao & Gu 2024, arXiv 2405.21060, §7 and Fig. 6; mamba_ssm's Mamba2): one
 * in_proj D→(2E + 2GN + H) giving z, x, B, C and Δ per head, a depthwise Conv1D with SiLU on x, B
 * and C, the SSD scan with a scalar decay per head, a gated RMSNorm (y ⊙ SiLU(z)) and out_proj E→D.
 */
export const Mamba2Spec = z
  .object({
    /** E = d_inner = expand · width. */
    innerWidth: count,
    /** P: channels per head; E / P heads, each with its own Δ and decay. */
    headDim: count,
    /** N = d_state: state per channel. */
    stateSize: count,
    /** G = ngroups: B and C are shared by the heads of a group. */
    groups: count,
    /** Temporal width of the depthwise Conv1D (d_conv). */
    convWidth: count,
    /** Q: tokens per chunk of the SSD algorithm (chunk_size). */
    chunkSize: count,
    convBias: z.boolean(),
    projectionBias: z.boolean(),
  })
  .strict();

export const MlpSpec = z
  .object({
    /** Width of each of the two up-projection branches. */
    hiddenWidth: count,
    activation: z.enum(["gelu", "silu"]),
    bias: z.boolean(),
    /** false: GPT's MLP, one up-projection D→F, the activation, and F→D; absent or true: gated. */
    gated: z.boolean().optional(),
  })
  .strict();

export const ModelSpecSchema = z
  .object({
    name: z.string().min(1),
    family: z.string().min(1),
    source: z.string().optional(),
    width: count,
    depth: sizeUpTo(MAX_DEPTH, "residual blocks"),
    vocabSize: count,
    /** Temporal blocks, repeated and truncated to `depth`. */
    pattern: z.array(BlockKind).min(1),
    tiedEmbeddings: z.boolean(),
    /** Multiply input embeddings by sqrt(width) (RecurrentGemma). */
    scaleEmbeddings: z.boolean(),
    /** Soft-cap logits with tanh(l / cap) * cap; null for none. */
    logitSoftcap: z.number().positive().nullable(),
    /** The norm of every pre-norm and the final norm: RMSNorm (absent), or LayerNorm with a scale and a bias (GPT). */
    norm: z.enum(["rmsnorm", "layernorm"]).optional(),
    /** Learned absolute position embeddings over this many positions (GPT); absent for none. */
    positionEmbeddings: sizeUpTo(MAX_TOKENS, "positions").optional(),
    /** A second RMSNorm on each sub-block's output before the residual add (Gemma 2); absent for none. */
    postNorms: z.boolean().optional(),
    /** The MLP sub-block after each temporal block; absent in stacks that have none (Mamba). */
    mlp: MlpSpec.optional(),
    attention: AttentionSpec.optional(),
    recurrent: RecurrentSpec.optional(),
    mamba: MambaSpec.optional(),
    mamba2: Mamba2Spec.optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const uses = (kind: BlockKind) => spec.pattern.includes(kind);
    if ((uses("local-attention") || uses("global-attention")) && !spec.attention) {
      ctx.addIssue({ code: "custom", path: ["attention"], message: "required: the pattern has attention blocks" });
    }
    if (uses("local-attention") && spec.attention && spec.attention.window === undefined) {
      ctx.addIssue({ code: "custom", path: ["attention", "window"], message: "required: the pattern has local attention" });
    }
    if (uses("recurrent") && !spec.recurrent) {
      ctx.addIssue({ code: "custom", path: ["recurrent"], message: "required: the pattern has recurrent blocks" });
    }
    if (uses("mamba") && !spec.mamba) {
      ctx.addIssue({ code: "custom", path: ["mamba"], message: "required: the pattern has mamba blocks" });
    }
    if (uses("mamba2") && !spec.mamba2) {
      ctx.addIssue({ code: "custom", path: ["mamba2"], message: "required: the pattern has mamba2 blocks" });
    }
    if (spec.mamba2 && spec.mamba2.innerWidth % spec.mamba2.headDim !== 0) {
      ctx.addIssue({ code: "custom", path: ["mamba2", "headDim"], message: "must divide mamba2.innerWidth" });
    }
    if (spec.mamba2 && (spec.mamba2.innerWidth / spec.mamba2.headDim) % spec.mamba2.groups !== 0) {
      ctx.addIssue({ code: "custom", path: ["mamba2", "groups"], message: "must divide the number of heads, innerWidth / headDim" });
    }
    if (spec.attention && spec.attention.heads % spec.attention.kvHeads !== 0) {
      ctx.addIssue({ code: "custom", path: ["attention", "kvHeads"], message: "must divide attention.heads" });
    }
    if (spec.recurrent && spec.recurrent.width % spec.recurrent.gateBlocks !== 0) {
      ctx.addIssue({ code: "custom", path: ["recurrent", "gateBlocks"], message: "must divide recurrent.width" });
    }
  });

export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type AttentionSpec = z.infer<typeof AttentionSpec>;
export type RecurrentSpec = z.infer<typeof RecurrentSpec>;
export type MambaSpec = z.infer<typeof MambaSpec>;
export type Mamba2Spec = z.infer<typeof Mamba2Spec>;
export type MlpSpec = z.infer<typeof MlpSpec>;
