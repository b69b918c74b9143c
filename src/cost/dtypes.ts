// Storage sizes of the data types the cost model uses.
export const DTYPES = ["fp32", "bf16", "fp16", "fp8", "int8"] as const;
export type Dtype = (typeof DTYPES)[number];

export const BYTES_PER_ELEMENT: Record<Dtype, number> = { fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1 };

/** Where each kind of tensor lives and in what type (cost-model.md: bf16, with an fp32 RG-LRU state). */
export interface Dtypes {
  /** Matrix weights and embeddings; also selects the matrix ceiling (bf16, fp8 or int8). */
  weights: Dtype;
  /** Activations, biases, norm scales and other vector parameters. */
  activations: Dtype;
  /** Attention KV cache and the Conv1D state. */
  cache: Dtype;
  /** The RG-LRU hidden state h. */
  state: Dtype;
}

export const DEFAULT_DTYPES: Dtypes = { weights: "bf16", activations: "bf16", cache: "bf16", state: "fp32" };

/** Bytes of an fp32 value: scores in dense attention, the associative scan's intermediates, optimizer state. */
export const FP32_BYTES = BYTES_PER_ELEMENT.fp32;
