// Many chips: collectives timed by the α–β model, Griffin's tensor-parallel split and its
// communication, training memory with ZeRO, energy and cost. Every expected number is worked out
// by hand in the comment above it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadProfile } from "../src/hardware/load.js";
import { countParams } from "../src/models/params.js";
import { analyze, DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { pathFor, timeCollective, type CollectivePath } from "../src/parallel/collectives.js";
import { analyzeMesh } from "../src/parallel/mesh-analysis.js";
import { meshFrom, shardSpec, unshardableReasons } from "../src/parallel/mesh.js";
import { energyAndCost } from "../src/parallel/energy.js";
import { activationBytesPerToken, DEFAULT_OPTIMIZER_DTYPES, trainingMemory } from "../src/parallel/training-memory.js";
import { InputError } from "../src/errors.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const close = (actual: number, expected: number, what: string, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${what}: ${actual} vs ${expected}`);

const tpuV3 = loadProfile("tpu-v3");
const h100 = loadProfile("h100-sxm");

test("a ring all-reduce of 1 GB on 8 A100s through NVSwitch takes 2·7/8 GB over 300 GB/s", () => {
  // NVLink 3: 12 links × 25 GB/s per direction = 300 GB/s per GPU into the switch. A ring
  // all-reduce sends 2(p−1)/p · S = 1.75 GB per GPU: 1.75e9 / 300e9 = 5.833 ms, in 2(p−1) = 14
  // steps of 0.47 µs (NCCL's NVLink ring step): 6.58 µs more. A tree would send 2S = 2 GB: 6.67 ms.
  const path = pathFor(loadProfile("a100-80gb"), 8, 8);
  assert.equal(path.bytesPerSecondPerDirection, 300e9);
  const t = timeCollective("all-reduce", 1e9, 8, path);
  assert.equal(t.algorithm, "ring");
  assert.equal(t.hops, 14);
  close(t.bytesSentPerChip, 1.75e9, "bytes sent");
  close(t.seconds, 14 * 0.47e-6 + 1.75e9 / 300e9, "seconds");
});

test("an H100's NVSwitch sums the all-reduce itself: each GPU sends 1 GB once, not 1.75 GB", () => {
  // NVLink SHARP: up to the switch and back, 2 steps; 1e9 / 450e9 = 2.222 ms + 2 × 0.47 µs. The
  // ring, asked for by name, is 14 × 0.47 µs + 1.75e9 / 450e9 = 3.895 ms.
  const path = pathFor(h100, 8, 8);
  const best = timeCollective("all-reduce", 1e9, 8, path);
  assert.equal(best.algorithm, "in-switch");
  close(best.seconds, 2 * 0.47e-6 + 1e9 / 450e9, "in-switch");
  close(timeCollective("all-reduce", 1e9, 8, path, "ring").seconds, 14 * 0.47e-6 + 1.75e9 / 450e9, "ring");
  // A100's switch has no such unit.
  assert.throws(() => timeCollective("all-reduce", 1e9, 8, pathFor(loadProfile("a100-80gb"), 8, 8), "in-switch"), /not possible over NVLink 3/);
});

test("on a TPU-v3 torus axis the ring runs both ways: 8 chips, 1 GB, 100 GB/s per link per direction, 1 µs per hop", () => {
  // Bidirectional ring: half the buffer each way, so 1.75 GB at 2 × 100 GB/s = 8.75 ms, in
  // 2·⌈7/2⌉ = 8 steps of 1 µs: 8.758 ms.
  const path = pathFor(tpuV3, 8, 8);
  assert.equal(path.directions, 2);
  const t = timeCollective("all-reduce", 1e9, 8, path);
  assert.equal(t.algorithm, "bidirectional-ring");
  assert.equal(t.hops, 8);
  close(t.seconds, 8e-6 + 1.75e9 / 2e11, "seconds");
  // A 1 kB all-reduce is latency-bound and takes the tree: 2·log2(8) = 6 hops and 2 kB at
  // 100 GB/s = 6 µs + 20 ns, against the ring's 8 µs + 8.75 ns.
  const small = timeCollective("all-reduce", 1e3, 8, path);
  assert.equal(small.algorithm, "tree");
  close(small.seconds, 6e-6 + 2e3 / 1e11, "small seconds");
});

test("all-gather, reduce-scatter and all-to-all on a bidirectional ring of 8", () => {
  const path: CollectivePath = { link: "test", scope: "scale-up", bytesPerSecondPerDirection: 1e11, directions: 2, latencySecondsPerHop: 0, note: "" };
  // All-gather of an 8 GB result: each chip sends 7/8 · 8 GB = 7 GB at 2 × 100 GB/s = 35 ms.
  close(timeCollective("all-gather", 8e9, 8, path).seconds, 0.035, "all-gather");
  close(timeCollective("reduce-scatter", 8e9, 8, path).seconds, 0.035, "reduce-scatter");
  // All-to-all of 8 GB per chip: 1 GB to each other chip at distances 1,2,3,4,3,2,1 (sum 16);
  // 8 chips × 16 GB-hops over 16 directed links = 8 GB on the busiest link: 80 ms.
  close(timeCollective("all-to-all", 8e9, 8, path).seconds, 0.08, "all-to-all");
});

test("a collective beyond the scale-up domain crosses the host network, or is refused without one", () => {
  // 16 H100s span two 8-GPU NVLink nodes: the data axis takes InfiniBand at 50 GB/s per GPU.
  const path = pathFor(h100, 2, 16);
  assert.equal(path.scope, "scale-out");
  assert.equal(path.bytesPerSecondPerDirection, 5e10);
  // TPU v3 has no network in its profile; 2048 chips exceed its 1024-chip pod.
  assert.throws(() => pathFor(tpuV3, 2048, 2048), (e: unknown) => e instanceof InputError && /1024-chip ICI domain/.test(e.message));
});

test("Griffin 7B split over 2 chips: half of R, F, H and G per chip; the single key/value head whole on each", () => {
  const spec = preset("griffin-7b");
  const shard = shardSpec(spec, 2);
  assert.equal(shard.recurrent!.width, 2816); // 5632 / 2
  assert.equal(shard.recurrent!.gateBlocks, 8); // 16 / 2: each chip keeps whole gate blocks of 352 channels
  assert.equal(shard.mlp!.hiddenWidth, 6144); // 12288 / 2
  assert.equal(shard.attention!.heads, 16); // 32 / 2
  assert.equal(shard.attention!.kvHeads, 1); // replicated
  const single = analyze(spec, tpuV3, ["prefill"], DEFAULT_SCENARIO, FLASH_FUSED).phases[0]!;
  const mesh = analyzeMesh(spec, tpuV3, ["prefill"], DEFAULT_SCENARIO, FLASH_FUSED, { mesh: meshFrom({ tensor: 2 }), optimizer: DEFAULT_OPTIMIZER_DTYPES }).phases[0]!;
  const op = (ops: typeof single.ops, name: string) => ops.find((o) => o.name === name)!;
  // Block-diagonal gates: 2·(2·m·R·R/G) → R/2 channels with R/G unchanged: exactly half.
  assert.equal(op(mesh.perChip.ops, "RG-LRU gates").matrixFlops * 2, op(single.ops, "RG-LRU gates").matrixFlops);
  assert.equal(op(mesh.perChip.ops, "up-projection (gate branch)").matrixFlops * 2, op(single.ops, "up-projection (gate branch)").matrixFlops);
  // The k projection is replicated: the same work on each chip as on one.
  assert.equal(op(mesh.perChip.ops, "k projection").matrixFlops, op(single.ops, "k projection").matrixFlops);
  // The vocabulary splits (32,000 / 2): half of the LM head per chip.
  assert.equal(shard.vocabSize, 16_000);
  assert.equal(op(mesh.perChip.ops, "LM head (tied embedding)").matrixFlops * 2, op(single.ops, "LM head (tied embedding)").matrixFlops);
  // Communication: one all-reduce per temporal block and one per MLP, of the block's output,
  // 2048 tokens × 4096 × 2 bytes = 16,777,216 bytes, and one of the embedding's output (each chip
  // looked up only its half of the rows). On two chips of a TPU-v3 torus axis each sends
  // 2·(1/2)·S = S at 2 × 100 GB/s = 83.886 µs, in 2·⌈1/2⌉ = 2 hops of 1 µs: 85.886 µs.
  // 1 + 22 recurrent + 10 local attention + 32 MLP = 65 of them; Conv1D, gates and scan add none.
  // Then the last token's logits are gathered: 32,000 × 2 bytes, of which each chip sends half,
  // 32 kB at 200 GB/s = 160 ns, in ⌈1/2⌉ = 1 hop: 1.16 µs.
  const bytes = 2048 * 4096 * 2;
  assert.deepEqual(mesh.collectives.map((c) => [c.block, c.count, c.bytes, c.kind]), [
    ["other", 1, bytes, "all-reduce"], ["recurrent", 22, bytes, "all-reduce"], ["local-attention", 10, bytes, "all-reduce"], ["mlp", 32, bytes, "all-reduce"],
    ["other", 1, 64_000, "all-gather"],
  ]);
  for (const c of mesh.collectives.slice(0, 4)) close(c.seconds, 2e-6 + bytes / 2e11, `${c.block} all-reduce`);
  close(mesh.collectives[4]!.seconds, 1e-6 + 32_000 / 2e11, "logits all-gather");
  close(mesh.communicationSeconds, 65 * (2e-6 + bytes / 2e11) + 1e-6 + 32_000 / 2e11, "communication");
});

test("a tensor-parallel degree that does not divide heads, gate blocks or widths is refused with the reasons", () => {
  const spec = preset("griffin-7b");
  // 5632/3, 16/3 and 32/3 are not whole; F = 12288 is.
  assert.deepEqual(unshardableReasons(spec, 3), [
    "the recurrent width R = 5632 is not a multiple of 3",
    "the RG-LRU gate blocks G = 16 is not a multiple of 3",
    "the query heads H = 32 is not a multiple of 3",
  ]);
  // 32 chips would cut gate blocks in half (G = 16).
  assert.throws(() => shardSpec(spec, 32), /gate blocks G = 16 is not a multiple of 32/);
});

test("Adam on a 1B model: 16 bytes per parameter, and what ZeRO takes off each chip", () => {
  const spec = preset("hawk-1b");
  // Hawk 1B: D 2048, R 2560, F 6144, N 24, G 16, V 32,000 (tied). Recurrent block
  // 3·D·R + 2R²/G + 10R + D = 15,728,640 + 819,200 + 25,600 + 2,048 = 16,575,488; MLP
  // 3·D·F + 2F + D = 37,748,736 + 14,336 = 37,763,072; norms (2·24+1)·2048 = 100,352;
  // embedding 65,536,000. Total 24 · 54,338,560 + 100,352 + 65,536,000 = 1,369,761,792.
  const P = 1_369_761_792;
  assert.equal(countParams(spec).total, P);
  const capacity = 80e9;
  const one = trainingMemory(spec, spec, meshFrom({}), FLASH_FUSED, DEFAULT_OPTIMIZER_DTYPES, 1, 2048, false, capacity);
  // bf16 weights 2 + bf16 gradients 2 + fp32 master, m and v 12 = 16 bytes per parameter.
  assert.equal(one.parameterBytes, 2 * P);
  assert.equal(one.gradientBytes, 2 * P);
  assert.equal(one.optimizerBytes, 12 * P);
  // ZeRO over 8 replicas: stage 1 leaves 2 + 2 + 12/8 = 5.5 bytes per parameter, stage 3 16/8 = 2.
  const static_ = (zero: 0 | 1 | 2 | 3) => {
    const m = trainingMemory(spec, spec, meshFrom({ data: 8, zero }), FLASH_FUSED, DEFAULT_OPTIMIZER_DTYPES, 1, 2048, false, capacity);
    return m.parameterBytes + m.gradientBytes + m.optimizerBytes;
  };
  close(static_(1), 5.5 * P, "ZeRO 1");
  close(static_(2), (2 + 14 / 8) * P, "ZeRO 2");
  close(static_(3), 2 * P, "ZeRO 3");
});

test("saved activations per token of Griffin 7B's layers, and what tensor and sequence parallelism take off", () => {
  const spec = preset("griffin-7b");
  const none = activationBytesPerToken(spec, spec, { tensor: 1, sequenceParallel: false }, FLASH_FUSED);
  // Recurrent: bf16 (2·4096 + 7·5632) = 2·47,616 = 95,232, plus h in fp32 4·5632 = 22,528: 117,760.
  assert.equal(none.recurrent, 117_760);
  // Attention: bf16 (2·4096 + 2·32·128 + 2·1·128) = 2·16,640 = 33,280, plus 32 fp32 log-sum-exp: 33,408.
  assert.equal(none.attention, 33_408);
  // MLP: bf16 (2·4096 + 3·12,288) = 90,112.
  assert.equal(none.mlp, 90_112);
  // Two-way TP, sequence-parallel: recurrent bf16 (2·2048 + 7·2816) + 4·2816 = 47,616 + 11,264 = 58,880.
  const split = activationBytesPerToken(spec, shardSpec(spec, 2), { tensor: 2, sequenceParallel: true }, FLASH_FUSED);
  assert.equal(split.recurrent, 58_880);
});

test("a 7B Adam step on one 32 GiB TPU-v3 does not fit, says by how much, and finds what would", () => {
  const spec = preset("griffin-7b");
  const result = analyzeMesh(spec, tpuV3, ["train"], DEFAULT_SCENARIO, FLASH_FUSED, { mesh: meshFrom({ chips: 1 }), optimizer: DEFAULT_OPTIMIZER_DTYPES }).phases[0]!;
  const memory = result.trainingMemory!;
  // 16 bytes for each of its 6.92e9 parameters alone is ~111 GB, over 3× the chip's 34.4 GB.
  assert.equal(memory.fits, false);
  assert.ok(memory.parameterBytes + memory.gradientBytes + memory.optimizerBytes > 16 * 6.9e9);
  close(-memory.headroomBytes, memory.totalBytes - 2 ** 35, "shortfall");
  assert.equal(memory.maxBatchPerReplica, 0);
  assert.ok(result.wouldFit!.some((way) => /--zero 3 --remat/.test(way)), result.wouldFit!.join("; "));
});

test("energy and cost per token follow from power, chips, time and price", () => {
  // 2 TPU-v3 chips at 450 W for 1 s: 900 J; over 1000 tokens 0.9 J per token. At $3.60 per
  // chip-hour, 2 chip-seconds cost $0.002: $2 per million tokens.
  const e = energyAndCost(tpuV3, 2, 1, 1000, 3.6);
  close(e.joulesPerToken!, 0.9, "J per token");
  close(e.tokensPerJoule!, 1 / 0.9, "tokens per J");
  close(e.dollarsPerMillionTokens!, 2, "dollars per million tokens");
  assert.equal(e.priceSource, "--price-per-hour");
  // TPU v3's published mean power under load, 220 W: 2 × 220 J over 1000 tokens = 0.44 J per token.
  close(e.joulesPerTokenAtMeasuredPower!, 0.44, "J per token at the measured mean");
  // H100's profile gives a TDP only.
  assert.equal(energyAndCost(h100, 1, 1, 1).joulesPerTokenAtMeasuredPower, null);
  // Without a price the profile's dated default is used and named.
  assert.match(energyAndCost(tpuV3, 1, 1, 1).priceSource!, /tpu-v3 profile, \d{4}-\d{2}-\d{2}/);
});

test("one chip through the mesh analysis computes what the single-chip analysis does", () => {
  const spec = preset("griffin-1b");
  const phases = ["prefill", "decode", "generate", "train"] as const;
  const single = analyze(spec, tpuV3, phases, DEFAULT_SCENARIO, FLASH_FUSED);
  const mesh = analyzeMesh(spec, tpuV3, phases, DEFAULT_SCENARIO, FLASH_FUSED, { mesh: meshFrom({}), optimizer: DEFAULT_OPTIMIZER_DTYPES });
  mesh.phases.forEach((p, i) => {
    assert.deepEqual(p.perChip.totals, single.phases[i]!.totals, p.phase);
    assert.equal(p.collectives.length, 0);
    assert.equal(p.seconds, single.phases[i]!.totals.seconds);
  });
});

test("the overlapped bound never exceeds the no-overlap bound, and --overlap picks it as the headline", () => {
  const spec = preset("griffin-7b");
  fc.assert(fc.property(fc.constantFrom(1, 2, 4, 8, 16), fc.constantFrom(1, 2, 4), fc.constantFrom(0, 1, 2, 3), fc.boolean(), fc.boolean(), (tensor, data, zero, overlap, sequenceParallel) => {
    const mesh = meshFrom({ tensor, data, zero, overlap, sequenceParallel });
    const result = analyzeMesh(spec, tpuV3, ["decode", "train"], { ...DEFAULT_SCENARIO, batch: 4 }, FLASH_FUSED, { mesh, optimizer: DEFAULT_OPTIMIZER_DTYPES });
    for (const p of result.phases) {
      assert.ok(p.overlapSeconds <= p.noOverlapSeconds);
      assert.equal(p.seconds, overlap ? p.overlapSeconds : p.noOverlapSeconds);
      assert.ok(p.communicationShare >= 0 && p.communicationShare < 1);
    }
  }), { numRuns: 40 });
});

test("a mesh whose degrees disagree, or a batch that does not split over the replicas, is refused", () => {
  assert.throws(() => meshFrom({ chips: 16, tensor: 4, data: 2 }), /4 × --dp 2 = 8 chips, not the 16/);
  assert.throws(() => meshFrom({ chips: 6, tensor: 4 }), /--tp 4 does not divide --chips 6/);
  assert.deepEqual(meshFrom({ chips: 16, tensor: 4 }), { chips: 16, tensor: 4, data: 4, sequenceParallel: false, zero: 0, overlap: false });
  assert.throws(
    () => analyzeMesh(preset("griffin-7b"), tpuV3, ["decode"], { ...DEFAULT_SCENARIO, batch: 3 }, FLASH_FUSED, { mesh: meshFrom({ data: 2 }), optimizer: DEFAULT_OPTIMIZER_DTYPES }),
    /--batch 3 does not split over --dp 2/,
  );
});

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });

test("the command line: a 7B training step on one TPU-v3 chip says it does not fit, by how much, and what would", () => {
  const run = roofline("--model", "griffin-7b", "--hw", "tpu-v3", "--chips", "1", "--phase", "train");
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /does NOT fit on tpu-v3: [\d.]+ GB over its 34\.4 GB/);
  assert.match(run.stdout, /What would fit: .*--zero 3 --remat/);
  assert.match(run.stdout, /each of its 2 TensorCores is its own device/);
});

test("the command line's JSON lists every collective with its share, and the shares add up to communication's", () => {
  const run = roofline("--model", "griffin-7b", "--hw", "tpu-v3", "--chips", "8", "--tp", "4", "--dp", "2", "--zero", "3", "--phase", "train", "--batch", "2", "--json");
  assert.equal(run.status, 0, run.stderr);
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.schema, "roofline.mesh-analysis");
  const train = doc.phases[0];
  const shares = train.collectives.reduce((sum: number, c: { share: number }) => sum + c.share, 0);
  close(shares, train.communicationShare, "shares", 1e-9);
  // ZeRO 3 gathers the parameters twice (forward, backward) and reduce-scatters the gradients.
  assert.deepEqual(train.collectives.filter((c: { axis: string }) => c.axis === "data").map((c: { kind: string }) => c.kind), ["reduce-scatter", "all-gather", "all-gather"]);
});

test("the command line refuses a mesh given both as a file and as flags", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-mesh-"));
  const file = path.join(dir, "mesh.json");
  fs.writeFileSync(file, JSON.stringify({ chips: 2, tp: 2 }));
  const run = roofline("--model", "griffin-100m", "--hw", "h200", "--mesh", file, "--tp", "2");
  assert.equal(run.status, 2);
  assert.match(run.stderr, /give the mesh in the file or as flags, not both/);
  fs.rmSync(dir, { recursive: true });
});

test("a sweep on a mesh: one row per point, each the mesh analysis of that point", () => {
  const run = roofline("sweep", "--model", "griffin-100m", "--hw", "tpu-v3,h100-sxm", "--chips", "4", "--tp", "2", "--phase", "decode,train", "--seq", "512", "--batch", "2,4", "--format", "json");
  assert.equal(run.status, 0, run.stderr);
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.schema, "roofline.mesh-sweep");
  // 1 model × 2 phases × 1 length × 2 chips × 2 batches.
  assert.equal(doc.rows.length, 8);
  const row = doc.rows.find((r: { hardware: string; phase: string; batch: number }) => r.hardware === "tpu-v3" && r.phase === "decode" && r.batch === 4);
  const expected = analyzeMesh(preset("griffin-100m"), tpuV3, ["decode"], { ...DEFAULT_SCENARIO, batch: 4, contextTokens: 512 }, FLASH_FUSED,
    { mesh: meshFrom({ chips: 4, tensor: 2 }), optimizer: DEFAULT_OPTIMIZER_DTYPES }).phases[0]!;
  assert.equal(row.seconds, expected.seconds);
  assert.equal(row.communicationSeconds, expected.communicationSeconds);
  assert.equal(row.dollarsPerMillionTokens, expected.energy.dollarsPerMillionTokens);
  assert.equal(row.tp, 2);
  assert.equal(row.dp, 2);
  // H100 has no price in its profile: the cost is null, the energy is not.
  const h100Row = doc.rows.find((r: { hardware: string }) => r.hardware === "h100-sxm");
  assert.equal(h100Row.dollarsPerMillionTokens, null);
  assert.ok(h100Row.joulesPerToken > 0);
});

test("a sweep on a mesh writes one CSV header however many chunks its rows take", () => {
  // 2 batches × 600-odd lengths: more rows than one chunk of 1000.
  const run = roofline("sweep", "--model", "hawk-100m", "--hw", "tpu-v3", "--dp", "2", "--phase", "decode", "--seq", "256..65536*1.01", "--batch", "2,4");
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.ok(lines.length > 1001, `${lines.length} lines`);
  assert.equal(lines.filter((l) => l.startsWith("model,")).length, 1);
  assert.equal(lines[0], "model,hardware,chips,tp,dp,zero,sequenceParallel,phase,batch,seqTokens,contextTokens,promptTokens,newTokens,seconds,computeSeconds,communicationSeconds,noOverlapSeconds,overlapSeconds,communicationShare,tokensPerSecond,bytesPerChip,fits,maxBatchPerReplica,joulesPerToken,tokensPerJoule,joulesPerTokenAtMeasuredPower,dollarsPerMillionTokens");
});

test("a sweep on a mesh refuses batches that do not split over the replicas", () => {
  const run = roofline("sweep", "--model", "hawk-100m", "--hw", "tpu-v3", "--dp", "4", "--batch", "2,8,6");
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--batch: 2, 6 do not split over --dp 4 replicas/);
});

test("rematerialisation's trade is shown both ways: the memory it saves and the time it costs", () => {
  const spec = preset("griffin-1b");
  const scenario = { ...DEFAULT_SCENARIO, batch: 2 };
  const mesh = meshFrom({ data: 2, zero: 1 });
  const result = analyzeMesh(spec, tpuV3, ["train"], scenario, FLASH_FUSED, { mesh, optimizer: DEFAULT_OPTIMIZER_DTYPES }).phases[0]!;
  const remat = analyzeMesh(spec, tpuV3, ["train"], { ...scenario, rematerialise: true }, FLASH_FUSED, { mesh, optimizer: DEFAULT_OPTIMIZER_DTYPES }).phases[0]!;
  const trade = result.rematerialisation!;
  // Both runs report the same trade, each side being the other run's own figures.
  assert.deepEqual(remat.rematerialisation, trade);
  assert.equal(trade.withoutBytes, result.trainingMemory!.totalBytes);
  assert.equal(trade.withBytes, remat.trainingMemory!.totalBytes);
  assert.equal(trade.withSeconds, remat.seconds);
  // One sequence per replica: the saving is one sequence's activations less its checkpoints.
  close(trade.withoutBytes - trade.withBytes, result.trainingMemory!.activationBytesPerSequence - remat.trainingMemory!.activationBytesPerSequence, "saved");
  assert.ok(trade.withSeconds > trade.withoutSeconds);
});

test("collective invariants: a ring all-reduce is a reduce-scatter then an all-gather, and time grows with bytes", () => {
  const paths = [pathFor(tpuV3, 8, 8), pathFor(loadProfile("a100-80gb"), 8, 8), pathFor(h100, 8, 16)];
  fc.assert(fc.property(fc.constantFrom(...paths), fc.integer({ min: 2, max: 64 }), fc.double({ min: 1, max: 1e10, noNaN: true }), fc.double({ min: 1.01, max: 100, noNaN: true }), (path, chips, bytes, grow) => {
    const ring = timeCollective("all-reduce", bytes, chips, path, path.directions === 2 ? "bidirectional-ring" : "ring");
    const scatter = timeCollective("reduce-scatter", bytes, chips, path);
    const gather = timeCollective("all-gather", bytes, chips, path);
    close(ring.bandwidthSeconds, scatter.bandwidthSeconds + gather.bandwidthSeconds, "bandwidth", 1e-9);
    assert.equal(ring.hops, scatter.hops + gather.hops);
    // The fastest all-reduce is never slower than the ring, and a bigger buffer never takes less time.
    assert.ok(timeCollective("all-reduce", bytes, chips, path).seconds <= ring.seconds);
    for (const kind of ["all-reduce", "all-gather", "reduce-scatter", "all-to-all"] as const) {
      assert.ok(timeCollective(kind, bytes * grow, chips, path).seconds >= timeCollective(kind, bytes, chips, path).seconds);
    }
  }), { numRuns: 200 });
});

test("the report's cost and energy per token come from one decode step's throughput, the price and the power", async () => {
  const { costPoints } = await import("../src/report/charts/cost.js");
  const data = {
    chips: [{ profile: tpuV3 }, { profile: loadProfile("l4") }],
    throughput: [
      { chip: "tpu-v3", model: "m", batch: 8, tokensPerSecond: 1000, isMaxBatch: false },
      { chip: "l4", model: "m", batch: 8, tokensPerSecond: 500, isMaxBatch: false },
    ],
  } as unknown as Parameters<typeof costPoints>[0];
  const [tpu, l4] = costPoints(data);
  // TPU v3 at its profile's $2.00 per chip-hour: 2 / 3600 / 1000 tokens/s × 1e6 = $0.5556 per
  // million tokens; at 450 W, 0.45 J per token.
  close(tpu!.dollarsPerMillionTokens!, (2 / 3600 / 1000) * 1e6, "TPU cost");
  close(tpu!.joulesPerToken!, 0.45, "TPU energy");
  // L4: no price in its profile; 72 W / 500 tokens/s = 0.144 J per token.
  assert.equal(l4!.dollarsPerMillionTokens, null);
  close(l4!.joulesPerToken!, 0.144, "L4 energy");
  // --price-per-hour overrides every profile's price.
  const priced = costPoints({ ...data, pricePerChipHour: 0.9 } as typeof data);
  close(priced[1]!.dollarsPerMillionTokens!, (0.9 / 3600 / 500) * 1e6, "L4 at the given price");
});
