// A calibration fitted on published measurements: how far real kernels land from their
// first-principles time (src/roofline/first-principles.ts; the roofline where no term applies),
// per chip, kernel kind (gemm, attention, memory, scan) and implementation, and how much a
// backend (vLLM, TensorRT-LLM, eager PyTorch, …) adds per launch on whole model steps.
//
// The fallback chain, most specific first: a kernel of a named implementation
//   chip|kind|implementation → *|kind|implementation → first principles alone;
// the kernels of a whole step (implementation "*", the serving stack's own)
//   chip|kind → *|kind → first principles alone.
// Only the first is a fit of overhead and slowdown, on at least MIN_POINTS points of that
// implementation on that chip. Every other level holds no overhead (a launch overhead belongs to
// one implementation on one chip and host, never to a kind or to other chips) and the median
// slowdown of the fits below it: "*|kind|implementation" over the chips that measured that
// implementation (a slowdown is a fraction of each chip's own roof, so it transfers across
// chips), "chip|kind" over that chip's implementations, "*|kind" over the implementations.
import { fitPoints, RANGE_MARGIN, type Fit } from "./fit.js";
import type { KindCalibration } from "./schemas.js";

export const KIND_CALIBRATION_SCHEMA = "roofline.kind-calibration";
export const MIN_POINTS = 3;

export type { KindCalibration } from "./schemas.js";

export interface KernelObservation {
  chip: string;
  kind: string;
  implementation: string;
  /** The first-principles time the calibration scales (the bound where no term applies). */
  baseSeconds: number;
  measuredSeconds: number;
  launches: number;
}

export interface ModelObservation {
  chip: string;
  backend: string;
  /** First-principles seconds and launches per kernel kind. */
  kinds: Partial<Record<string, { seconds: number; launches: number }>>;
  /** What the launches add under the backend's mode, from first principles (used where the backend has no fit). */
  launchSeconds?: number;
  measuredSeconds: number;
}

export interface Estimate {
  seconds: number;
  /** The fit that produced it ("h100-sxm|attention|flash2", "*|gemm", …), or "first principles" when none applies. */
  calibration: string;
  /** Whether the point's size lies inside what that fit saw (false for "first principles"). */
  inRange: boolean;
}

/**
 * The fits a kernel may use, most specific first. A named implementation keeps to its own fits: a
 * slowdown belongs to an implementation (FlashAttention-1's is not FlashAttention-2's), so one
 * never measured falls back to first principles. The kind levels serve whole steps ("*"), whose
 * kernels are the serving stack's.
 */
const kernelKeys = (chip: string, kind: string, implementation: string) =>
  implementation === "*" ? [`${chip}|${kind}`, `*|${kind}`] : [`${chip}|${kind}|${implementation}`, `*|${kind}|${implementation}`];

function groupFits<T>(items: readonly T[], keysOf: (item: T) => string[], fit: (group: T[], key: string) => Fit): Record<string, Fit> {
  const groups = new Map<string, T[]>();
  for (const item of items) for (const key of keysOf(item)) groups.set(key, [...(groups.get(key) ?? []), item]);
  const keys = [...groups.keys()].filter((key) => groups.get(key)!.length >= MIN_POINTS).sort();
  return Object.fromEntries(keys.map((key) => [key, fit(groups.get(key)!, key)]));
}

function applyFit(fit: Fit, baseSeconds: number, launches: number, overhead = true): { seconds: number; inRange: boolean } {
  const perLaunch = baseSeconds / launches;
  return {
    seconds: (overhead ? fit.overheadSeconds * launches : 0) + fit.slowdown * baseSeconds,
    inRange: perLaunch >= fit.minSeconds / RANGE_MARGIN && perLaunch <= fit.maxSeconds * RANGE_MARGIN,
  };
}

export const UNCALIBRATED = "first principles";

/** The fit a kernel of `kind` takes on `chip`, most specific first, and its key; undefined: first principles alone. */
export function kernelFit(calibration: Pick<KindCalibration, "kernels"> | undefined, chip: string, kind: string, implementation: string): { key: string; fit: Fit } | undefined {
  for (const key of calibration ? kernelKeys(chip, kind, implementation) : []) {
    const fit = calibration!.kernels[key];
    if (fit) return { key, fit };
  }
  return undefined;
}

export function estimateKernel(
  calibration: Pick<KindCalibration, "kernels"> | undefined, chip: string, kind: string, implementation: string, baseSeconds: number, launches = 1,
  options: { overhead?: boolean } = {},
): Estimate {
  const found = kernelFit(calibration, chip, kind, implementation);
  if (found) return { ...applyFit(found.fit, baseSeconds, launches, options.overhead ?? true), calibration: found.key };
  return { seconds: baseSeconds, calibration: UNCALIBRATED, inRange: false };
}

/**
 * A whole step: each kind's first-principles time scaled by its kernel slowdown, then the
 * backend's fit on top; without one, the kernel estimate plus the first-principles launch term.
 */
export function estimateModel(calibration: Pick<KindCalibration, "kernels" | "backends"> | undefined, observation: Omit<ModelObservation, "measuredSeconds">): Estimate {
  return modelEstimator(calibration, observation.chip, observation.backend)(observation.kinds, observation.launchSeconds);
}

/**
 * `estimateModel` for one chip and backend, its fits looked up once: a prepared analysis
 * estimates many steps, and looking the fits up again for each one cost more than the rest.
 */
export function modelEstimator(
  calibration: Pick<KindCalibration, "kernels" | "backends"> | undefined, chip: string, backend: string,
): (kinds: ModelObservation["kinds"], launchSeconds?: number) => Estimate {
  const kindFits = new Map<string, { key: string; fit: Fit } | null>();
  const fitOf = (kind: string) => {
    let found = kindFits.get(kind);
    if (found === undefined) kindFits.set(kind, (found = kernelFit(calibration, chip, kind, "*") ?? null));
    return found;
  };
  const backendKey = calibration ? [`${chip}|${backend}`, `*|${backend}`].find((key) => calibration.backends[key]) : undefined;
  const backendFit = backendKey === undefined ? undefined : calibration!.backends[backendKey];
  const describe = (keys: readonly string[]) => backendFit ? `${backendKey} over ${keys.join(" + ") || UNCALIBRATED}`
    : keys.length > 0 ? `${keys.join(" + ")} (no backend fit: launches from first principles)` : UNCALIBRATED;
  // The words for each combination of fits seen, written once: steps use a handful of them.
  const texts: { keys: readonly string[]; text: string }[] = [];
  const sameKeys = (a: readonly string[], b: readonly string[]) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  const textOf = (keys: readonly string[]) => {
    for (const seen of texts) if (sameKeys(seen.keys, keys)) return seen.text;
    const text = describe(keys);
    texts.push({ keys, text });
    return text;
  };
  return (kinds, launchSeconds = 0) => {
    // Each kind's seconds times its kind-level slowdown (no launch overhead), in kind order.
    let seconds = 0;
    let launches = 0;
    const keys: string[] = [];
    for (const kind of inOrder(Object.keys(kinds))) {
      const totals = kinds[kind];
      if (!totals) continue;
      launches += totals.launches;
      const found = fitOf(kind);
      seconds += found ? found.fit.slowdown * totals.seconds : totals.seconds;
      if (found) keys.push(found.key);
    }
    if (backendFit) {
      const fitted = applyFit(backendFit, seconds, launches);
      return { seconds: fitted.seconds, inRange: fitted.inRange, calibration: textOf(keys) };
    }
    return { seconds: seconds + launchSeconds, calibration: textOf(keys), inRange: false };
  };
}

/** Names sorted, in place; most arrive sorted already, and checking costs less than sorting. */
function inOrder(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) if (names[i - 1]! > names[i]!) return names.sort((a, b) => (a < b ? -1 : 1));
  return names;
}

/** Each kind's first-principles time times its kind-level slowdown; the fits used, in kind order. */
function kernelEstimateOf(calibration: Pick<KindCalibration, "kernels"> | undefined, observation: Omit<ModelObservation, "measuredSeconds">): { seconds: number; keys: string[] } {
  let seconds = 0;
  const keys: string[] = [];
  for (const [kind, totals] of Object.entries(observation.kinds).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!totals) continue;
    const estimate = estimateKernel(calibration, observation.chip, kind, "*", totals.seconds, totals.launches, { overhead: false });
    seconds += estimate.seconds;
    if (estimate.calibration !== UNCALIBRATED) keys.push(estimate.calibration);
  }
  return { seconds, keys };
}

/** A kind's level: no overhead, the median slowdown of its implementations' fits, their joint range. */
function kindLevel(fits: readonly Fit[]): Fit {
  const slowdowns = fits.map((f) => f.slowdown).sort((a, b) => a - b);
  const middle = (slowdowns.length - 1) / 2;
  return {
    overheadSeconds: 0,
    slowdown: (slowdowns[Math.floor(middle)]! + slowdowns[Math.ceil(middle)]!) / 2,
    minSeconds: Math.min(...fits.map((f) => f.minSeconds)),
    maxSeconds: Math.max(...fits.map((f) => f.maxSeconds)),
    points: fits.reduce((s, f) => s + f.points, 0),
  };
}

export function fitKindCalibration(kernels: readonly KernelObservation[], models: readonly ModelObservation[], fittedOn: string[]): KindCalibration {
  // Overhead and slowdown per implementation on one chip; every level above them holds the median
  // of the slowdowns below it and no overhead, since a launch overhead belongs to one chip and host.
  const perChip = groupFits(kernels, (o) => [`${o.chip}|${o.kind}|${o.implementation}`], (group) => fitPoints(group.map((o, i) => ({
    id: String(i), opClass: o.kind, predictedSeconds: o.baseSeconds, measuredSeconds: o.measuredSeconds, launches: o.launches,
  }))));
  const levels = new Map<string, Fit[]>();
  const add = (key: string, fit: Fit) => levels.set(key, [...(levels.get(key) ?? []), fit]);
  for (const [key, fit] of Object.entries(perChip)) {
    const [chip, kind, implementation] = key.split("|");
    add(`*|${kind}|${implementation}`, fit);
    add(`${chip}|${kind}`, fit);
  }
  const anyChip = [...levels].filter(([key]) => key.startsWith("*|")).map(([key, fits]) => [key, kindLevel(fits)] as const);
  for (const [key, fit] of anyChip) add(`*|${key.split("|")[1]}`, fit);
  const kernelFits = Object.fromEntries([
    ...Object.entries(perChip),
    ...[...levels].map(([key, fits]) => [key, kindLevel(fits)] as const),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const withKernels = models.map((m) => ({ ...m, kernelSeconds: kernelEstimateOf({ kernels: kernelFits }, m).seconds, launches: Object.values(m.kinds).reduce((s, k) => s + (k?.launches ?? 0), 0) }));
  const backends = groupFits(withKernels, (m) => [`${m.chip}|${m.backend}`, `*|${m.backend}`], (group) => fitPoints(group.map((m, i) => ({
    id: String(i), opClass: m.backend, predictedSeconds: m.kernelSeconds, measuredSeconds: m.measuredSeconds, launches: m.launches,
  }))));
  return { schema: KIND_CALIBRATION_SCHEMA, version: 1, fittedOn: [...fittedOn].sort(), kernels: kernelFits, backends };
}
