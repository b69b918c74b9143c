// Latency vs sequence length: time to first token vs prompt length, time per token vs context,
// and total generate time vs new tokens; log-2 x axis, the local window marked, crossovers
// marked and named in rows above the curves, and a band from the roofline bound up to the
// estimate (or the no-overlap bound). Lengths at which the batch does not fit in memory are cut
// from the curves and marked with a cross.
import type { ModelSpec } from "../../models/schema.js";
import { LATENCY_METRICS, type ReportData } from "../data.js";
import { pixelOf, placeLabels, valueAt, type LogScale } from "./label-layout.js";
import { hiddenOpacity, log2Axis, modelScales, PANEL_HEIGHT, PANEL_WIDTH, rowsOrHidden, unitAxis, WARNING_COLOR, type Spec } from "./style.js";

const X_TITLES: Record<(typeof LATENCY_METRICS)[number], (prompt: number) => string> = {
  "prefill: time to first token": () => "prompt length [tokens]",
  "decode: time per token": () => "context length [tokens]",
  "generate: total time": (prompt) => `new tokens after a ${prompt}-token prompt`,
};

export function windows(models: readonly ModelSpec[]): { window: number; label: string }[] {
  const seen = new Map<number, string[]>();
  for (const m of models) {
    if (m.pattern.includes("local-attention") && m.attention?.window) {
      seen.set(m.attention.window, [...(seen.get(m.attention.window) ?? []), m.name]);
    }
  }
  return [...seen].map(([window, names]) => ({ window, label: `window ${window} (${names.join(", ")})` }));
}

const tokensText = (tokens: number) => (tokens >= 1024 ? `${(tokens / 1024).toPrecision(3).replace(/\.?0+$/, "")}k` : String(Math.round(tokens)));

const LABEL_FONT = 9;

export function latencyPanels(data: ReportData): Spec[] {
  const marks = windows(data.models);
  const scales = modelScales(data.models.map((m) => m.name));
  const model = (channel: "color" | "strokeDash" | "shape") => ({ field: "model", type: "nominal", title: "model", scale: scales[channel] });
  return data.chips.flatMap((chip, c) =>
    LATENCY_METRICS.map((metric, m) => {
      const points = data.latency.filter((p) => p.chip === chip.profile.id && p.metric === metric);
      const fitting = points.filter((p) => p.fits);
      const beyond = points.filter((p) => !p.fits).map((p) => ({ ...p, note: "the batch does not fit in memory at this length" }));
      // The band rises from the bound (a time no kernel beats) to the estimate (the time to plan
      // with); without an estimate, to the no-overlap bound.
      const estimated = points.length > 0 && points.every((p) => p.estimateSeconds !== undefined);
      const top = estimated ? "estimateSeconds" : "upperBoundSeconds";
      const lengths = points.map((p) => p.tokens);
      const times = [...points.map((p) => p.seconds), ...fitting.map((p) => p[top] ?? p.seconds)];
      const crossings = data.crossovers.filter((x) => x.chip === chip.profile.id && x.metric === metric);
      // Fitted domains, with room above the curves for one row per crossover label.
      const xScale: LogScale = { min: Math.min(...lengths), max: Math.max(...lengths), pixels: PANEL_WIDTH };
      const lowest = Math.min(...times) / 1.1;
      const highest = Math.max(...times) * 1.1;
      const rows = Math.min(crossings.length, 4) * (LABEL_FONT + 4) + (crossings.length ? 4 : 0);
      const decades = Math.max(Math.log10(highest / lowest), 0.1);
      const yScale: LogScale = { min: lowest, max: highest * 10 ** ((decades * rows) / (PANEL_HEIGHT - rows)), pixels: PANEL_HEIGHT };
      const labels = placeLabels(crossings.map((x) => {
        const px = pixelOf(xScale, x.tokens);
        return {
          text: `${x.faster} overtakes ${x.slower} at ${tokensText(x.tokens)}`,
          x: px, y: LABEL_FONT + 2, align: px < PANEL_WIDTH / 2 ? "left" as const : "right" as const, fontSize: LABEL_FONT,
        };
      }), [], PANEL_WIDTH, PANEL_HEIGHT).map((l) => ({ label: l.text, align: l.align, tokens: valueAt(xScale, l.x), seconds: valueAt(yScale, l.y, true) }));
      const frame = [{ tokens: xScale.min, seconds: yScale.min }, { tokens: xScale.max, seconds: yScale.max }];
      const corner = { ...frame[0]!, model: data.models[0]?.name, label: "" };
      const x = { field: "tokens", ...log2Axis(X_TITLES[metric](data.scenario.promptTokens)) };
      const y = { field: "seconds", type: "quantitative", scale: { type: "log", nice: false, padding: 0 }, axis: unitAxis("time (roofline)", "s", [highest]) };
      return {
        title: { text: `${metric} — ${chip.profile.id}`, subtitle: `band: roofline bound to ${estimated ? "estimate" : "no-overlap bound"}` },
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        layer: [
          { data: { values: frame }, mark: { type: "point", opacity: 0 }, encoding: { x, y } },
          {
            data: { values: rowsOrHidden(fitting, corner) },
            params: [{ name: `lat${c}_${m}`, select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
            mark: { type: "line", point: { filled: true, size: 30 }, strokeWidth: 1.8 },
            encoding: {
              x, y, color: model("color"), strokeDash: model("strokeDash"), shape: model("shape"), opacity: hiddenOpacity(),
              tooltip: [
                { field: "model" }, { field: "tokens", title: "tokens" },
                { field: "seconds", title: "roofline [s]", format: ".3~g" },
                { field: "upperBoundSeconds", title: "no-overlap [s]", format: ".3~g" },
                ...(estimated ? [{ field: "estimateSeconds", title: "estimate [s]", format: ".3~g" }] : []),
              ],
            },
          },
          // After the lines, so that the legend shows their symbols; translucent, so that they show through.
          {
            data: { values: rowsOrHidden(fitting, { ...corner, [top]: corner.seconds }) },
            mark: { type: "area" },
            encoding: { x, y, y2: { field: top }, color: model("color"), opacity: hiddenOpacity(0.15) },
          },
          {
            data: { values: rowsOrHidden(beyond, corner) },
            mark: { type: "point", shape: "cross", size: 45, color: WARNING_COLOR, strokeWidth: 1.5 },
            encoding: { x, y, opacity: hiddenOpacity(0.8), tooltip: [{ field: "model" }, { field: "tokens", title: "tokens" }, { field: "note", title: "memory" }] },
          },
          ...(marks.length > 0 ? [{
            data: { values: marks },
            mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
            encoding: { x: { field: "window", type: "quantitative" }, tooltip: [{ field: "label" }] },
          }] : []),
          {
            data: { values: rowsOrHidden(crossings, corner) },
            mark: { type: "point", shape: "cross", size: 120, color: "#000", strokeWidth: 2 },
            encoding: { x, y, opacity: hiddenOpacity() },
          },
          ...(["left", "right"] as const).map((align) => ({
            data: { values: rowsOrHidden(labels.filter((l) => l.align === align), corner) },
            mark: { type: "text", align, baseline: "alphabetic", fontSize: LABEL_FONT },
            encoding: { x, y, text: { field: "label" } },
          })),
        ],
      };
    }),
  );
}
