// Hugging Face config.json import: configurations written from each family's documented fields
// (test/fixtures/hf/*/config.json), their parameter counts checked against the published totals,
// and every cost-changing field the model cannot express refused by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadModel } from "../src/models/load.js";
import { countParams } from "../src/models/params.js";
import type { ModelSpec } from "../src/models/schema.js";
import { prefillOps } from "../src/cost/phases.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = (name: string) => path.join(root, "test/fixtures/hf", name);
const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8", cwd: root });

/** The fields that describe the model, without its name, family and source. */
const shapeOf = ({ name: _n, source: _s, family: _f, ...rest }: ModelSpec) => rest;

/** A copy of a fixture with some fields changed, in a fresh folder. */
function edited(name: string, changes: Record<string, unknown>): string {
  const config = { ...JSON.parse(fs.readFileSync(path.join(fixture(name), "config.json"), "utf8")), ...changes };
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "hf-"));
  const file = path.join(folder, "config.json");
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

test("Llama-2-7B's config.json is the llama-2-7b preset: 6,738,415,616 parameters (published 6.74B)", () => {
  const spec = loadModel(fixture("llama-2-7b"));
  assert.deepEqual(shapeOf(spec), shapeOf(preset("llama-2-7b")));
  assert.equal(spec.name, "llama-2-7b");
  assert.equal(spec.source, `loaded from ${path.join(fixture("llama-2-7b"), "config.json")} (Hugging Face llama configuration)`);
  // 32 × (4·4096² attention + 3·4096·11,008 MLP + 2·4096 norms) + 2·32,000·4096 + 4096
  //   = 32 × (67,108,864 + 135,266,304 + 8,192) + 262,144,000 + 4,096 = 6,738,415,616.
  assert.equal(countParams(spec).total, 6_738_415_616);
});

test("Mistral-7B v0.1: grouped-query attention with a 4,096-token window on every layer, 7,241,732,096 parameters (7.24B)", () => {
  const spec = loadModel(fixture("mistral-7b-v0.1"));
  assert.deepEqual(spec.pattern, ["local-attention"]);
  assert.equal(spec.attention!.window, 4096);
  assert.equal(spec.attention!.kvHeads, 8);
  // Attention 2·4096² + 2·4096·1024 = 41,943,040; MLP 3·4096·14,336 = 176,160,768; norms 8,192.
  // 32 × 218,112,000 + 2·32,000·4096 (untied) + 4096 = 6,979,584,000 + 262,144,000 + 4,096.
  assert.equal(countParams(spec).total, 7_241_732_096);
});

test("Gemma-2B: multi-query attention, head dim 256, scaled tied embeddings, 2,506,172,416 parameters (2.51B)", () => {
  const spec = loadModel(fixture("gemma-2b"));
  assert.equal(spec.scaleEmbeddings, true);
  assert.equal(spec.tiedEmbeddings, true);
  assert.equal(spec.mlp!.activation, "gelu");
  // Attention 2·2048·2048 + 2·2048·256 = 9,437,184; MLP 3·2048·16,384 = 100,663,296; norms 4,096.
  // 18 × 110,104,576 + 256,000·2048 + 2048 = 1,981,882,368 + 524,288,000 + 2,048.
  assert.equal(countParams(spec).total, 2_506_172_416);
});

test("Gemma-2-2B: local and global layers alternate, four norms a layer, capped scores: 2,614,341,888 parameters (2.61B)", () => {
  const spec = loadModel(fixture("gemma-2-2b"));
  assert.deepEqual(spec.pattern, ["local-attention", "global-attention"]);
  assert.equal(spec.attention!.window, 4096);
  assert.equal(spec.attention!.logitSoftcap, 50);
  assert.equal(spec.logitSoftcap, 30);
  assert.equal(spec.postNorms, true);
  // Attention 2·2304·2048 + 2·2304·1024 = 14,155,776; MLP 3·2304·9216 = 63,700,992; norms 4·2304.
  // 26 × 77,865,984 + 256,000·2304 + 2304 = 2,024,515,584 + 589,824,000 + 2,304.
  assert.equal(countParams(spec).total, 2_614_341_888);
  // The score soft-cap adds tanh(s/c)·c, 3 FLOPs, to the softmax's 5 per score: at one 4-token
  // prompt, a global layer scores 4·5/2 = 10 pairs per head, 8 heads: 80 scores × 8 FLOPs × 13 layers.
  const core = prefillOps(spec, 1, 4, FLASH_FUSED).find((op) => op.name === "attention core (flash)" && op.block === "global-attention")!;
  assert.equal(core.vectorFlops, 13 * 80 * 8);
  // A post-norm on each of the two sub-blocks of every layer.
  assert.equal(prefillOps(spec, 1, 4, FLASH_FUSED).filter((op) => op.name === "post-norm (RMSNorm)").reduce((n, op) => n + op.count, 0), 2 * 26);
});

test("Qwen2-7B: biases on q, k and v only, untied, 7,615,616,512 parameters (7.62B)", () => {
  const spec = loadModel(fixture("qwen2-7b"));
  assert.equal(spec.attention!.qkvBias, true);
  assert.equal(spec.attention!.outputBias, false);
  // Attention 3584² · 2 + 3584·512 · 2 + biases 3584 + 2·512 = 29,364,736; MLP 3·3584·18,944 =
  // 203,685,888; norms 7,168. 28 × 233,057,792 + 2·152,064·3584 + 3584
  //   = 6,525,618,176 + 1,089,994,752 + 3,584.
  assert.equal(countParams(spec).total, 7_615_616_512);
});

test("RecurrentGemma-2B's config.json is the recurrentgemma-2b preset: 2,682,862,080 parameters (2.68B)", () => {
  // transformers' MLP is intermediate_size / 2 = 7,680 wide per branch; one RG-LRU gate block per head.
  const spec = loadModel(fixture("recurrentgemma-2b"));
  assert.deepEqual(shapeOf(spec), shapeOf(preset("recurrentgemma-2b")));
  assert.equal(countParams(spec).total, 2_682_862_080);
});

test("Mamba-130M's config.json is the mamba-130m preset; residual_in_fp32 is stated as not modelled", () => {
  const spec = loadModel(fixture("mamba-130m"));
  assert.deepEqual(shapeOf(spec), shapeOf(preset("mamba-130m")));
  assert.equal(countParams(spec).total, 129_135_360);
  assert.match(spec.source!, /not modelled: residual_in_fp32: the residual stream is costed at the activation dtype/);
});

test("Falcon-Mamba-7B: E = 8,192, Δ rank 256, norms on Δ, B and C without a scale, 7,272,665,088 parameters (7.27B)", () => {
  const spec = loadModel(fixture("falcon-mamba-7b"));
  assert.equal(spec.mamba!.innerNorms, "unscaled");
  // Per layer: in_proj 4096·16,384 = 67,108,864; conv 4·8192 + 8192 = 40,960; x_proj 8192·(256 + 32)
  // = 2,359,296; dt_proj 256·8192 + 8192 = 2,105,344; A_log 131,072; D 8,192; out_proj
  // 33,554,432; norm 4,096 → 105,312,256. 64 layers = 6,739,984,384; untied embeddings
  // 2·65,024·4096 = 532,676,608; final norm 4,096.
  assert.equal(countParams(spec).total, 7_272_665_088);
  const norms = prefillOps(spec, 1, 8, FLASH_FUSED).find((op) => op.name.startsWith("Δ, B, C norms"))!;
  assert.equal(norms.bytes.weights, 0); // no scale to read
  assert.equal(norms.vectorFlops, 64 * 4 * 8 * (256 + 32)); // RMSNorm, 4 FLOPs per element
});

test("Mamba-Codestral-7B (mamba2): 128 heads of 64, 8 groups of B and C, 7,285,403,648 parameters (its model card's count)", () => {
  const spec = loadModel(fixture("mamba-codestral-7b"));
  assert.deepEqual(spec.mamba2, { innerWidth: 8192, headDim: 64, stateSize: 128, groups: 8, convWidth: 4, chunkSize: 256, convBias: true, projectionBias: false });
  // Per layer: in_proj 4096·(2·8192 + 2·8·128 + 128) = 76,021,760; conv (8192 + 2048)·5 = 51,200;
  // dt_bias, A_log, D 3·128 = 384; gated norm 8,192; out_proj 33,554,432; norm 4,096 → 109,640,064.
  // 64 layers = 7,016,964,096; untied embeddings 2·32,768·4096 = 268,435,456; final norm 4,096.
  assert.equal(countParams(spec).total, 7_285_403_648);
  assert.throws(() => loadModel(edited("mamba-codestral-7b", { num_heads: 100 })), /num_heads: num_heads · head_dim must equal expand · hidden_size/);
});

test("mamba_ssm's own config.json (state-spaces checkpoints) gives the mamba-130m and mamba2-2.7b presets", () => {
  // vocab_size 50,277 padded to pad_vocab_size_multiple: 50,280 (8) and 50,288 (16), as MambaLMHeadModel pads it.
  const mamba = loadModel(path.join(root, "test/fixtures/mamba-ssm/mamba-130m"));
  assert.deepEqual(shapeOf(mamba), shapeOf(preset("mamba-130m")));
  assert.match(mamba.source!, /\(mamba_ssm configuration\)/);
  const mamba2 = loadModel(path.join(root, "test/fixtures/mamba-ssm/mamba2-2.7b"));
  assert.deepEqual(shapeOf(mamba2), shapeOf(preset("mamba2-2.7b")));
  assert.equal(countParams(mamba2).total, 2_702_599_680);
  // Attention at listed layers is not a repeating pattern: refused by name.
  const hybrid = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ssm-")), "config.json");
  fs.writeFileSync(hybrid, JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(root, "test/fixtures/mamba-ssm/mamba2-2.7b/config.json"), "utf8")), attn_layer_idx: [9, 18] }));
  assert.throws(() => loadModel(hybrid), /attn_layer_idx: \[9,18\] is not modelled \(attention at listed layers/);
});

test("Jamba v0.1 is refused for its mixture of experts; its dense form counts to the published 51.6B with the experts added", () => {
  const error = roofline("--model", fixture("jamba-v0.1"), "--hw", "h100-sxm");
  assert.equal(error.status, 2);
  assert.match(error.stderr, /jamba-v0\.1\/config\.json: num_experts: 16 is not modelled \(mixture-of-experts MLPs/);
  const spec = loadModel(edited("jamba-v0.1", { num_experts: 1 }));
  // One attention layer in eight, at offset 4: layers 4, 12, 20, 28 of 32.
  assert.deepEqual(spec.pattern, ["mamba", "mamba", "mamba", "mamba", "global-attention", "mamba", "mamba", "mamba"]);
  // Attention 2·4096² + 2·4096·1024 = 41,943,040 (no bias, no RoPE). Mamba 105,312,256 as in
  // Falcon Mamba's layer less its 4,096 norm, plus scaled Δ, B, C norms (256 + 2·16 = 288):
  // 105,308,448. MLP 3·4096·14,336 = 176,160,768, norms 2·4096 on every layer.
  // 4·41,943,040 + 28·105,308,448 + 32·176,168,960 + 2·65,536·4096 + 4096 = 9,290,690,432.
  assert.equal(countParams(spec).total, 9_290_690_432);
  // With v0.1's experts: 16 MLPs in each of the 16 MoE layers (15 more each) and a 4096 × 16 router:
  // 9,290,690,432 + 240·176,160,768 + 16·65,536 = 51,570,323,328, Jamba's published "52B" (51.6B).
  assert.equal(countParams(spec).total + 240 * 176_160_768 + 16 * 65_536, 51_570_323_328);
});

test("fields that change cost but are not modelled are refused by name; unknown fields too; type errors name the field", () => {
  assert.throws(() => loadModel(edited("qwen2-7b", { use_sliding_window: true })),
    /use_sliding_window: true is not modelled \(a sliding window on some layers only/);
  assert.throws(() => loadModel(edited("llama-2-7b", { num_local_experts: 8 })),
    /"num_local_experts" not known to the Hugging Face llama importer, so it may change cost and is refused/);
  assert.throws(() => loadModel(edited("mamba-130m", { rms_norm: false })), /rms_norm: false is not modelled \(LayerNorm/);
  assert.throws(() => loadModel(edited("llama-2-7b", { model_type: "mixtral" })), /model_type "mixtral" is not one the importer reads \(llama, mistral/);
  assert.throws(() => loadModel(edited("llama-2-7b", { hidden_size: "4096" })), /config\.json: invalid\n {2}hidden_size: /);
  assert.throws(() => loadModel(edited("llama-2-7b", { hidden_act: "relu" })), /hidden_act: "relu" is not an activation the model knows/);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "hf-"));
  assert.throws(() => loadModel(empty), /is a directory, not a model file, and holds no config\.json/);
});

test("`models --show` prints a loaded configuration as a model file; --set on it is labelled as derived", () => {
  const shown = roofline("models", "--show", "test/fixtures/hf/gemma-2b");
  assert.equal(shown.status, 0, shown.stderr);
  const spec = JSON.parse(shown.stdout) as ModelSpec;
  assert.equal(spec.name, "gemma-2b");
  assert.equal(spec.source, "loaded from test/fixtures/hf/gemma-2b/config.json (Hugging Face gemma configuration)");
  const derived = roofline("--model", "test/fixtures/hf/gemma-2b", "--hw", "h100-sxm", "--set", "depth=12", "--phase", "decode");
  assert.equal(derived.status, 0, derived.stderr);
  assert.match(derived.stdout, /^Model gemma-2b \(depth=12\): width 2048, depth 12/);
  assert.ok(derived.stdout.includes("source: derived from gemma-2b with --set depth=12; gemma-2b: loaded from test/fixtures/hf/gemma-2b/config.json"));
  // A model file of the project's own format, under a name of its own, is labelled the same way.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "model-")), "my-mamba.json");
  fs.writeFileSync(file, JSON.stringify({ ...preset("mamba-130m"), name: "my-mamba", source: undefined }));
  const mine = loadModel(file, ["depth=12"]);
  assert.equal(mine.name, "my-mamba (depth=12)");
  assert.equal(mine.source, `derived from my-mamba with --set depth=12; my-mamba: loaded from ${file}`);
});
