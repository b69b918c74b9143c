// Parsing grid axes from flags: lists ("1,8,64"), doubling ranges ("256..65536"), ranges with a
// factor ("1..64*4"), or a mix ("1,2,8..64"); and refusing grids too large to hold in memory.
import { InputError } from "../errors.js";
import { MAX_AXIS_VALUES, formatLimit } from "../limits.js";
import { positiveInteger } from "./options.js";

/** The values of one axis, sorted and without repeats; each within the flag's limit (src/limits.ts). */
export function parseAxis(flag: string, text: string): number[] {
  const values: number[] = [];
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const range = /^([^.*]+)\.\.([^.*]+)(?:\*(.+))?$/.exec(part);
    if (range) {
      const from = positiveInteger(flag, range[1]!.trim(), `--${flag} ${part}`);
      const to = positiveInteger(flag, range[2]!.trim(), `--${flag} ${part}`);
      const factor = range[3] === undefined ? 2 : Number(range[3]);
      if (to < from || !(factor > 1) || !Number.isFinite(factor)) {
        throw new InputError(`--${flag} ${part}: a range needs from ≤ to and a finite factor > 1`);
      }
      for (let v = from; v <= to * (1 + 1e-12); v *= factor) {
        values.push(Math.round(v));
        if (values.length > MAX_AXIS_VALUES) throw new InputError(`--${flag}: more than ${formatLimit(MAX_AXIS_VALUES)} values, the limit for one axis`);
      }
      continue;
    }
    const value = Number(part.replaceAll("_", ""));
    if (!Number.isInteger(value) || value <= 0) {
      throw new InputError(`--${flag}: "${part}" is not a positive integer or a range like 256..65536`);
    }
    values.push(positiveInteger(flag, part));
    if (values.length > MAX_AXIS_VALUES) throw new InputError(`--${flag}: more than ${formatLimit(MAX_AXIS_VALUES)} values, the limit for one axis`);
  }
  if (values.length === 0) throw new InputError(`--${flag}: no values`);
  return [...new Set(values)].sort((a, b) => a - b);
}

/** One axis of a grid: how many values it has, its name for one and for several, and the flag that sets it. */
export type GridAxis = readonly [count: number, one: string, several: string, flag?: string];

/**
 * Refuses a grid with more than `max` points before any is computed, naming the count, the axes
 * that make it up and the flags of those with several values, longest first: "sweep: 4,687,922
 * rows (1 model × … × 1,531 batches) is above …; narrow --seq or --batch, or split the grid".
 */
export function checkGridSize(what: string, unit: string, axes: readonly GridAxis[], max: number): void {
  const total = axes.reduce((product, [count]) => product * count, 1);
  if (total <= max) return;
  const factors = axes.map(([count, one, several]) => `${formatLimit(count)} ${count === 1 ? one : several}`).join(" × ");
  const flags = axes.filter(([count, , , flag]) => count > 1 && flag).sort((a, b) => b[0] - a[0]).map(([, , , flag]) => flag!);
  const narrow = flags.length === 0 ? "narrow an axis or split the grid"
    : `narrow ${flags.length === 1 ? flags[0] : `${flags.slice(0, -1).join(", ")} or ${flags.at(-1)}`}, or split the grid`;
  throw new InputError(`${what}: ${formatLimit(total)} ${unit} (${factors}) is above the limit of ${formatLimit(max)} ${unit}; ${narrow}`);
}
