// Storage sizes of the data types the cost model uses.
export const DTYPES = ["fp32", "bf16", "fp16", "fp8", "int8", "int4"] as const;
export type Dtype = (typeof DTYPES)[number];

/** int4: two weights per byte (weight-only quantization; group scales are not counted). */
export const BYTES_PER_ELEMENT: Record<Dtype, number> = { fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 };

/** The types a matrix unit multiplies in (each profile lists its ceiling per type). */
export type MatmulDtype = "fp32" | "bf16" | "fp16" | "fp8" | "int8";

/** Where each kind of tensor lives and in what type (cost-model.md: bf16, with an fp32 RG-LRU state). */
export interface Dtypes {
  /** Matrix weights and embeddings, as stored. */
  weights: Dtype;
  /**
   * What the matrix unit multiplies in, which selects the ceiling: the weights' type (bf16, fp8,
   * int8 with int8 activations), or the activations' type when the weights are quantized only for
   * storage (w8a16, w4a16), each weight then dequantized on the fly.
   */
  matmul: MatmulDtype;
  /** Activations, biases, norm scales and other vector parameters. */
  activations: Dtype;
  /** Attention KV cache and the Conv1D state. */
  cache: Dtype;
  /** The recurrent state: the RG-LRU h, Mamba's SSM state. */
  state: Dtype;
}

export const DEFAULT_DTYPES: Dtypes = { weights: "bf16", matmul: "bf16", activations: "bf16", cache: "bf16", state: "fp32" };

/**
 * `--dtype`: how weights are stored and multiplied. bf16, fp16 and fp8 store and multiply in that
 * type; int8 is W8A8 (int8 weights and int8 activations into an int8 matmul; the activations are
 * quantized in the producing kernel and kept in 16 bits between ops); w8a16 and w4a16 are
 * weight-only quantization: int8 or int4 weights, multiplied at bf16 after dequantization.
 */
export const WEIGHT_FORMATS = {
  bf16: { weights: "bf16", matmul: "bf16" },
  fp16: { weights: "fp16", matmul: "fp16" },
  fp8: { weights: "fp8", matmul: "fp8" },
  int8: { weights: "int8", matmul: "int8" },
  w8a16: { weights: "int8", matmul: "bf16" },
  w4a16: { weights: "int4", matmul: "bf16" },
} as const satisfies Record<string, Pick<Dtypes, "weights" | "matmul">>;
export type WeightFormat = keyof typeof WEIGHT_FORMATS;
export const WEIGHT_FORMAT_NAMES = Object.keys(WEIGHT_FORMATS) as WeightFormat[];

/** Weights stored in another type than the matrix unit multiplies in are dequantized as they load. */
export const isWeightOnlyQuantized = (dtypes: Pick<Dtypes, "weights" | "matmul">) => dtypes.weights !== dtypes.matmul;

/** Bytes of an fp32 value: scores in dense attention, the associative scan's intermediates, optimizer state. */
export const FP32_BYTES = BYTES_PER_ELEMENT.fp32;
