// Error statistics of predictions against measurements: signed relative error per point, then
// median and mean absolute percentage error, the worst case, and the share within ±10% and ±25%.
import { median } from "simple-statistics";

export interface ErrorSummary {
  count: number;
  /** Median of |predicted − measured| / measured. */
  medianAbsoluteError: number;
  /** Mean of |predicted − measured| / measured (MAPE as a fraction). */
  meanAbsoluteError: number;
  worst: { id: string; error: number } | null;
  within10: number;
  within25: number;
}

export const relativeError = (predicted: number, measured: number) => (predicted - measured) / measured;

export function summarizeErrors(points: readonly { id: string; error: number }[]): ErrorSummary {
  if (points.length === 0) {
    return { count: 0, medianAbsoluteError: Number.NaN, meanAbsoluteError: Number.NaN, worst: null, within10: Number.NaN, within25: Number.NaN };
  }
  const absolute = points.map((p) => Math.abs(p.error));
  const worst = points.reduce((a, b) => (Math.abs(b.error) > Math.abs(a.error) ? b : a));
  return {
    count: points.length,
    medianAbsoluteError: median(absolute),
    meanAbsoluteError: absolute.reduce((s, e) => s + e, 0) / absolute.length,
    worst: { id: worst.id, error: worst.error },
    within10: absolute.filter((e) => e <= 0.1).length / absolute.length,
    within25: absolute.filter((e) => e <= 0.25).length / absolute.length,
  };
}

/** Overall and per-class summaries. */
export function summarizeByClass<T extends { id: string; error: number; opClass: string }>(points: readonly T[]) {
  const classes = [...new Set(points.map((p) => p.opClass))].sort();
  return {
    overall: summarizeErrors(points),
    byClass: Object.fromEntries(classes.map((c) => [c, summarizeErrors(points.filter((p) => p.opClass === c))])) as Record<string, ErrorSummary>,
  };
}
