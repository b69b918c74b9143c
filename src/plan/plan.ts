// A benchmark plan: the kernels of the cost model with their exact shapes and dtypes, one entry
// per op instance (one layer), with the prediction for that instance. The harness in
// bench/kernels/ times each entry, and every measurement joins its prediction by `id`.
import type { Ceilings } from "../hardware/ceilings.js";
import type { ModelSpec } from "../models/schema.js";
import { decodeOps, prefillOps, trainOps, type Implementation } from "../cost/phases.js";
import type { OpCost } from "../cost/op.js";
import { timeOp } from "../roofline/time.js";

export const PLAN_SCHEMA = "roofline.plan";
export const PLAN_VERSION = 1;

export type PlanPhase = "prefill" | "decode" | "train";

export interface PlanEntry {
  id: string;
  model: string;
  phase: PlanPhase;
  pass: "forward" | "backward" | "update";
  batch: number;
  /** Prefill and train: sequence length; decode: cached tokens. */
  tokens: number;
  op: string;
  block: string;
  kind: string;
  kernel: string;
  implementation: string | null;
  /** Identical layers this instance stands for in the model. */
  count: number;
  shape: Record<string, number>;
  dtypes: Implementation["dtypes"];
  predicted: {
    matrixFlops: number;
    vectorFlops: number;
    flops: number;
    bytes: number;
    intensity: number;
    seconds: number;
    upperBoundSeconds: number;
    bound: string;
  };
}

export interface Plan {
  schema: typeof PLAN_SCHEMA;
  version: typeof PLAN_VERSION;
  hardware: string;
  /** The device the predictions are for, as its profile names it: measurements join only its own. */
  deviceNames?: string[];
  architecture?: string;
  implementation: Implementation;
  kernels: PlanEntry[];
}

/** One instance of an op: its totals divided by the number of identical layers. */
function perInstance(op: OpCost): OpCost {
  const n = op.count;
  return {
    ...op,
    count: 1,
    matrixFlops: op.matrixFlops / n,
    vectorFlops: op.vectorFlops / n,
    bytes: { weights: op.bytes.weights / n, activations: op.bytes.activations / n, kvCache: op.bytes.kvCache / n, state: op.bytes.state / n },
  };
}

export function planEntries(
  spec: ModelSpec, phase: PlanPhase, batch: number, tokens: number, impl: Implementation, ceilings: Ceilings,
): PlanEntry[] {
  const ops =
    phase === "prefill" ? prefillOps(spec, batch, tokens, impl)
      : phase === "decode" ? decodeOps(spec, batch, tokens, impl)
        : trainOps(spec, batch, tokens, impl, { rematerialise: false });
  const lengthKey = phase === "decode" ? "L" : "T";
  return ops.map((op) => {
    const one = timeOp(perInstance(op), ceilings);
    const pass = op.pass === "backward" ? "backward" : op.pass === "update" ? "update" : "forward";
    const baseName = pass === "backward" ? op.name.replace(/ \(backward\)$/, "") : op.name;
    return {
      id: [spec.name, phase, `B${batch}`, `${lengthKey}${tokens}`, op.block, baseName, pass].join("|"),
      model: spec.name,
      phase,
      pass,
      batch,
      tokens,
      op: baseName,
      block: op.block,
      kind: op.kind,
      kernel: op.kernel,
      implementation: op.implementation ?? null,
      count: op.count,
      shape: op.shape,
      dtypes: impl.dtypes,
      predicted: {
        matrixFlops: one.matrixFlops,
        vectorFlops: one.vectorFlops,
        flops: one.flops,
        bytes: one.bytesTotal,
        intensity: one.intensity,
        seconds: one.seconds,
        upperBoundSeconds: one.upperBoundSeconds,
        bound: one.bound,
      },
    };
  });
}

export interface PlanRequest {
  models: ModelSpec[];
  phases: PlanPhase[];
  lengths: number[];
  batches: number[];
  implementation: Implementation;
  hardware: string;
  deviceNames?: string[];
  architecture?: string;
  ceilings: Ceilings;
}

export function buildPlan(request: PlanRequest): Plan {
  const kernels: PlanEntry[] = [];
  for (const spec of request.models) {
    for (const phase of request.phases) {
      for (const tokens of request.lengths) {
        for (const batch of request.batches) {
          kernels.push(...planEntries(spec, phase, batch, tokens, request.implementation, request.ceilings));
        }
      }
    }
  }
  return {
    schema: PLAN_SCHEMA, version: PLAN_VERSION, hardware: request.hardware,
    ...(request.deviceNames && { deviceNames: request.deviceNames }), ...(request.architecture && { architecture: request.architecture }),
    implementation: request.implementation, kernels,
  };
}
