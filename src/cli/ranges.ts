// Parsing grid axes from flags: lists ("1,8,64"), doubling ranges ("256..65536"), ranges with a
// factor ("1..64*4"), or a mix ("1,2,8..64").
import { InputError } from "../errors.js";

const MAX_POINTS_PER_AXIS = 4096;

export function parseAxis(flag: string, text: string): number[] {
  const values: number[] = [];
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d[\d_]*)\.\.(\d[\d_]*)(?:\*(\d+(?:\.\d+)?))?$/.exec(part);
    if (range) {
      const from = Number(range[1]!.replaceAll("_", ""));
      const to = Number(range[2]!.replaceAll("_", ""));
      const factor = range[3] === undefined ? 2 : Number(range[3]);
      if (from <= 0 || to < from || !(factor > 1)) {
        throw new InputError(`--${flag} ${part}: a range needs 0 < from ≤ to and a factor > 1`);
      }
      for (let v = from; v <= to * (1 + 1e-12); v *= factor) {
        values.push(Math.round(v));
        if (values.length > MAX_POINTS_PER_AXIS) throw new InputError(`--${flag}: more than ${MAX_POINTS_PER_AXIS} values`);
      }
      continue;
    }
    const value = Number(part.replaceAll("_", ""));
    if (!Number.isInteger(value) || value <= 0) {
      throw new InputError(`--${flag}: "${part}" is not a positive integer or a range like 256..65536`);
    }
    values.push(value);
  }
  if (values.length === 0) throw new InputError(`--${flag}: no values`);
  return [...new Set(values)].sort((a, b) => a - b);
}
