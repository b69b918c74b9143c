// The record the cost model produces: one per op and block type. Numbers are totals over `count`
// identical layers; `shape` describes one instance (what a kernel benchmark would run).
import type { Dtypes } from "./dtypes.js";

export type BlockType = "recurrent" | "local-attention" | "global-attention" | "mamba" | "mamba2" | "mlp" | "other";
export type OpKind = "matmul" | "elementwise" | "attention" | "scan" | "gather" | "optimizer";

/** The kernel a benchmark runs for an op (bench/kernels/ implements each one). */
export type Kernel =
  | "linear" | "rmsnorm" | "gated-rmsnorm" | "layernorm" | "silu" | "residual-add" | "gelu" | "gelu-and-product" | "silu-and-product" | "product"
  | "conv1d" | "rglru-gates" | "scan" | "selective-scan" | "ssd" | "rope" | "attention" | "embedding" | "cross-entropy" | "adam";
export type TrainingPass = "forward" | "backward" | "recompute" | "update";

/** HBM traffic split by what the bytes are. */
export interface ByteSplit {
  weights: number;
  activations: number;
  kvCache: number;
  /** Recurrent state: the RG-LRU h, Mamba's SSM state and the Conv1D window. */
  state: number;
}

export interface OpCost {
  name: string;
  block: BlockType;
  kind: OpKind;
  kernel: Kernel;
  count: number;
  matrixFlops: number;
  vectorFlops: number;
  bytes: ByteSplit;
  /** Which implementation the numbers assume, when there is a choice (flash, fused scan, …). */
  implementation?: string;
  pass?: TrainingPass;
  /** Within a generate phase: whether the op belongs to the prefill or to the decode steps. */
  stage?: "prefill" | "decode";
  shape: Record<string, number>;
}

export const totalBytes = (b: ByteSplit): number => b.weights + b.activations + b.kvCache + b.state;

export type AttentionImplementation = "flash" | "dense";
export type ScanImplementation = "fused" | "naive" | "associative";

/** One forward pass over the model: what is processed, with what types and kernels. */
export interface Pass {
  batch: number;
  /** Tokens per sequence processed in this pass (T in prefill, 1 in decode). */
  newTokens: number;
  /** Tokens per sequence already in the cache before this pass. */
  cachedTokens: number;
  /** Compute logits for every token (training) or only the last one (serving). */
  logits: "last" | "all";
  /** Training keeps K/V as activations and writes no cache or final state. */
  training: boolean;
  /** Causal masking in attention (default); false lets every query see every key (encoders, benchmarks). */
  causal?: boolean;
  dtypes: Dtypes;
  attention: AttentionImplementation;
  /**
   * The dtype dense attention writes its scores in: fp32 (the reference code's upcast, the
   * default) or the activations' dtype (plain PyTorch attention in fp16/bf16).
   */
  denseScores?: "fp32" | "activations";
  scan: ScanImplementation;
  /** The model's norm (ModelSpec.norm), set by the forward pass: LayerNorm where the model has it. */
  norm?: "rmsnorm" | "layernorm";
}

export const tokensIn = (pass: Pass): number => pass.batch * pass.newTokens;
