// Parameter counts, block by block, following the reference implementation's layers exactly
// (every weight, bias and norm scale). Matrix weights are kept apart from the small vector
// parameters (biases, norm scales, conv taps, the RG-LRU's Λ) because they may be stored in a
// narrower dtype (int8, fp8) while the vector parameters stay in the activation dtype.
import type { AttentionSpec, Mamba2Spec, MambaSpec, ModelSpec, RecurrentSpec } from "./schema.js";
import { layerCounts } from "./layers.js";

export interface ParamSplit {
  matrix: number;
  vector: number;
}

const total = (p: ParamSplit) => p.matrix + p.vector;

/** Recurrent block ([G] Fig. 2c): 3·D·R + 2·R²/G + 10·R + D. */
export function recurrentBlockParams(width: number, rec: RecurrentSpec): ParamSplit {
  const R = rec.width;
  return {
    matrix: 2 * width * R + R * width + (2 * R * R) / rec.gateBlocks, // two input linears, output linear, two gates
    // biases of the two input linears (2R), conv taps and bias ((convWidth+1)·R),
    // gate biases (2R), Λ (R), output bias (D). With convWidth 4: 10·R + D.
    vector: 2 * R + (rec.convWidth + 1) * R + 2 * R + R + width,
  };
}

/** Attention block: 2·D·H·hd + 2·D·K·hd (+ biases). */
export function attentionBlockParams(width: number, att: AttentionSpec): ParamSplit {
  const q = att.heads * att.headDim;
  const kv = att.kvHeads * att.headDim;
  return {
    matrix: width * q + 2 * width * kv + q * width,
    vector: (att.qkvBias ? q + 2 * kv : 0) + (att.outputBias ? width : 0),
  };
}

/**
 * Mamba block (mamba_ssm's Mamba): in_proj D·2E, x_proj E·(R + 2N), dt_proj R·E and out_proj E·D
 * are matrices; the Conv1D taps k·E (+ E bias), dt_proj's bias E, A_log E·N, D E and the optional
 * projection biases 2E + D are vector parameters.
 */
export function mambaBlockParams(width: number, mamba: MambaSpec): ParamSplit {
  const E = mamba.innerWidth;
  const N = mamba.stateSize;
  const R = mamba.dtRank;
  return {
    matrix: width * 2 * E + E * (R + 2 * N) + R * E + E * width,
    vector: mamba.convWidth * E + (mamba.convBias ? E : 0) + E + E * N + E + (mamba.projectionBias ? 2 * E + width : 0) +
      (mamba.innerNorms === "scaled" ? R + 2 * N : 0),
  };
}

/**
 * Mamba-2 block (mamba_ssm's Mamba2): in_proj D·(2E + 2GN + H) and out_proj E·D are matrices;
 * the Conv1D over x, B and C ((E + 2GN)·k taps and as many biases), dt_bias, A_log and D (H
 * each), the gated norm's scale E and the optional projection biases are vector parameters.
 */
export function mamba2BlockParams(width: number, m: Mamba2Spec): ParamSplit {
  const E = m.innerWidth;
  const H = E / m.headDim;
  const bc = 2 * m.groups * m.stateSize;
  const inProj = 2 * E + bc + H;
  return {
    matrix: width * inProj + E * width,
    vector: (E + bc) * m.convWidth + (m.convBias ? E + bc : 0) + 3 * H + E + (m.projectionBias ? inProj + width : 0),
  };
}

/** Gated MLP: two D→F branches and F→D (+ biases); GPT's: one D→F and F→D; none when the model has no MLP. */
export function mlpParams(spec: ModelSpec): ParamSplit {
  if (!spec.mlp) return { matrix: 0, vector: 0 };
  const F = spec.mlp.hiddenWidth;
  const upProjections = spec.mlp.gated === false ? 1 : 2;
  return { matrix: (upProjections + 1) * spec.width * F, vector: spec.mlp.bias ? upProjections * F + spec.width : 0 };
}

export interface ParamCounts {
  total: number;
  /** Input embedding plus, when untied, the output projection. */
  embedding: number;
  nonEmbedding: number;
  byBlock: {
    embedding: number;
    recurrent: number;
    localAttention: number;
    globalAttention: number;
    mamba: number;
    mamba2: number;
    mlp: number;
    norms: number;
    outputHead: number;
  };
  /** Parameters stored at the weight dtype vs at the activation dtype. */
  matrix: number;
  vector: number;
}

export function countParams(spec: ModelSpec): ParamCounts {
  const layers = layerCounts(spec);
  const D = spec.width;
  // The token table and, in GPT, the learned position table.
  const tokenTable = spec.vocabSize * D;
  const embeddingTable = tokenTable + (spec.positionEmbeddings ?? 0) * D;
  const outputHead = spec.tiedEmbeddings ? 0 : tokenTable;
  const recurrent = spec.recurrent ? recurrentBlockParams(D, spec.recurrent) : { matrix: 0, vector: 0 };
  const attention = spec.attention ? attentionBlockParams(D, spec.attention) : { matrix: 0, vector: 0 };
  const mamba = spec.mamba ? mambaBlockParams(D, spec.mamba) : { matrix: 0, vector: 0 };
  const mamba2 = spec.mamba2 ? mamba2BlockParams(D, spec.mamba2) : { matrix: 0, vector: 0 };
  const mlp = mlpParams(spec);
  // A pre-norm per sub-block (the temporal block, and the MLP where there is one), as many
  // post-norms where the model has them, one final norm.
  // LayerNorm has a bias beside its scale.
  const norms = ((spec.mlp ? 2 : 1) * (spec.postNorms ? 2 : 1) * spec.depth + 1) * D * (spec.norm === "layernorm" ? 2 : 1);

  const byBlock = {
    embedding: embeddingTable,
    recurrent: layers.recurrent * total(recurrent),
    localAttention: layers["local-attention"] * total(attention),
    globalAttention: layers["global-attention"] * total(attention),
    mamba: layers.mamba * total(mamba),
    mamba2: layers.mamba2 * total(mamba2),
    mlp: spec.depth * total(mlp),
    norms,
    outputHead,
  };
  const attentionLayers = layers["local-attention"] + layers["global-attention"];
  const matrix =
    embeddingTable + outputHead + layers.recurrent * recurrent.matrix + attentionLayers * attention.matrix + layers.mamba * mamba.matrix +
    layers.mamba2 * mamba2.matrix + spec.depth * mlp.matrix;
  const vector = layers.recurrent * recurrent.vector + attentionLayers * attention.vector + layers.mamba * mamba.vector +
    layers.mamba2 * mamba2.vector + spec.depth * mlp.vector + norms;
  const all = matrix + vector;
  return {
    total: all,
    embedding: embeddingTable + outputHead,
    nonEmbedding: all - embeddingTable - outputHead,
    byBlock,
    matrix,
    vector,
  };
}
