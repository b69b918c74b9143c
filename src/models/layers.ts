// The layer graph: which temporal block each residual block uses, and how many of each.
import type { BlockKind, ModelSpec } from "./schema.js";

export type LayerCounts = Record<BlockKind, number>;

/**
 * How many layers of each kind the pattern gives, repeated and truncated to the model's depth
 * ([G] §3: 32 layers of recurrent, recurrent, local → 22 + 10). Counted from the pattern, never by
 * listing the layers, so that a deep model costs no more than a shallow one.
 */
export function layerCounts(spec: Pick<ModelSpec, "depth" | "pattern">): LayerCounts {
  const counts: LayerCounts = { recurrent: 0, "local-attention": 0, "global-attention": 0, mamba: 0, mamba2: 0 };
  const period = spec.pattern.length;
  const fullRepeats = Math.floor(spec.depth / period);
  const remainder = spec.depth % period;
  // Position i of the pattern is used once per full repeat, and once more if it falls in the remainder.
  spec.pattern.forEach((kind, i) => {
    counts[kind] += fullRepeats + (i < remainder ? 1 : 0);
  });
  return counts;
}
