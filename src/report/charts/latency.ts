// Latency vs sequence length: time to first token vs prompt length, time per token vs context,
// and total generate time vs new tokens; log-2 x axis, the local window marked, crossovers
// annotated, and a band from the roofline bound up to the estimate (or the no-overlap bound).
import type { ModelSpec } from "../../models/schema.js";
import { LATENCY_METRICS, type ReportData } from "../data.js";
import { log2Axis, SI, type Spec } from "./style.js";

const X_TITLES: Record<(typeof LATENCY_METRICS)[number], (prompt: number) => string> = {
  "prefill: time to first token": () => "prompt length [tokens]",
  "decode: time per token": () => "context length [tokens]",
  "generate: total time": (prompt) => `new tokens after a ${prompt}-token prompt`,
};

function windows(models: readonly ModelSpec[]): { window: number; label: string }[] {
  const seen = new Map<number, string[]>();
  for (const m of models) {
    if (m.pattern.includes("local-attention") && m.attention?.window) {
      seen.set(m.attention.window, [...(seen.get(m.attention.window) ?? []), m.name]);
    }
  }
  return [...seen].map(([window, names]) => ({ window, label: `window ${window} (${names.join(", ")})` }));
}

export function latencyPanels(data: ReportData): Spec[] {
  const marks = windows(data.models);
  return data.chips.flatMap((chip, c) =>
    LATENCY_METRICS.map((metric, m) => {
      const points = data.latency.filter((p) => p.chip === chip.profile.id && p.metric === metric);
      const crossings = data.crossovers
        .filter((x) => x.chip === chip.profile.id && x.metric === metric)
        .map((x) => ({ ...x, label: `${x.faster} faster beyond ${Math.round(x.tokens).toLocaleString("en-US")}` }));
      // Labels in the right half of the (log) axis point left, so that they stay inside the panel.
      const lengths = points.map((p) => p.tokens);
      const middle = Math.sqrt(Math.min(...lengths) * Math.max(...lengths));
      const x = { field: "tokens", ...log2Axis(X_TITLES[metric](data.scenario.promptTokens)) };
      const y = { field: "seconds", type: "quantitative", scale: { type: "log" }, axis: { title: "time [s] (roofline)", format: SI } };
      // The band rises from the bound (a time no kernel beats) to the estimate (the time to plan
      // with); without an estimate, to the no-overlap bound.
      const estimated = points.length > 0 && points.every((p) => p.estimateSeconds !== undefined);
      const top = estimated ? "estimateSeconds" : "upperBoundSeconds";
      return {
        title: { text: `${metric} — ${chip.profile.id}`, subtitle: `batch ${data.scenario.batch}; band: roofline bound to ${estimated ? "estimate" : "no-overlap bound"}` },
        width: 340,
        height: 230,
        layer: [
          {
            data: { values: points },
            params: [{ name: `lat${c}_${m}`, select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
            mark: { type: "line", point: true },
            encoding: {
              x, y, color: { field: "model", type: "nominal", title: "model" },
              tooltip: [
                { field: "model" }, { field: "tokens", title: "tokens" },
                { field: "seconds", title: "roofline [s]", format: ".3~s" },
                { field: "upperBoundSeconds", title: "no-overlap [s]", format: ".3~s" },
                ...(estimated ? [{ field: "estimateSeconds", title: "estimate [s]", format: ".3~s" }] : []),
              ],
            },
          },
          {
            data: { values: points },
            mark: { type: "area", opacity: 0.18 },
            encoding: { x, y, y2: { field: top }, color: { field: "model", type: "nominal", title: "model" } },
          },
          ...(marks.length > 0 ? [{
            data: { values: marks },
            layer: [
              { mark: { type: "rule", strokeDash: [4, 3], color: "#888" }, encoding: { x: { field: "window", type: "quantitative" } } },
              { mark: { type: "text", angle: 270, align: "right", baseline: "bottom", dy: -3, dx: -4, fontSize: 9, color: "#555" },
                encoding: { x: { field: "window", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } } },
            ],
          }] : []),
          ...(crossings.length > 0 ? [{
            data: { values: crossings },
            layer: [
              { mark: { type: "point", shape: "cross", size: 120, color: "#000", strokeWidth: 2 }, encoding: { x, y } },
              ...[
                { values: crossings.filter((x) => x.tokens < middle), align: "left", dx: 7, dy: 10 },
                { values: crossings.filter((x) => x.tokens >= middle), align: "right", dx: -7, dy: -9 },
              ].filter((side) => side.values.length > 0).map(({ values, align, dx, dy }) => ({
                data: { values }, mark: { type: "text", align, dx, dy, fontSize: 9 }, encoding: { x, y, text: { field: "label" } },
              })),
            ],
          }] : []),
        ],
      };
    }),
  );
}
