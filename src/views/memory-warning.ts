// The warning every view prints for a batch that does not fit in main memory beside the weights.
import type { PhaseResult } from "../roofline/analyze.js";
import { batchFits } from "../cost/memory.js";
import { formatBytes, formatInteger } from "./format.js";

/** Why the phase's batch does not fit in main memory, or undefined when it fits (or is not modelled). */
export function memoryWarning(result: PhaseResult): string | undefined {
  const m = result.memory;
  if (batchFits(result.batch, m.maxBatch) !== false) return undefined;
  return m.maxBatch === 0
    ? `the weights alone (${formatBytes(m.weightBytes)}) do not fit in memory`
    : `batch ${formatInteger(result.batch)} does not fit in memory: the largest batch that fits is ${formatInteger(m.maxBatch!)} at ${formatInteger(m.cacheTokens!)} tokens`;
}

/** A phrase for a time the phase could not run at, or "" when its batch fits. */
export function unfitNote(result: PhaseResult): string {
  const m = result.memory;
  if (batchFits(result.batch, m.maxBatch) !== false) return "";
  return m.maxBatch === 0 ? " (the weights alone do not fit in memory)" : ` (batch ${formatInteger(result.batch)} does not fit in memory: at most ${formatInteger(m.maxBatch!)})`;
}
