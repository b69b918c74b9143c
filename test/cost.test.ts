import { test } from "node:test";
import assert from "node:assert/strict";
import { attentionGeometry } from "../src/cost/attention-core.js";
import { DEFAULT_DTYPES, WEIGHT_FORMATS, type WeightFormat } from "../src/cost/dtypes.js";
import { decodeOps, prefillOps, trainOps } from "../src/cost/phases.js";
import { linearScan } from "../src/cost/scan.js";
import { totalBytes, type OpCost, type Pass } from "../src/cost/op.js";
import { matrixDtypeOf } from "../src/roofline/analyze.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const pass = (over: Partial<Pass>): Pass => ({
  batch: 1, newTokens: 2048, cachedTokens: 0, logits: "last", training: false,
  dtypes: DEFAULT_DTYPES, attention: "flash", scan: "fused", ...over,
});
const find = (ops: OpCost[], name: string, block?: string) => {
  const op = ops.find((o) => o.name === name && (block === undefined || o.block === block));
  assert.ok(op, `no op ${name}`);
  return op;
};
const sum = (ops: OpCost[], f: (op: OpCost) => number) => ops.reduce((s, op) => s + f(op), 0);

test("causal and local attention pair counts", () => {
  // Global causal prefill of T = 2048: T(T+1)/2 = 2,098,176 pairs.
  assert.equal(attentionGeometry(false, 0, pass({})).pairs, 2_098_176);
  // Local, W = 1024: Σ_{t=0}^{2047} (min(t, 1024) + 1) = Σ_{t=0}^{1024} t + 1024·1023 + 2048
  //   = 524,800 + 1,047,552 + 2,048 = 1,574,400.
  assert.equal(attentionGeometry(true, 1024, pass({})).pairs, 1_574_400);
  // Decode at 4096 cached: global sees 4097 keys, local min(4096, 1024) + 1 = 1025.
  assert.deepEqual(attentionGeometry(false, 0, pass({ newTokens: 1, cachedTokens: 4096 })), { pairs: 4097, keysRead: 4097 });
  assert.deepEqual(attentionGeometry(true, 1024, pass({ newTokens: 1, cachedTokens: 4096 })), { pairs: 1025, keysRead: 1025 });
  // Dense prefill computes the whole T×T rectangle, local or not.
  assert.equal(attentionGeometry(true, 1024, pass({ attention: "dense" })).pairs, 2048 * 2048);
});

test("griffin-7b local attention core in prefill", () => {
  // 10 layers · 4·pairs·hd·H = 10 · 4 · 1,574,400 · 128 · 32 = 257,949,696,000 FLOPs.
  const ops = prefillOps(preset("griffin-7b"), 1, 2048, FLASH_FUSED);
  const core = find(ops, "attention core (flash)");
  assert.equal(core.count, 10);
  assert.equal(core.matrixFlops, 257_949_696_000);
  assert.equal(core.vectorFlops, 10 * 5 * 1_574_400 * 32); // softmax, 5 FLOPs per score
});

test("the RG-LRU scan moves 6 bytes per element fused and the paper's 8 naive", () => {
  // Fused, bf16: read a and b (2 + 2), write y (2) = 6 bytes per element; h stays on chip.
  // Naive with a bf16 state, as [G] App. D counts it: read h, a, x and write h = 8 bytes per element,
  // 2 FLOPs each (multiply, add). Training (no cache writes) isolates the per-element traffic.
  const elements = 4 * 1024 * 2560;
  const fused = linearScan(2560, 1, pass({ batch: 4, newTokens: 1024, training: true }));
  assert.equal(fused.bytes.activations, 6 * elements);
  assert.equal(fused.vectorFlops, 2 * elements);
  const naive = linearScan(2560, 1, pass({ batch: 4, newTokens: 1024, training: true, scan: "naive", dtypes: { ...DEFAULT_DTYPES, state: "bf16" } }));
  assert.equal(naive.bytes.activations + naive.bytes.state, 8 * elements);
  assert.equal(naive.vectorFlops / (naive.bytes.activations + naive.bytes.state), 0.25);
  // Associative: 2 combines per element of 3 FLOPs, each combine moving 24 bytes of fp32 pairs.
  const tree = linearScan(2560, 1, pass({ batch: 4, newTokens: 1024, training: true, scan: "associative" }));
  assert.equal(tree.vectorFlops, 6 * elements);
  assert.equal(tree.bytes.activations, 6 * elements + 48 * elements);
});

test("a decode step reads every weight once, except the embedding rows it does not look up", () => {
  // Tied (griffin-7b, 6,921,254,912 parameters: test/params.test.ts): the LM head reads the whole
  // table, the lookup one more row of D = 4096. 2 · (6,921,254,912 + 4,096) = 13,842,518,016 bytes.
  const ops = decodeOps(preset("griffin-7b"), 1, 4096, FLASH_FUSED);
  assert.equal(sum(ops, (op) => op.bytes.weights), 13_842_518_016);
  // Untied (llama-2-7b, 6,738,415,616 parameters): the head reads its table; of the input table
  // only one row is read, so 31,999 rows of 4096 are not: 2 · (6,738,415,616 − 131,067,904)
  // = 13,214,695,424 bytes.
  const llamaOps = decodeOps(preset("llama-2-7b"), 1, 4096, FLASH_FUSED);
  assert.equal(sum(llamaOps, (op) => op.bytes.weights), 13_214_695_424);
});

test("griffin-7b's decode step moves 13,863,802,368 bytes, worked op by op", () => {
  // Batch 1 at 4,096 cached tokens; bf16 weights, activations and cache, fp32 RG-LRU state
  // (cost-model.md); each op reads its inputs and writes its outputs once. D = 4096, R = 5632,
  // H·hd = 4096, K·hd = 128, F = 12,288, V = 32,000, W = 1024. In elements (2 bytes unless said):
  //   weights: every parameter once and one more embedding row (above)     13,842,518,016 bytes
  //   recurrent layer: pre-norm D in, D out; linear y and x D in, R out each; GeLU R, R;
  //     Conv1D R, R and its 3·R-input state read and written; gates read x, write a_t and the
  //     normalised input (3·R); fused scan reads both, writes y (3·R) and reads and writes
  //     h (2·R fp32, 8·R bytes); merge 2·R in, R out; output linear R in, D out; residual 2·D, D.
  //     16·D + 52·R bytes = 65,536 + 292,864 = 358,400; × 22                  7,884,800 bytes
  //   local attention layer: pre-norm 4·D = 16,384; q projection (D + 4096)·2 = 16,384; k and
  //     v (D + 128)·2 = 8,448 each (v's output goes to the cache); RoPE reads q and k, writes
  //     them back (k into the cache): 2·(4096 + 128)·2 = 16,896; the flash core reads q and
  //     writes its output (2·4096·2 = 16,384) and reads min(4096, W) + 1 = 1,025 keys and
  //     values (2·1,025·128·2 = 524,800); output projection 16,384; residual 24,576.
  //     648,704 bytes; × 10                                                      6,487,040 bytes
  //   MLP layer: pre-norm 16,384; two up-projections (D + F)·2 = 32,768 each; GeLU and product
  //     3·F·2 = 73,728; down-projection 32,768; residual 24,576. 212,992; × 32    6,815,744 bytes
  //   ends: the embedding writes a row (8,192), the final norm reads and writes one (16,384),
  //     the head reads it and writes V logits ((4096 + 32,000)·2 = 72,192)          96,768 bytes
  //   13,842,518,016 + 7,884,800 + 6,487,040 + 6,815,744 + 96,768 = 13,863,802,368 bytes:
  //   15.4 ms at TPU-v3's 900 GB/s, the paper's memory-bound decode ([G] §5.1).
  const ops = decodeOps(preset("griffin-7b"), 1, 4096, FLASH_FUSED);
  assert.equal(sum(ops, (op) => totalBytes(op.bytes)), 13_863_802_368);
  const inBlock = (block: string) => sum(ops.filter((op) => op.block === block), (op) => totalBytes(op.bytes) - op.bytes.weights);
  assert.deepEqual([inBlock("recurrent"), inBlock("local-attention"), inBlock("mlp"), inBlock("other")], [7_884_800, 6_487_040, 6_815_744, 96_768]);
});

test("MQA prefill matrix FLOPs = 2·T·(layer weights) + attention + last-token head", () => {
  // mqa-1b: D = 2048, N = 24, H = 16, hd = 128, F = 6144, V = 32,000, T = 1024.
  // Matrix weights per layer: 2·D·H·hd + 2·D·hd + 3·D·F = 8,388,608 + 524,288 + 37,748,736 = 46,661,632.
  // Linear FLOPs: 2·1024·24·46,661,632; attention: 24 · 4 · (1024·1025/2) · 128 · 16;
  // head on the last token only: 2·2048·32,000.
  const T = 1024;
  const expected = 2 * T * 24 * 46_661_632 + 24 * 4 * ((T * (T + 1)) / 2) * 128 * 16 + 2 * 2048 * 32_000;
  const ops = prefillOps(preset("mqa-1b"), 1, T, FLASH_FUSED);
  assert.equal(sum(ops, (op) => op.matrixFlops), expected);
});

test("training: backward is twice the forward matmul work, attention 2.5×, plus an Adam update", () => {
  const spec = preset("griffin-100m");
  const ops = trainOps(spec, 2, 512, FLASH_FUSED, { rematerialise: false });
  const forward = ops.filter((op) => op.pass === "forward");
  const backward = ops.filter((op) => op.pass === "backward");
  const attention = (list: OpCost[]) => sum(list.filter((op) => op.kind === "attention"), (op) => op.matrixFlops);
  const other = (list: OpCost[]) => sum(list.filter((op) => op.kind !== "attention"), (op) => op.matrixFlops);
  assert.equal(other(backward), 2 * other(forward));
  assert.equal(attention(backward), 2.5 * attention(forward));
  const update = ops.find((op) => op.pass === "update")!;
  // Per parameter: fp32 master, m, v read and written (24), bf16 gradient read (2), bf16 weights
  // written (2). griffin-100m (D = 768, R = 1024, 8 recurrent + 4 local layers, H = 6, F = 2304):
  // 24,576,000 embedding + 8·2,501,376 recurrent + 4·1,377,024 attention + 12·5,313,792 MLP
  // + 19,200 norms = 113,879,808 parameters; × 28 = 3,188,634,624 bytes.
  assert.equal(update.bytes.weights, 3_188_634_624);
  const remat = trainOps(spec, 2, 512, FLASH_FUSED, { rematerialise: true });
  assert.ok(remat.length > ops.length && remat.some((op) => op.pass === "recompute"));
  // Forward of training computes logits for every token: 2·(2·512)·D·V.
  const head = forward.find((op) => op.name.startsWith("LM head"))!;
  assert.equal(head.matrixFlops, 2 * 1024 * 768 * 32_000);
});

test("RecurrentGemma's soft-cap and embedding scale are counted; the paper models have neither", () => {
  const rg = prefillOps(preset("recurrentgemma-2b"), 1, 16, FLASH_FUSED);
  // Soft-cap: 3 FLOPs per logit of the last token; embedding scale: 1 FLOP per element.
  assert.equal(find(rg, "LM head (tied embedding)").vectorFlops, 3 * 256_000);
  assert.equal(find(rg, "embedding").vectorFlops, 16 * 2560);
  const paper = prefillOps(preset("griffin-1b"), 1, 16, FLASH_FUSED);
  assert.equal(find(paper, "LM head (tied embedding)").vectorFlops, 0);
});

test("the decode KV cache traffic of an MQA layer", () => {
  // mqa-7b, 4096 cached, batch 8: each of 32 layers reads 4097 keys and values of 128 bf16 values
  // per sequence: 32 · 8 · 2 · 4097 · 128 · 2 = 537,001,984 bytes. RoPE writes the new k and the v
  // projection the new v: 32 · 8 · 128 · 2 bytes each.
  const ops = decodeOps(preset("mqa-7b"), 8, 4096, FLASH_FUSED);
  assert.equal(find(ops, "attention core (flash)").bytes.kvCache, 537_001_984);
  assert.equal(sum(ops, (op) => op.bytes.kvCache), 537_001_984 + 2 * 32 * 8 * 128 * 2);
});

test("weight-only quantization: w4a16 reads half a byte per weight, multiplies at bf16 and pays the dequantization", () => {
  const llama = preset("llama-2-7b");
  const decodeLinears = (format: WeightFormat) => {
    const impl = { ...FLASH_FUSED, dtypes: { ...DEFAULT_DTYPES, ...WEIGHT_FORMATS[format] } };
    return { ops: decodeOps(llama, 1, 1024, impl).filter((op) => op.kernel === "linear"), matrix: matrixDtypeOf(impl) };
  };
  // Llama-2-7B's linear weights: per layer q, k, v, o (4 · 4096²) and the MLP (3 · 4096 · 11008),
  // 202,375,168; × 32 layers = 6,476,005,376; plus the LM head 32000 · 4096 = 131,072,000:
  // 6,607,077,376 weights. At int4, 3,303,538,688 bytes; dequantized at 2 FLOPs each.
  const linearWeights = 6_607_077_376;
  const w4 = decodeLinears("w4a16");
  assert.equal(w4.matrix, "bf16");
  assert.equal(sum(w4.ops, (op) => op.bytes.weights), linearWeights / 2);
  assert.equal(sum(w4.ops, (op) => op.vectorFlops), 2 * linearWeights);
  const w8 = decodeLinears("w8a16");
  assert.equal(w8.matrix, "bf16");
  assert.equal(sum(w8.ops, (op) => op.bytes.weights), linearWeights);
  // W8A8 multiplies at int8 and dequantizes nothing; neither does bf16.
  const int8 = decodeLinears("int8");
  assert.equal(int8.matrix, "int8");
  assert.equal(sum(int8.ops, (op) => op.vectorFlops), 0);
  assert.equal(sum(decodeLinears("bf16").ops, (op) => op.bytes.weights), 2 * linearWeights);
});
