// Writes reports/comparisons-hawk-mamba-griffin-mqa.md: Hawk, Mamba, Griffin and the MQA
// Transformer at about 1B and 3B parameters on an H100 and a TPU v5e (prefill and decode latency
// against length, the largest batch, decode throughput against batch, the decode state of one
// sequence), with the Griffin and Mamba papers' qualitative claims beside what the cost model
// computes. Every number is a roofline lower bound at the chip's vendor peaks (bf16, flash
// attention, fused scans), with no efficiency factor. Run by `npm run reports`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_IMPLEMENTATION } from "../src/cost/phases.js";
import { loadProfile } from "../src/hardware/load.js";
import { findPreset } from "../src/models/presets.js";
import type { ModelSpec } from "../src/models/schema.js";
import { analyze, DEFAULT_SCENARIO, type Phase, type PhaseResult } from "../src/roofline/analyze.js";
import { formatBytes, formatCount, formatInteger, formatSeconds } from "../src/views/format.js";

const root = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
const output = path.join(root, "reports", "comparisons-hawk-mamba-griffin-mqa.md");

const SIZES = {
  "about 1B": ["hawk-1b", "mamba-1.4b", "griffin-1b", "mqa-1b"],
  "about 3B": ["hawk-3b", "mamba-2.8b", "griffin-3b", "mqa-3b"],
} as const;
const CHIPS = ["h100-sxm", "tpu-v5e"] as const;
const LENGTHS = [2048, 8192, 32_768] as const;
const BATCHES = [1, 16, 128] as const;
/** The context at which the largest batch and the throughput at it are read. */
const SERVING_CONTEXT = 8192;

const model = (name: string): ModelSpec => {
  const spec = findPreset(name);
  if (!spec) throw new Error(`no preset ${name}`);
  return spec;
};

/** One phase of one model on one chip at a point. */
function phase(name: string, chip: string, which: Phase, point: { batch?: number; seq?: number; context?: number; prompt?: number; newTokens?: number }): PhaseResult {
  const scenario = {
    ...DEFAULT_SCENARIO,
    batch: point.batch ?? 1,
    seqTokens: point.seq ?? DEFAULT_SCENARIO.seqTokens,
    contextTokens: point.context ?? DEFAULT_SCENARIO.contextTokens,
    promptTokens: point.prompt ?? DEFAULT_SCENARIO.promptTokens,
    newTokens: point.newTokens ?? DEFAULT_SCENARIO.newTokens,
  };
  return analyze(model(name), loadProfile(chip), [which], scenario, DEFAULT_IMPLEMENTATION).phases[0]!;
}

const prefillSeconds = (name: string, chip: string, tokens: number) => phase(name, chip, "prefill", { seq: tokens }).totals.seconds;
const decodeStep = (name: string, chip: string, context: number, batch = 1) => phase(name, chip, "decode", { context, batch });
const largestBatch = (name: string, chip: string, context: number) => decodeStep(name, chip, context).memory.maxBatch ?? 0;
/** New tokens per second across the batch in one decode step at `context`; null when the batch does not fit. */
function throughput(name: string, chip: string, context: number, batch: number): number | null {
  if (batch > largestBatch(name, chip, context)) return null;
  return batch / decodeStep(name, chip, context, batch).totals.seconds;
}
const perSecond = (value: number | null) => (value === null ? "does not fit" : `${formatCount(value)}/s`);

function sizeTables(label: string, names: readonly string[]): string[] {
  const lines = [`## ${label}: ${names.join(", ")}`, ""];
  lines.push("| model | parameters | decode state per sequence at " + LENGTHS.map(formatInteger).join(" / ") + " tokens |", "| --- | --- | --- |");
  for (const name of names) {
    const params = analyze(model(name), loadProfile(CHIPS[0]), ["decode"], DEFAULT_SCENARIO, DEFAULT_IMPLEMENTATION).params.total;
    const states = LENGTHS.map((length) => formatBytes(decodeStep(name, CHIPS[0], length).memory.cacheBytesPerSequence));
    lines.push(`| ${name} | ${formatCount(params)} | ${states.join(" / ")} |`);
  }
  for (const chip of CHIPS) {
    lines.push("", `### ${chip}`, "");
    lines.push(`| model | prefill, batch 1: ${LENGTHS.map(formatInteger).join(" / ")} tokens | decode step, batch 1, at ${LENGTHS.map(formatInteger).join(" / ")} cached | largest batch at ${formatInteger(SERVING_CONTEXT)} | decode tokens/s at ${formatInteger(SERVING_CONTEXT)}, batch ${BATCHES.join(" / ")} / largest |`);
    lines.push("| --- | --- | --- | --- | --- |");
    for (const name of names) {
      const prefill = LENGTHS.map((length) => formatSeconds(prefillSeconds(name, chip, length))).join(" / ");
      const decode = LENGTHS.map((length) => formatSeconds(decodeStep(name, chip, length).totals.seconds)).join(" / ");
      const largest = largestBatch(name, chip, SERVING_CONTEXT);
      const rates = [...BATCHES, largest].map((batch) => perSecond(throughput(name, chip, SERVING_CONTEXT, batch))).join(" / ");
      lines.push(`| ${name} | ${prefill} | ${decode} | ${formatInteger(largest)} | ${rates} |`);
    }
  }
  return lines;
}

/** "a ×1.00, b ×3.2": a decode step at the longest length over one at the shortest, per model. */
function decodeGrowth(chip: string, names: readonly string[], batch: number): string {
  const [first, last] = [LENGTHS[0], LENGTHS[LENGTHS.length - 1]!];
  return names.map((name) => {
    if (batch > largestBatch(name, chip, last)) return `${name} does not fit`;
    return `${name} ×${(decodeStep(name, chip, last, batch).totals.seconds / decodeStep(name, chip, first, batch).totals.seconds).toFixed(2)}`;
  }).join(", ");
}

function maxThroughputs(chip: string, names: readonly string[]): string {
  return names.map((name) => `${name} ${perSecond(throughput(name, chip, SERVING_CONTEXT, largestBatch(name, chip, SERVING_CONTEXT)))} (batch ${formatInteger(largestBatch(name, chip, SERVING_CONTEXT))})`).join(", ");
}

/** The Mamba paper's setting (Fig. 8 right): prompt 2,048, 128 new tokens, on an A100 80GB. */
function generateThroughput(name: string, batch: number): number | null {
  const chip = "a100-80gb";
  if (batch > largestBatch(name, chip, 2048 + 128)) return null;
  return phase(name, chip, "generate", { batch, prompt: 2048, newTokens: 128 }).generate!.tokensPerSecond;
}

function claims(): string[] {
  const oneB = SIZES["about 1B"];
  const threeB = SIZES["about 3B"];
  const lines = ["## The papers' claims beside what the model computes", ""];
  lines.push("Claims are paraphrased; [G] is De et al. 2024 (arXiv 2402.19427), [M] Gu & Dao 2023 (arXiv 2312.00752). The papers measured real kernels; the numbers here are lower bounds, so they test the direction of a claim, not its size.", "");
  lines.push("1. **[G] §5: the MQA Transformer's sampling latency grows with the sequence, Hawk's and Griffin's stay nearly flat** (its KV cache grows; their state, and Griffin's windowed cache, do not).");
  for (const chip of CHIPS) {
    for (const batch of [1, 16]) {
      lines.push(`   - Computed, decode step at ${formatInteger(LENGTHS[LENGTHS.length - 1]!)} over ${formatInteger(LENGTHS[0])} cached tokens, batch ${batch}, ${chip}: ` +
        `${decodeGrowth(chip, oneB, batch)} (about 1B); ${decodeGrowth(chip, threeB, batch)} (about 3B).`);
    }
  }
  lines.push("2. **[G] §5.1: decode is memory bound; a smaller decode state lets a larger batch fit, which is where most of the recurrent models' throughput gain comes from.**");
  for (const chip of CHIPS) lines.push(`   - Computed, largest batch at ${formatInteger(SERVING_CONTEXT)} tokens on ${chip}: ${oneB.map((n) => `${n} ${formatInteger(largestBatch(n, chip, SERVING_CONTEXT))}`).join(", ")}.`);
  lines.push("3. **[G] §5: Hawk and Griffin reach a higher maximum throughput than the MQA Transformer, Hawk the highest.**");
  for (const chip of CHIPS) lines.push(`   - Computed, decode tokens/s at the largest batch at ${formatInteger(SERVING_CONTEXT)} tokens, ${chip}: ${maxThroughputs(chip, oneB)}.`);
  const mamba = "mamba-1.4b";
  const transformer = "gpt3-1.3b";
  const rates = [1, 16, 64, 128].map((batch) => {
    const m = generateThroughput(mamba, batch);
    const t = generateThroughput(transformer, batch);
    return `batch ${batch}: ${perSecond(m)} against ${perSecond(t)}${m !== null && t !== null ? ` (×${(m / t).toFixed(2)})` : ""}`;
  });
  lines.push("4. **[M] §4.5, Fig. 8: Mamba generates with about 5× the throughput of a Transformer of similar size** (Mamba-1.4B against a 1.3B Transformer, prompt 2,048, 128 new tokens, A100 80GB).");
  lines.push(`   - Computed on a100-80gb, ${mamba} against ${transformer} (GPT-3 sizes, multi-head attention), new tokens/s prefill included: ${rates.join("; ")}.`);
  lines.push("   - A bound shows the direction (and that the Transformer's batch is capped by its KV cache) but not the measured ratio: both models are memory bound at small batches, where the bound gives them times in the ratio of the bytes they read.");
  lines.push("5. **[M] §3.3, [G] §2.4: the recurrent state of one sequence has a fixed size, independent of the context.** See the decode-state columns above: the Mamba and Hawk rows do not change with the length; Griffin's grows only until its 1,024-token window is full; the MQA Transformer's grows linearly.");
  return lines;
}

const text = [
  "# Hawk, Mamba, Griffin and the MQA Transformer at about 1B and 3B parameters",
  "",
  "Written by `npm run reports` (scripts/comparisons.ts) from the presets and hardware profiles. Every time is a roofline lower bound at the chip's vendor peaks: bf16 weights, activations and cache, fp32 recurrent state, flash attention, fused scans, no efficiency factor (the HTML reports beside this file add the calibrated estimates where a chip has them). Per chip: the H100 SXM (80 GB) and one TPU v5e chip (16 GB).",
  "",
  ...sizeTables("About 1B", SIZES["about 1B"]),
  "",
  ...sizeTables("About 3B", SIZES["about 3B"]),
  "",
  ...claims(),
  "",
].join("\n");
fs.writeFileSync(output, text);
console.log(`wrote ${path.relative(root, output)}`);
