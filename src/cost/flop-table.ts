// Every per-element FLOP count the cost model uses, in one table (cost-model.md: "never scattered
// literals"). A multiply-add is 2 FLOPs; a transcendental (exp, tanh, rsqrt) counts as 1.
export const FLOPS_PER_ELEMENT = {
  /** x·rsqrt(mean(x²)+ε)·scale: square, accumulate, multiply by the rsqrt, multiply by the scale. */
  rmsNorm: 4,
  /** LayerNorm: mean (1), subtract it (1), square and accumulate (2), times the rsqrt (1), scale (1), bias (1). */
  layerNorm: 7,
  /** x + y. */
  residualAdd: 1,
  /** A bias added in a matmul's epilogue. */
  biasAdd: 1,
  /** GeLU, tanh approximation: x³ (2), ·0.044715 + x (2), ·√(2/π) (1), tanh (1), +1 (1), ·0.5x (1). */
  gelu: 8,
  /** SiLU x·σ(x): negate, exp, +1, divide. */
  silu: 4,
  /** Elementwise product of two branches. */
  product: 1,
  /** RoPE, per rotated element: x·cos − y·sin. */
  rope: 3,
  /** Softmax per score: scale, running max, subtract, exp, accumulate. */
  softmax: 5,
  /** One tap of the depthwise Conv1D: a multiply-add. */
  convTap: 2,
  /**
   * RG-LRU gate arithmetic per element ([G] eqs. 1–4), after the block-diagonal matmuls:
   * two bias adds (2), two sigmoids (2×4), log a_t = (−c·softplus(−Λ))·r_t (1, the per-channel
   * factor is precomputed), a_t = exp(log a_t) (1), a_t² = exp(2·log a_t) (2), √(1 − a_t²) (2),
   * i_t·x_t (1), times the multiplier (1).
   */
  rgLruGates: 18,
  /** One step of the linear recurrence h = a·h + b: multiply, add. */
  scanStep: 2,
  /** softplus(x) = log(1 + exp(x)): exp, +1, log (Mamba's Δ). */
  softplus: 3,
  /**
   * Selective scan, per channel and step, outside the state ([M] Alg. 2): softplus(Δ) (3), Δ·u (1),
   * and the skip D·u added to y (2).
   */
  selectiveScanChannel: 6,
  /**
   * Selective scan, per state element and step ([M] eq. 4, zero-order hold as mamba_ssm computes
   * it): ΔA (1), exp (1), (Δu)·B (1), h = Ā·h + B̄u (2), y += C·h (2).
   */
  selectiveScanState: 7,
  /**
   * SSD (Mamba-2), per head and token: Δ + bias (1), softplus (3), Δ·A (1), the cumulative sum of
   * the log decays (1), and the decays to the chunk's end and from its start (exp, 2).
   */
  ssdPerHeadStep: 8,
  /** SSD, per channel and token: x scaled by Δ (1) and the skip D·x added to y (2). */
  ssdPerChannelStep: 3,
  /** SSD, per score inside a chunk and head: the segment sum's difference (1), exp (1), times CBᵀ (1). */
  ssdDecayMask: 3,
  /** SSD, per state element and chunk: the state passed on, h = decay·h + s (multiply, add). */
  ssdStatePassing: 2,
  /** SSD decode step, per state element: Δ·B (1) times x (1), h = decay·h + that (2), y += C·h (2) less a shared Δ·B: 5. */
  ssdStepState: 5,
  /** Gated RMSNorm of Mamba-2: SiLU(z) (4), times y (1), then RMSNorm (4). */
  gatedRmsNorm: 9,
  /** One combine (a₁,b₁)∘(a₂,b₂) = (a₁a₂, a₂b₁ + b₂) of the associative scan. */
  scanCombine: 3,
  /**
   * Dequantizing one weight of weight-only quantization as a matmul loads it: convert the integer
   * and multiply by its group's scale (a zero point folds into the scale's bias term).
   */
  dequantize: 2,
  /** Logit soft-cap tanh(l/c)·c: divide, tanh, multiply. */
  softcap: 3,
  /** Embedding scale by √D. */
  embeddingScale: 1,
  /** Softmax cross-entropy per logit: subtract max, exp, accumulate, (log and pick are per token). */
  crossEntropy: 4,
  /** One Adam step per parameter: moments (4), bias corrections (2), sqrt, add ε, divide, weight decay, update (5). */
  adamUpdate: 12,
} as const;

/** Combines per element of a work-efficient (Blelloch) parallel prefix: an up-sweep and a down-sweep. */
export const ASSOCIATIVE_SCAN_COMBINES_PER_ELEMENT = 2;

/** Backward-pass multipliers relative to the forward pass of the same op. */
export const BACKWARD_FACTOR = {
  /** dX = dY·Wᵀ and dW = Xᵀ·dY: two matmuls of the forward's size. */
  matmulFlops: 2,
  /**
   * Flash attention recomputes QKᵀ and then does dV, dP, dQ, dK: 2.5× the forward's matmul work
   * (the FlashAttention-2 paper's convention).
   */
  attentionFlops: 2.5,
  /** Elementwise backward: about twice the forward work (the derivative and the chain product). */
  vectorFlops: 2,
  /** Reads the saved inputs and the output gradient, writes the input (and weight) gradients. */
  bytes: 2,
} as const;

/** Bytes per parameter for one Adam step with fp32 master weights, first and second moments:
 *  read master, m, v (12) and the gradient (2, bf16); write master, m, v (12); the working copy
 *  in the weight dtype is added separately. */
export const ADAM_BYTES_PER_PARAM_WITHOUT_WEIGHTS = 26;
