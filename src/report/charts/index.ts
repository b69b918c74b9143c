// The report's charts, each one top-level Vega-Lite spec that can also be exported alone.
import type { ReportData } from "../data.js";
import { blockPanels } from "./blocks.js";
import { memoryPanels, throughputPanels } from "./capacity.js";
import { costPanels } from "./cost.js";
import { latencyPanels, windows as latencyWindows } from "./latency.js";
import { rooflinePanel } from "./roofline.js";
import { topLevel, wrapWords, type Spec } from "./style.js";
import { measuredRooflinePoints, validationPanel } from "./validation.js";

export const CHART_NAMES = ["roofline", "latency", "memory", "throughput", "cost", "blocks", "validation"] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface Chart {
  name: ChartName;
  title: string;
  /** The settings the chart was drawn at, in words: its subtitle, or the page's caption for it. */
  caption: string;
  spec: Spec;
}

/** Panels side by side, at most three: what a 1280 px page holds (the page reflows below it). */
const columns = (panels: number) => Math.min(3, panels);

/**
 * The report's charts. `subtitles`: the settings in each chart's subtitle, as a chart exported
 * alone needs them; the HTML report prints them as captions instead, so that a chart's spec does
 * not change with the numbers it shows and the explorer can redraw it from new data alone.
 */
export function buildCharts(data: ReportData, options: { subtitles?: boolean } = {}): Chart[] {
  const subtitles = options.subtitles ?? true;
  const impl = data.implementation;
  const s = data.scenario;
  const where = data.chips.map((c) => `${c.profile.id} (per ${c.profile.granularity.unit})`).join(", ");
  let panel = 0;
  const validation = data.validation;
  const roofline = data.chips.flatMap((chip, c) => chip.analyses.map((analysis) =>
    rooflinePanel(analysis, chip, panel++, validation && c === 0 ? measuredRooflinePoints(validation, analysis.model.name, chip) : [], data.phases)));
  const cost = costPanels(data);
  const charts: Chart[] = [
    {
      name: "roofline",
      title: "Roofline",
      caption: `${where}; prefill of ${s.seqTokens} tokens and decode at ${s.contextTokens} cached tokens, batch ${s.batch}; ${impl.dtypes.weights} weights, ${impl.attention} attention, ${impl.scan} scan; point size: share of the phase's time; ops of one block type at the same intensity are summed into one point`,
      spec: topLevel(`Roofline: every op of ${data.phases.map((p) => (p === "prefill" ? "a prefill" : "a decode step")).join(" and ")}`, undefined, roofline, columns(data.models.length)),
    },
    {
      name: "latency",
      title: "Latency vs sequence length",
      caption: `${where}; batch ${s.batch}; dashed rule: ${latencyWindows(data.models).map((w) => w.label).join(", ") || "no local window"}; a red × marks a length at which the batch does not fit in memory`,
      spec: topLevel("Latency vs sequence length", undefined, latencyPanels(data), 3),
    },
    {
      name: "memory",
      title: "Memory vs context length",
      caption: `weights (${impl.dtypes.weights}) plus the decode cache of each sequence (${impl.dtypes.cache}, RG-LRU state ${impl.dtypes.state})`,
      spec: topLevel("Memory vs context length", undefined, memoryPanels(data), columns(data.chips.length)),
    },
    {
      name: "throughput",
      title: "Throughput vs batch size",
      caption: `new tokens per second across the batch, one decode step at ${s.contextTokens} cached tokens`,
      spec: topLevel("Decode throughput vs batch size", undefined, throughputPanels(data), columns(data.chips.length)),
    },
    ...(cost.length > 0 ? [{
      name: "cost" as const,
      title: "Cost and energy vs batch size",
      caption: `one decode step's tokens per second at ${s.contextTokens} cached tokens, at the chip's price per hour and its power (a TDP: energy is an upper bound)`,
      spec: topLevel("Cost and energy per token vs batch size", undefined, cost, 2),
    }] : []),
    {
      name: "blocks",
      title: "Time by block type",
      caption: `roofline time of each phase split by the block its ops belong to: prefill of ${s.seqTokens} tokens, decode at ${s.contextTokens} cached tokens, batch ${s.batch}`,
      spec: topLevel("Time by block type", undefined, blockPanels(data), 2),
    },
    ...(validation ? [{
      name: "validation" as const,
      title: "Validation",
      caption: "log-log; the solid line is y = x, the dashed ones ±25%",
      spec: topLevel("Predicted vs measured kernel times", undefined, [validationPanel(validation)], 1),
    }] : []),
  ];
  return subtitles ? charts.map((chart) => ({ ...chart, spec: { ...chart.spec, title: { ...(chart.spec.title as object), subtitle: wrapWords(chart.caption, 110) } } })) : charts;
}
