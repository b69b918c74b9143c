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

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

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
}

/** A label after placement: its anchor and baseline (the text's bottom) in pixels. */
export type PlacedLabel = LabelRequest;

/**
 * Each label placed at its anchor's baseline, or moved by whole rows (up first) until it clears
 * the boxes placed so far and `obstacles`, slid sideways into the panel where it would stick
 * out; one that fits nowhere keeps its anchor's row.
 */
export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[], width: number, height: number): PlacedLabel[] {
  const taken: Box[] = [...obstacles];
  return requests.map((request) => {
    const w = textWidth(request.text, request.fontSize);
    const row = request.fontSize + 3;
    // Slid sideways, if need be, to lie inside the panel.
    const left = Math.max(0, Math.min(width - w, request.align === "left" ? request.x : request.x - w));
    const x = request.align === "left" ? left : left + w;
    const boxAt = (baseline: number): Box => ({ left, right: left + w, top: baseline - request.fontSize, bottom: baseline + 2 });
    const inside = (b: Box) => b.left >= 0 && b.right <= width && b.top >= 0 && b.bottom <= height;
    let chosen = request.y;
    for (const shift of request.upOnly ? [0, -1, -2, -3, -4, -5, -6] : [0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6]) {
      const baseline = request.y + shift * row;
      const box = boxAt(baseline);
      if (inside(box) && !taken.some((t) => overlaps(t, box))) {
        chosen = baseline;
        break;
      }
    }
    taken.push(boxAt(chosen));
    return { ...request, x, y: chosen };
  });
}

/** The box of a point mark of `size` square pixels centred at (x, y). */
export function pointBox(x: number, y: number, size: number): Box {
  const r = Math.sqrt(size) / 2;
  return { left: x - r, right: x + r, top: y - r, bottom: y + r };
}
