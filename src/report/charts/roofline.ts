// The roofline chart, drawn as the measurement-side tools draw it: log-log axes with units, a
// horizontal roof per matrix dtype and for the vector unit, a diagonal roof per memory level,
// a diagonal roof for the chip-to-chip links (FLOPs per byte sent between chips), ridge points
// annotated, one point per op (x = intensity, y = attained FLOP/s) sized by its
// share of the phase's time, coloured by block type and shaped by phase. Measured ceilings are
// dotted, estimated ones dashed, vendor ones solid. A point above its roof is flagged in red.
import type { Analysis } from "../../roofline/analyze.js";
import type { TimedOp } from "../../roofline/time.js";
import type { ChipReport } from "../data.js";
import { blockColorScale, SI, type Spec } from "./style.js";
import { formatByteRate, formatFlopRate } from "../../views/format.js";

export interface RooflinePoint {
  op: string;
  block: string;
  phase: string;
  source: "predicted" | "measured";
  intensity: number;
  flopsPerSecond: number;
  seconds: number;
  share: number;
  bound: string;
  /** The highest FLOP/s this op can attain: min(bandwidth × intensity, its own compute peak). */
  roofFlopsPerSecond: number;
  aboveRoof: boolean;
}

interface RoofSegment { roof: string; style: "vendor" | "estimate" | "measured"; x: number; y: number; order: number }
interface RoofLabel { text: string; x: number; y: number; align: "left" | "right" }

/** The roof of one op: its mixed compute peak flops / (m/Pm + v/Pv), capped by the memory roof. */
export function roofOf(op: Pick<TimedOp, "matrixFlops" | "vectorFlops" | "flops" | "intensity">, chip: ChipReport): number {
  const c = chip.ceilings;
  const peak = op.flops / (op.matrixFlops / c.matrixFlopsPerSecond + op.vectorFlops / c.vectorFlopsPerSecond);
  return Math.min(peak, op.intensity * c.memoryBytesPerSecond);
}

export function rooflinePoints(analysis: Analysis, chip: ChipReport): RooflinePoint[] {
  return analysis.phases.flatMap((phase) =>
    phase.ops
      .filter((op) => op.flops > 0 && op.bytesTotal > 0 && op.seconds > 0)
      .map((op) => {
        const flopsPerSecond = op.flops / op.seconds;
        const roof = roofOf(op, chip);
        return {
          op: op.name, block: op.block, phase: phase.phase, source: "predicted" as const,
          intensity: op.intensity, flopsPerSecond, seconds: op.seconds,
          share: op.seconds / phase.totals.seconds, bound: op.bound,
          roofFlopsPerSecond: roof, aboveRoof: flopsPerSecond > roof * (1 + 1e-9),
        };
      }),
  );
}

function confidenceStyle(confidence: string): RoofSegment["style"] {
  if (confidence === "measured") return "measured";
  return confidence === "estimate" || confidence === "recalled" ? "estimate" : "vendor";
}

/**
 * The interconnect roof: every chip-to-chip link of the chip sending at once, one way. For it the
 * x axis reads as FLOPs per byte sent to other chips; an op (or a phase, `roofline --chips …`)
 * whose communication intensity falls left of its ridge is bound by the links.
 */
function interconnectRoof(hw: ChipReport["profile"]): { name: string; value: number; style: RoofSegment["style"] }[] {
  const ici = hw.interconnect;
  if (!ici) return [];
  const value = ici.ports * ici.bytesPerSecondPerLinkPerDirection.value;
  return [{ name: `${ici.name} ${formatByteRate(value)} (FLOP per byte between chips)`, value, style: confidenceStyle(ici.bytesPerSecondPerLinkPerDirection.confidence) }];
}

function roofs(chip: ChipReport, xMin: number, xMax: number): { segments: RoofSegment[]; labels: RoofLabel[]; ridges: { x: number; y: number; label: string }[] } {
  const hw = chip.profile;
  const bandwidth = hw.memory.main.bytesPerSecond.value;
  // Dtypes with the same peak share one line and one label ("bf16/fp16 matrix").
  const matrix = new Map<number, { dtypes: string[]; style: RoofSegment["style"] }>();
  for (const c of hw.compute.matrix) {
    const entry = matrix.get(c.flopsPerSecond.value) ?? { dtypes: [], style: confidenceStyle(c.flopsPerSecond.confidence) };
    entry.dtypes.push(c.dtype);
    matrix.set(c.flopsPerSecond.value, entry);
  }
  const peaks = [
    ...[...matrix].map(([value, { dtypes, style }]) => ({ name: `${dtypes.join("/")} matrix`, value, style })),
    { name: `fp32 vector (${hw.compute.vector.unit})`, value: hw.compute.vector.flopsPerSecond.value, style: confidenceStyle(hw.compute.vector.flopsPerSecond.confidence) },
    // Measured ceilings that are not already the profile's figure (a CPU profile's peaks are measured).
    ...hw.measured.filter((m) => (m.metric === "matrix" || m.metric === "vector") && !matrix.has(m.value) && m.value !== hw.compute.vector.flopsPerSecond.value)
      .map((m) => ({ name: `measured ${m.dtype ?? ""} ${m.metric}`.replace(/\s+/g, " "), value: m.value, style: "measured" as const })),
  ];
  const top = Math.max(...peaks.map((p) => p.value));
  const memories = [
    { name: `${hw.memory.main.technology} ${formatByteRate(bandwidth)}`, value: bandwidth, style: confidenceStyle(hw.memory.main.bytesPerSecond.confidence) },
    ...hw.memory.onChip.filter((l) => l.bytesPerSecond).map((l) => ({
      name: `${l.name} ${formatByteRate(l.bytesPerSecond!.value)}`, value: l.bytesPerSecond!.value, style: confidenceStyle(l.bytesPerSecond!.confidence),
    })),
    ...hw.measured.filter((m) => (m.metric === "memory-copy" || m.metric === "memory-triad") && m.value !== bandwidth)
      .map((m) => ({ name: `measured ${m.metric} ${formatByteRate(m.value)}`, value: m.value, style: "measured" as const })),
    ...interconnectRoof(hw),
  ];
  const segments: RoofSegment[] = [];
  const labels: RoofLabel[] = [];
  for (const m of memories) {
    const xEnd = Math.min(xMax, top / m.value);
    segments.push({ roof: m.name, style: m.style, x: xMin, y: m.value * xMin, order: 0 });
    segments.push({ roof: m.name, style: m.style, x: xEnd, y: m.value * xEnd, order: 1 });
    labels.push({ text: m.name, x: xMin * 1.6, y: m.value * xMin * 1.6, align: "left" });
  }
  const ridges: { x: number; y: number; label: string }[] = [];
  for (const p of peaks) {
    const ridge = p.value / bandwidth;
    segments.push({ roof: p.name, style: p.style, x: Math.max(ridge, xMin), y: p.value, order: 0 });
    segments.push({ roof: p.name, style: p.style, x: xMax, y: p.value, order: 1 });
    // Compute labels end at the ridge, above the empty region left of it where no op can sit.
    labels.push({ text: `${p.name} ${formatFlopRate(p.value)}`, x: Math.max(ridge, xMin * 40) / 1.15, y: p.value, align: "right" });
    if (!p.name.startsWith("measured")) ridges.push({ x: ridge, y: p.value, label: `ridge ${ridge >= 100 ? ridge.toFixed(0) : ridge.toFixed(1)}` });
  }
  return { segments, labels, ridges };
}

/** One roofline panel: one model on one chip, prefill and decode ops together. */
export function rooflinePanel(analysis: Analysis, chip: ChipReport, index: number, extraPoints: RooflinePoint[] = []): Spec {
  const points = [...rooflinePoints(analysis, chip), ...extraPoints];
  const intensities = points.map((p) => p.intensity);
  const xMin = Math.min(0.05, ...intensities) / 2;
  const xMax = Math.max(5000, ...intensities.map((x) => x * 3));
  const { segments, labels, ridges } = roofs(chip, xMin, xMax);
  const yMin = Math.min(...points.map((p) => p.flopsPerSecond), ...segments.map((s) => s.y)) / 2;
  const yMax = Math.max(...segments.map((s) => s.y)) * 2.5;
  const x = { field: "x", type: "quantitative", scale: { type: "log", domain: [xMin, xMax] }, axis: { title: "Arithmetic intensity [FLOP/byte]", format: SI } };
  const y = { field: "y", type: "quantitative", scale: { type: "log", domain: [yMin, yMax] }, axis: { title: "Performance [FLOP/s]", format: SI } };
  const flagged = points.filter((p) => p.aboveRoof);
  return {
    title: {
      text: `${analysis.model.name} on ${chip.profile.id}`,
      subtitle: `${points.length - extraPoints.length} predicted ops` + (extraPoints.length ? `, ${extraPoints.length} measured kernels (squares)` : "") + "; size = share of the phase's time",
    },
    width: 360,
    height: 300,
    layer: [
      {
        data: { values: segments },
        mark: { type: "line", clip: true, color: "#444", strokeWidth: 1.5 },
        encoding: {
          x, y,
          detail: { field: "roof" },
          order: { field: "order" },
          strokeDash: {
            field: "style", type: "nominal", title: "ceiling",
            scale: { domain: ["vendor", "estimate", "measured"], range: [[1, 0], [6, 4], [2, 2]] },
          },
        },
      },
      ...(["left", "right"] as const).map((align) => ({
        data: { values: labels.filter((l) => l.align === align) },
        mark: { type: "text", fontSize: 9, dy: -6, color: "#333", align },
        encoding: { x, y, text: { field: "text" } },
      })),
      {
        data: { values: ridges },
        mark: { type: "point", shape: "diamond", color: "#000", filled: true, size: 40 },
        encoding: { x, y, tooltip: [{ field: "label", title: "ridge point" }] },
      },
      {
        data: { values: ridges },
        mark: { type: "text", fontSize: 9, dx: 4, dy: 10, align: "left", color: "#000" },
        encoding: { x, y, text: { field: "label" } },
      },
      {
        data: { values: points },
        params: [{ name: `zoom${index}`, select: { type: "interval", encodings: ["x", "y"] }, bind: "scales" }],
        transform: [{ calculate: "datum.intensity", as: "x" }, { calculate: "datum.flopsPerSecond", as: "y" }],
        mark: { type: "point", filled: true, opacity: 0.8, stroke: "#222", strokeWidth: 0.5 },
        encoding: {
          x, y,
          color: { field: "block", type: "nominal", title: "block type", scale: blockColorScale(chip.analyses.map((a) => a.model)) },
          shape: {
            field: "phase", type: "nominal", title: "phase",
            scale: extraPoints.length > 0
              ? { domain: ["prefill", "decode", "measured"], range: ["circle", "triangle-up", "square"] }
              : { domain: ["prefill", "decode"], range: ["circle", "triangle-up"] },
          },
          size: { field: "share", type: "quantitative", title: "share of time", scale: { range: [25, 700] }, legend: { format: ".0%" } },
          tooltip: [
            { field: "op" }, { field: "block" }, { field: "phase" }, { field: "source" },
            { field: "intensity", title: "FLOP/byte", format: ".3~s" },
            { field: "flopsPerSecond", title: "FLOP/s", format: ".3~s" },
            { field: "seconds", title: "time [s]", format: ".3~s" },
            { field: "share", title: "share", format: ".1%" },
            { field: "bound" },
          ],
        },
      },
      ...(flagged.length > 0 ? [{
        data: { values: flagged },
        transform: [{ calculate: "datum.intensity", as: "x" }, { calculate: "datum.flopsPerSecond", as: "y" }],
        layer: [
          { mark: { type: "point", shape: "circle", size: 600, stroke: "#d00", strokeWidth: 2, filled: false }, encoding: { x, y } },
          { mark: { type: "text", color: "#d00", dy: -16, fontWeight: "bold", fontSize: 10 }, encoding: { x, y, text: { value: "above its roof: check counts and units" } } },
        ],
      }] : []),
    ],
  };
}
