// The Mamba block and presets: parameter counts, op costs and decode state, worked by hand from
// mamba_ssm's Mamba (modules/mamba_simple.py) and the released checkpoints' configs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cacheBytesPerSequence } from "../src/cost/memory.js";
import { decodeOps, prefillOps } from "../src/cost/phases.js";
import { countParams } from "../src/models/params.js";
import { validateModel } from "../src/models/overrides.js";
import { FLASH_FUSED, preset } from "./helpers.js";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";

test("mamba-130m has exactly 129,135,360 parameters, the 129M of the released checkpoint", () => {
  // D = 768, 24 layers, E = 2D = 1536, N = 16, R = ⌈768/16⌉ = 48, k = 4, V = 50,277 padded to 50,280.
  //   in_proj   D·2E                = 2,359,296   (no bias)
  //   conv1d    k·E + E             =     7,680   (taps and bias)
  //   x_proj    E·(R + 2N) = 1536·80 =   122,880
  //   dt_proj   R·E + E             =    75,264   (weight and bias)
  //   A_log     E·N                 =    24,576
  //   D         E                   =     1,536
  //   out_proj  E·D                 = 1,179,648
  //   norm      D                   =       768
  //   per layer                       3,771,648;  × 24 = 90,519,552
  //   embedding 50,280·768 = 38,615,040 (tied), final norm 768
  //   total 90,519,552 + 38,615,040 + 768 = 129,135,360
  const counts = countParams(preset("mamba-130m"));
  assert.equal(counts.total, 129_135_360);
  assert.equal(counts.embedding, 38_615_040);
  assert.equal(counts.byBlock.mamba, 24 * (3_771_648 - 768));
  assert.equal(counts.byBlock.mlp, 0);
  assert.equal(counts.byBlock.norms, 25 * 768);
});

test("the Mamba presets' parameter counts match the released checkpoints (370M, 790M, 1.4B, 2.8B)", () => {
  // Per layer, with E = 2D, R = ⌈D/16⌉, N = 16, k = 4:
  //   2·D·E + E·(R + 32) + R·E + E·D  (matrices) + 4E + E + E + 16E + E + D (conv, dt bias, A_log, D, norm)
  //   = 6D² + E·(2R + 32) + 23E + D.
  // D = 1024, R = 64, 48 layers: 6,291,456 + 2048·160 + 47,104 + 1024 = 6,667,264;
  //   × 48 = 320,028,672; + 50,280·1024 = 51,486,720; + 1024 → 371,516,416 (published "371M").
  // D = 1536, R = 96, 48 layers: 14,155,776 + 3072·224 + 70,656 + 1536 = 14,916,096;
  //   × 48 = 715,972,608; + 77,230,080 + 1536 → 793,204,224 ("793M").
  // D = 2048, R = 128, 48 layers: 25,165,824 + 4096·288 + 94,208 + 2048 = 26,441,728;
  //   × 48 = 1,269,202,944; + 102,973,440 + 2048 → 1,372,178,432 ("1.37B").
  // D = 2560, R = 160, 64 layers: 39,321,600 + 5120·352 + 117,760 + 2560 = 41,244,160;
  //   × 64 = 2,639,626,240; + 128,716,800 + 2560 → 2,768,345,600 ("2.77B").
  assert.equal(countParams(preset("mamba-370m")).total, 371_516_416);
  assert.equal(countParams(preset("mamba-790m")).total, 793_204_224);
  assert.equal(countParams(preset("mamba-1.4b")).total, 1_372_178_432);
  assert.equal(countParams(preset("mamba-2.8b")).total, 2_768_345_600);
});

const named = (ops: ReturnType<typeof prefillOps>, prefix: string) => {
  const op = ops.find((o) => o.name.startsWith(prefix));
  assert.ok(op, `no op ${prefix}`);
  return op;
};

test("a Mamba prefill costs what the block's shapes give: in_proj, the fused selective scan and its bytes", () => {
  const ops = prefillOps(preset("mamba-130m"), 1, 2048, FLASH_FUSED);
  // in_proj: 24 layers × 2 × 2,048 tokens × 768 × 3,072 = 231,928,233,984 FLOPs on the matrix units.
  assert.equal(named(ops, "in_proj").matrixFlops, 231_928_233_984);
  const scan = named(ops, "selective scan");
  assert.equal(scan.name, "selective scan (fused, gated)");
  // Vector FLOPs per layer: per channel step (2,048 × 1,536 = 3,145,728) softplus 3 + Δu 1 + Du 2
  // + the SiLU(z) gate 4 + 1 = 11 → 34,603,008; per state element (× 16 = 50,331,648) 7 →
  // 352,321,536. Sum 386,924,544, × 24 = 9,286,189,056.
  assert.equal(scan.vectorFlops, 9_286_189_056);
  // Bytes per layer: u, Δ, z read and y written (4 × 3,145,728 bf16) plus B and C (2 × 2,048 × 16
  // bf16) = 25,296,896; A and D (1,536 × 17 bf16) = 52,224; the final state written, 1,536 × 16
  // fp32 = 98,304. No Ā, B̄u or h reach HBM in the fused kernel.
  assert.deepEqual(scan.bytes, { weights: 24 * 52_224, activations: 24 * 25_296_896, kvCache: 0, state: 24 * 98_304 });
  // The block has no MLP and no attention: nothing but Mamba and the ends.
  assert.deepEqual([...new Set(ops.map((o) => o.block))], ["other", "mamba"]);
});

test("the unfused selective scan writes Ā and B̄u and moves h through HBM every step; the gate is its own op", () => {
  const naive = prefillOps(preset("mamba-130m"), 1, 2048, { ...FLASH_FUSED, scan: "naive" });
  const scan = named(naive, "selective scan");
  assert.equal(scan.name, "selective scan (naive)");
  // Activations per layer: u, Δ read and y written (3 × 3,145,728 bf16) + B, C (2 × 2,048 × 16
  // bf16 = 131,072) = 19,005,440; Ā and B̄u written and read in fp32 (16 bytes per state element)
  // and h read and written in fp32 (8 bytes): 24 × 50,331,648 = 1,207,959,552. Sum 1,226,964,992.
  assert.equal(scan.bytes.activations, 24 * 1_226_964_992);
  // The gate then reads y and z and writes the output: 3 × 3,145,728 bf16 per layer.
  assert.equal(named(naive, "gate").bytes.activations, 24 * 3 * 3_145_728 * 2);
});

test("a Mamba decode step reads and writes the SSM and conv states, and the decode state per sequence is fixed", () => {
  const spec = preset("mamba-130m");
  const ops = decodeOps(spec, 4, 1000, FLASH_FUSED);
  // Batch 4: SSM state 1,536 × 16 fp32 = 98,304 bytes per sequence and layer, read and written.
  assert.equal(named(ops, "selective scan").bytes.state, 24 * 2 * 4 * 98_304);
  // Conv state: k = 4 inputs × 1,536 bf16 = 12,288 bytes per sequence and layer, read and written.
  assert.equal(named(ops, "Conv1D").bytes.state, 24 * 2 * 4 * 12_288);
  // Per sequence, at any length: 24 × (98,304 + 12,288) = 2,654,208 bytes; no KV cache.
  for (const tokens of [1, 4096, 1_000_000]) {
    const cache = cacheBytesPerSequence(spec, tokens, DEFAULT_DTYPES);
    assert.deepEqual(cache, { recurrentState: 24 * 98_304, convState: 24 * 12_288, localKv: 0, globalKv: 0, total: 2_654_208 });
  }
});

test("a model file with Mamba blocks needs their section, and may leave out the MLP", () => {
  const { mamba: _, ...withoutSection } = preset("mamba-130m");
  assert.throws(() => validateModel(withoutSection, "m.json"), /mamba.*required: the pattern has mamba blocks/s);
  assert.equal(validateModel(preset("mamba-130m"), "m.json").mlp, undefined);
});
