// Validation of harness measurements: each measured kernel joined with the cost model's
// prediction for the same shape (recomputed from the row: model, phase, batch, length,
// implementation), against vendor peaks and against measured ceilings.
import type { Ceilings } from "../hardware/ceilings.js";
import { DEFAULT_DTYPES, DTYPES, type Dtype } from "../cost/dtypes.js";
import type { Implementation } from "../cost/phases.js";
import type { AttentionImplementation, ScanImplementation } from "../cost/op.js";
import { InputError } from "../errors.js";
import { whereIs } from "../measurements/read.js";
import type { MeasurementRow } from "../measurements/schema.js";
import type { ModelSpec } from "../models/schema.js";
import { planEntries, type PlanEntry } from "../plan/plan.js";
import { relativeError } from "./errors.js";

export interface KernelComparison {
  id: string;
  model: string;
  phase: string;
  pass: string;
  op: string;
  block: string;
  /** The op class errors are grouped and calibrated by: the kernel (linear, rmsnorm, scan, attention, …). */
  opClass: string;
  implementation: string;
  measuredSeconds: number;
  samplesSeconds: number[];
  predictedSeconds: number;
  predictedSecondsMeasuredCeilings: number | null;
  /** Roofline time / measured time: the fraction of the roofline the kernel achieved. */
  achievedFraction: number;
  achievedFractionMeasuredCeilings: number | null;
  /** (predicted − measured) / measured, against vendor peaks. */
  error: number;
  flops: number;
  matrixFlops: number;
  vectorFlops: number;
  bytes: number;
  intensity: number;
  bound: string;
  /** Measured faster than its roofline: a counting, unit or profile error, never a success. */
  fasterThanRoofline: boolean;
}

/** The implementation named in an op ("attention core (dense)", "RG-LRU scan (naive)"). */
function implementationOf(row: MeasurementRow): { attention: AttentionImplementation; scan: ScanImplementation } {
  const named = /\((flash|dense|fused|naive|associative)\)$/.exec(row.op)?.[1] ?? row.implementation;
  return {
    attention: named === "dense" ? "dense" : "flash",
    scan: named === "naive" || named === "associative" ? named : "fused",
  };
}

export function rowImplementation(row: MeasurementRow): Implementation {
  if (!(DTYPES as readonly string[]).includes(row.dtype)) {
    throw new InputError(`${whereIs(row)}: column "dtype": unknown dtype "${row.dtype}" (expected ${DTYPES.join(", ")}; kernel ${row.kernel_id})`);
  }
  const dtype = row.dtype as Dtype;
  if (dtype === "int4") throw new InputError(`${whereIs(row)}: column "dtype": int4 is a storage type, not a kernel's dtype (kernel ${row.kernel_id})`);
  return { dtypes: { ...DEFAULT_DTYPES, weights: dtype, matmul: dtype, activations: dtype }, ...implementationOf(row) };
}

/** Predictions for every measured row; plan entries are computed once per scenario. */
export function predictRows(rows: readonly MeasurementRow[], models: ReadonlyMap<string, ModelSpec>, ceilings: Ceilings): Map<string, PlanEntry> {
  const cache = new Map<string, Map<string, PlanEntry>>();
  const predictions = new Map<string, PlanEntry>();
  for (const row of rows) {
    const spec = models.get(row.model);
    if (!spec) throw new InputError(`${whereIs(row)}: column "model": unknown model "${row.model}" (pass its file with --model; kernel ${row.kernel_id})`);
    const impl = rowImplementation(row);
    const key = [row.model, row.phase, row.batch, row.tokens, impl.attention, impl.scan, row.dtype].join("|");
    let entries = cache.get(key);
    if (!entries) {
      entries = new Map(planEntries(spec, row.phase, row.batch, row.tokens, impl, ceilings).map((e) => [e.id, e]));
      cache.set(key, entries);
    }
    const entry = entries.get(row.kernel_id);
    if (!entry) throw new InputError(`${whereIs(row)}: column "kernel_id": the cost model has no kernel ${row.kernel_id} for ${row.model} (${row.phase}, batch ${row.batch}, ${row.tokens} tokens)`);
    predictions.set(row.kernel_id, entry);
  }
  return predictions;
}

export function compareKernels(
  rows: readonly MeasurementRow[], models: ReadonlyMap<string, ModelSpec>, vendor: Ceilings, measured: Ceilings | null,
): KernelComparison[] {
  const atVendor = predictRows(rows, models, vendor);
  const atMeasured = measured ? predictRows(rows, models, measured) : null;
  return rows.map((row) => {
    const p = atVendor.get(row.kernel_id)!;
    const m = atMeasured?.get(row.kernel_id)?.predicted ?? null;
    const achievedFraction = p.predicted.seconds / row.median_seconds;
    return {
      id: row.kernel_id, model: row.model, phase: row.phase, pass: row.pass, op: row.op, block: row.block,
      opClass: p.kernel, implementation: row.harness_implementation,
      measuredSeconds: row.median_seconds, samplesSeconds: row.samples_seconds,
      predictedSeconds: p.predicted.seconds,
      predictedSecondsMeasuredCeilings: m?.seconds ?? null,
      achievedFraction,
      achievedFractionMeasuredCeilings: m ? m.seconds / row.median_seconds : null,
      error: relativeError(p.predicted.seconds, row.median_seconds),
      flops: p.predicted.flops, matrixFlops: p.predicted.matrixFlops, vectorFlops: p.predicted.vectorFlops,
      bytes: p.predicted.bytes, intensity: p.predicted.intensity, bound: p.predicted.bound,
      fasterThanRoofline: achievedFraction > 1,
    };
  });
}
