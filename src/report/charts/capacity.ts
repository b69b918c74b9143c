// Memory vs context length (weights plus cache × batch) against the chip's capacity, and decode
// throughput vs batch up to the largest batch that fits.
import { formatBytes } from "../../views/format.js";
import type { ReportData } from "../data.js";
import { log2Axis, SI, type Spec } from "./style.js";

export function memoryPanels(data: ReportData): Spec[] {
  return data.chips.map((chip, c) => {
    const capacity = chip.ceilings.memoryCapacityBytes;
    const points = data.memory.filter((p) => p.chip === chip.profile.id);
    const x = { field: "tokens", ...log2Axis("context length [tokens]") };
    const y = { field: "bytes", type: "quantitative", scale: { type: "log" }, axis: { title: "weights + cache × batch [bytes]", format: SI } };
    return {
      title: { text: `Memory — ${chip.profile.id}`, subtitle: `line style: batch; red line: ${formatBytes(capacity)} of ${chip.profile.memory.main.technology}` },
      width: 340,
      height: 230,
      layer: [
        {
          data: { values: points },
          params: [{ name: `mem${c}`, select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
          mark: { type: "line", strokeWidth: 2 },
          encoding: {
            x, y,
            color: { field: "model", type: "nominal" },
            strokeDash: { field: "batch", type: "ordinal", title: "batch" },
            tooltip: [{ field: "model" }, { field: "batch" }, { field: "tokens" }, { field: "bytes", format: ".3~s" }],
          },
        },
        {
          data: { values: [{ capacity, label: `capacity ${formatBytes(capacity)}` }] },
          layer: [
            { mark: { type: "rule", color: "#d00", strokeWidth: 1.5 }, encoding: { y: { field: "capacity", type: "quantitative" } } },
            { mark: { type: "text", color: "#d00", align: "left", dy: -6, fontSize: 10 }, encoding: { y: { field: "capacity", type: "quantitative" }, x: { value: 4 }, text: { field: "label" } } },
          ],
        },
      ],
    };
  });
}

export function throughputPanels(data: ReportData): Spec[] {
  return data.chips.map((chip, c) => {
    const points = data.throughput.filter((p) => p.chip === chip.profile.id);
    // Each model's limit label sits on its own line so that near-equal limits stay readable.
    const limits = points.filter((p) => p.isMaxBatch).map((p, i) => ({ ...p, label: `fits ≤ ${p.batch.toLocaleString("en-US")}`, dy: -10 - 12 * i }));
    const x = { field: "batch", ...log2Axis("batch size [sequences]") };
    const y = { field: "tokensPerSecond", type: "quantitative", scale: { type: "log" }, axis: { title: "decode throughput [tokens/s]", format: SI } };
    return {
      title: { text: `Decode throughput — ${chip.profile.id}`, subtitle: `at ${data.scenario.contextTokens} cached tokens, up to the largest batch that fits` },
      width: 340,
      height: 230,
      layer: [
        {
          data: { values: points },
          params: [{ name: `tput${c}`, select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
          mark: { type: "line", point: true },
          encoding: {
            x, y, color: { field: "model", type: "nominal" },
            tooltip: [{ field: "model" }, { field: "batch" }, { field: "tokensPerSecond", title: "tokens/s", format: ".3~s" }],
          },
        },
        {
          data: { values: limits },
          layer: [
            { mark: { type: "point", shape: "square", size: 90, filled: true, color: "#000" }, encoding: { x, y } },
            ...limits.map((limit) => ({
              data: { values: [limit] },
              mark: { type: "text", align: "right", dx: -6, dy: limit.dy, fontSize: 9 },
              encoding: { x, y, text: { field: "label" }, color: { field: "model", type: "nominal" } },
            })),
          ],
        },
      ],
    };
  });
}
