// Cold start of the main command: a fresh Node process per run, as a user or a CI step sees it,
// against an empty Node process (`node -e 0`). The two alternate (A B A B …) and each run of
// roofline is divided by the empty run just before it, so a change in the machine's load lands
// on both sides of every ratio. Target: a median ratio of at most 2.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, quantile } from "simple-statistics";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = [main, "--model", "griffin-7b", "--hw", "tpu-v3", "--json"];
const empty = ["-e", "0"];
const RUNS = Number(process.env.ROOFLINE_BENCH_RUNS ?? 30);
const WARMUP = 3; // pairs that fill the file cache, not counted

/** Wall time of one fresh process, in milliseconds. */
function wallMs(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
  return ms;
}

const emptyMs: number[] = [];
const rooflineMs: number[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const a = wallMs(empty);
  const b = wallMs(roofline);
  if (i < WARMUP) continue;
  emptyMs.push(a);
  rooflineMs.push(b);
}
const ratios = rooflineMs.map((ms, i) => ms / emptyMs[i]!);
const ms = (values: number[]) => `median ${median(values).toFixed(1)} ms, p90 ${quantile(values, 0.9).toFixed(1)} ms`;
console.log("cold start: roofline --model griffin-7b --hw tpu-v3 --json, against node -e 0");
console.log(`  ${RUNS} interleaved pairs; ratio median ${median(ratios).toFixed(2)}×, p90 ${quantile(ratios, 0.9).toFixed(2)}× (target ≤ 2×)`);
console.log(`  roofline: ${ms(rooflineMs)}`);
console.log(`  node -e 0: ${ms(emptyMs)}`);
