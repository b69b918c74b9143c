// `--price-per-hour`: US dollars per chip-hour, checked against the plausible range of a profile's
// price (without loading zod: the report and analysis paths do not otherwise need it).
import { InputError } from "../errors.js";
import { PLAUSIBLE, implausibility } from "../hardware/plausible-ranges.js";

export function pricePerHourFrom(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const price = text === "" ? Number.NaN : Number(text);
  const problem = Number.isFinite(price) ? implausibility(price, PLAUSIBLE.dollarsPerChipHour) : "not a number";
  if (problem) throw new InputError(`--price-per-hour: "${String(value)}": ${problem}`);
  return price;
}
