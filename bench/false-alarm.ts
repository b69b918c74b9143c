// False alarms of the regression gate when nothing changed, on this shared machine. The harness
// times the same small plan in several interleaved sessions (A and B in alternation, A B B A …):
// - separate runs: side A of one session against side B of another, as a gate that compares
//   with a baseline recorded earlier does (Mann-Whitney U on two distributions);
// - paired rounds: side B against side A of the same session (sign test on paired ratios), as
//   `.ci/run` does.
// Every flagged slowdown is a false alarm. Prints the rates per kernel and per run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "simple-statistics";
import { mannWhitney } from "../src/check/mann-whitney.js";
import { signTest } from "../src/check/sign-test.js";
import { readMeasurements } from "../src/measurements/read.js";
import type { MeasurementRow } from "../src/measurements/schema.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const main = path.join(root, "dist/src/cli/main.js");
const python = process.env.ROOFLINE_PYTHON ?? "/usr/bin/python3";
const SESSIONS = Number(process.env.ROOFLINE_FALSE_ALARM_SESSIONS ?? 3);
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
type Run = MeasurementRow[];
const sessions: [Run, Run][] = Array.from({ length: SESSIONS }, (_, i) => {
  const [a, b] = [path.join(dir, `s${i}-a.csv`), path.join(dir, `s${i}-b.csv`)];
  run(python, ["bench/kernels/harness.py", "run", "--plan", plan, "--out", a, "--interleave", b,
    "--min-runs", "10", "--max-runs", "20", "--max-seconds", "0.3", "--warmups", "2"]);
  return [readMeasurements(a).rows, readMeasurements(b).rows];
});

/** Sample i of a run's total: the sum of every kernel's sample i (the budget's `aggregate`). */
const totals = (rows: Run) => {
  const n = Math.min(...rows.map((r) => r.samples_seconds.length));
  return Array.from({ length: n }, (_, i) => rows.reduce((s, r) => s + r.samples_seconds[i]!, 0));
};
const unpairedAlarm = (x: number[], y: number[], slowdown: number, alpha: number) =>
  median(x) / median(y) > 1 + slowdown && mannWhitney(x, y).pGreater < alpha;
const pairedAlarm = (x: number[], y: number[], slowdown: number, alpha: number) => {
  const ratios = x.slice(0, Math.min(x.length, y.length)).map((v, i) => v / y[i]!);
  return median(ratios) > 1 + slowdown && signTest(ratios, 1 + slowdown).pGreater < alpha;
};

/** Ordered (current, baseline) pairs: within a session both ways, or across sessions. */
function pairs(paired: boolean): [Run, Run][] {
  const result: [Run, Run][] = [];
  for (let i = 0; i < SESSIONS; i++) {
    for (let j = 0; j < SESSIONS; j++) {
      if (paired && i === j) result.push([sessions[i]![1], sessions[i]![0]], [sessions[i]![0], sessions[i]![1]]);
      if (!paired && i !== j) result.push([sessions[i]![1], sessions[j]![0]]);
    }
  }
  return result;
}

const settings = [[0.1, 0.01], [0.25, 0.01], [0.5, 0.001], [1.0, 0.001]] as const;
console.log(`false alarms over ${SESSIONS} interleaved sessions of the same plan (${sessions[0]![0].length} kernels, identical code on both sides):`);
for (const paired of [false, true]) {
  const comparisons = pairs(paired);
  const alarm = paired ? pairedAlarm : unpairedAlarm;
  console.log(paired
    ? `  paired rounds (B against A of one session, sign test; ${comparisons.length} comparisons):`
    : `  separate runs (B of one session against A of another, Mann-Whitney U; ${comparisons.length} comparisons):`);
  for (const [slowdown, alpha] of settings) {
    let kernels = 0, alarms = 0, runsWithAlarm = 0;
    for (const [current, baseline] of comparisons) {
      const base = new Map(baseline.map((r) => [r.kernel_id, r.samples_seconds]));
      let any = false;
      for (const row of current) {
        const reference = base.get(row.kernel_id);
        if (!reference) continue;
        kernels += 1;
        if (alarm(row.samples_seconds, reference, slowdown, alpha)) {
          alarms += 1;
          any = true;
        }
      }
      if (any) runsWithAlarm += 1;
    }
    const aggregate = comparisons.filter(([current, baseline]) => alarm(totals(current), totals(baseline), slowdown, alpha)).length;
    console.log(`    slowdown > ${(slowdown * 100).toFixed(0)}% at p < ${alpha}: per kernel ${alarms} of ${kernels} ` +
      `(${((100 * alarms) / kernels).toFixed(2)}%, ${runsWithAlarm} of ${comparisons.length} runs would fail); ` +
      `all kernels summed: ${aggregate} of ${comparisons.length} runs would fail`);
  }
  const ratios = comparisons.map(([current, baseline]) => median(totals(current)) / median(totals(baseline)));
  console.log(`    ratio of summed medians: ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`);
}
