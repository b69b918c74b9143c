// A preset changed with `--set`, or edited in a file that keeps its name, is no longer the model
// its paper describes: outputs must not print it under the preset's name and citation. This
// labels it as derived, listing what changed as `--set` would write it: "griffin-7b (window=2048)",
// "griffin-7b (depth=12 window=2048)".
import type { ModelSpec } from "./schema.js";
import { FIELD_ALIASES } from "./field-aliases.js";

/** Fields that describe the model rather than label it. */
const LABELS = new Set(["name", "source"]);

/** The short name `--set` knows a field path by ("attention.window" → "window"). */
const SHORT_NAMES = new Map(Object.entries(FIELD_ALIASES).map(([short, path]) => [path, short]));

/** Names the model shows at most this many changes; its source lists them all. */
const CHANGES_IN_NAME = 3;

const isSection = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const show = (value: unknown) => (value === undefined ? "none" : Array.isArray(value) ? value.join(",") : String(value));

/** `field=value` for every leaf where `spec` differs from `base`, in the spec's field order. */
export function changedFields(spec: unknown, base: unknown, path: readonly string[] = []): string[] {
  if (isSection(spec) || isSection(base)) {
    const a = isSection(spec) ? spec : {};
    const b = isSection(base) ? base : {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => path.length > 0 || !LABELS.has(key));
    return keys.flatMap((key) => changedFields(a[key], b[key], [...path, key]));
  }
  if (JSON.stringify(spec) === JSON.stringify(base)) return [];
  const field = path.join(".");
  return [`${SHORT_NAMES.get(field) ?? field}=${show(spec)}`];
}

/** How a model was derived: from a preset with `--set`, or in a file that keeps a preset's name. */
export interface Derivation {
  file?: string;
  withSet: boolean;
}

function derivationText(base: ModelSpec, how: Derivation, changes: readonly string[]): string {
  const list = changes.join(" ");
  if (how.file === undefined) return `derived from ${base.name} with --set ${list}`;
  return `derived from ${base.name} in ${how.file}${how.withSet ? " and --set" : ""}: ${list}`;
}

/**
 * `spec` relabelled as derived from the preset `base` when its fields differ. A name or source the
 * user chose is kept; the preset's own are not, since they no longer describe this model.
 */
export function labelDerived(spec: ModelSpec, base: ModelSpec, how: Derivation): ModelSpec {
  const changes = changedFields(spec, base);
  if (changes.length === 0) return spec;
  const shown = changes.length > CHANGES_IN_NAME
    ? [...changes.slice(0, CHANGES_IN_NAME), `+${changes.length - CHANGES_IN_NAME} more`]
    : changes;
  const source = derivationText(base, how, changes) + (base.source ? `; ${base.name}: ${base.source}` : "");
  return {
    ...spec,
    name: spec.name === base.name ? `${base.name} (${shown.join(" ")})` : spec.name,
    ...(spec.source === undefined || spec.source === base.source ? { source } : {}),
  };
}
