// Memory vs context length (weights plus cache × batch) against the chip's capacity, and decode
// throughput vs batch up to the largest batch that fits, each model's limit marked and named.
import { formatBytes } from "../../views/format.js";
import type { ReportData } from "../data.js";
import { placeLabels, valueAt, type LogScale } from "./label-layout.js";
import { hiddenOpacity, log2Axis, modelScales, PANEL_HEIGHT, PANEL_WIDTH, rowsOrHidden, unitAxis, type Spec } from "./style.js";

const LABEL_FONT = 9;

export function memoryPanels(data: ReportData): Spec[] {
  const scales = modelScales(data.models.map((m) => m.name));
  return data.chips.map((chip, c) => {
    const capacity = chip.ceilings.memoryCapacityBytes;
    const points = data.memory.filter((p) => p.chip === chip.profile.id);
    const bytes = [...points.map((p) => p.bytes), capacity];
    const frame = [{ tokens: Math.min(...points.map((p) => p.tokens)), bytes: Math.min(...bytes) / 1.2 }, { tokens: Math.max(...points.map((p) => p.tokens)), bytes: Math.max(...bytes) * 1.5 }];
    const x = { field: "tokens", ...log2Axis("context length [tokens]") };
    const y = { field: "bytes", type: "quantitative", scale: { type: "log", nice: false, padding: 0 }, axis: unitAxis("weights + cache × batch", "B", bytes) };
    return {
      title: { text: `Memory — ${chip.profile.id}`, subtitle: [`black line: ${formatBytes(capacity)} of ${chip.profile.memory.main.technology};`, "above it the batch does not fit"] },
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        { data: { values: frame }, mark: { type: "point", opacity: 0 }, encoding: { x, y } },
        {
          data: { values: points },
          params: [{ name: `mem${c}`, select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
          mark: { type: "line", strokeWidth: 2 },
          encoding: {
            x, y,
            color: { field: "model", type: "nominal", title: "model", scale: scales.color },
            strokeDash: { field: "batch", type: "ordinal", title: "batch" },
            tooltip: [{ field: "model" }, { field: "batch" }, { field: "tokens" }, { field: "bytes", format: ".3~s" }],
          },
        },
        {
          data: { values: [{ capacity, label: `capacity ${formatBytes(capacity)}` }] },
          layer: [
            { mark: { type: "rule", color: "#000", strokeWidth: 1.5 }, encoding: { y: { field: "capacity", type: "quantitative" } } },
            { mark: { type: "text", color: "#000", align: "left", baseline: "alphabetic", dy: -4, fontSize: 10 }, encoding: { y: { field: "capacity", type: "quantitative" }, x: { value: 4 }, text: { field: "label" } } },
          ],
        },
      ],
    };
  });
}

export function throughputPanels(data: ReportData): Spec[] {
  const names = data.models.map((m) => m.name);
  const scales = modelScales(names);
  const model = (channel: "color" | "strokeDash" | "shape") => ({ field: "model", type: "nominal", title: "model", scale: scales[channel] });
  return data.chips.map((chip, c) => {
    const points = data.throughput.filter((p) => p.chip === chip.profile.id);
    const batches = points.map((p) => p.batch);
    const rates = points.map((p) => p.tokensPerSecond);
    const xScale: LogScale = { min: Math.min(1, ...batches), max: Math.max(2, ...batches) * 1.2, pixels: PANEL_WIDTH };
    // No batch fits when the weights alone fill the memory: an empty panel, with a frame all the same.
    const yScale: LogScale = rates.length ? { min: Math.min(...rates) / 1.3, max: Math.max(...rates) * 1.3, pixels: PANEL_HEIGHT } : { min: 1, max: 10, pixels: PANEL_HEIGHT };
    // Each model's limit: a square on its last point, named in a row of its own at the lower
    // right, where throughput curves (rising with batch) leave room.
    const limits = points.filter((p) => p.isMaxBatch);
    const labels = placeLabels(names.flatMap((name, i) => {
      const limit = limits.find((p) => p.model === name);
      return limit ? [{ text: `${name}: fits ≤ ${limit.batch.toLocaleString("en-US")}`, x: PANEL_WIDTH - 4, y: PANEL_HEIGHT - 6 - (LABEL_FONT + 4) * i, align: "right" as const, fontSize: LABEL_FONT }] : [];
    }), [], PANEL_WIDTH, PANEL_HEIGHT).map((l) => ({
      label: l.text, align: l.align, model: l.text.slice(0, l.text.lastIndexOf(": fits")), batch: valueAt(xScale, l.x), tokensPerSecond: valueAt(yScale, l.y, true),
    }));
    const frame = [{ batch: xScale.min, tokensPerSecond: yScale.min }, { batch: xScale.max, tokensPerSecond: yScale.max }];
    const corner = { ...frame[0]!, model: names[0], label: "" };
    const x = { field: "batch", ...log2Axis("batch size [sequences]") };
    const y = { field: "tokensPerSecond", type: "quantitative", scale: { type: "log", nice: false, padding: 0 }, axis: unitAxis("decode throughput", "tokens/s", rates) };
    return {
      title: { text: `Decode throughput — ${chip.profile.id}`, subtitle: "up to the largest batch that fits (square)" },
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        { data: { values: frame }, mark: { type: "point", opacity: 0 }, encoding: { x, y } },
        {
          data: { values: rowsOrHidden(points, corner) },
          params: [{ name: `tput${c}`, select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
          mark: { type: "line", point: { filled: true, size: 30 }, strokeWidth: 1.8 },
          encoding: {
            x, y, color: model("color"), strokeDash: model("strokeDash"), shape: model("shape"), opacity: hiddenOpacity(),
            tooltip: [{ field: "model" }, { field: "batch" }, { field: "tokensPerSecond", title: "tokens/s", format: ".3~s" }],
          },
        },
        {
          data: { values: rowsOrHidden(limits, corner) },
          mark: { type: "point", shape: "square", size: 90, filled: true, stroke: "#000", strokeWidth: 1 },
          encoding: { x, y, color: model("color"), opacity: hiddenOpacity(), tooltip: [{ field: "model" }, { field: "batch", title: "largest batch that fits" }] },
        },
        ...(["left", "right"] as const).map((align) => ({
          data: { values: rowsOrHidden(labels.filter((l) => l.align === align), corner) },
          mark: { type: "text", align, baseline: "alphabetic", fontSize: LABEL_FONT },
          encoding: { x, y, text: { field: "label" }, color: model("color") },
        })),
      ],
    };
  });
}
