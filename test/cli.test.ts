// The command line end to end: real processes, real exit codes, the JSON contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

function roofline(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("the main command prints the model, the chip, both phases and what bounds them", () => {
  const { status, stdout } = roofline("--model", "griffin-7b", "--hw", "tpu-v3");
  assert.equal(status, 0);
  assert.match(stdout, /Model griffin-7b: width 4096, depth 32 \(22 recurrent \+ 10 local-attention\)/);
  assert.match(stdout, /6,921,254,912/);
  assert.match(stdout, /bf16 matrix \(MXU\)\s*│\s*123 TFLOP\/s\s*│\s*137/);
  assert.match(stdout, /prefill of 2,048 tokens, batch 1/);
  assert.match(stdout, /decode step at 4,096 cached tokens, batch 1/);
  // Decode of a 13.8 GB model at 900 GB/s: ≈15.4 ms and memory bound ([G] §5.1 eq. 5).
  assert.match(stdout, /decode step at 4,096 cached tokens, batch 1: 15\.4 ms, memory bound/);
  assert.match(stdout, /prefill of 2,048 tokens, batch 1: \d+ ms, compute bound \(matrix unit\)/);
});

test("--json follows the documented contract", () => {
  const { status, stdout } = roofline("--model", "recurrentgemma-2b", "--hw", "tpu-v5e", "--phase", "decode,generate", "--context", "8192", "--json");
  assert.equal(status, 0);
  const doc = JSON.parse(stdout);
  assert.equal(doc.schema, "roofline.analysis");
  assert.equal(doc.version, 1);
  assert.equal(doc.model.params.total, 2_682_862_080);
  assert.equal(doc.model.params.embedding, 655_360_000);
  assert.equal(doc.model.params.nonEmbedding, 2_027_502_080);
  assert.equal(doc.phase, "decode");
  assert.equal(doc.memory.cacheBytesPerSequence, 17_238_016);
  assert.equal(doc.memory.weightBytes, 2_682_862_080 * 2);
  // 16e9 bytes of HBM − 5,365,724,160 of weights leaves room for ⌊10,634,275,840 / 17,238,016⌋ = 616.
  assert.equal(doc.memory.maxBatch, 616);
  for (const key of ["matrixFlops", "vectorFlops", "flops", "bytes", "intensity", "seconds", "upperBoundSeconds", "bound"]) {
    assert.ok(key in doc.totals, key);
  }
  for (const key of ["name", "block", "count", "matrixFlops", "vectorFlops", "bytes", "intensity", "seconds", "bound"]) {
    assert.ok(key in doc.ops[0], key);
  }
  const sumSeconds = doc.ops.reduce((s: number, op: { seconds: number }) => s + op.seconds, 0);
  assert.ok(Math.abs(sumSeconds - doc.totals.seconds) < 1e-12);
  const generate = doc.phases[1];
  assert.equal(generate.phase, "generate");
  for (const key of ["ttftSeconds", "decodeSeconds", "totalSeconds", "tokensPerSecond"]) assert.ok(generate.generate[key] > 0, key);
});

test("--csv prints one row per op with a header", () => {
  const { status, stdout } = roofline("--model", "hawk-1b", "--hw", "h100-sxm", "--phase", "decode", "--csv");
  assert.equal(status, 0);
  const lines = stdout.trim().split("\n");
  assert.match(lines[0]!, /^model,hardware,phase,batch,/);
  assert.equal(lines.length, 1 + 1 + 10 + 6 + 2); // header, embedding, recurrent block, MLP, final norm + head
  assert.ok(lines.slice(1).every((line) => line.startsWith("hawk-1b,h100-sxm,decode,1,")));
});

test("--set overrides a model field and the result is validated", () => {
  const wide = JSON.parse(roofline("--model", "griffin-1b", "--hw", "tpu-v3", "--set", "window=2048", "--phase", "decode", "--context", "4096", "--json").stdout);
  const narrow = JSON.parse(roofline("--model", "griffin-1b", "--hw", "tpu-v3", "--phase", "decode", "--context", "4096", "--json").stdout);
  assert.equal(wide.model.spec.attention.window, 2048);
  // 8 local layers · 2 · (2048 − 1024) more positions · 128 · 2 bytes.
  assert.equal(wide.memory.cacheBytesPerSequence - narrow.memory.cacheBytesPerSequence, 8 * 2 * 1024 * 128 * 2);
  const bad = roofline("--model", "griffin-1b", "--hw", "tpu-v3", "--set", "window=-1");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /attention\.window/);
});

test("bad input exits non-zero with a clear message and prints nothing on stdout", () => {
  const cases: [string[], RegExp][] = [
    [["--model", "griffin-8b", "--hw", "tpu-v3"], /unknown model "griffin-8b"/],
    [["--model", "griffin-7b", "--hw", "tpu-v9"], /unknown hardware "tpu-v9"/],
    [["--model", "griffin-7b", "--hw", "tpu-v3", "--batch", "NaN"], /--batch: expected a positive integer, got "NaN"/],
    [["--model", "griffin-7b", "--hw", "tpu-v3", "--seq", "-4"], /--seq: expected a positive integer/],
    [["--model", "griffin-7b", "--hw", "tpu-v3", "--phase", "serve"], /unknown phase "serve"/],
    [["--model", "griffin-7b", "--hw", "tpu-v3", "--dtype", "int8"], /tpu-v3 has no int8 matrix ceiling/],
    [["--model", "griffin-7b", "--hw", "tpu-v3", "--scan", "magic"], /--scan: expected fused, naive or associative/],
    [["--model", "griffin-7b"], /Missing required argument: hw/],
  ];
  for (const [args, message] of cases) {
    const result = roofline(...args);
    assert.equal(result.status, 2, args.join(" "));
    assert.match(result.stderr, message);
    assert.equal(result.stdout, "");
  }
});

test("a user's model file and profile file are read and validated", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-cli-"));
  const modelFile = path.join(dir, "tiny.json");
  const spec = JSON.parse(roofline("models", "--show", "hawk-100m").stdout);
  fs.writeFileSync(modelFile, JSON.stringify({ ...spec, name: "<tiny>", depth: 2 }));
  const ok = roofline("--model", modelFile, "--hw", "l4", "--json");
  assert.equal(ok.status, 0);
  assert.equal(JSON.parse(ok.stdout).model.name, "<tiny>");

  fs.writeFileSync(modelFile, JSON.stringify({ ...spec, width: "wide" }));
  const bad = roofline("--model", modelFile, "--hw", "l4");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /tiny\.json: invalid/);
  assert.match(bad.stderr, /width: Invalid input: expected number/);

  const profileFile = path.join(dir, "chip.json");
  fs.writeFileSync(profileFile, JSON.stringify({ schemaVersion: 1, id: "x" }));
  const badProfile = roofline("--model", "hawk-100m", "--hw", profileFile);
  assert.equal(badProfile.status, 2);
  assert.match(badProfile.stderr, /chip\.json: invalid/);
  assert.match(badProfile.stderr, /compute: /);
});

test("roofline hw and roofline models list what is bundled", () => {
  const hw = roofline("hw");
  assert.equal(hw.status, 0);
  assert.match(hw.stdout, /tpu-v3\s*│.*│\s*137\s*│\s*4\.22/);
  const models = roofline("models", "--json");
  const list = JSON.parse(models.stdout);
  // 21 of the Griffin paper, RecurrentGemma 2B and 9B, Llama-2-7B, 5 Mamba, 5 Mamba-2, 5 GPT-3.
  assert.equal(list.length, 39);
  assert.equal(list.find((m: { name: string }) => m.name === "recurrentgemma-9b").params.total, 8_579_977_216);
  assert.equal(list.find((m: { name: string }) => m.name === "mamba-2.8b").params.total, 2_768_345_600);
});
