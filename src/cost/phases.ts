// The phases of cost-model.md as lists of op costs. Generate needs times per step, so it lives
// with the roofline (src/roofline/generate.ts).
import type { ModelSpec } from "../models/schema.js";
import { countParams } from "../models/params.js";
import { BYTES_PER_ELEMENT, DEFAULT_DTYPES, type Dtypes } from "./dtypes.js";
import { ADAM_BYTES_PER_PARAM_WITHOUT_WEIGHTS, BACKWARD_FACTOR, FLOPS_PER_ELEMENT } from "./flop-table.js";
import { forwardOps } from "./forward.js";
import type { AttentionImplementation, OpCost, Pass, ScanImplementation } from "./op.js";

export interface Implementation {
  dtypes: Dtypes;
  attention: AttentionImplementation;
  /** Dense attention's score dtype (Pass.denseScores): fp32 unless the kernel keeps the input's. */
  denseScores?: Pass["denseScores"];
  scan: ScanImplementation;
}

/** bf16, flash attention and the fused scan (cost-model.md's defaults). */
export const DEFAULT_IMPLEMENTATION: Implementation = { dtypes: DEFAULT_DTYPES, attention: "flash", scan: "fused" };

/** Prefill: T prompt tokens per sequence in one parallel pass; logits for the last token only. */
export function prefillOps(spec: ModelSpec, batch: number, promptTokens: number, impl: Implementation): OpCost[] {
  return forwardOps(spec, { ...impl, batch, newTokens: promptTokens, cachedTokens: 0, logits: "last", training: false });
}

/** Decode: one new token per sequence with `contextTokens` already cached. */
export function decodeOps(spec: ModelSpec, batch: number, contextTokens: number, impl: Implementation): OpCost[] {
  return forwardOps(spec, { ...impl, batch, newTokens: 1, cachedTokens: contextTokens, logits: "last", training: false });
}

function scaled(op: OpCost, pass: OpCost["pass"], suffix: string, flopsFactor: number, bytesFactor: number, vectorFactor: number): OpCost {
  return {
    ...op,
    name: `${op.name} ${suffix}`,
    pass,
    matrixFlops: op.matrixFlops * flopsFactor,
    vectorFlops: op.vectorFlops * vectorFactor,
    bytes: {
      weights: op.bytes.weights * bytesFactor,
      activations: op.bytes.activations * bytesFactor,
      kvCache: op.bytes.kvCache * bytesFactor,
      state: op.bytes.state * bytesFactor,
    },
  };
}

export interface TrainOptions {
  /** Recompute every residual block's forward during the backward pass instead of saving activations. */
  rematerialise: boolean;
}

/**
 * One training step at T tokens × batch B: forward (logits and loss on every token), backward
 * (BACKWARD_FACTOR × the forward of each op), optional recomputation of the residual blocks'
 * forward, and an Adam update of every parameter.
 */
export function trainOps(spec: ModelSpec, batch: number, tokens: number, impl: Implementation, options: TrainOptions): OpCost[] {
  const pass: Pass = { ...impl, batch, newTokens: tokens, cachedTokens: 0, logits: "all", training: true };
  const forward = forwardOps(spec, pass).map((op) => ({ ...op, pass: "forward" as const }));
  const backward = forward.map((op) =>
    scaled(
      op, "backward", "(backward)",
      op.kind === "attention" ? BACKWARD_FACTOR.attentionFlops : BACKWARD_FACTOR.matmulFlops,
      BACKWARD_FACTOR.bytes,
      BACKWARD_FACTOR.vectorFlops,
    ),
  );
  const recompute = options.rematerialise
    ? forward.filter((op) => op.block !== "other").map((op) => scaled(op, "recompute", "(recompute)", 1, 1, 1))
    : [];
  const params = countParams(spec);
  const weightBytes = BYTES_PER_ELEMENT[impl.dtypes.weights];
  const update: OpCost = {
    name: "optimizer update (Adam)",
    block: "other",
    kind: "optimizer",
    kernel: "adam",
    pass: "update",
    count: 1,
    matrixFlops: 0,
    vectorFlops: FLOPS_PER_ELEMENT.adamUpdate * params.total,
    bytes: { weights: params.total * (ADAM_BYTES_PER_PARAM_WITHOUT_WEIGHTS + weightBytes), activations: 0, kvCache: 0, state: 0 },
    shape: { params: params.total },
  };
  return [...forward, ...backward, ...recompute, update];
}
