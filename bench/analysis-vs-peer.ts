// The per-op analysis over a grid, against LLM-Viewer's (github.com/hahnyuan/LLM-Viewer,
// model_analyzer.py's ModelAnalyzer.analyze) on the same grid in the same run. A point is one
// (length, batch): both phases, prefill of `length` tokens and a decode step at `length` cached
// tokens, every op with its FLOPs, bytes, times and bound (what LLM-Viewer computes) and, as
// `roofline` prints it, its estimate.
//
// Each of our ways of computing it runs its own rounds against LLM-Viewer, alternating the order
// (A B, B A, …), each side timing whole passes over the grid inside its own process, so drift in
// the machine's load reaches both sides of a round; the ratio is per round, and the median of the
// rounds is printed. Set LLM_VIEWER_DIR to a checkout of LLM-Viewer to run it (its Python driver:
// bench/peers/llm_viewer_analyze.py); without one, only our figures print.
// Target: the prepared analysis with estimates at least 20× LLM-Viewer's points per second.
import { spawn } from "node:child_process";
import os from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { median, max, min } from "simple-statistics";
import { estimateFrom } from "../src/cli/options.js";
import { DEFAULT_IMPLEMENTATION } from "../src/cost/phases.js";
import { loadProfile } from "../src/hardware/load.js";
import { loadModel } from "../src/models/load.js";
import { analyze, DEFAULT_SCENARIO, type Analysis, type Scenario } from "../src/roofline/analyze.js";
import { prepareAnalysis } from "../src/roofline/prepared-analysis.js";

const ROUNDS = Number(process.env.ROOFLINE_BENCH_ROUNDS ?? 11);
/** Each timed sample runs whole passes over the grid for at least this long. */
const SAMPLE_SECONDS = Number(process.env.ROOFLINE_BENCH_SAMPLE_SECONDS ?? 0.05);

const MODEL = "llama-2-7b";
const CHIP = "a100-80gb";
const PEER_CHIP = "nvidia_A100_80G";
const lengths = Array.from({ length: 32 }, (_, i) => Math.round(128 * 2 ** (i / 4))); // 128 … 27,554
const batches = [1, 2, 4, 8, 16, 32, 64, 128];
const points = lengths.length * batches.length;

const spec = loadModel(MODEL);
const profile = loadProfile(CHIP);
const impl = DEFAULT_IMPLEMENTATION; // flash attention, as LLM-Viewer's use_flashattention=True
const estimate = estimateFrom({}, profile); // the estimate `roofline --model … --hw …` prints
const scenarioAt = (length: number, batch: number): Scenario => ({ ...DEFAULT_SCENARIO, batch, seqTokens: length, contextTokens: length });

/** Reads every op's costs, times and estimate and each phase's totals, so that none of it is skipped work. */
function checksum(analysis: Analysis): number {
  let sum = 0;
  for (const phase of analysis.phases) {
    for (const op of phase.ops) sum += op.bytesTotal + op.flops + op.seconds + op.upperBoundSeconds + (op.estimateSeconds ?? 0);
    sum += phase.totals.seconds + (phase.estimate?.seconds ?? 0) + phase.memory.cacheBytesPerSequence;
  }
  return sum;
}

const preparedStart = process.hrtime.bigint();
const prepared = prepareAnalysis(spec, profile, impl, undefined, estimate);
prepared.evaluate(["prefill", "decode"], scenarioAt(lengths[0]!, batches[0]!)); // fits the prefill and decode tables
const preparationSeconds = Number(process.hrtime.bigint() - preparedStart) / 1e9;
const boundsOnly = prepareAnalysis(spec, profile, impl); // as `--no-calibration`: no estimate

type Side = (repeats: number) => number;
let sink = 0;
const pass = (analyse: (scenario: Scenario) => Analysis): Side => (repeats) => {
  const start = process.hrtime.bigint();
  for (let r = 0; r < repeats; r++) for (const length of lengths) for (const batch of batches) sink += checksum(analyse(scenarioAt(length, batch)));
  return Number(process.hrtime.bigint() - start) / 1e9;
};
/** Our ways of computing a point, the target's first: it runs first, before the others' code can slow it. */
const ours: Record<string, Side> = {
  "prepared, with estimates, records reused (evaluate)": pass((s) => prepared.evaluate(["prefill", "decode"], s)),
  "prepared, bounds only as LLM-Viewer (evaluate, no estimate)": pass((s) => boundsOnly.evaluate(["prefill", "decode"], s)),
  "prepared, with estimates, new objects (analyze)": pass((s) => prepared.analyze(["prefill", "decode"], s)),
  "direct, with estimates (analyze())": pass((s) => analyze(spec, profile, ["prefill", "decode"], s, impl, undefined, estimate)),
};

/** LLM-Viewer's analyze in a Python process that answers `run N` with the seconds N grid passes took. */
async function startPeer(dir: string): Promise<{ side: (repeats: number) => Promise<number>; ready: string; stop: () => void } | string> {
  const driver = fileURLToPath(new URL("../../bench/peers/llm_viewer_analyze.py", import.meta.url));
  const python = process.env.ROOFLINE_PYTHON ?? "/usr/bin/python3";
  const child = spawn(python, [driver, "--llm-viewer", dir, "--hardware", PEER_CHIP, "--lengths", lengths.join(","), "--batches", batches.join(","), "--flash"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`LLM-Viewer's driver stopped: ${stderr.trim()}`);
    return line.value;
  };
  try {
    const ready = await next();
    if (!ready.startsWith("ready ")) return `LLM-Viewer's driver did not start: ${ready} ${stderr.trim()}`;
    const side = async (repeats: number) => {
      child.stdin.write(`run ${repeats}\n`);
      return Number(await next());
    };
    return { side, ready: `${ready}; ${stderr.trim().split("\n").join("; ")}`, stop: () => child.stdin.end("quit\n") };
  } catch (error) {
    return (error as Error).message;
  }
}

/** Each side first runs this long, so that the JIT has compiled it before any sample counts. */
const WARMUP_SECONDS = 0.5;

/** Warms a side up, then returns the grid passes per sample: enough for SAMPLE_SECONDS, judged from the last pass. */
async function warmUp(side: Timed): Promise<number> {
  let spent = 0;
  let last = 0;
  while (spent < WARMUP_SECONDS) {
    last = await side(1);
    spent += last;
  }
  return Math.max(1, Math.ceil(SAMPLE_SECONDS / last));
}

type Timed = (repeats: number) => number | Promise<number>;

/** One of our sides against the peer: both warmed up, then ROUNDS rounds timing each once, in alternating order. */
async function session(ourSide: Timed, peerSide: Timed | undefined): Promise<{ ours: number[]; peer: number[] }> {
  const sides = peerSide ? [ourSide, peerSide] : [ourSide];
  const repeats: number[] = [];
  for (const side of sides) repeats.push(await warmUp(side));
  const perPoint: number[][] = sides.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? sides.keys() : [...sides.keys()].reverse();
    for (const i of order) perPoint[i]!.push((await sides[i]!(repeats[i]!)) / (repeats[i]! * points));
  }
  return { ours: perPoint[0]!, peer: perPoint[1] ?? [] };
}

const loadBefore = os.loadavg()[0]!;
const peerDir = process.env.LLM_VIEWER_DIR;
const peer = peerDir ? await startPeer(peerDir) : undefined;
const peerSide = peer && typeof peer !== "string" ? peer.side : undefined;
const results: { name: string; ours: number[]; peer: number[] }[] = [];
for (const [name, side] of Object.entries(ours)) results.push({ name, ...(await session(side, peerSide)) });
if (peer && typeof peer !== "string") peer.stop();

const microseconds = (seconds: number) => `${(seconds * 1e6).toFixed(seconds < 1e-5 ? 2 : 1)} µs`;
const rate = (seconds: number) => `${Math.round(1 / seconds).toLocaleString("en-US")} points/s`;
console.log(`per-op analysis: ${MODEL} on ${CHIP}, ${lengths.length} lengths (${lengths[0]}…${lengths.at(-1)}) × ${batches.length} batches (1…128) = ${points} points, ` +
  `prefill and decode each; ${ROUNDS} rounds per side${peerSide ? ", each interleaved with LLM-Viewer's" : ""}`);
console.log(`  ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`);
for (const result of results) {
  const ours = median(result.ours);
  if (!peerSide) {
    console.log(`  ${result.name}: median ${microseconds(ours)} per point, ${rate(ours)}`);
    continue;
  }
  const ratios = result.peer.map((seconds, round) => seconds / result.ours[round]!);
  console.log(`  ${result.name}: median ${microseconds(ours)} per point, ${rate(ours)}; LLM-Viewer in the same rounds ` +
    `${microseconds(median(result.peer))}, ${rate(median(result.peer))}: ×${median(ratios).toFixed(1)} (rounds ×${min(ratios).toFixed(1)}–×${max(ratios).toFixed(1)})` +
    (result === results[0] ? " (target ≥ ×20)" : ""));
}
console.log(`  preparation (fitting the prefill and decode tables, once per model and implementation): ${(preparationSeconds * 1e3).toFixed(1)} ms` +
  (peerSide ? `; one grid including it: ×${(median(results[0]!.peer) / (median(results[0]!.ours) + preparationSeconds / points)).toFixed(1)} LLM-Viewer's speed` : ""));
if (peer && typeof peer !== "string") console.log(`  LLM-Viewer: ${peer.ready}`);
else console.log(`  LLM-Viewer was not run: ${peer ?? "set LLM_VIEWER_DIR to a checkout of github.com/hahnyuan/LLM-Viewer"}`);
if (!Number.isFinite(sink)) throw new Error("checksum is not finite");
