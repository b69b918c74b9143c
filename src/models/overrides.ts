// `--set field=value`: overrides of a model's fields, by short name or dotted path, applied to a
// copy and validated like a model file.
import type { ModelSpec } from "./schema.js";
import { InputError, describeIssues } from "../errors.js";
import { didYouMean } from "../closest-names.js";
import { onDemand } from "../on-demand.js";
import { FIELD_ALIASES } from "./field-aliases.js";

const schema = onDemand<typeof import("./schema.js")>(new URL("./schema.js", import.meta.url));

/** Short names for the fields people override most; any dotted path also works. */
export { FIELD_ALIASES };

/** `value` as the type the field holds now: a list field takes "a,b", others numbers, booleans or text. */
function parseValue(text: string, current: unknown): unknown {
  if (Array.isArray(current)) return text.split(",").map((part) => part.trim());
  if (text === "true" || text === "false") return text === "true";
  if (text === "null") return null;
  const number = Number(text.replaceAll("_", ""));
  if (text.trim() !== "" && Number.isFinite(number)) return number;
  if (text.includes(",")) return text.split(",").map((part) => part.trim());
  return text;
}

/**
 * `--set` values arrive split at commas (`--set window=2048,depth=12`); a piece without "=" is part
 * of the previous value (`--set pattern=recurrent,local-attention`).
 */
export function joinOverrides(pieces: readonly string[]): string[] {
  const assignments: string[] = [];
  for (const piece of pieces) {
    if (piece.includes("=") || assignments.length === 0) assignments.push(piece);
    else assignments[assignments.length - 1] += `,${piece}`;
  }
  return assignments;
}

/** Every dotted path of the spec's fields, for suggestions. */
function fieldPaths(value: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    child !== null && typeof child === "object" && !Array.isArray(child)
      ? fieldPaths(child as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`]);
}

/** A model field of `target`: an own key, never a name every object has (`constructor`, `__proto__`). */
const isField = (target: Record<string, unknown>, key: string) => Object.hasOwn(target, key) && !(key in Object.prototype);

/** Applies `field=value` overrides to a copy of the spec, then validates the result. */
export function applyOverrides(spec: ModelSpec, overrides: readonly string[], where: string): ModelSpec {
  const copy = structuredClone(spec) as unknown as Record<string, unknown>;
  const assignments = joinOverrides(overrides);
  for (const assignment of assignments) {
    const equals = assignment.indexOf("=");
    if (equals <= 0) throw new InputError(`--set ${assignment}: expected field=value (e.g. window=2048)`);
    const field = assignment.slice(0, equals).trim();
    const fieldPath = Object.hasOwn(FIELD_ALIASES, field) ? FIELD_ALIASES[field]! : field;
    const unknown = () => {
      const known = [...Object.keys(FIELD_ALIASES), ...fieldPaths(copy)];
      const suggestion = didYouMean(field, known);
      return new InputError(`--set ${assignment}: "${field}" is not a field of ${where}${suggestion || ` (short names: ${Object.keys(FIELD_ALIASES).join(", ")}; or any dotted path of \`roofline models --show\`)`}`);
    };
    const pathParts = fieldPath.split(".");
    let target = copy;
    for (const part of pathParts.slice(0, -1)) {
      if (!isField(target, part)) throw unknown();
      const next = target[part];
      if (next === null || typeof next !== "object" || Array.isArray(next)) {
        throw new InputError(`--set ${assignment}: ${where} has no "${part}" section`);
      }
      target = next as Record<string, unknown>;
    }
    const last = pathParts[pathParts.length - 1]!;
    if (!isField(target, last)) throw unknown();
    target[last] = parseValue(assignment.slice(equals + 1), target[last]);
  }
  return validateModel(copy, assignments.length > 0 ? `${where} with --set ${assignments.join(" ")}` : where);
}

export function validateModel(raw: unknown, where: string): ModelSpec {
  const result = schema().ModelSpecSchema.safeParse(raw);
  if (!result.success) throw new InputError(describeIssues(where, result.error.issues));
  return result.data;
}
