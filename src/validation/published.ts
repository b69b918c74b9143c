// Published measurements against the cost model: every row expressed (or given the reason it
// cannot be), its roofline bound, and an estimate from a calibration fitted on published data.
// The accuracy this project states is leave-one-source-out: each source's points are estimated by
// a calibration fitted on every other source, never on themselves.
import path from "node:path";
import {
  estimateKernel, estimateModel, fitKindCalibration, UNCALIBRATED, type Estimate, type KernelObservation, type KindCalibration, type ModelObservation,
} from "../calibration/kinds.js";
import { InputError } from "../errors.js";
import { describeLimit, MAX_MEASURED_SECONDS } from "../measurements/limits.js";
import { expressPoint, isExpressed, type ExpressedPoint, type UnexpressedPoint } from "../published/express.js";
import type { PublishedPoint } from "../published/read.js";
import { relativeError, summarizeErrors, type ErrorSummary } from "./errors.js";

export interface PublishedEvaluation {
  point: ExpressedPoint;
  /** (bound − measured) / measured: negative, unless the point beat its roofline. */
  boundError: number;
  /** The first-principles terms alone, no calibration. */
  modelError: number;
  estimate: Estimate;
  estimateError: number;
  /** Measured faster than the roofline: a counting, unit or profile error, always flagged. */
  fasterThanBound: boolean;
}

const sourceOf = (p: ExpressedPoint | UnexpressedPoint) => p.point.row.source_id;
export const pointId = (p: ExpressedPoint | UnexpressedPoint) => `${path.basename(p.point.file)}:${p.point.line}`;

export function expressAll(points: readonly PublishedPoint[]): (ExpressedPoint | UnexpressedPoint)[] {
  return points.map((p) => {
    const expressed = expressPoint(p, path.join(path.dirname(p.file), "models"));
    if (isExpressed(expressed)) requireBelievableTime(expressed);
    return expressed;
  });
}

/** A value so large or small that its time is 0, Infinity or over a day is an error in the row. */
function requireBelievableTime(p: ExpressedPoint): void {
  const seconds = p.measuredSeconds;
  if (seconds > 0 && seconds <= MAX_MEASURED_SECONDS) return;
  const { row } = p.point;
  throw new InputError(`${p.point.file}:${p.point.line}: column "value": ${row.value} ${row.metric} for ${p.description} is ${seconds} s, ` +
    `outside (0, ${describeLimit(MAX_MEASURED_SECONDS)}]: check the value, its metric and the shape`);
}

function observations(points: readonly ExpressedPoint[]): { kernels: KernelObservation[]; models: ModelObservation[] } {
  const kernels: KernelObservation[] = [];
  const models: ModelObservation[] = [];
  for (const p of points) {
    if (p.kind === "model") models.push({ chip: p.chip, backend: p.implementation, kinds: p.kinds!, launchSeconds: p.launchSeconds ?? 0, measuredSeconds: p.measuredSeconds });
    else kernels.push({ chip: p.chip, kind: p.kind, implementation: p.implementation, baseSeconds: p.modelSeconds, measuredSeconds: p.measuredSeconds, launches: p.launches });
  }
  return { kernels, models };
}

/** Fits a calibration on expressed points (those faster than their bound are left out: they are errors). */
export function fitPublishedCalibration(points: readonly ExpressedPoint[]): KindCalibration {
  // Steps on several chips are left out too: their measured time holds communication the kinds do not.
  const usable = points.filter((p) => p.measuredSeconds >= p.boundSeconds && p.communicationSeconds === undefined);
  const { kernels, models } = observations(usable);
  return fitKindCalibration(kernels, models, [...new Set(usable.map(sourceOf))]);
}

export function estimatePoint(calibration: Pick<KindCalibration, "kernels" | "backends">, p: ExpressedPoint): Estimate {
  if (p.kind !== "model") return estimateKernel(calibration, p.chip, p.kind, p.implementation, p.modelSeconds, p.launches);
  const estimate = estimateModel(calibration, { chip: p.chip, backend: p.implementation, kinds: p.kinds!, launchSeconds: p.launchSeconds ?? 0 });
  return p.communicationSeconds === undefined ? estimate : { ...estimate, seconds: estimate.seconds + p.communicationSeconds };
}

function evaluate(p: ExpressedPoint, estimate: Estimate): PublishedEvaluation {
  return {
    point: p, estimate,
    boundError: relativeError(p.boundSeconds, p.measuredSeconds),
    modelError: relativeError(p.modelSeconds, p.measuredSeconds),
    estimateError: relativeError(estimate.seconds, p.measuredSeconds),
    fasterThanBound: p.measuredSeconds < p.boundSeconds,
  };
}

/** Each source estimated by a calibration fitted on all the others. */
export function leaveOneSourceOut(points: readonly ExpressedPoint[]): PublishedEvaluation[] {
  const sources = [...new Set(points.map(sourceOf))].sort();
  return sources.flatMap((held) => {
    const calibration = fitPublishedCalibration(points.filter((p) => sourceOf(p) !== held));
    return points.filter((p) => sourceOf(p) === held).map((p) => evaluate(p, estimatePoint(calibration, p)));
  });
}

/** Every point against one given calibration (or none: the bound). */
export function againstCalibration(points: readonly ExpressedPoint[], calibration?: KindCalibration): PublishedEvaluation[] {
  return points.map((p) => evaluate(p, calibration ? estimatePoint(calibration, p) : { seconds: p.modelSeconds, calibration: UNCALIBRATED, inRange: false }));
}

export interface GroupSummary {
  group: string;
  bound: ErrorSummary;
  model: ErrorSummary;
  estimate: ErrorSummary;
  fasterThanBound: number;
}

export function summarizeBy(evaluations: readonly PublishedEvaluation[], keyOf: (e: PublishedEvaluation) => string): GroupSummary[] {
  const keys = [...new Set(evaluations.map(keyOf))].sort();
  const summary = (group: string, members: readonly PublishedEvaluation[]): GroupSummary => ({
    group,
    bound: summarizeErrors(members.map((e) => ({ id: pointId(e.point), error: e.boundError }))),
    model: summarizeErrors(members.map((e) => ({ id: pointId(e.point), error: e.modelError }))),
    estimate: summarizeErrors(members.map((e) => ({ id: pointId(e.point), error: e.estimateError }))),
    fasterThanBound: members.filter((e) => e.fasterThanBound).length,
  });
  return [...keys.map((k) => summary(k, evaluations.filter((e) => keyOf(e) === k))), summary("all", evaluations)];
}

export const GROUPINGS = {
  source: (e: PublishedEvaluation) => e.point.point.row.source_id,
  kind: (e: PublishedEvaluation) => e.point.kind,
  implementation: (e: PublishedEvaluation) => `${e.point.kind}/${e.point.implementation}`,
  chip: (e: PublishedEvaluation) => e.point.chip,
} as const;
