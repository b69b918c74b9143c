// Mutations of seed inputs: a JSON field set to a hostile value (including tokens JSON.stringify
// cannot write, such as 1e400 or NaN), and whole-text damage (truncation, byte-order marks,
// control characters).
import { clone, type Json } from "./seeds.js";

export type JsonPath = readonly (string | number)[];

/** A token written into the JSON text as it is: `raw("1e400")`, `raw("NaN")`. */
const RAW = "\u0000raw:";
export const raw = (token: string): string => `${RAW}${token}`;
/** Whether the value makes the JSON text itself invalid (NaN is no JSON token; 1e400 is, and reads as Infinity). */
export const breaksSyntax = (value: unknown): boolean => typeof value === "string" && value.startsWith(RAW) && !/^-?\d/.test(value.slice(RAW.length));

/** Marks a field for removal. */
export const REMOVE = "\u0000remove";

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`.replace(/"\\u0000raw:((?:[^"\\]|\\.)*)"/g, (_, token: string) => JSON.parse(`"${token}"`) as string);
}

/** A copy of `value` with the field at `path` set (or removed, with REMOVE). */
export function withField(value: Json, path: JsonPath, field: unknown): Json {
  const copy = clone(value);
  let target = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== "object") throw new Error(`seed has no ${String(key)} in ${path.join(".")}`);
    target = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (!(last in target)) throw new Error(`seed has no field ${path.join(".")}`);
  if (field === REMOVE) {
    if (Array.isArray(target)) target.splice(Number(last), 1);
    else delete target[last];
  } else target[last] = field;
  return copy;
}

/** The same field, added where the seed lacks it. */
export function withNewField(value: Json, path: JsonPath, field: unknown): Json {
  const copy = clone(value);
  let target = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path[path.length - 1]!] = field;
  return copy;
}

/** "compute.matrix[0].flopsPerSecond.value", as zod and the CLI print paths. */
export const pathText = (path: JsonPath): string =>
  path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${key}`)).join("");

/** The name a message about this field must carry: its last key that is neither an index nor "value". */
export function fieldName(path: JsonPath): string {
  const named = path.filter((key): key is string => typeof key === "string" && key !== "value");
  return named[named.length - 1] ?? String(path[0]);
}

/** Every path to a number in a JSON value. */
export function numericPaths(value: Json, prefix: JsonPath = []): JsonPath[] {
  if (typeof value === "number") return [prefix];
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => numericPaths(child, [...prefix, key]));
}

/** Hostile replacements for a number that must be positive and finite. */
export const BAD_POSITIVE_NUMBERS: readonly [string, unknown][] = [
  ["zero", 0],
  ["negative", -1],
  ["a string", "12"],
  ["null", null],
  ["1e400 (Infinity)", raw("1e400")],
  ["NaN", raw("NaN")],
];

export const BOM = "\ufeff";
export const withBom = (text: string): string => `${BOM}${text}`;

/** The first `fraction` of the text, cut inside a token where possible. */
export const truncated = (text: string, fraction: number): string => text.slice(0, Math.max(1, Math.floor(text.length * fraction)));
