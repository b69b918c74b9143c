// GPT-style pieces (GPT-3's sizes, the Mamba papers' Transformer baseline): learned position
// embeddings, LayerNorm and the non-gated MLP, with parameter counts worked by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { prefillOps } from "../src/cost/phases.js";
import { countParams } from "../src/models/params.js";
import { FLASH_FUSED, preset } from "./helpers.js";

test("GPT-3 presets count to Table 2.1's sizes: 12·D² + 13·D per layer, token and position tables, final LayerNorm", () => {
  // Per layer: attention 4·D² + 4·D (q, k, v, output and their biases); MLP D·4D + 4D·D + 4D + D;
  // two LayerNorms with scale and bias 4·D: 12·D² + 13·D. Tables (50,257 + 2,048)·D, tied; final norm 2·D.
  // 125M: 12 × (7,077,888 + 9,984) + 52,305·768 + 1,536 = 85,054,464 + 40,170,240 + 1,536 = 125,226,240.
  const small = countParams(preset("gpt3-125m"));
  assert.equal(small.total, 125_226_240);
  assert.equal(small.embedding, 52_305 * 768);
  // 1.3B: 24 × (50,331,648 + 26,624) + 52,305·2048 + 4,096 = 1,208,598,528 + 107,120,640 + 4,096.
  assert.equal(countParams(preset("gpt3-1.3b")).total, 1_315_723_264);
  // 2.7B: 32 × (78,643,200 + 33,280) + 52,305·2560 + 5,120 = 2,517,647,360 + 133,900,800 + 5,120.
  assert.equal(countParams(preset("gpt3-2.7b")).total, 2_651_553_280);
});

test("a GPT-3 prefill reads position rows, normalises with LayerNorm and runs one up-projection and a GeLU", () => {
  const ops = prefillOps(preset("gpt3-125m"), 2, 100, FLASH_FUSED);
  const named = (name: string) => ops.filter((op) => op.name === name);
  // 200 tokens × 768: the position rows read (bf16), the token embeddings read and the sum written.
  assert.deepEqual(named("position embedding (learned)")[0]!.bytes, { weights: 200 * 768 * 2, activations: 2 * 200 * 768 * 2, kvCache: 0, state: 0 });
  // LayerNorm, 7 FLOPs per element, 12 layers, scale and bias read (2·768 bf16).
  const norm = named("pre-norm (LayerNorm)")[0]!;
  assert.equal(norm.vectorFlops, 12 * 7 * 200 * 768);
  assert.equal(norm.bytes.weights, 12 * 2 * 768 * 2);
  // One up-projection of 2·200·768·3072 FLOPs per layer, no gate branch, GeLU alone (8 per element).
  assert.equal(named("up-projection")[0]!.matrixFlops, 12 * 2 * 200 * 768 * 3072);
  assert.equal(named("up-projection (gate branch)").length, 0);
  assert.equal(named("GeLU")[0]!.vectorFlops, 12 * 8 * 200 * 3072);
});
