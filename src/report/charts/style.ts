// Shared look of every chart: one font (measured the same way in Node, the browser and PNGs),
// fixed colours per block type so that every chart of a report agrees.
import type { BlockType } from "../../cost/op.js";
import type { ModelSpec } from "../../models/schema.js";

export type Spec = Record<string, unknown>;

export const FONT = "DejaVu Sans";

export const BLOCK_COLORS: Record<BlockType, string> = {
  recurrent: "#1b9e77",
  "local-attention": "#7570b3",
  "global-attention": "#d95f02",
  mamba: "#66a61e",
  mamba2: "#a6761d",
  mlp: "#e7298a",
  other: "#666666",
};

/** Block types every report's legend lists; the Mamba blocks join them only where a model has them. */
const ALWAYS_SHOWN: readonly BlockType[] = ["recurrent", "local-attention", "global-attention", "mlp", "other"];

export function blockColorScale(models: readonly Pick<ModelSpec, "pattern">[]): { domain: BlockType[]; range: string[] } {
  const used = (block: BlockType) => models.some((model) => (model.pattern as readonly string[]).includes(block));
  const domain = (Object.keys(BLOCK_COLORS) as BlockType[]).filter((block) => ALWAYS_SHOWN.includes(block) || used(block));
  return { domain, range: domain.map((block) => BLOCK_COLORS[block]) };
}

export const CONFIG = {
  font: FONT,
  view: { stroke: "#ddd" },
  axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFont: FONT, titleFont: FONT, labelLimit: 260 },
  title: { font: FONT, subtitleFont: FONT, anchor: "start", fontSize: 14, subtitleFontSize: 11 },
  header: { labelFont: FONT, titleFont: FONT },
};

/** Wraps chart bodies into one top-level spec: side by side, wrapped into `columns`. */
export function topLevel(title: string, subtitle: string, charts: Spec[], columns: number): Spec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle },
    config: CONFIG,
    ...(charts.length === 1 ? charts[0]! : { concat: charts, columns, spacing: 30 }),
  };
}

/** Axis tick labels for SI quantities on log scales: 10m, 1, 1k, 200G, 1T. */
export const SI = "~s";

/** Token counts and batch sizes read best in binary thousands: 256, 1k, 4k, 64k. */
const BINARY_K_LABEL = "datum.value >= 1024 ? format(datum.value / 1024, '~g') + 'k' : format(datum.value, '~g')";

export const log2Axis = (title: string) => ({
  type: "quantitative" as const,
  scale: { type: "log", base: 2 },
  axis: { title, labelExpr: BINARY_K_LABEL, grid: true },
});
