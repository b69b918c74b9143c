// Cost and energy per token vs batch: one decode step's throughput (the throughput chart's points)
// turned into US dollars per million tokens at the chip's price per chip-hour, and joules per
// token at the chip's power. A chip whose profile gives no price (and no --price-per-hour) has no
// cost panel; one without power, no energy panel.
import type { ReportData } from "../data.js";
import { log2Axis, modelScales, PANEL_HEIGHT, PANEL_WIDTH, unitAxis, type Spec } from "./style.js";

const SECONDS_PER_HOUR = 3600;

export interface CostPoint { chip: string; model: string; batch: number; dollarsPerMillionTokens: number | null; joulesPerToken: number | null }

/** The price a chip is charged at in the report: --price-per-hour, else its profile's dated default. */
export function reportPrice(data: ReportData, chip: ReportData["chips"][number]): { dollars: number; source: string } | undefined {
  if (data.pricePerChipHour !== undefined) return { dollars: data.pricePerChipHour, source: "--price-per-hour" };
  const price = chip.profile.pricePerChipHour;
  return price ? { dollars: price.value, source: `profile, ${price.date}, ${price.confidence}` } : undefined;
}

export function costPoints(data: ReportData): CostPoint[] {
  return data.chips.flatMap((chip) => {
    const price = reportPrice(data, chip);
    const watts = chip.profile.powerWatts?.value;
    return data.throughput.filter((p) => p.chip === chip.profile.id).map((p) => ({
      chip: p.chip, model: p.model, batch: p.batch,
      dollarsPerMillionTokens: price ? (price.dollars / SECONDS_PER_HOUR / p.tokensPerSecond) * 1e6 : null,
      joulesPerToken: watts !== undefined ? watts / p.tokensPerSecond : null,
    }));
  });
}

function panel(title: string, subtitle: string, values: CostPoint[], field: "dollarsPerMillionTokens" | "joulesPerToken", yTitle: string, unit: "$" | "J", models: readonly string[]): Spec {
  const scales = modelScales(models);
  const model = (channel: "color" | "strokeDash" | "shape") => ({ field: "model", type: "nominal", title: "model", scale: scales[channel] });
  const ys = values.map((v) => v[field]).filter((y): y is number => y !== null && y > 0);
  return {
    title: { text: title, subtitle },
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "batch", ...log2Axis("batch size [sequences]") },
      y: { field, type: "quantitative", scale: { type: "log", nice: false, padding: 6 }, axis: unitAxis(yTitle, unit, ys) },
      color: model("color"), strokeDash: model("strokeDash"), shape: model("shape"),
      tooltip: [{ field: "model" }, { field: "batch" }, { field, title: yTitle, format: ".3~g" }],
    },
  };
}

export function costPanels(data: ReportData): Spec[] {
  const points = costPoints(data);
  const names = data.models.map((m) => m.name);
  return data.chips.flatMap((chip) => {
    const mine = points.filter((p) => p.chip === chip.profile.id);
    const price = reportPrice(data, chip);
    const power = chip.profile.powerWatts;
    const at = `decode at ${data.scenario.contextTokens} cached tokens, one chip`;
    return [
      ...(price ? [panel(`Cost per million tokens — ${chip.profile.id}`, `${at}; $${price.dollars} per chip-hour (${price.source})`, mine, "dollarsPerMillionTokens", "cost per million tokens", "$", names)] : []),
      ...(power ? [panel(`Energy per token — ${chip.profile.id}`, `${at}; ${power.value} W per chip (${power.confidence}), an upper bound`, mine, "joulesPerToken", "energy per token", "J", names)] : []),
    ];
  });
}
