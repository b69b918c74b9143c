import { test } from "node:test";
import assert from "node:assert/strict";
import { countParams } from "../src/models/params.js";
import { layerCounts } from "../src/models/layers.js";
import { PRESETS } from "../src/models/presets.js";
import { preset } from "./helpers.js";

test("recurrentgemma-2b has exactly 2,682,862,080 parameters", () => {
  // D = R = 2560, N = 26 (18 recurrent + 8 local attention), F = 7680, H = 10, hd = 256, K = 1,
  // G = 10, V = 256,000.
  //   embedding        V·D                          = 655,360,000
  //   recurrent block  3·D·R + 2·R²/G + 10·R + D     = 19,660,800 + 1,310,720 + 25,600 + 2,560 = 20,999,680
  //   attention block  2·D·H·hd + 2·D·K·hd + D       = 13,107,200 + 1,310,720 + 2,560 = 14,420,480
  //   MLP              3·D·F + 2·F + D              = 58,982,400 + 15,360 + 2,560 = 59,000,320
  //   norms            2·D per layer + D final
  //   total = 655,360,000 + 18·20,999,680 + 8·14,420,480 + 26·(59,000,320 + 5,120) + 2,560
  //         = 655,360,000 + 377,994,240 + 115,363,840 + 1,534,141,440 + 2,560 = 2,682,862,080
  const counts = countParams(preset("recurrentgemma-2b"));
  assert.equal(counts.total, 2_682_862_080);
  assert.equal(counts.embedding, 655_360_000);
  assert.equal(counts.nonEmbedding, 2_027_502_080); // the "2.03B non-embedding" of the model card
});

test("recurrentgemma-9b has exactly 8,579,977,216 parameters", () => {
  // D = R = 4096, N = 38 (26 recurrent + 12 attention), F = 12,288, H = 16, hd = 256, G = 16.
  //   embedding  256,000·4096 = 1,048,576,000
  //   recurrent  3·4096² + 2·4096²/16 + 10·4096 + 4096 = 50,331,648 + 2,097,152 + 40,960 + 4,096 = 52,473,856
  //   attention  2·4096·4096 + 2·4096·256 + 4096 = 33,554,432 + 2,097,152 + 4,096 = 35,655,680
  //   MLP        3·4096·12,288 + 2·12,288 + 4096 = 150,994,944 + 28,672 = 151,023,616
  //   total = 1,048,576,000 + 26·52,473,856 + 12·35,655,680 + 38·(151,023,616 + 8,192) + 4,096
  //         = 1,048,576,000 + 1,364,320,256 + 427,868,160 + 5,739,208,704 + 4,096 = 8,579,977,216
  const counts = countParams(preset("recurrentgemma-9b"));
  assert.equal(counts.total, 8_579_977_216);
  assert.equal(counts.nonEmbedding, 7_531_401_216); // "7.53B non-embedding"
});

test("llama-2-7b has exactly 6,738,415,616 parameters", () => {
  // Untied: embedding and output head 2·32,000·4096 = 262,144,000. Per layer: attention 4·4096²
  // = 67,108,864, SwiGLU 3·4096·11,008 = 135,266,304, two norms 8,192 → 202,383,360 × 32
  // = 6,476,267,520. Plus the final norm 4,096: 6,738,415,616.
  const counts = countParams(preset("llama-2-7b"));
  assert.equal(counts.total, 6_738_415_616);
  assert.equal(counts.embedding, 262_144_000);
  assert.equal(counts.byBlock.outputHead, 131_072_000);
});

test("the 7B-config MQA model is the paper's '6B'", () => {
  // Per layer: attention 2·4096² + 2·4096·128 + 4096 = 34,607,104; MLP 3·4096·12,288 + 2·12,288 + 4096
  // = 151,023,616; norms 8,192. × 32 = 5,940,445,184, + final norm 4,096 + embedding 131,072,000.
  const counts = countParams(preset("mqa-7b"));
  assert.equal(counts.total, 5_940_445_184 + 4_096 + 131_072_000);
  assert.ok(counts.total > 5.5e9 && counts.total < 6.5e9);
});

test("griffin-7b has exactly 6,921,254,912 parameters: 6,918,701,056 in matrices, 2,553,856 in vectors", () => {
  // [G] App. C Table 2, row 7b: D = 4096, R = 5632, N = 32 (22 recurrent + 10 local attention),
  // H = 32, hd = 128, K = 1, F = 3·D = 12,288, G = 16, conv width 4; V = 32,000, tied embeddings.
  // Matrices are the linear weights, the gates and the embedding; vectors the biases, conv taps,
  // Λ and norm scales (griffin.md's block formulas, split).
  //   embedding   V·D                                   = 131,072,000 (matrix)
  //   recurrent   matrix 3·D·R + 2·R²/G = 69,206,016 + 2·1,982,464 = 73,170,944
  //               vector 10·R + D = 56,320 + 4,096                  = 60,416
  //               × 22: 1,609,760,768 + 1,329,152                   = 1,611,089,920
  //   attention   matrix 2·D·H·hd + 2·D·K·hd = 33,554,432 + 1,048,576 = 34,603,008
  //               vector D (the output projection's bias)           = 4,096
  //               × 10: 346,030,080 + 40,960                        = 346,071,040
  //   MLP         matrix 3·D·F = 150,994,944; vector 2·F + D = 28,672
  //               × 32: 4,831,838,208 + 917,504                     = 4,832,755,712
  //   norms       2·D per layer + D final = 32·8,192 + 4,096        = 266,240 (vector)
  //   matrix = 131,072,000 + 1,609,760,768 + 346,030,080 + 4,831,838,208 = 6,918,701,056
  //   vector = 1,329,152 + 40,960 + 917,504 + 266,240                     = 2,553,856
  const counts = countParams(preset("griffin-7b"));
  assert.equal(counts.total, 6_921_254_912);
  assert.equal(counts.matrix, 6_918_701_056);
  assert.equal(counts.vector, 2_553_856);
  assert.deepEqual(counts.byBlock, {
    embedding: 131_072_000, recurrent: 1_611_089_920, localAttention: 346_071_040, globalAttention: 0, mamba: 0, mamba2: 0,
    mlp: 4_832_755_712, norms: 266_240, outputHead: 0,
  });
});

test("hawk-7b has exactly 7,307,497,472 parameters: 7,304,380,416 in matrices, 3,117,056 in vectors", () => {
  // The same widths as griffin-7b with all 32 temporal blocks recurrent:
  //   recurrent   × 32: matrix 32·73,170,944 = 2,341,470,208; vector 32·60,416 = 1,933,312
  //   MLP, norms and embedding as griffin-7b: 4,832,755,712, 266,240 and 131,072,000
  //   matrix = 131,072,000 + 2,341,470,208 + 4,831,838,208 = 7,304,380,416
  //   vector = 1,933,312 + 917,504 + 266,240             = 3,117,056
  const counts = countParams(preset("hawk-7b"));
  assert.equal(counts.total, 7_307_497_472);
  assert.equal(counts.matrix, 7_304_380_416);
  assert.equal(counts.vector, 3_117_056);
  assert.equal(counts.byBlock.recurrent, 2_343_403_520);
  assert.equal(counts.byBlock.localAttention + counts.byBlock.globalAttention, 0);
});

test("Griffin's pattern truncates to the paper's layer counts", () => {
  // [G] §3: (recurrent, recurrent, local) repeated; N=32 → 22 + 10, N=26 → 18 + 8, N=38 → 26 + 12.
  assert.deepEqual(layerCounts(preset("griffin-7b")), { recurrent: 22, "local-attention": 10, "global-attention": 0, mamba: 0, mamba2: 0 });
  assert.deepEqual(layerCounts(preset("recurrentgemma-2b")), { recurrent: 18, "local-attention": 8, "global-attention": 0, mamba: 0, mamba2: 0 });
  assert.deepEqual(layerCounts(preset("recurrentgemma-9b")), { recurrent: 26, "local-attention": 12, "global-attention": 0, mamba: 0, mamba2: 0 });
});

// The sums below only say that the parts are consistent; the 7b tests above pin both sides by hand.
test("every paper preset exists for every size, and the block counts add up to the total", () => {
  for (const family of ["mqa", "hawk", "griffin"]) {
    for (const size of ["100m", "200m", "400m", "1b", "3b", "7b", "14b"]) preset(`${family}-${size}`);
  }
  for (const spec of PRESETS) {
    const c = countParams(spec);
    const sum = Object.values(c.byBlock).reduce((a, b) => a + b, 0);
    assert.equal(sum, c.total, spec.name);
    assert.equal(c.matrix + c.vector, c.total, spec.name);
  }
});
