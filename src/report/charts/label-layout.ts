// Placing text labels in a panel whose scales are known (fitted log scales, no padding): each
// label is tried at its anchor and then a row above or below, and takes the first place where it
// overlaps no label placed before it, no point, and stays inside the panel. Widths are estimated
// from the font (DejaVu Sans: digits 0.64 em, most letters less), so the estimate errs wide.

export interface LogScale {
  min: number;
  max: number;
  /** Pixels the domain spans. */
  pixels: number;
}

/** A value's pixel position on a log scale; `flip` for a y axis, whose pixels grow downward. */
export function pixelOf(scale: LogScale, value: number, flip = false): number {
  const t = (Math.log(value) - Math.log(scale.min)) / (Math.log(scale.max) - Math.log(scale.min));
  return flip ? scale.pixels * (1 - t) : scale.pixels * t;
}

export function valueAt(scale: LogScale, pixel: number, flip = false): number {
  const t = flip ? 1 - pixel / scale.pixels : pixel / scale.pixels;
  return Math.exp(Math.log(scale.min) + t * (Math.log(scale.max) - Math.log(scale.min)));
}

export interface Box { left: number; top: number; right: number; bottom: number }

/** Em widths per character, wide enough for DejaVu Sans. */
export const textWidth = (text: string, fontSize: number) => [...text].length * fontSize * 0.62;

export interface LabelRequest {
  text: string;
  /** Anchor in pixels. */
  x: number;
  y: number;
  align: "left" | "right";
  fontSize: number;
  /** Only upward: a label above a roof stays above it. */
  upOnly?: boolean;
  /** Other anchors to try, each at the same row shifts, when the first has no room. */
  alternatives?: readonly { x: number; y: number; align: "left" | "right" }[];
  /** How many rows a label may move from its anchor (default 6). */
  maxRows?: number;
}

/** A label after placement: its anchor and baseline (the text's bottom) in pixels. */
export interface PlacedLabel extends LabelRequest {
  /** False where no place within its rows was clear: it is where it overlaps least. */
  clear: boolean;
}

/**
 * Each label placed at its anchor's baseline, or at another anchor, or moved by whole rows (up
 * first), or to the other side of an anchor, until it clears the boxes placed so far and `obstacles`; where no place is
 * clear, the one that overlaps least.
 */
export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[], width: number, height: number): PlacedLabel[] {
  const taken: Box[] = [...obstacles];
  const overlapArea = (box: Box) => taken.reduce((sum, t) =>
    sum + Math.max(0, Math.min(t.right, box.right) - Math.max(t.left, box.left)) * Math.max(0, Math.min(t.bottom, box.bottom) - Math.max(t.top, box.top)), 0);
  return requests.map((request) => {
    const w = textWidth(request.text, request.fontSize);
    const row = request.fontSize + 3;
    const rows = Array.from({ length: request.maxRows ?? 6 }, (_, i) => i + 1);
    const shifts = [0, ...rows.flatMap((r) => (request.upOnly ? [-r] : [-r, r]))];
    // Each place tried, row by row: each anchor, on its asked side and then the other; a label is
    // slid sideways, if need be, to lie inside the panel.
    const anchors = [{ x: request.x, y: request.y, align: request.align }, ...(request.alternatives ?? [])];
    const places = shifts.flatMap((shift) => anchors.flatMap((anchor) => (["asked", "other"] as const).map((side) => {
      const align = side === "asked" ? anchor.align : anchor.align === "left" ? "right" as const : "left" as const;
      const left = Math.max(0, Math.min(width - w, align === "left" ? anchor.x : anchor.x - w));
      const baseline = Math.max(request.fontSize, Math.min(height - 2, anchor.y + shift * row));
      return { align, x: align === "left" ? left : left + w, y: baseline, box: { left, right: left + w, top: baseline - request.fontSize, bottom: baseline + 2 } };
    })));
    const free = places.find((place) => overlapArea(place.box) === 0);
    // Where none is free, the place that covers the least.
    const chosen = free ?? places.reduce((best, place) => (overlapArea(place.box) < overlapArea(best.box) ? place : best));
    taken.push(chosen.box);
    return { ...request, align: chosen.align, x: chosen.x, y: chosen.y, clear: free !== undefined };
  });
}

/** The box of a point mark of `size` square pixels centred at (x, y). */
export function pointBox(x: number, y: number, size: number): Box {
  const r = Math.sqrt(size) / 2;
  return { left: x - r, right: x + r, top: y - r, bottom: y + r };
}
