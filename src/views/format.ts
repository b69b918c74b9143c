// Formatting for people, at the edge only (cost-model.md): SI prefixes with units, 1 GB = 1e9 bytes.
const PREFIXES = [
  { factor: 1e18, symbol: "E" },
  { factor: 1e15, symbol: "P" },
  { factor: 1e12, symbol: "T" },
  { factor: 1e9, symbol: "G" },
  { factor: 1e6, symbol: "M" },
  { factor: 1e3, symbol: "k" },
];

/** 1.23 TFLOP, 13.8 GB, 900 GB/s: three significant digits and an SI prefix. */
export function withPrefix(value: number, unit: string): string {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "—";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  const prefix = PREFIXES.find((p) => magnitude >= p.factor * 0.9995);
  const scaled = prefix ? value / prefix.factor : value;
  return `${significant(scaled)} ${prefix?.symbol ?? ""}${unit}`;
}

function significant(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export const formatFlops = (flops: number) => withPrefix(flops, "FLOP");
export const formatBytes = (bytes: number) => withPrefix(bytes, "B");
export const formatFlopRate = (flopsPerSecond: number) => withPrefix(flopsPerSecond, "FLOP/s");
export const formatByteRate = (bytesPerSecond: number) => withPrefix(bytesPerSecond, "B/s");
export const formatCount = (count: number) => withPrefix(count, "").trim();

/** 15.4 ms, 2.31 s, 830 µs. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const magnitude = Math.abs(seconds);
  if (magnitude === 0) return "0 s";
  if (magnitude >= 1) return `${significant(seconds)} s`;
  if (magnitude >= 1e-3) return `${significant(seconds * 1e3)} ms`;
  if (magnitude >= 1e-6) return `${significant(seconds * 1e6)} µs`;
  return `${significant(seconds * 1e9)} ns`;
}

export function formatIntensity(flopsPerByte: number): string {
  if (!Number.isFinite(flopsPerByte)) return "—";
  return flopsPerByte >= 100 ? flopsPerByte.toFixed(0) : flopsPerByte.toFixed(flopsPerByte >= 10 ? 1 : 2);
}

export const formatPercent = (fraction: number) => `${(fraction * 100).toFixed(fraction >= 0.1 ? 0 : 1)}%`;

/** 2,682,862,080 */
export const formatInteger = (value: number) => Math.round(value).toLocaleString("en-US");

/** A metric in its unit (`s`, `B`, `FLOP`, `1/s`, or none), as the tables print it: 15.8 ms, 6.48 MB, 616. */
export function formatQuantity(value: number, unit: string): string {
  switch (unit) {
    case "s": return formatSeconds(value);
    case "B": return formatBytes(value);
    case "FLOP": return formatFlops(value);
    case "1/s": return withPrefix(value, "/s");
    default: return Number.isInteger(value) ? formatInteger(value) : withPrefix(value, "").trim();
  }
}

/** Three significant digits without an exponent, for values from 0.001 up. */
const threeDigits = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));

/** A relative change, however small, without exponents: 1.23%, 0.0999%, 12.0 ppm, 1.00 ppb. */
export function formatRelative(fraction: number): string {
  const magnitude = Math.abs(fraction);
  if (magnitude === 0) return "0";
  if (magnitude >= 1e-4) return `${threeDigits(fraction * 100)}%`;
  if (magnitude >= 1e-7) return `${threeDigits(fraction * 1e6)} ppm`;
  return magnitude >= 1e-12 ? `${threeDigits(fraction * 1e9)} ppb` : "< 0.001 ppb";
}

/** A p-value for a sentence: "p = 0.0012", and below 0.0001 only that bound. */
export const formatPValue = (p: number) => (p < 1e-4 ? "p < 0.0001" : `p = ${p.toPrecision(2)}`);
