// The roofline chart, drawn as the measurement-side tools draw it: log-log axes with units, a
// horizontal roof per matrix dtype and for the vector unit, a diagonal roof per memory level and
// one for the chip-to-chip links (FLOPs per byte sent between chips),
// ridge points annotated, one point per op (x = intensity, y = attained FLOP/s) sized by its
// share of the phase's time, coloured by block type and shaped by phase. Measured ceilings are
// dotted, estimated ones dashed, vendor ones solid. A point above its roof is flagged in red.
// Ops that coincide are summarised or spread apart, and labels are placed clear of each other.
import type { Analysis } from "../../roofline/analyze.js";
import type { TimedOp } from "../../roofline/time.js";
import type { ChipReport } from "../data.js";
import { blockColorScale, hiddenOpacity, PANEL_HEIGHT, PANEL_WIDTH, rowsOrHidden, unitAxis, WARNING_COLOR, type Spec } from "./style.js";
import { pixelOf, placeLabels, pointBox, valueAt, type LogScale } from "./label-layout.js";
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
interface RoofLabel { text: string; x: number; y: number; align: "left" | "right"; upOnly: boolean; alternative?: { x: number; y: number } }

/** The roof of one op: its mixed compute peak flops / (m/Pm + v/Pv), capped by the memory roof. */
export function roofOf(op: Pick<TimedOp, "matrixFlops" | "vectorFlops" | "flops" | "intensity">, chip: ChipReport): number {
  const c = chip.ceilings;
  const peak = op.flops / (op.matrixFlops / c.matrixFlopsPerSecond + op.vectorFlops / c.vectorFlopsPerSecond);
  return Math.min(peak, op.intensity * c.memoryBytesPerSecond);
}

/** The points of a prefill and a decode step (a generation's ops are those two, repeated). */
export function rooflinePoints(analysis: Analysis, chip: ChipReport): RooflinePoint[] {
  return analysis.phases.filter((phase) => phase.phase !== "generate").flatMap((phase) =>
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

/** A panel's op points, summarised: ops of one phase and block type at the same intensity (within
 * 12%, a twentieth of a decade) are one point, their times summed; points of different block
 * types that still coincide are spread apart by 10% steps, so that none hides another. */
export interface ChartPoint extends RooflinePoint {
  /** Where the point is drawn: its intensity, spread apart from points it would cover. */
  x: number;
  y: number;
  ops: number;
}

export function summarisePoints(points: readonly RooflinePoint[]): ChartPoint[] {
  const bucketOf = (p: RooflinePoint) => Math.round(Math.log10(p.intensity) * 20);
  const groups = new Map<string, RooflinePoint[]>();
  for (const p of points) {
    const key = `${p.phase}|${p.source}|${p.block}|${bucketOf(p)}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const merged = [...groups.values()].map((group): ChartPoint => {
    if (group.length === 1) return { ...group[0]!, x: group[0]!.intensity, y: group[0]!.flopsPerSecond, ops: 1 };
    const seconds = group.reduce((sum, p) => sum + p.seconds, 0);
    const flops = group.reduce((sum, p) => sum + p.flopsPerSecond * p.seconds, 0);
    const bytes = group.reduce((sum, p) => sum + (p.flopsPerSecond * p.seconds) / p.intensity, 0);
    const first = group[0]!;
    return {
      ...first, op: `${group.length} ops: ${group.map((p) => p.op).join(", ")}`,
      intensity: flops / bytes, flopsPerSecond: flops / seconds, seconds,
      share: group.reduce((sum, p) => sum + p.share, 0),
      bound: [...new Set(group.map((p) => p.bound))].join("/"),
      roofFlopsPerSecond: Math.min(...group.map((p) => p.roofFlopsPerSecond)), aboveRoof: group.some((p) => p.aboveRoof),
      x: flops / bytes, y: flops / seconds, ops: group.length,
    };
  });
  // Points of one phase in one intensity bucket and close in FLOP/s: spread along x.
  const spots = new Map<string, ChartPoint[]>();
  for (const p of merged) {
    const key = `${p.phase}|${Math.round(Math.log10(p.x) * 20)}|${Math.round(Math.log10(p.y) * 20)}`;
    spots.set(key, [...(spots.get(key) ?? []), p]);
  }
  for (const spot of spots.values()) {
    spot.forEach((p, i) => { p.x = p.x * 1.1 ** (i - (spot.length - 1) / 2); });
  }
  return merged;
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
  return [{ name: `${ici.name} ${formatByteRate(value)} chip to chip`, value, style: confidenceStyle(ici.bytesPerSecondPerLinkPerDirection.confidence) }];
}

function roofs(chip: ChipReport, xMin: number, xMax: number): { segments: RoofSegment[]; labels: RoofLabel[]; ridges: { x: number; y: number; label: string; named: boolean }[] } {
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
    ...[...matrix].map(([value, { dtypes, style }]) => ({ name: `${dtypes.join("/")} matrix`, value, style, dtypes: dtypes as string[] })),
    { name: `fp32 vector (${hw.compute.vector.unit})`, value: hw.compute.vector.flopsPerSecond.value, style: confidenceStyle(hw.compute.vector.flopsPerSecond.confidence), dtypes: [] as string[] },
    // Measured ceilings that are not already the profile's figure (a CPU profile's peaks are measured).
    ...hw.measured.filter((m) => (m.metric === "matrix" || m.metric === "vector") && !matrix.has(m.value) && m.value !== hw.compute.vector.flopsPerSecond.value)
      .map((m) => ({ name: `measured ${m.dtype ?? ""} ${m.metric}`.replace(/\s+/g, " "), value: m.value, style: "measured" as const, dtypes: [] as string[] })),
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
  const lowestPeak = Math.min(...peaks.map((p) => p.value));
  for (const m of memories) {
    const xEnd = Math.min(xMax, top / m.value);
    segments.push({ roof: m.name, style: m.style, x: xMin, y: m.value * xMin, order: 0 });
    segments.push({ roof: m.name, style: m.style, x: xEnd, y: m.value * xEnd, order: 1 });
    // Above the diagonal and ending on it, left of the lowest ridge: nothing attains more there.
    const anchor = Math.max(xMin * 30, Math.min(lowestPeak / m.value / 3, xMax / 10));
    labels.push({ text: m.name, x: anchor, y: m.value * anchor, align: "right", upOnly: true });
  }
  const ridges: { x: number; y: number; label: string; named: boolean }[] = [];
  for (const p of peaks) {
    const ridge = p.value / bandwidth;
    const name = `${p.name} ${formatFlopRate(p.value)}`;
    segments.push({ roof: name, style: p.style, x: Math.max(ridge, xMin), y: p.value, order: 0 });
    segments.push({ roof: name, style: p.style, x: xMax, y: p.value, order: 1 });
    // Compute labels end at the right edge, above their roof, where no op can sit.
    // or else at its ridge, above the empty region left of it where no op can sit.
    labels.push({ text: name, x: xMax, y: p.value, align: "right", upOnly: false, alternative: { x: Math.max(ridge, xMin * 40) / 1.1, y: p.value } });
    // Every ridge is marked; the one of the matrix roof the analysis runs at is named.
    if (!p.name.startsWith("measured")) ridges.push({ x: ridge, y: p.value, label: `ridge ${ridge >= 100 ? ridge.toFixed(0) : ridge.toFixed(1)} FLOP/B`, named: p.dtypes.includes(chip.ceilings.matrixDtype) });
  }
  return { segments, labels, ridges };
}

const LABEL_FONT = 9;

/** One roofline panel: one model on one chip, the ops of the phases shown (prefill and decode) together. */
export function rooflinePanel(analysis: Analysis, chip: ChipReport, index: number, extraPoints: RooflinePoint[] = [], phases: readonly string[] = ["prefill", "decode"]): Spec {
  const points = summarisePoints([...rooflinePoints(analysis, chip).filter((p) => phases.includes(p.phase)), ...extraPoints]);
  const intensities = points.map((p) => p.x);
  const xMin = Math.min(0.05, ...intensities) / 2;
  const xMax = Math.max(5000, ...intensities.map((x) => x * 3));
  const { segments, labels, ridges } = roofs(chip, xMin, xMax);
  const yMin = Math.min(...points.map((p) => p.y), ...segments.map((s) => s.y)) / 2;
  // Room above the highest roof for the labels of roofs close below it.
  const yMax = Math.max(...segments.map((s) => s.y)) * 6;
  const xScale: LogScale = { min: xMin, max: xMax, pixels: PANEL_WIDTH };
  const yScale: LogScale = { min: yMin, max: yMax, pixels: PANEL_HEIGHT };
  // Labels placed clear of each other, of the points and of the ridge markers.
  const obstacles = [
    ...points.map((p) => pointBox(pixelOf(xScale, p.x), pixelOf(yScale, p.y, true), 160)),
    ...ridges.map((r) => pointBox(pixelOf(xScale, r.x), pixelOf(yScale, r.y, true), 60)),
  ];
  const requests = [
    ...labels.map((l) => ({
      text: l.text, x: pixelOf(xScale, l.x) - 2, y: pixelOf(yScale, l.y, true) - 4, align: l.align, fontSize: LABEL_FONT, upOnly: l.upOnly, maxRows: 2,
      ...(l.alternative && { alternatives: [{ x: pixelOf(xScale, l.alternative.x), y: pixelOf(yScale, l.alternative.y, true) - 4, align: "right" as const }] }),
    })),
    // A ridge is named right of its marker, or left of it, above the roof, clear of the marker.
    ...ridges.filter((r) => r.named).map((r) => ({
      text: r.label, x: pixelOf(xScale, r.x) + 6, y: pixelOf(yScale, r.y, true) - 5, align: "left" as const, fontSize: LABEL_FONT, maxRows: 2,
      alternatives: [{ x: pixelOf(xScale, r.x) - 6, y: pixelOf(yScale, r.y, true) - 5, align: "right" as const }],
    })),
  ];
  // A label with no clear place near its line is left out rather than drawn far from it: every
  // roof names itself in its tooltip, and the assumptions list every ceiling.
  const placed = placeLabels(requests, obstacles, PANEL_WIDTH, PANEL_HEIGHT).filter((l) => l.clear).map((l) => ({
    text: l.text, align: l.align, x: valueAt(xScale, l.x), y: valueAt(yScale, l.y, true),
  }));
  // The scales' domains come from this invisible frame: fitted to the panel's data, and data
  // themselves, so that the page can redraw a panel by changing its data alone.
  const frame = [{ x: xMin, y: yMin }, { x: xMax, y: yMax }];
  const scale = { type: "log", nice: false, padding: 0 };
  const x = { field: "x", type: "quantitative", scale, axis: { title: "Arithmetic intensity [FLOP/byte]", labelExpr: "format(datum.value, '~g')" } };
  const y = { field: "y", type: "quantitative", scale, axis: unitAxis("Performance", "FLOP/s", [yMax / 6]) };
  const flagged = points.filter((p) => p.aboveRoof);
  return {
    title: { text: `${analysis.model.name} on ${chip.profile.id}` },
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer: [
      { data: { values: frame }, mark: { type: "point", opacity: 0 }, encoding: { x, y } },
      {
        data: { values: segments },
        mark: { type: "line", clip: true, color: "#444", strokeWidth: 1.5 },
        encoding: {
          x, y,
          detail: { field: "roof" },
          tooltip: [{ field: "roof", title: "ceiling" }],
          order: { field: "order" },
          strokeDash: {
            field: "style", type: "nominal", title: "ceiling",
            scale: { domain: ["vendor", "estimate", "measured"], range: [[1, 0], [6, 4], [2, 2]] },
          },
        },
      },
      ...(["left", "right"] as const).map((align) => ({
        data: { values: rowsOrHidden(placed.filter((l) => l.align === align), { ...frame[0], text: "" }) },
        mark: { type: "text", fontSize: LABEL_FONT, color: "#333", align, baseline: "alphabetic" },
        encoding: { x, y, text: { field: "text" } },
      })),
      {
        data: { values: ridges },
        mark: { type: "point", shape: "diamond", color: "#000", filled: true, size: 40 },
        encoding: { x, y, tooltip: [{ field: "label", title: "ridge point" }] },
      },
      {
        data: { values: points },
        params: [{ name: `zoom${index}`, select: { type: "interval", encodings: ["x", "y"] }, bind: "scales" }],
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
          size: { field: "share", type: "quantitative", title: "share of time", scale: { type: "sqrt", domain: [0, 1], range: [20, 600] }, legend: { format: ".0%", values: [0.05, 0.25, 0.5, 1] } },
          tooltip: [
            { field: "op" }, { field: "block" }, { field: "phase" }, { field: "source" },
            { field: "intensity", title: "FLOP/byte", format: ".3~g" },
            { field: "flopsPerSecond", title: "FLOP/s", format: ".3~s" },
            { field: "seconds", title: "time [s]", format: ".3~g" },
            { field: "share", title: "share", format: ".1%" },
            { field: "bound" },
          ],
        },
      },
      {
        data: { values: rowsOrHidden(flagged.map((p) => ({ ...p, warning: "above its roof: check counts and units" })), { ...frame[0], warning: "" }) },
        layer: [
          { mark: { type: "point", shape: "circle", size: 600, stroke: WARNING_COLOR, strokeWidth: 2, filled: false }, encoding: { x, y, opacity: hiddenOpacity() } },
          { mark: { type: "text", color: WARNING_COLOR, dy: -16, fontWeight: "bold", fontSize: 10 }, encoding: { x, y, text: { field: "warning" } } },
        ],
      },
    ],
  };
}
