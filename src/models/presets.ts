// Built-in models. The paper's presets are generated from its Table 2 (one row per size) so that
// every number has one home; RecurrentGemma and Llama-2 are written out from their configs.
import type { BlockKind, ModelSpec } from "./schema.js";
import { GPT3_PRESETS } from "./gpt-presets.js";
import { MAMBA_PRESETS } from "./mamba-presets.js";

const GRIFFIN_PAPER = "De et al. 2024 (arXiv 2402.19427), App. C Table 2";

/** Griffin paper, Table 2: shared by MQA, Hawk and Griffin. `1b` is the paper's 1.3B row. */
const PAPER_SIZES = [
  { size: "100m", width: 768, rnnWidth: 1024, depth: 12, heads: 6 },
  { size: "200m", width: 1024, rnnWidth: 1536, depth: 12, heads: 8 },
  { size: "400m", width: 1536, rnnWidth: 2048, depth: 12, heads: 12 },
  { size: "1b", width: 2048, rnnWidth: 2560, depth: 24, heads: 16 },
  { size: "3b", width: 3072, rnnWidth: 4096, depth: 24, heads: 24 },
  { size: "7b", width: 4096, rnnWidth: 5632, depth: 32, heads: 32 },
  { size: "14b", width: 5120, rnnWidth: 8192, depth: 40, heads: 40 },
] as const;

/** Settings every paper model shares ([G] §2, §4.1, App. C). */
const PAPER_SHARED = {
  vocabSize: 32_000, // MassiveText SentencePiece; reproduces the paper's size labels
  mlpExpansion: 3,
  headDim: 128,
  kvHeads: 1,
  window: 1024,
  gateBlocks: 16,
  convWidth: 4,
} as const;

const PAPER_FAMILIES: Record<string, readonly BlockKind[]> = {
  mqa: ["global-attention"],
  hawk: ["recurrent"],
  griffin: ["recurrent", "recurrent", "local-attention"],
};

function paperModel(family: string, row: (typeof PAPER_SIZES)[number]): ModelSpec {
  const pattern = PAPER_FAMILIES[family]!;
  const hasAttention = pattern.some((kind) => kind !== "recurrent");
  const hasRecurrent = pattern.includes("recurrent");
  return {
    name: `${family}-${row.size}`,
    family,
    source: GRIFFIN_PAPER,
    width: row.width,
    depth: row.depth,
    vocabSize: PAPER_SHARED.vocabSize,
    pattern: [...pattern],
    tiedEmbeddings: true,
    scaleEmbeddings: false,
    logitSoftcap: null,
    mlp: { hiddenWidth: PAPER_SHARED.mlpExpansion * row.width, activation: "gelu", bias: true },
    ...(hasAttention && {
      attention: {
        heads: row.heads,
        headDim: PAPER_SHARED.headDim,
        kvHeads: PAPER_SHARED.kvHeads,
        ...(pattern.includes("local-attention") && { window: PAPER_SHARED.window }),
        qkvBias: false,
        outputBias: true,
        ropeFraction: 0.5,
      },
    }),
    ...(hasRecurrent && {
      recurrent: { width: row.rnnWidth, convWidth: PAPER_SHARED.convWidth, gateBlocks: PAPER_SHARED.gateBlocks },
    }),
  };
}

/** RecurrentGemma ([R] common.py): gate blocks = heads, head dim 256, window 2048, vocab 256,000. */
function recurrentGemma(name: string, width: number, depth: number, mlpWidth: number, heads: number): ModelSpec {
  return {
    name,
    family: "recurrentgemma",
    source: "google-deepmind/recurrentgemma, recurrentgemma/common.py; Botev et al. 2024 (arXiv 2404.07839)",
    width,
    depth,
    vocabSize: 256_000,
    pattern: ["recurrent", "recurrent", "local-attention"],
    tiedEmbeddings: true,
    scaleEmbeddings: true,
    logitSoftcap: 30,
    mlp: { hiddenWidth: mlpWidth, activation: "gelu", bias: true },
    attention: { heads, headDim: 256, kvHeads: 1, window: 2048, qkvBias: false, outputBias: true, ropeFraction: 0.5 },
    recurrent: { width, convWidth: 4, gateBlocks: heads },
  };
}

/** Llama-2-7B (Touvron et al. 2023): the outside reference, a plain multi-head Transformer. */
const LLAMA_2_7B: ModelSpec = {
  name: "llama-2-7b",
  family: "llama",
  source: "meta-llama/Llama-2-7b-hf config.json",
  width: 4096,
  depth: 32,
  vocabSize: 32_000,
  pattern: ["global-attention"],
  tiedEmbeddings: false,
  scaleEmbeddings: false,
  logitSoftcap: null,
  mlp: { hiddenWidth: 11_008, activation: "silu", bias: false },
  attention: { heads: 32, headDim: 128, kvHeads: 32, qkvBias: false, outputBias: false, ropeFraction: 1 },
};

export const PRESETS: readonly ModelSpec[] = [
  ...Object.keys(PAPER_FAMILIES).flatMap((family) => PAPER_SIZES.map((row) => paperModel(family, row))),
  recurrentGemma("recurrentgemma-2b", 2560, 26, 7680, 10),
  recurrentGemma("recurrentgemma-9b", 4096, 38, 12_288, 16),
  LLAMA_2_7B,
  ...MAMBA_PRESETS,
  ...GPT3_PRESETS,
];

export function findPreset(name: string): ModelSpec | undefined {
  return PRESETS.find((preset) => preset.name === name);
}
