// Launch overhead and fusion, by backend mode. Every kernel costs the device a gap before the
// next one starts, and the host the time to issue it; the device idles whenever the host issues
// slower than kernels finish. For n launches of an op whose kernels take t seconds in all:
//
//     t_with_launches = max(t + n · deviceSecondsPerLaunch, n · hostSecondsPerLaunch)
//
// Fusion decides n: eager runs every op as its own kernel; torch.compile fuses each chain of
// consecutive elementwise ops into one kernel; XLA fuses elementwise ops into their producers.
// CUDA graphs replay eager's kernels with no host cost per launch. Serving stacks map to a mode.
import { InputError } from "../errors.js";
import type { HardwareProfile } from "../hardware/schema.js";
import type { TimedOp } from "./time.js";

export const BACKEND_MODE_NAMES = ["eager", "compiled", "cuda-graphs", "xla"] as const;
export type BackendMode = (typeof BACKEND_MODE_NAMES)[number];

export type Fusion = "none" | "elementwise-chains" | "into-producers";

export interface LaunchCosts {
  hostSecondsPerLaunch: number;
  deviceSecondsPerLaunch: number;
  fusion: Fusion;
  /**
   * A mode that compiles a loop into one program (XLA's while loop) pays this per iteration
   * instead of a launch per step; modes without it launch each step of a loop as its own kernel.
   */
  loopStepSeconds?: number;
  /** Where the numbers come from, and how sure they are. */
  source: string;
}

/**
 * One step of the native (lax.scan) RG-LRU recurrence beyond its bytes, per layer. Fitted on the
 * only published timing of the RG-LRU scan, the Griffin paper's (§4.2 and App. D.2): its Pallas
 * kernel is "almost 3×" faster than the native JAX scan on TPU-v3. At the default training step of
 * hawk-1b there (batch 1 × 2,048 tokens; the paper does not state its per-chip batch) the bound
 * puts the native scan at 2.0× the fused one; 27 ns per step per layer makes it 3.0×.
 */
export const NATIVE_SCAN_STEP_SECONDS = 27e-9;

/**
 * The constants, from NVIDIA's "Getting Started with CUDA Graphs" (Gray, 2019: kernels of 2.9 µs
 * took 3.8 µs each issued back to back on a stream, 3.3 µs each from a graph) and from
 * measurements of PyTorch's per-op host cost (Python, dispatcher and cudaLaunchKernel: the
 * launch alone is 4–6 µs). They are per launch, the same on every GPU; a TPU's XLA program pays
 * the device gap per fused kernel and per iteration of a loop.
 */
export const BACKEND_MODES: Record<BackendMode, LaunchCosts> = {
  eager: {
    hostSecondsPerLaunch: 10e-6, deviceSecondsPerLaunch: 0.9e-6, fusion: "none",
    source: "host: PyTorch eager op dispatch plus cudaLaunchKernel, an estimate of 10 µs (launch alone 4–6 µs); device: 3.8 − 2.9 µs per kernel on a stream (NVIDIA, Getting Started with CUDA Graphs)",
  },
  compiled: {
    hostSecondsPerLaunch: 5e-6, deviceSecondsPerLaunch: 0.9e-6, fusion: "elementwise-chains",
    source: "host: cudaLaunchKernel from the compiled wrapper, 4–6 µs, 5 assumed; device: as eager",
  },
  "cuda-graphs": {
    hostSecondsPerLaunch: 0, deviceSecondsPerLaunch: 0.4e-6, fusion: "none",
    source: "device: 3.3 − 2.9 µs per kernel replayed from a graph (NVIDIA, Getting Started with CUDA Graphs); no host cost per launch",
  },
  xla: {
    hostSecondsPerLaunch: 0, deviceSecondsPerLaunch: 1.3e-6, fusion: "into-producers", loopStepSeconds: NATIVE_SCAN_STEP_SECONDS,
    source: "device: a small vector add takes about 1.5 µs against a 0.23 µs roofline under XLA on an H100 (How to Scale Your Model, ch. 12); the one program is dispatched once; loop steps: NATIVE_SCAN_STEP_SECONDS",
  },
};

/** Serving and training stacks by the mode they run decode steps in. */
export const STACK_MODES: Record<string, BackendMode> = {
  vllm: "cuda-graphs",
  "tensorrt-llm": "cuda-graphs",
  sglang: "cuda-graphs",
  "deepspeed-mii": "cuda-graphs",
  "torch-eager": "eager",
  "torch-compile": "compiled",
  jax: "xla",
  maxtext: "xla",
  pallas: "xla",
};

/** The mode a chip's estimate assumes when none is named: XLA on TPUs, CUDA graphs elsewhere. */
export const defaultBackendMode = (profile: Pick<HardwareProfile, "vendor">): BackendMode => (profile.vendor === "google" ? "xla" : "cuda-graphs");

/** A backend name (a mode or a stack) as its mode; an error names both lists. */
export function backendModeOf(backend: string): BackendMode {
  if ((BACKEND_MODE_NAMES as readonly string[]).includes(backend)) return backend as BackendMode;
  const mode = STACK_MODES[backend];
  if (mode) return mode;
  throw new InputError(`--backend: expected a mode (${BACKEND_MODE_NAMES.join(", ")}) or a stack (${Object.keys(STACK_MODES).join(", ")}), got "${backend}"`);
}

type LaunchInput = Pick<TimedOp, "kind" | "kernel" | "block" | "count" | "stage" | "implementation" | "shape">;

/** mamba_ssm's chunked SSD (mamba_chunk_scan_combined): chunk cumsum, chunk states, state passing, CBᵀ, chunk scan. */
const SSD_KERNELS_PER_SCAN = 5;

/** The RG-LRU scan, Mamba's selective scan and Mamba-2's SSD: ops that are never fused into their neighbours. */
const isScan = (op: Pick<TimedOp, "kernel">) => op.kernel === "scan" || op.kernel === "selective-scan" || op.kernel === "ssd";

/** Steps of a loop over timesteps in one instance of an op (the naive scan's), else 0. */
export function loopSteps(op: Pick<TimedOp, "kernel" | "implementation" | "shape">): number {
  const tokens = op.shape.tokens ?? 1;
  return isScan(op) && op.implementation === "naive" && tokens > 1 ? tokens : 0;
}

/** Kernels one instance of an op launches: a loop that is not compiled launches one per step. */
function kernelsPerInstance(op: LaunchInput, compiledLoops: boolean): number {
  if (!isScan(op)) return 1;
  const tokens = op.shape.tokens ?? 1;
  if (tokens <= 1) return 1;
  if (op.kernel === "ssd") return SSD_KERNELS_PER_SCAN;
  if (op.implementation === "naive") return compiledLoops ? 1 : tokens;
  // A parallel prefix: an up-sweep and a down-sweep of ⌈log2 T⌉ levels each.
  if (op.implementation === "associative") return 2 * Math.ceil(Math.log2(tokens));
  return 1;
}

const fusible = (op: LaunchInput) => op.kind === "elementwise" && !isScan(op);

/**
 * Launches of each op after the mode's fusion, over `decodeSteps` steps for a generate's decode
 * ops. A chain is consecutive elementwise ops of one block and count; under "into-producers" a
 * chain that follows another op of its block joins that op's kernel.
 */
export function launchesOf(ops: readonly LaunchInput[], costs: Pick<LaunchCosts, "fusion" | "loopStepSeconds">, decodeSteps = 1): number[] {
  const { fusion } = costs;
  return ops.map((op, i) => {
    const repeats = op.count * (op.stage === "decode" ? decodeSteps : 1);
    if (fusion === "none" || !fusible(op)) return repeats * kernelsPerInstance(op, costs.loopStepSeconds !== undefined);
    const previous = ops[i - 1];
    const sameGroup = previous !== undefined && previous.block === op.block && previous.count === op.count && previous.stage === op.stage;
    if (fusion === "elementwise-chains") return sameGroup && fusible(previous) ? 0 : repeats;
    return sameGroup ? 0 : repeats;
  });
}

/** Seconds the launches add to `kernelSeconds` of work spread over `launches` kernels. */
export function launchOverheadSeconds(kernelSeconds: number, launches: number, costs: LaunchCosts): number {
  if (launches === 0) return 0;
  return Math.max(kernelSeconds + launches * costs.deviceSecondsPerLaunch, launches * costs.hostSecondsPerLaunch) - kernelSeconds;
}

/** What an op's compiled loop adds: its iterations (all instances, all steps) at the mode's cost per step. */
export function loopOverheadSeconds(op: Pick<TimedOp, "kernel" | "implementation" | "shape" | "count" | "stage">, costs: LaunchCosts, decodeSteps = 1): number {
  if (costs.loopStepSeconds === undefined) return 0;
  return loopSteps(op) * op.count * (op.stage === "decode" ? decodeSteps : 1) * costs.loopStepSeconds;
}
