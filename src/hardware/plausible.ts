// Plausible ranges as a zod refinement, for the schemas (the ranges themselves, without zod, are
// in ./plausible-ranges.ts, for command-line checks that must not load zod).
import { z } from "zod";
import { implausibility, type PlausibleRange } from "./plausible-ranges.js";

export { PLAUSIBLE, implausibility, type PlausibleRange } from "./plausible-ranges.js";

/** A finite number inside `range`; outside it, an error naming the value, the unit and the range. */
export function plausibleNumber(range: PlausibleRange) {
  return z.number().finite().superRefine((value, ctx) => {
    const message = implausibility(value, range);
    if (message) ctx.addIssue({ code: "custom", message });
  });
}
