// The layer graph: which temporal block each residual block uses, and how many of each.
import type { BlockKind, ModelSpec } from "./schema.js";

export type LayerCounts = Record<BlockKind, number>;

/** The pattern repeated and truncated to the model's depth ([G] §3: 32 layers → 22 + 10). */
export function layerKinds(spec: ModelSpec): BlockKind[] {
  return Array.from({ length: spec.depth }, (_, i) => spec.pattern[i % spec.pattern.length]!);
}

export function layerCounts(spec: ModelSpec): LayerCounts {
  const counts: LayerCounts = { recurrent: 0, "local-attention": 0, "global-attention": 0 };
  for (const kind of layerKinds(spec)) counts[kind] += 1;
  return counts;
}
