// The Mamba-2 block (SSD) and presets, worked by hand from mamba_ssm's Mamba2 and the chunked
// algorithm of Dao & Gu 2024 (arXiv 2405.21060, §6).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import { cacheBytesPerSequence } from "../src/cost/memory.js";
import type { OpCost } from "../src/cost/op.js";
import { decodeOps, prefillOps } from "../src/cost/phases.js";
import { countParams } from "../src/models/params.js";
import { promptPieces } from "../src/cost/cost-table.js";
import type { ModelSpec } from "../src/models/schema.js";
import fc from "fast-check";
import { FLASH_FUSED, preset } from "./helpers.js";

test("mamba2-130m has exactly 128,989,632 parameters (the released 130M)", () => {
  // D = 768, 24 layers, E = 1536, P = 64 → H = 24 heads, N = 128, G = 1, k = 4,
  // V = 50,277 padded to a multiple of 16 = 50,288.
  //   in_proj   D·(2E + 2GN + H) = 768·(3072 + 256 + 24) = 2,574,336
  //   conv1d    (E + 2GN)·(k + 1) = 1792·5                =     8,960
  //   dt_bias, A_log, D: 3H                               =        72
  //   gated norm E                                        =     1,536
  //   out_proj  E·D                                       = 1,179,648
  //   pre-norm  D                                         =       768
  //   per layer 3,765,320; × 24 = 90,367,680; embedding 50,288·768 = 38,621,184; final norm 768.
  const counts = countParams(preset("mamba2-130m"));
  assert.equal(counts.total, 128_989_632);
  assert.equal(counts.byBlock.mamba2, 24 * (3_765_320 - 768));
});

test("the Mamba-2 presets' parameter counts: 370M, 780M, 1.3B, 2.7B", () => {
  // Per layer with E = 2D, H = E/64, N = 128, G = 1: D·(2E + 256 + H) + E·D + (E + 256)·5 + 3H + E + D.
  // D = 1024, H = 32: 1024·4384 + 2,097,152 + 11,520 + 96 + 2048 + 1024 = 6,601,056; × 48 + 50,288·1024 + 1024 = 368,346,624.
  // D = 1536, H = 48: 1536·6448 + 4,718,592 + 16,640 + 144 + 3072 + 1536 = 14,644,112; × 48 + 77,242,368 + 1536 = 780,161,280.
  // D = 2048, H = 64: 2048·8512 + 8,388,608 + 21,760 + 192 + 4096 + 2048 = 25,849,280; × 48 + 102,989,824 + 2048 = 1,343,757,312.
  // D = 2560, H = 80: 2560·10,576 + 13,107,200 + 26,880 + 240 + 5120 + 2560 = 40,216,560; × 64 + 128,737,280 + 2560 = 2,702,599,680.
  assert.equal(countParams(preset("mamba2-370m")).total, 368_346_624);
  assert.equal(countParams(preset("mamba2-780m")).total, 780_161_280);
  assert.equal(countParams(preset("mamba2-1.3b")).total, 1_343_757_312);
  assert.equal(countParams(preset("mamba2-2.7b")).total, 2_702_599_680);
});

const ssd = (ops: OpCost[]) => ops.find((op) => op.kernel === "ssd")!;

test("SSD over two chunks: matrix work inside chunks, states between them, fp32 intermediates", () => {
  const op = ssd(prefillOps(preset("mamba2-130m"), 1, 512, FLASH_FUSED));
  assert.equal(op.name, "SSD scan (chunked)");
  // Per layer, T = 512 = 2 chunks of Q = 256; H = 24, P = 64, N = 128, G = 1; E·N = 196,608.
  // Inside chunks: CBᵀ 2·Q²·N per group and chunk, (CBᵀ∘L)x 2·Q²·P per head and chunk:
  //   2 chunks × 2·65,536 × (128 + 24·64) = 436,207,616.
  // Chunk states Bᵀx and outputs C·h: 2 × 2·T·N·P per head = 4·512·196,608 = 402,653,184.
  assert.equal(op.matrixFlops, 24 * 838_860_800);
  // Vector: decay mask 3·(2·65,536)·24 = 9,437,184; per head and token 8·512·24 = 98,304;
  // per channel and token 3·512·1536 = 2,359,296; state passing 2 · 2 chunks · 196,608 = 786,432.
  assert.equal(op.vectorFlops, 24 * 12_681_216);
  // Bytes: x and y (2·1536), Δ (24), B and C (256) per token in bf16: 512·3352·2 = 3,432,448;
  // fp32 intermediates: chunk states 4 passes × 2 × 196,608, CBᵀ 2 passes × 131,072, decays
  // 4 passes × 512·24: 4 bytes × 1,884,160 = 7,536,640. A, D, dt_bias: 3·24 bf16. Final state fp32.
  assert.deepEqual(op.bytes, { weights: 24 * 144, activations: 24 * 10_969_088, kvCache: 0, state: 24 * 786_432 });
});

test("SSD within one chunk is quadratic in the prompt, and prompts split at the chunk size", () => {
  // T = 100 < Q: one chunk of 100 tokens: 2·100²·(128 + 1536) + 4·100·196,608 = 111,923,200.
  assert.equal(ssd(prefillOps(preset("mamba2-130m"), 1, 100, FLASH_FUSED)).matrixFlops, 24 * 111_923_200);
  assert.deepEqual(promptPieces(preset("mamba2-130m")), [{ first: 1, last: 1 }, { first: 2, last: 256 }, { first: 257, last: Infinity }]);
  // With a local window too, both breakpoints, in order.
  const hybrid: ModelSpec = { ...preset("mamba2-130m"), pattern: ["mamba2", "local-attention"], attention: { ...preset("griffin-1b").attention!, window: 100 } };
  assert.deepEqual(promptPieces(hybrid), [{ first: 1, last: 1 }, { first: 2, last: 101 }, { first: 102, last: 256 }, { first: 257, last: Infinity }]);
});

test("a Mamba-2 decode step updates the E·N state per sequence; the decode state does not grow", () => {
  const spec = preset("mamba2-130m");
  const op = ssd(decodeOps(spec, 2, 4096, FLASH_FUSED));
  assert.equal(op.name, "SSD state update");
  assert.equal(op.matrixFlops, 0);
  // Per sequence: 5 per state element (196,608), 8 per head (24), 3 per channel (1536) = 987,840.
  assert.equal(op.vectorFlops, 24 * 2 * 987_840);
  // State read and written, fp32: 2 × 2 sequences × 786,432.
  assert.equal(op.bytes.state, 24 * 2 * 2 * 786_432);
  // Per sequence: 24 × 786,432 SSM state + 24 × 4 × (1536 + 256) × 2 conv state = 18,874,368 + 344,064.
  const cache = cacheBytesPerSequence(spec, 1_000_000, DEFAULT_DTYPES);
  assert.equal(cache.recurrentState, 18_874_368);
  assert.equal(cache.convState, 344_064);
  assert.equal(cache.total, 19_218_432);
});

test("SSD work never falls as the prompt grows, across the chunk boundary too (property)", () => {
  const base = preset("mamba2-130m");
  fc.assert(fc.property(fc.integer({ min: 1, max: 512 }), fc.integer({ min: 2, max: 2048 }), (chunkSize, tokens) => {
    const spec: ModelSpec = { ...base, mamba2: { ...base.mamba2!, chunkSize } };
    const [now, next] = [tokens, tokens + 1].map((t) => ssd(prefillOps(spec, 1, t, FLASH_FUSED)));
    return next!.matrixFlops >= now!.matrixFlops && next!.vectorFlops >= now!.vectorFlops && next!.bytes.activations >= now!.bytes.activations;
  }), { numRuns: 200 });
});

test("a Mamba or Mamba-2 decode step costs the same at any cached length (property)", () => {
  fc.assert(fc.property(fc.constantFrom("mamba-130m", "mamba2-130m"), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 64 }), (name, context, batch) => {
    const spec = preset(name);
    const strip = (ops: OpCost[]) => ops.map(({ shape: _, ...rest }) => rest);
    assert.deepStrictEqual(strip(decodeOps(spec, batch, context, FLASH_FUSED)), strip(decodeOps(spec, batch, 1, FLASH_FUSED)));
  }), { numRuns: 50 });
});
