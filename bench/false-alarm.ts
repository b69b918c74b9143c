// False alarms of the regression gate on repeated identical runs: the harness times the same small
// plan several times on this machine, and every ordered pair of runs is checked as if the second
// were a change. Every flagged slowdown is a false alarm. Prints the rate per kernel comparison
// and per run, for several tolerances and significance levels.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "simple-statistics";
import { mannWhitney } from "../src/check/mann-whitney.js";
import { readMeasurements } from "../src/measurements/read.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const main = path.join(root, "dist/src/cli/main.js");
const python = process.env.ROOFLINE_PYTHON ?? "/usr/bin/python3";
const RUNS = Number(process.env.ROOFLINE_FALSE_ALARM_RUNS ?? 5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-false-alarm-"));

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: "utf8", cwd: root });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}\n${result.stderr}`);
}

if (spawnSync(python, ["-c", "import torch"]).status !== 0) {
  console.log(`false alarms: skipped (no PyTorch for ${python})`);
  process.exit(0);
}
const plan = path.join(dir, "plan.json");
run(process.execPath, [main, "plan", "--model", "griffin-100m,mqa-100m", "--hw", "measurements/cpu-amd-epyc-2c/profile.json",
  "--phase", "prefill,decode", "--seq", "256", "--batch", "1", "--scan", "naive,associative", "-o", plan]);
const runs = Array.from({ length: RUNS }, (_, i) => {
  const out = path.join(dir, `run${i}.csv`);
  run(python, ["bench/kernels/harness.py", "run", "--plan", plan, "--out", out, "--min-runs", "10", "--max-runs", "20", "--max-seconds", "0.3", "--warmups", "2"]);
  return readMeasurements(out).rows;
});

const settings = [[0.1, 0.01], [0.25, 0.01], [0.5, 0.01], [0.5, 0.001], [1.0, 0.001]] as const;
/** Sample i of a run's total: the sum of every kernel's sample i (the budget's `aggregate`). */
const totals = (rows: typeof runs[number]) => {
  const n = Math.min(...rows.map((r) => r.samples_seconds.length));
  return Array.from({ length: n }, (_, i) => rows.reduce((s, r) => s + r.samples_seconds[i]!, 0));
};
console.log(`false alarms over ${RUNS} identical runs (${RUNS * (RUNS - 1)} ordered pairs, ${runs[0]!.length} kernels each):`);
for (const [slowdown, alpha] of settings) {
  let comparisons = 0, alarms = 0, pairsWithAlarm = 0;
  for (let a = 0; a < RUNS; a++) {
    for (let b = 0; b < RUNS; b++) {
      if (a === b) continue;
      const base = new Map(runs[a]!.map((r) => [r.kernel_id, r.samples_seconds]));
      let any = false;
      for (const row of runs[b]!) {
        const reference = base.get(row.kernel_id);
        if (!reference) continue;
        comparisons += 1;
        const ratio = median(row.samples_seconds) / median(reference);
        if (ratio > 1 + slowdown && mannWhitney(row.samples_seconds, reference).pGreater < alpha) {
          alarms += 1;
          any = true;
        }
      }
      if (any) pairsWithAlarm += 1;
    }
  }
  console.log(`  slowdown > ${(slowdown * 100).toFixed(0)}% and p < ${alpha}: ${alarms} of ${comparisons} kernel comparisons ` +
    `(${((100 * alarms) / comparisons).toFixed(2)}%); ${pairsWithAlarm} of ${RUNS * (RUNS - 1)} runs would have failed`);
}
for (const [slowdown, alpha] of [[0.1, 0.01], [0.25, 0.01], [0.1, 0.001]] as const) {
  let alarms = 0;
  for (let a = 0; a < RUNS; a++) {
    for (let b = 0; b < RUNS; b++) {
      if (a === b) continue;
      const [x, y] = [totals(runs[b]!), totals(runs[a]!)];
      if (median(x) / median(y) > 1 + slowdown && mannWhitney(x, y).pGreater < alpha) alarms += 1;
    }
  }
  console.log(`  aggregate (all kernels summed), slowdown > ${(slowdown * 100).toFixed(0)}% and p < ${alpha}: ${alarms} of ${RUNS * (RUNS - 1)} runs would have failed`);
}
