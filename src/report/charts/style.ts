// Shared look of every chart: one font (measured the same way in Node, the browser and PNGs),
// fixed colours per block type and per model so that every chart of every report agrees, axes in
// engineering units chosen from the data (ms, µs, GB), and panels sized to fit a 1280 px page.
import type { BlockType } from "../../cost/op.js";
import { PRESETS } from "../../models/presets.js";
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

/** Warnings (a point above its roof, a batch that does not fit) are red; no model is. */
export const WARNING_COLOR = "#c00000";

/**
 * A model's colour: its family's hue, in the shade of its size within the family (the 7B member
 * in the family's own colour, smaller ones darker, larger ones lighter). A model derived with
 * --set keeps its preset's colour; a model of no known family gets a grey.
 */
const FAMILY_COLORS: Record<string, [number, number, number]> = {
  griffin: [31, 119, 180],
  hawk: [44, 160, 44],
  mqa: [255, 127, 14],
  recurrentgemma: [148, 103, 189],
  llama: [140, 86, 75],
  mamba: [214, 39, 40],
  mamba2: [188, 189, 34],
  gpt3: [23, 190, 207],
};

const hex = (rgb: readonly number[]) => `#${rgb.map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, "0")).join("")}`;

/** Mixes `rgb` toward white (t > 0) or black (t < 0). */
const shade = (rgb: readonly number[], t: number) => rgb.map((c) => (t >= 0 ? c + (255 - c) * t : c * (1 + t)));

export function modelColor(name: string): string {
  const base = name.replace(/ \(.*\)$/, "");
  const preset = PRESETS.find((p) => p.name === base);
  const family = preset?.family ?? Object.keys(FAMILY_COLORS).find((f) => base.startsWith(f));
  const hue = family ? FAMILY_COLORS[family] : undefined;
  if (!hue) return "#555555";
  const members = PRESETS.filter((p) => p.family === family);
  const index = members.findIndex((p) => p.name === base);
  const canonical = Math.max(0, members.findIndex((p) => /-7b$/.test(p.name)));
  return hex(shade(hue, index < 0 ? 0 : Math.max(-0.5, Math.min(0.5, (index - canonical) * 0.12))));
}

/** Dashes and point shapes by a model's place in the report, so that coinciding lines stay apart. */
const DASHES = [[1, 0], [7, 3], [2, 2], [10, 3, 2, 3], [4, 4], [1, 3]];
const SHAPES = ["circle", "square", "triangle-up", "diamond", "triangle-down", "cross"];

export function modelScales(models: readonly string[]): { color: Spec; strokeDash: Spec; shape: Spec } {
  return {
    color: { domain: models, range: models.map(modelColor) },
    strokeDash: { domain: models, range: models.map((_, i) => DASHES[i % DASHES.length]) },
    shape: { domain: models, range: models.map((_, i) => SHAPES[i % SHAPES.length]) },
  };
}

/** Width of one panel's plot area; three panels and their axes fit a 1280 px page. */
export const PANEL_WIDTH = 290;
export const PANEL_HEIGHT = 220;
/** A panel's width with its axes, and the space between panels: for choosing columns. */
export const PANEL_OUTER_WIDTH = PANEL_WIDTH + 90;
export const PANEL_SPACING = 30;

export const CONFIG = {
  font: FONT,
  view: { stroke: "#ddd" },
  axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, gridColor: "#eee", labelOverlap: "greedy", labelSeparation: 6 },
  legend: { labelFont: FONT, titleFont: FONT, labelLimit: 260, orient: "bottom", direction: "horizontal", columns: 3 },
  title: { font: FONT, subtitleFont: FONT, anchor: "start", fontSize: 12, subtitleFontSize: 11, limit: PANEL_OUTER_WIDTH },
  header: { labelFont: FONT, titleFont: FONT },
};

/** Wraps chart bodies into one top-level spec: side by side, wrapped into `columns`. */
export function topLevel(title: string, subtitle: string | undefined, charts: Spec[], columns: number): Spec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, fontSize: 14, limit: 0, ...(subtitle && { subtitle: wrapWords(subtitle, 110) }) },
    config: CONFIG,
    ...(charts.length === 1 ? charts[0]! : { concat: charts, columns, spacing: PANEL_SPACING }),
  };
}

/** Engineering units per quantity: the largest prefix the data's largest value reaches. */
const UNITS: Record<string, { factor: number; symbol: string }[]> = {
  s: [{ factor: 1, symbol: "s" }, { factor: 1e-3, symbol: "ms" }, { factor: 1e-6, symbol: "µs" }, { factor: 1e-9, symbol: "ns" }],
  B: [{ factor: 1e12, symbol: "TB" }, { factor: 1e9, symbol: "GB" }, { factor: 1e6, symbol: "MB" }, { factor: 1e3, symbol: "kB" }, { factor: 1, symbol: "B" }],
  "FLOP/s": [{ factor: 1e15, symbol: "PFLOP/s" }, { factor: 1e12, symbol: "TFLOP/s" }, { factor: 1e9, symbol: "GFLOP/s" }, { factor: 1e6, symbol: "MFLOP/s" }, { factor: 1, symbol: "FLOP/s" }],
  "tokens/s": [{ factor: 1e6, symbol: "M tokens/s" }, { factor: 1e3, symbol: "k tokens/s" }, { factor: 1, symbol: "tokens/s" }],
  $: [{ factor: 1, symbol: "$" }, { factor: 1e-2, symbol: "¢" }],
  J: [{ factor: 1, symbol: "J" }, { factor: 1e-3, symbol: "mJ" }, { factor: 1e-6, symbol: "µJ" }],
};

export function unitFor(quantity: keyof typeof UNITS, values: readonly number[]): { factor: number; symbol: string } {
  const units = UNITS[quantity]!;
  const largest = Math.max(0, ...values.filter(Number.isFinite));
  return units.find((u) => largest >= u.factor) ?? units[units.length - 1]!;
}

/**
 * An axis in engineering units: "decode time [ms]" with labels 13, 14, 15 rather than 13m, 14m;
 * labels that would overlap are dropped.
 */
export function unitAxis(title: string, quantity: keyof typeof UNITS, values: readonly number[]): Spec {
  const unit = unitFor(quantity, values);
  return { title: `${title} [${unit.symbol}]`, labelExpr: `format(datum.value / ${unit.factor}, '~g')`, grid: true };
}

/** A log scale fitted to the data: no rounding out to whole decades. */
export const FITTED_LOG = { type: "log", nice: false, padding: 6 } as const;

/** Token counts and batch sizes read best in binary thousands: 256, 1k, 4k, 64k. */
const BINARY_K_LABEL = "datum.value >= 1024 ? format(datum.value / 1024, '~g') + 'k' : format(datum.value, '~g')";

export const log2Axis = (title: string) => ({
  type: "quantitative" as const,
  scale: { type: "log", base: 2, nice: false },
  axis: { title, labelExpr: BINARY_K_LABEL, grid: true },
});

/**
 * A layer's rows, or one hidden row at `corner` when it has none: a layer without rows has no
 * extent, which vega warns of, and the page redraws a panel by swapping data, so every layer
 * stays. Marks hide the row with `hiddenOpacity`.
 */
export function rowsOrHidden<T extends object>(rows: readonly T[], corner: Record<string, unknown>): (T | Record<string, unknown>)[] {
  return rows.length > 0 ? [...rows] : [{ ...corner, hidden: true }];
}

/** Opacity that hides the placeholder row of `rowsOrHidden`. */
export const hiddenOpacity = (opacity = 1) => ({ condition: { test: "datum.hidden", value: 0 }, value: opacity });

/** Text broken into lines of at most `width` characters, at spaces: a subtitle no wider than its chart. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
