// The speed targets as ratios to references timed in the same run, for the CI gate (README,
// "Speed"): a shared machine's load slows a benchmark and its reference alike, so their ratio
// holds where an absolute time does not, and can be compared with a baseline recorded on another
// day. Each round times the reference and the benchmark back to back, in alternating order, and
// records their ratio:
//
//   analysis   the prepared per-op analysis of llama-2-7b on a100-80gb (prefill and decode, every
//              op with its times and estimate) over a grid of 32 lengths × 8 batches, against a
//              fixed loop of the same kind of work (small records made and read, divisions)
//   cold start `roofline --model griffin-7b --hw tpu-v3 --json` in a new process, against an
//              empty `node -e 0`
//
// The ratios are written as a measurements CSV (the kernel harness's columns; the benchmark
// fills the kernel's, see `row`), which `roofline baseline` records and `roofline check` judges.
//
//   node dist/bench/speed-ratios.js --out speed.csv [--rounds 15] [--plant-slowdown 3]
//
// --plant-slowdown F does every benchmark's work F times over, so that CI can show the gate
// failing on a real slowdown under the same load.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { stringify } from "csv-stringify/sync";
import { max, mean, median, min, quantile } from "simple-statistics";
import { estimateFrom } from "../src/cli/options.js";
import { DEFAULT_IMPLEMENTATION } from "../src/cost/phases.js";
import { loadProfile } from "../src/hardware/load.js";
import { MEASUREMENT_COLUMNS } from "../src/measurements/schema.js";
import { loadModel } from "../src/models/load.js";
import { DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { prepareAnalysis } from "../src/roofline/prepared-analysis.js";
import { writeFileAtomic } from "../src/views/atomic-write.js";

const { values: flags } = parseArgs({
  options: { out: { type: "string" }, rounds: { type: "string", default: "15" }, "plant-slowdown": { type: "string", default: "1" } },
});
if (!flags.out) throw new Error("speed-ratios: give --out FILE.csv");
const ROUNDS = Number(flags.rounds);
const PLANT = Number(flags["plant-slowdown"]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 3) throw new Error("--rounds: expected a whole number ≥ 3");
if (!Number.isInteger(PLANT) || PLANT < 1) throw new Error("--plant-slowdown: expected a whole number ≥ 1");

const seconds = (run: () => void) => {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

/** `rounds` ratios of benchmark to reference, timed back to back, the order alternating from round to round. */
function pairedRatios(reference: () => void, benchmark: () => void, rounds: number): number[] {
  return Array.from({ length: rounds }, (_, round) => {
    if (round % 2 === 0) {
      const base = seconds(reference);
      return seconds(benchmark) / base;
    }
    const work = seconds(benchmark);
    return work / seconds(reference);
  });
}

/**
 * The analysis's reference: a fixed loop of the same kind of work as an analysis, small records
 * made, kept a while and read back, with divisions and maxima. Never change it: the committed
 * baseline's ratios are to this exact loop. Returns a sum so that none of it can be optimised away.
 */
function referenceLoop(records: number): number {
  const kept: { seconds: number; shape: { m: number; n: number } }[] = [];
  let sum = 0;
  for (let i = 1; i <= records; i++) {
    const flops = i * 2.5e9;
    const bytes = ((i % 97) + 1) * 1.25e6;
    const record = { flops, bytes, seconds: Math.max(flops / 3.12e14, bytes / 2.039e12), shape: { m: i, n: 4096 } };
    const older = kept[i % 64];
    if (older) sum += record.seconds / (older.seconds + 1) + older.shape.m / older.shape.n;
    kept[i % 64] = record;
  }
  return sum;
}
/** About 50 ms of each side per round on the reference machine: long beside the scheduler's time slices. */
const REFERENCE_RECORDS = 2_000_000;
const ANALYSIS_PASSES = 40;

function analysisRatios(): number[] {
  const profile = loadProfile("a100-80gb");
  const prepared = prepareAnalysis(loadModel("llama-2-7b"), profile, DEFAULT_IMPLEMENTATION, undefined, estimateFrom({}, profile));
  const lengths = Array.from({ length: 32 }, (_, i) => Math.round(128 * 2 ** (i / 4)));
  const batches = [1, 2, 4, 8, 16, 32, 64, 128];
  let sink = 0;
  const passes = (count: number) => {
    for (let pass = 0; pass < count; pass++) {
      for (const length of lengths) {
        for (const batch of batches) {
          const analysis = prepared.evaluate(["prefill", "decode"], { ...DEFAULT_SCENARIO, batch, seqTokens: length, contextTokens: length });
          for (const phase of analysis.phases) for (const op of phase.ops) sink += op.seconds + (op.estimateSeconds ?? 0);
        }
      }
    }
  };
  const reference = () => { sink += referenceLoop(REFERENCE_RECORDS); };
  for (let warm = 0; warm < 3; warm++) { passes(ANALYSIS_PASSES / 4); reference(); } // compiled before any round counts
  const ratios = pairedRatios(reference, () => passes(ANALYSIS_PASSES * PLANT), ROUNDS);
  if (!Number.isFinite(sink)) throw new Error("analysis checksum is not finite");
  return ratios;
}

function coldStartRatios(): number[] {
  const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
  const start = (args: string[]) => () => {
    const result = spawnSync(process.execPath, args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
  };
  const roofline = start([main, "--model", "griffin-7b", "--hw", "tpu-v3", "--json"]);
  const empty = start(["-e", "0"]);
  for (let warm = 0; warm < 2; warm++) { roofline(); empty(); } // the file cache
  return pairedRatios(empty, () => { for (let i = 0; i < PLANT; i++) roofline(); }, ROUNDS);
}

/**
 * One measurements row in the kernel harness's columns: the ratios stand in the seconds columns,
 * the benchmark's description in the kernel's, and phase, pass, block, batch and tokens, which a
 * kernel has and a benchmark does not, hold placeholders that `roofline check` does not read.
 */
function row(id: string, model: string, description: string, ratios: number[]): Record<string, string | number> {
  const format = (x: number) => x.toExponential(6);
  return {
    kernel_id: id, model, phase: "prefill", pass: "forward", batch: 1, tokens: 1, op: description, block: "other",
    kind: "benchmark", kernel: "ratio to an in-run reference", implementation: "", harness_implementation: "bench/speed-ratios.ts",
    shape: "", dtype: "ratio", device: "cpu", device_name: os.cpus()[0]?.model.trim() ?? "unknown CPU", backend: "node",
    backend_version: process.version, runs: ratios.length, median_seconds: format(median(ratios)), min_seconds: format(min(ratios)),
    p90_seconds: format(quantile(ratios, 0.9)), mean_seconds: format(mean(ratios)), samples_seconds: ratios.map(format).join(" "),
    check: "pass", max_error: 0, cache_flushed: 0,
  };
}

const measured = [
  row("analysis|prepared per-op analysis / reference loop", "llama-2-7b", "256 points of prefill and decode on a100-80gb, with estimates", analysisRatios()),
  row("cold start|roofline --json / node -e 0", "griffin-7b", "roofline --model griffin-7b --hw tpu-v3 --json", coldStartRatios()),
];
await writeFileAtomic(flags.out, stringify(measured, { header: true, columns: [...MEASUREMENT_COLUMNS] }));
for (const r of measured) {
  const ratios = String(r.samples_seconds).split(" ").map(Number);
  console.log(`${r.kernel_id}: median ×${median(ratios).toFixed(3)} over ${ratios.length} rounds (×${min(ratios).toFixed(3)}–×${max(ratios).toFixed(3)})` +
    (PLANT > 1 ? ` with a planted ${PLANT}× slowdown` : ""));
}
