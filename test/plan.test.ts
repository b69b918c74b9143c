// Plans: one entry per op instance, whose predictions add back up to the analysis.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { loadProfile } from "../src/hardware/load.js";
import { planEntries } from "../src/plan/plan.js";
import { analyzePhase, DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

test("per-instance predictions × layer counts add up to the phase's roofline time", () => {
  const spec = preset("griffin-1b");
  const ceilings = ceilingsFor(loadProfile("h200"), "bf16");
  const entries = planEntries(spec, "prefill", 4, 1024, FLASH_FUSED, ceilings);
  const total = analyzePhase(spec, "prefill", { ...DEFAULT_SCENARIO, batch: 4, seqTokens: 1024 }, FLASH_FUSED, ceilings).totals.seconds;
  const sum = entries.reduce((s, e) => s + e.predicted.seconds * e.count, 0);
  assert.ok(Math.abs(sum - total) <= 1e-12 * total);
  // One layer's q projection: m = 4·1024 tokens, k = 2048, n = 16·128 = 2048, no bias.
  const q = entries.find((e) => e.op === "q projection")!;
  assert.deepEqual(q.shape, { m: 4096, k: 2048, n: 2048, bias: 0 });
  assert.equal(q.predicted.matrixFlops, 2 * 4096 * 2048 * 2048);
  // By hand on the H200 (989.4 TFLOP/s bf16, 4.8 TB/s): 34,359,738,368 FLOPs take 34.7 µs; the
  // weights (2048·2048·2), input and output (4096·2048·2 each), 41,943,040 bytes, take 8.74 µs.
  // Compute bound: the prediction is the compute time.
  assert.equal(q.predicted.bytes, 41_943_040);
  assert.ok(Math.abs(q.predicted.seconds / (34_359_738_368 / 989.4e12) - 1) < 1e-12);
  assert.equal(q.predicted.bound, "matrix");
  assert.equal(q.count, 8); // 24 layers: 16 recurrent + 8 local attention
  assert.equal(q.id, "griffin-1b|prefill|B4|T1024|local-attention|q projection|forward");
});

test("a plan with several implementations lists each implementation-dependent op once per implementation", () => {
  const result = spawnSync(process.execPath, [main, "plan", "--model", "griffin-100m", "--hw", "tpu-v3", "--phase", "prefill",
    "--seq", "256", "--attention", "flash,dense", "--scan", "fused,naive,associative"], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const plan = JSON.parse(result.stdout);
  const ids = plan.kernels.map((k: { id: string }) => k.id);
  assert.equal(new Set(ids).size, ids.length);
  const ops = plan.kernels.map((k: { op: string }) => k.op);
  assert.deepEqual(ops.filter((o: string) => o.startsWith("RG-LRU scan")), ["RG-LRU scan (fused)", "RG-LRU scan (naive)", "RG-LRU scan (associative)"]);
  assert.deepEqual(ops.filter((o: string) => o.startsWith("attention core")), ["attention core (flash)", "attention core (dense)"]);
  assert.equal(ops.filter((o: string) => o === "q projection").length, 1);
  const bad = spawnSync(process.execPath, [main, "plan", "--model", "griffin-100m", "--hw", "tpu-v3", "--phase", "generate"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /"generate" cannot be planned/);
});
