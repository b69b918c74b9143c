// Predicted vs measured, log-log, with y = x and ±25% bands, one point per measured kernel
// coloured by op class; and the measured kernels as points for the roofline chart.
import type { HarnessValidation } from "../../validation/harness.js";
import type { ChipReport } from "../data.js";
import { roofOf, type RooflinePoint } from "./roofline.js";
import { unitAxis, type Spec } from "./style.js";

export function validationPanel(validation: HarnessValidation): Spec {
  const points = validation.kernels.map((k) => ({
    id: k.id, opClass: k.opClass, predicted: k.predictedSeconds, measured: k.measuredSeconds,
    error: k.error, achieved: k.achievedFraction, flagged: k.fasterThanRoofline ? "faster than its roofline" : "",
  }));
  const all = points.flatMap((p) => [p.predicted, p.measured]);
  const lo = Math.min(...all) / 2;
  const hi = Math.max(...all) * 2;
  const lines = [
    { label: "y = x", factor: 1, dash: [1, 0] },
    { label: "+25%", factor: 1.25, dash: [4, 3] },
    { label: "−25%", factor: 0.75, dash: [4, 3] },
  ].flatMap((l) => [lo, hi].map((x) => ({ ...l, x, y: x * l.factor })));
  const scale = { type: "log", domain: [lo, hi], nice: false };
  return {
    title: { text: `Predicted vs measured — ${validation.hardware}`, subtitle: `${points.length} kernels; x: roofline time at vendor peaks, y: measured median` },
    width: 460,
    height: 400,
    layer: [
      {
        data: { values: lines },
        mark: { type: "line", color: "#888", clip: true },
        encoding: {
          x: { field: "x", type: "quantitative", scale, axis: unitAxis("predicted (roofline) time", "s", all) },
          y: { field: "y", type: "quantitative", scale, axis: unitAxis("measured time", "s", all) },
          detail: { field: "label" },
          strokeDash: { field: "dash", type: "nominal", scale: null, legend: null },
        },
      },
      {
        data: { values: points },
        params: [{ name: "validationZoom", select: { type: "interval", encodings: ["x", "y"] }, bind: "scales" }],
        mark: { type: "point", filled: true, opacity: 0.75, size: 45 },
        encoding: {
          x: { field: "predicted", type: "quantitative", scale },
          y: { field: "measured", type: "quantitative", scale },
          color: { field: "opClass", type: "nominal", title: "op class" },
          tooltip: [
            { field: "id", title: "kernel" }, { field: "opClass", title: "op class" },
            { field: "predicted", title: "roofline [s]", format: ".3~s" }, { field: "measured", title: "measured [s]", format: ".3~s" },
            { field: "achieved", title: "achieved", format: ".1%" }, { field: "error", title: "error", format: "+.0%" },
            { field: "flagged", title: "flag" },
          ],
        },
      },
    ],
  };
}

/** Measured kernels of one model as roofline points: x its intensity, y FLOPs / measured time. */
export function measuredRooflinePoints(validation: HarnessValidation, model: string, chip: ChipReport): RooflinePoint[] {
  return validation.kernels
    .filter((k) => k.model === model && k.flops > 0 && k.bytes > 0)
    .map((k) => {
      const flopsPerSecond = k.flops / k.measuredSeconds;
      const roof = roofOf({ matrixFlops: k.matrixFlops, vectorFlops: k.vectorFlops, flops: k.flops, intensity: k.intensity }, chip);
      return {
        op: `${k.op} (${k.phase}, measured)`, block: k.block, phase: "measured", source: "measured" as const,
        intensity: k.intensity, flopsPerSecond, seconds: k.measuredSeconds, share: 0.02, bound: k.bound,
        roofFlopsPerSecond: roof, aboveRoof: flopsPerSecond > roof * (1 + 1e-9),
      };
    });
}
