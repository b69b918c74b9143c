// The Mamba family's presets (Gu & Dao 2023, arXiv 2312.00752, Table 3, and Dao & Gu 2024, arXiv
// 2405.21060, with the released state-spaces/mamba-* and mamba2-* checkpoints' config.json):
// Mamba or Mamba-2 blocks only, no MLP and no attention, tied embeddings over GPT-NeoX's 50,277
// tokens padded to a multiple of 8 (Mamba) or 16 (Mamba-2).
import type { ModelSpec } from "./schema.js";

const MAMBA_SOURCE = "Gu & Dao 2023 (arXiv 2312.00752), Table 3; state-spaces/mamba config.json";

/** mamba_ssm's MambaConfig: vocab_size 50277, pad_vocab_size_multiple 8. */
const GPT_NEOX_VOCAB = 50_277;
const VOCAB_MULTIPLE = 8;
export const padVocab = (vocab: number, multiple: number) => Math.ceil(vocab / multiple) * multiple;

/** The Mamba block's defaults (mamba_ssm's Mamba): expand 2, d_state 16, d_conv 4, dt_rank "auto". */
const MAMBA_DEFAULTS = { expand: 2, stateSize: 16, convWidth: 4, dtRankDivisor: 16 } as const;

/** The released sizes: d_model and n_layer of each checkpoint. */
const MAMBA_SIZES = [
  { size: "130m", width: 768, depth: 24 },
  { size: "370m", width: 1024, depth: 48 },
  { size: "790m", width: 1536, depth: 48 },
  { size: "1.4b", width: 2048, depth: 48 },
  { size: "2.8b", width: 2560, depth: 64 },
] as const;

function mamba(row: (typeof MAMBA_SIZES)[number]): ModelSpec {
  return {
    name: `mamba-${row.size}`,
    family: "mamba",
    source: MAMBA_SOURCE,
    width: row.width,
    depth: row.depth,
    vocabSize: padVocab(GPT_NEOX_VOCAB, VOCAB_MULTIPLE),
    pattern: ["mamba"],
    tiedEmbeddings: true,
    scaleEmbeddings: false,
    logitSoftcap: null,
    mamba: {
      innerWidth: MAMBA_DEFAULTS.expand * row.width,
      stateSize: MAMBA_DEFAULTS.stateSize,
      convWidth: MAMBA_DEFAULTS.convWidth,
      dtRank: Math.ceil(row.width / MAMBA_DEFAULTS.dtRankDivisor),
      convBias: true,
      projectionBias: false,
    },
  };
}

const MAMBA2_SOURCE = "Dao & Gu 2024 (arXiv 2405.21060), §9; state-spaces/mamba2 config.json";

/** The Mamba-2 checkpoints' config: pad_vocab_size_multiple 16. */
const MAMBA2_VOCAB_MULTIPLE = 16;

/** mamba_ssm's Mamba2 defaults: expand 2, d_state 128, headdim 64, ngroups 1, d_conv 4, chunk_size 256. */
const MAMBA2_DEFAULTS = { expand: 2, stateSize: 128, headDim: 64, groups: 1, convWidth: 4, chunkSize: 256 } as const;

/** The released Mamba-2 sizes (the same widths and depths as Mamba's). */
const MAMBA2_SIZES = [
  { size: "130m", width: 768, depth: 24 },
  { size: "370m", width: 1024, depth: 48 },
  { size: "780m", width: 1536, depth: 48 },
  { size: "1.3b", width: 2048, depth: 48 },
  { size: "2.7b", width: 2560, depth: 64 },
] as const;

function mamba2(row: (typeof MAMBA2_SIZES)[number]): ModelSpec {
  return {
    name: `mamba2-${row.size}`,
    family: "mamba2",
    source: MAMBA2_SOURCE,
    width: row.width,
    depth: row.depth,
    vocabSize: padVocab(GPT_NEOX_VOCAB, MAMBA2_VOCAB_MULTIPLE),
    pattern: ["mamba2"],
    tiedEmbeddings: true,
    scaleEmbeddings: false,
    logitSoftcap: null,
    mamba2: {
      innerWidth: MAMBA2_DEFAULTS.expand * row.width,
      headDim: MAMBA2_DEFAULTS.headDim,
      stateSize: MAMBA2_DEFAULTS.stateSize,
      groups: MAMBA2_DEFAULTS.groups,
      convWidth: MAMBA2_DEFAULTS.convWidth,
      chunkSize: MAMBA2_DEFAULTS.chunkSize,
      convBias: true,
      projectionBias: false,
    },
  };
}

export const MAMBA_PRESETS: readonly ModelSpec[] = [...MAMBA_SIZES.map(mamba), ...MAMBA2_SIZES.map(mamba2)];
