// The report's charts, each one top-level Vega-Lite spec that can also be exported alone.
import type { ReportData } from "../data.js";
import { blockPanels } from "./blocks.js";
import { memoryPanels, throughputPanels } from "./capacity.js";
import { costPanels } from "./cost.js";
import { latencyPanels } from "./latency.js";
import { rooflinePanel } from "./roofline.js";
import { topLevel, type Spec } from "./style.js";
import { measuredRooflinePoints, validationPanel } from "./validation.js";

export const CHART_NAMES = ["roofline", "latency", "memory", "throughput", "cost", "blocks", "validation"] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface Chart {
  name: ChartName;
  title: string;
  spec: Spec;
}

export function buildCharts(data: ReportData): Chart[] {
  const impl = data.implementation;
  const s = data.scenario;
  const where = data.chips.map((c) => `${c.profile.id} (per ${c.profile.granularity.unit})`).join(", ");
  let panel = 0;
  const validation = data.validation;
  const roofline = data.chips.flatMap((chip, c) => chip.analyses.map((analysis) =>
    rooflinePanel(analysis, chip, panel++, validation && c === 0 ? measuredRooflinePoints(validation, analysis.model.name, chip) : [])));
  const cost = costPanels(data);
  return [
    {
      name: "roofline",
      title: "Roofline",
      spec: topLevel("Roofline: every op of a prefill and a decode step",
        `${where}; prefill of ${s.seqTokens} tokens and decode at ${s.contextTokens} cached tokens, batch ${s.batch}; ${impl.dtypes.weights} weights, ${impl.attention} attention, ${impl.scan} scan`,
        roofline, data.models.length),
    },
    {
      name: "latency",
      title: "Latency vs sequence length",
      spec: topLevel("Latency vs sequence length", `${where}; batch ${s.batch}`, latencyPanels(data), 3),
    },
    {
      name: "memory",
      title: "Memory vs context length",
      spec: topLevel("Memory vs context length", `weights (${impl.dtypes.weights}) plus the decode cache of each sequence (${impl.dtypes.cache}, RG-LRU state ${impl.dtypes.state})`, memoryPanels(data), data.chips.length),
    },
    {
      name: "throughput",
      title: "Throughput vs batch size",
      spec: topLevel("Decode throughput vs batch size", "new tokens per second across the batch, one decode step", throughputPanels(data), data.chips.length),
    },
    ...(cost.length > 0 ? [{
      name: "cost" as const,
      title: "Cost and energy vs batch size",
      spec: topLevel("Cost and energy per token vs batch size", "one decode step's tokens per second at the chip's price per hour and its power (TDP: energy is an upper bound)", cost, 2),
    }] : []),
    {
      name: "blocks",
      title: "Time by block type",
      spec: topLevel("Time by block type", "roofline time of each phase split by the block its ops belong to", blockPanels(data), 2),
    },
    ...(validation ? [{
      name: "validation" as const,
      title: "Validation",
      spec: topLevel("Predicted vs measured kernel times", "log-log; the solid line is y = x, the dashed ones ±25%", [validationPanel(validation)], 1),
    }] : []),
  ];
}
