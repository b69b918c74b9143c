// GPT-3's sizes (Brown et al. 2020, arXiv 2005.14165, Table 2.1), the Transformer the Mamba papers
// compare against: learned position embeddings over 2,048 positions, LayerNorm, a non-gated GeLU
// MLP of 4·D, biases on every linear, tied embeddings over GPT-2's 50,257 tokens. Every layer has
// dense (global) attention, as in the Mamba papers' baselines; GPT-3's own alternating locally
// banded sparse layers are not modelled.
import type { ModelSpec } from "./schema.js";

const GPT3_SOURCE = "Brown et al. 2020 (arXiv 2005.14165), Table 2.1; dense attention on every layer (GPT-3's banded sparse layers not modelled)";

const GPT3 = { vocabSize: 50_257, contextTokens: 2048, mlpExpansion: 4 } as const;

/**
 * Table 2.1: d_model, n_layers, n_heads and d_head of each size; the 1.3B model has 16 heads of 128
 * so that heads × d_head = d_model (the table's 24 heads of 128 do not multiply to its 2,048).
 */
const GPT3_SIZES = [
  { size: "125m", width: 768, depth: 12, heads: 12, headDim: 64 },
  { size: "350m", width: 1024, depth: 24, heads: 16, headDim: 64 },
  { size: "760m", width: 1536, depth: 24, heads: 16, headDim: 96 },
  { size: "1.3b", width: 2048, depth: 24, heads: 16, headDim: 128 },
  { size: "2.7b", width: 2560, depth: 32, heads: 32, headDim: 80 },
] as const;

function gpt3(row: (typeof GPT3_SIZES)[number]): ModelSpec {
  return {
    name: `gpt3-${row.size}`,
    family: "gpt3",
    source: GPT3_SOURCE,
    width: row.width,
    depth: row.depth,
    vocabSize: GPT3.vocabSize,
    pattern: ["global-attention"],
    tiedEmbeddings: true,
    scaleEmbeddings: false,
    logitSoftcap: null,
    norm: "layernorm",
    positionEmbeddings: GPT3.contextTokens,
    mlp: { hiddenWidth: GPT3.mlpExpansion * row.width, activation: "gelu", bias: true, gated: false },
    attention: { heads: row.heads, headDim: row.headDim, kvHeads: row.heads, qkvBias: true, outputBias: true, ropeFraction: 0 },
  };
}

export const GPT3_PRESETS: readonly ModelSpec[] = GPT3_SIZES.map(gpt3);
