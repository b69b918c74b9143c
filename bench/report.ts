// How long a full three-model report takes: the `roofline report` command end to end, in a fresh
// process each run (loading vega included), as a user runs it. Target: a median under 1 s on the
// 2-core reference machine.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, min, quantile } from "simple-statistics";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "roofline-bench-")), "report.html");
const args = [main, "report", "--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "tpu-v3", "-o", out];
const RUNS = Number(process.env.ROOFLINE_BENCH_RUNS ?? 9);
const WARMUP = 1; // fills the file cache, not counted

const samples: number[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`report failed: ${result.stderr}`);
  if (i >= WARMUP) samples.push(ms);
}
console.log("report: roofline report --model griffin-7b,hawk-7b,mqa-7b --hw tpu-v3");
console.log(`  runs ${samples.length}, median ${median(samples).toFixed(0)} ms, min ${min(samples).toFixed(0)} ms, ` +
  `p90 ${quantile(samples, 0.9).toFixed(0)} ms (target < 1000 ms); ${(fs.statSync(out).size / 1e6).toFixed(2)} MB of HTML`);
