// The CPU path of the kernel harness end to end, on small shapes: measure the ceilings into a
// profile, plan a model against it, time every kernel with PyTorch, and read the results back.
// Needs Debian's python3-torch (/usr/bin/python3); .ci/run installs it.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadProfile } from "../src/hardware/load.js";
import { readMeasurements } from "../src/measurements/read.js";
import type { Plan } from "../src/plan/plan.js";

const PYTHON = process.env.ROOFLINE_PYTHON ?? "/usr/bin/python3";
const hasTorch = fs.existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import torch"]).status === 0;
const skip = hasTorch ? false : `no PyTorch for ${PYTHON} (apt-get install python3-torch, or set ROOFLINE_PYTHON)`;
const root = fileURLToPath(new URL("../../", import.meta.url));
const main = path.join(root, "dist/src/cli/main.js");
const harness = path.join(root, "bench/kernels/harness.py");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-harness-"));

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: "utf8", cwd: root });
  assert.equal(result.status, 0, `${path.basename(command)} ${args.join(" ")}\n${result.stderr}`);
  return result;
}

let plan: Plan;

before(() => {
  if (!hasTorch) return;
  run(PYTHON, [harness, "ceilings", "--quick", "--id", "cpu-test", "--out", path.join(dir, "profile.json")]);
  run(process.execPath, [main, "plan", "--model", "griffin-100m,mqa-100m", "--hw", path.join(dir, "profile.json"),
    "--phase", "prefill,decode,train", "--seq", "64", "--batch", "1,2", "--attention", "flash,dense",
    "--scan", "fused,naive,associative", "--set", "vocab=1000", "-o", path.join(dir, "plan.json")]);
  plan = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8"));
  run(PYTHON, [harness, "run", "--plan", path.join(dir, "plan.json"), "--out", path.join(dir, "m.csv"),
    "--min-runs", "3", "--max-runs", "3", "--max-seconds", "0.05", "--warmups", "1", "--flush-bytes", "4194304"]);
});

test("the measured CPU profile is a valid hardware profile with measured ceilings", { skip }, () => {
  const profile = loadProfile(path.join(dir, "profile.json"));
  assert.equal(profile.id, "cpu-test");
  const metrics = profile.measured.map((m) => m.metric).sort();
  assert.deepEqual([...new Set(metrics)], ["matrix", "memory-copy", "memory-triad", "vector"]);
  assert.equal(profile.compute.vector.flopsPerSecond.confidence, "measured");
});

test("every planned kernel is measured and checked, or skipped with a reason", { skip }, () => {
  const { rows } = readMeasurements(path.join(dir, "m.csv"));
  const env = JSON.parse(fs.readFileSync(path.join(dir, "m.environment.json"), "utf8"));
  const measured = new Set(rows.map((r) => r.kernel_id));
  const skipped = new Map<string, string>(env.skipped.map((s: { id: string; reason: string }) => [s.id, s.reason]));
  for (const entry of plan.kernels) assert.ok(measured.has(entry.id) || skipped.has(entry.id), entry.id);
  assert.equal(rows.length + skipped.size, plan.kernels.length);
  // On a CPU only the Triton scan is missing.
  for (const [id, reason] of skipped) assert.match(`${id} ${reason}`, /RG-LRU scan \(fused\).*Triton/);
  assert.ok(rows.every((r) => r.check === "pass"), rows.filter((r) => r.check === "fail").map((r) => r.kernel_id).join(", "));
  assert.ok(rows.every((r) => r.runs === 3 && r.samples_seconds.length === 3));
  // Every kernel type of the plan ran, including both attentions and the two CPU scans.
  const kernels = new Set(rows.map((r) => r.harness_implementation));
  for (const name of ["dense masked (fp32 scores)", "naive (torch loop, h through memory)", "associative (torch, fp32)", "torch.optim.Adam"]) {
    assert.ok(kernels.has(name), name);
  }
  assert.equal(env.torch.split(".")[0], rows[0]!.backend_version.split(".")[0]);
});

test("the toolkit joins every measurement to its prediction", { skip }, () => {
  const result = run(process.execPath, [main, "measurements", path.join(dir, "m.csv"), "--plan", path.join(dir, "plan.json")]);
  assert.match(result.stdout, /every kernel joins its prediction/);
  assert.match(result.stdout, /0 failed correctness checks/);
});
