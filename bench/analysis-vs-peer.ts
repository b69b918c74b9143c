// The per-op analysis over a grid, against LLM-Viewer's (github.com/hahnyuan/LLM-Viewer,
// model_analyzer.py's ModelAnalyzer.analyze) on the same grid in the same run. A point is one
// (length, batch): both phases, prefill of `length` tokens and a decode step at `length` cached
// tokens, every op with its FLOPs, bytes, times and bound (what LLM-Viewer computes) and, as
// `roofline` prints it, its estimate.
//
// Every way of computing it runs in a process of its own, which answers `run N` with the seconds
// N passes over the grid took (ours: this file with --side; LLM-Viewer's: the Python driver
// bench/peers/llm_viewer_analyze.py), so that no side's compiled code or heap slows another's.
// Each of our sides runs its rounds against LLM-Viewer, alternating the order (A B, B A, …), so
// drift in the machine's load reaches both sides of a round; the ratio is per round, and the
// median of the rounds is printed. Set LLM_VIEWER_DIR to a checkout of LLM-Viewer to run it;
// without one, only our figures print.
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
/** Each side first runs this long, so that its code is compiled before any sample counts. */
const WARMUP_SECONDS = 0.5;

const MODEL = "llama-2-7b";
const CHIP = "a100-80gb";
const PEER_CHIP = "nvidia_A100_80G";
const lengths = Array.from({ length: 32 }, (_, i) => Math.round(128 * 2 ** (i / 4))); // 128 … 27,554
const batches = [1, 2, 4, 8, 16, 32, 64, 128];
const points = lengths.length * batches.length;

/** Our ways of computing a point. */
const SIDES = {
  "prepared, with estimates, records reused (evaluate)": "evaluate",
  "prepared, bounds only as LLM-Viewer (evaluate, no estimate)": "bounds",
  "prepared, with estimates, new objects (analyze)": "analyze",
  "direct, with estimates (analyze())": "direct",
} as const;
type SideName = (typeof SIDES)[keyof typeof SIDES];

/** Reads every op's costs, times and estimate and each phase's totals, so that none of it is skipped work. */
function checksum(analysis: Analysis): number {
  let sum = 0;
  for (const phase of analysis.phases) {
    for (const op of phase.ops) sum += op.bytesTotal + op.flops + op.seconds + op.upperBoundSeconds + (op.estimateSeconds ?? 0);
    sum += phase.totals.seconds + (phase.estimate?.seconds ?? 0) + phase.memory.cacheBytesPerSequence;
  }
  return sum;
}

/** This process as one of our sides: it sets the side up, prints `ready …`, then answers `run N`. */
async function serveSide(side: SideName): Promise<void> {
  const spec = loadModel(MODEL);
  const profile = loadProfile(CHIP);
  const impl = DEFAULT_IMPLEMENTATION; // flash attention, as LLM-Viewer's use_flashattention=True
  const estimate = estimateFrom({}, profile); // the estimate `roofline --model … --hw …` prints
  const scenarioAt = (length: number, batch: number): Scenario => ({ ...DEFAULT_SCENARIO, batch, seqTokens: length, contextTokens: length });
  const start = process.hrtime.bigint();
  const prepared = prepareAnalysis(spec, profile, impl, undefined, side === "bounds" ? undefined : estimate);
  prepared.evaluate(["prefill", "decode"], scenarioAt(lengths[0]!, batches[0]!)); // fits the prefill and decode tables
  const preparationMs = Number(process.hrtime.bigint() - start) / 1e6;
  const analyse: Record<SideName, (scenario: Scenario) => Analysis> = {
    evaluate: (s) => prepared.evaluate(["prefill", "decode"], s),
    bounds: (s) => prepared.evaluate(["prefill", "decode"], s),
    analyze: (s) => prepared.analyze(["prefill", "decode"], s),
    direct: (s) => analyze(spec, profile, ["prefill", "decode"], s, impl, undefined, estimate),
  };
  const point = analyse[side];
  let sink = 0;
  // A plain function, not the async loop's body, so that the compiler optimises it whole.
  const passes = (count: number) => {
    for (let r = 0; r < count; r++) for (const length of lengths) for (const batch of batches) sink += checksum(point(scenarioAt(length, batch)));
  };
  console.log(`ready preparation ${preparationMs.toFixed(1)} ms`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, count] = line.split(" ");
    if (command !== "run") break;
    const begin = process.hrtime.bigint();
    passes(Number(count));
    console.log(Number(process.hrtime.bigint() - begin) / 1e9);
  }
  if (!Number.isFinite(sink)) throw new Error("checksum is not finite");
}

interface Worker {
  run: (repeats: number) => Promise<number>;
  /** What the worker said when it was ready, and anything it wrote to stderr. */
  ready: string;
  stop: () => void;
}

/** A process that prints `ready …` when set up and answers `run N` with the seconds N grid passes took. */
async function startWorker(command: string, args: string[]): Promise<Worker | string> {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  child.on("error", (error) => (stderr += error.message));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`${command} stopped: ${stderr.trim()}`);
    return line.value;
  };
  try {
    const ready = await next();
    if (!ready.startsWith("ready")) return `${command} did not start: ${ready} ${stderr.trim()}`;
    const run = async (repeats: number) => {
      child.stdin.write(`run ${repeats}\n`);
      return Number(await next());
    };
    return { run, ready: [ready, ...stderr.trim().split("\n").filter(Boolean)].join("; "), stop: () => child.stdin.end("quit\n") };
  } catch (error) {
    return (error as Error).message;
  }
}

/** Warms a worker up, then returns the grid passes per sample: enough for SAMPLE_SECONDS, judged from the last pass. */
async function warmUp(worker: Worker): Promise<number> {
  let spent = 0;
  let last = 0;
  while (spent < WARMUP_SECONDS) {
    last = await worker.run(1);
    spent += last;
  }
  return Math.max(1, Math.ceil(SAMPLE_SECONDS / last));
}

/** Seconds per point of our side and, in the same rounds, of the peer's. */
async function session(ours: Worker, peer: Worker | undefined): Promise<{ ours: number[]; peer: number[] }> {
  const workers = peer ? [ours, peer] : [ours];
  const repeats: number[] = [];
  for (const worker of workers) repeats.push(await warmUp(worker));
  const perPoint: number[][] = workers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [...workers.keys()] : [...workers.keys()].reverse();
    for (const i of order) perPoint[i]!.push((await workers[i]!.run(repeats[i]!)) / (repeats[i]! * points));
  }
  return { ours: perPoint[0]!, peer: perPoint[1] ?? [] };
}

async function compare(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const peerDir = process.env.LLM_VIEWER_DIR;
  const driver = fileURLToPath(new URL("../../bench/peers/llm_viewer_analyze.py", import.meta.url));
  const peer = peerDir
    ? await startWorker(process.env.ROOFLINE_PYTHON ?? "/usr/bin/python3",
      [driver, "--llm-viewer", peerDir, "--hardware", PEER_CHIP, "--lengths", lengths.join(","), "--batches", batches.join(","), "--flash"])
    : undefined;
  const peerWorker = peer && typeof peer !== "string" ? peer : undefined;
  const results: { name: string; ready: string; ours: number[]; peer: number[] }[] = [];
  for (const [name, side] of Object.entries(SIDES)) {
    const ours = await startWorker(process.execPath, [fileURLToPath(import.meta.url), "--side", side]);
    if (typeof ours === "string") throw new Error(ours);
    results.push({ name, ready: ours.ready, ...(await session(ours, peerWorker)) });
    ours.stop();
  }
  peerWorker?.stop();

  const microseconds = (seconds: number) => `${(seconds * 1e6).toFixed(seconds < 1e-5 ? 2 : 1)} µs`;
  const rate = (seconds: number) => `${Math.round(1 / seconds).toLocaleString("en-US")} points/s`;
  console.log(`per-op analysis: ${MODEL} on ${CHIP}, ${lengths.length} lengths (${lengths[0]}…${lengths.at(-1)}) × ${batches.length} batches (1…128) = ${points} points, ` +
    `prefill and decode each; ${ROUNDS} rounds per side${peerWorker ? ", each interleaved with LLM-Viewer's" : ""}`);
  console.log(`  ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`);
  for (const result of results) {
    const ours = median(result.ours);
    const line = `  ${result.name}: median ${microseconds(ours)} per point, ${rate(ours)}`;
    if (!peerWorker) {
      console.log(line);
      continue;
    }
    const ratios = result.peer.map((seconds, round) => seconds / result.ours[round]!);
    console.log(`${line}; LLM-Viewer in the same rounds ${microseconds(median(result.peer))}, ${rate(median(result.peer))}: ` +
      `×${median(ratios).toFixed(1)} (rounds ×${min(ratios).toFixed(1)}–×${max(ratios).toFixed(1)})` + (result === results[0] ? " (target ≥ ×20)" : ""));
  }
  console.log(`  ${results[0]!.ready.replace(/^ready /, "")} (fitting the prefill and decode tables, once per model and implementation)`);
  if (peerWorker) console.log(`  LLM-Viewer: ${peerWorker.ready}`);
  else console.log(`  LLM-Viewer was not run: ${peer ?? "set LLM_VIEWER_DIR to a checkout of github.com/hahnyuan/LLM-Viewer"}`);
}

const sideFlag = process.argv.indexOf("--side");
if (sideFlag >= 0) await serveSide(process.argv[sideFlag + 1] as SideName);
else await compare();
