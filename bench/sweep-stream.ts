// Streaming sweeps end to end: `roofline sweep ... -o FILE` through the CLI, as a user runs it, on a
// 1-million-row and a 10-million-row grid of bounds (--no-calibration), and the 1-million-row grid
// with the default estimate columns. Each run is a fresh process; the grids take turns, and each
// figure is the median over the runs. Per run: rows per second of wall time (start-up included),
// peak resident memory and CPU time, from /usr/bin/time.
// The 1-million-row grid of bounds also runs pinned to one core (taskset -c 0), where the rate is
// what one core gives: a sweep that needed a second core would slow down there.
// Targets: at least 1,000,000 rows/s for bounds; under 150 MB resident at 10 million rows; no more
// than one core (user + system CPU time ≤ wall time, and the pinned rate as the free one).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "simple-statistics";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const RUNS = Number(process.env.ROOFLINE_BENCH_RUNS ?? 3);
const TIME = "/usr/bin/time";

const list = (count: number, step: number) => Array.from({ length: count }, (_, i) => (i + 1) * step).join(",");

interface Grid {
  name: string;
  rows: number;
  args: string[];
  /** Runs the process on one core (taskset -c 0). */
  pinned?: boolean;
}

/** griffin-7b on TPU v3 and H100, prefill and decode, at `lengths` lengths (256, 512, …) and batches 1 … 1,000. */
const grid = (name: string, lengths: number, extra: string[]): Grid => ({
  name,
  rows: 2 * 2 * lengths * 1000,
  args: ["sweep", "--model", "griffin-7b", "--hw", "tpu-v3,h100-sxm", "--phase", "prefill,decode", "--seq", list(lengths, 256), "--batch", list(1000, 1), ...extra],
});
const TASKSET = "/usr/bin/taskset";
const GRIDS = [
  grid("1M rows, bounds (--no-calibration)", 250, ["--no-calibration"]),
  ...(fs.existsSync(TASKSET) ? [{ ...grid("1M rows, bounds, pinned to one core", 250, ["--no-calibration"]), pinned: true }] : []),
  grid("10M rows, bounds (--no-calibration)", 2500, ["--no-calibration"]),
  grid("1M rows, with the estimate (default)", 250, []),
];

interface Run {
  wallSeconds: number;
  cpuSeconds: number;
  peakKilobytes: number;
  bytes: number;
}

function run(g: Grid, output: string): Run {
  // %e wall seconds, %U user and %S system CPU seconds, %M peak resident kilobytes.
  const command = [process.execPath, main, ...g.args, "-o", output];
  const result = spawnSync(TIME, ["-f", "%e %U %S %M", ...(g.pinned ? [TASKSET, "-c", "0"] : []), ...command], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`roofline failed: ${result.stderr}`);
  const figures = result.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
  const [wall, user, system, peak] = figures as [number, number, number, number];
  const bytes = fs.statSync(output).size;
  fs.rmSync(output);
  return { wallSeconds: wall, cpuSeconds: user + system, peakKilobytes: peak, bytes };
}

if (!fs.existsSync(TIME)) {
  console.log(`sweep stream: skipped, ${TIME} (GNU time) is needed for the peak memory of a process`);
} else {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "roofline-bench-")), "sweep.csv");
  const runs = new Map<Grid, Run[]>(GRIDS.map((g) => [g, []]));
  for (let i = 0; i < RUNS; i++) for (const g of GRIDS) runs.get(g)!.push(run(g, output));
  console.log(`sweep stream: roofline sweep ... -o FILE, ${RUNS} interleaved runs each, medians`);
  for (const g of GRIDS) {
    const r = runs.get(g)!;
    const wall = median(r.map((x) => x.wallSeconds));
    const cpu = median(r.map((x) => x.cpuSeconds));
    const perCore = median(r.map((x) => x.cpuSeconds / x.wallSeconds));
    console.log(
      `  ${g.name}: ${wall.toFixed(2)} s, ${Math.round(g.rows / wall).toLocaleString("en-US")} rows/s, ` +
        `peak ${Math.round(median(r.map((x) => x.peakKilobytes)) / 1024)} MB resident, ` +
        `CPU ${cpu.toFixed(2)} s (${perCore.toFixed(2)} of a core: ${perCore <= 1 ? "at most one core" : "MORE than one core"}), ` +
        `${(median(r.map((x) => x.bytes)) / 1e6).toFixed(0)} MB written`,
    );
  }
  console.log("  targets: ≥ 1,000,000 rows/s for bounds; < 150 MB resident; CPU time ≤ wall time");
}
