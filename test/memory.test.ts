import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import { cacheBytesPerSequence, maxBatch, weightBytes } from "../src/cost/memory.js";
import { loadProfile } from "../src/hardware/load.js";
import { preset } from "./helpers.js";

test("recurrentgemma-2b decode cache is about 17.2 MB per sequence", () => {
  // 18 recurrent layers: h in fp32 (4·2560) + Conv1D state of 3 inputs in bf16 (3·2560·2)
  //   = 18·(10,240 + 15,360) = 460,800 bytes.
  // 8 local layers, window 2048, K = 1, hd = 256, bf16: 8·2·2048·256·2 = 16,777,216 bytes.
  // Total 17,238,016 bytes ≈ 17.2 MB, the same at any length past the window.
  const spec = preset("recurrentgemma-2b");
  assert.equal(cacheBytesPerSequence(spec, 2048, DEFAULT_DTYPES).total, 17_238_016);
  assert.equal(cacheBytesPerSequence(spec, 100_000, DEFAULT_DTYPES).total, 17_238_016);
  // Before the window fills, the local cache holds only what has been seen: 8·2·1000·256·2.
  assert.equal(cacheBytesPerSequence(spec, 1000, DEFAULT_DTYPES).total, 460_800 + 8_192_000);
});

test("the 7B-config MQA model's KV cache is 134 MB per sequence at 8,192 tokens", () => {
  // 32 layers · 2 (K and V) · 8192 positions · 1 KV head · 128 · 2 bytes = 134,217,728.
  assert.equal(cacheBytesPerSequence(preset("mqa-7b"), 8192, DEFAULT_DTYPES).total, 134_217_728);
});

test("Hawk's cache does not depend on length", () => {
  // 32 layers · (5632·4 bytes of h + 3·5632·2 bytes of conv state) = 32·56,320 = 1,802,240.
  const spec = preset("hawk-7b");
  for (const tokens of [1, 2048, 1_000_000]) {
    assert.equal(cacheBytesPerSequence(spec, tokens, DEFAULT_DTYPES).total, 1_802_240);
  }
});

test("the largest batch that fits beside the weights", () => {
  // mqa-7b in bf16: 6,071,521,280 parameters (test/params.test.ts: 32 layers of 34,607,104 +
  // 151,023,616 + 8,192, a final norm of 4,096, an embedding of 131,072,000) · 2 bytes
  // = 12,143,042,560 bytes of weights. TPU-v3 has 32 GiB = 34,359,738,368 bytes; the rest holds
  // ⌊22,216,695,808 / 134,217,728⌋ = 165 caches of 8,192 tokens.
  const spec = preset("mqa-7b");
  const weights = weightBytes(spec, DEFAULT_DTYPES);
  assert.equal(weights, 12_143_042_560);
  const capacity = loadProfile("tpu-v3").memory.main.capacityBytes.value;
  assert.equal(maxBatch(capacity, weights, 134_217_728), 165);
  assert.equal(maxBatch(1e9, weights, 134_217_728), 0); // weights alone do not fit
});

test("int8 weights halve the matrix weights but keep vector parameters at bf16", () => {
  // griffin-1b ([G] Table 2): D = 2048, R = 2560, N = 24 (16 recurrent + 8 local), H = 16,
  // hd = 128, K = 1, F = 6144, G = 16, V = 32,000.
  //   matrix: embedding 65,536,000; recurrent 16·(3·D·R + 2·R²/G) = 16·(15,728,640 + 819,200)
  //           = 264,765,440; attention 8·(2·D·H·hd + 2·D·hd) = 8·8,912,896 = 71,303,168;
  //           MLP 24·3·D·F = 905,969,664; in all 1,307,574,272 weights of 1 byte.
  //   vector: recurrent 16·(10·R + D) = 442,368; attention 8·D = 16,384; MLP 24·(2·F + D)
  //           = 344,064; norms 49·D = 100,352; in all 903,168 parameters of 2 bytes.
  //   1,307,574,272 + 2·903,168 = 1,309,380,608 bytes (bf16 would be 2,616,954,880).
  const spec = preset("griffin-1b");
  assert.equal(weightBytes(spec, { ...DEFAULT_DTYPES, weights: "int8" }), 1_309_380_608);
  assert.equal(weightBytes(spec, DEFAULT_DTYPES), 2_616_954_880);
});
