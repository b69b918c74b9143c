// The analysis of one model on one chip at many points: what `analyze()` returns, every op with
// its times and estimate, for any (phase, batch, length), with the work that does not depend on
// the point done once. The op costs come from closed forms fitted to the cost model per length
// piece (src/cost/cost-table.ts), built the first time a phase is asked for; the chip's ceilings,
// the parameter counts and the calibration fits of the estimate are looked up once.
//
// Two ways to read a point: `analyze` returns new objects, equal to `analyze()`'s; `evaluate`
// writes the same numbers into op records it keeps and rewrites at every call, which is what a
// sweep that reads each point once wants (new records for every op add about two thirds to the
// cost of a point).
import { ceilingsFor, ridgePoints, type Ceilings } from "../hardware/ceilings.js";
import type { HardwareProfile } from "../hardware/schema.js";
import { countParams } from "../models/params.js";
import type { ModelSpec } from "../models/schema.js";
import { contextPieces, costsAt, costTable, evaluatePiece, opFrom, pieceAt, promptPieces, writeCosts, type CostTable, type FittedPiece } from "../cost/cost-table.js";
import { decodeOps, prefillOps, trainOps, type Implementation, type TrainOptions } from "../cost/phases.js";
import type { Calibration } from "../calibration/calibration.js";
import { analyzePhaseIn, matrixDtypeOf, phaseContext, phaseOf, type Analysis, type Phase, type PhaseResult, type Scenario } from "./analyze.js";
import type { EstimateSource } from "./estimate.js";
import { prepareEstimate, withPreparedEstimate } from "./phase-estimate.js";
import { retime, timeOp, type TimedOp, type TimedPhaseOps } from "./time.js";

export interface PreparedAnalysis {
  /** What `analyze()` returns for this model, chip, implementation, calibration and estimate, as new objects. */
  analyze(phases: readonly Phase[], scenario: Scenario): Analysis;
  /**
   * The same numbers as `analyze`, the ops of prefill, decode and train written into records kept
   * by this prepared analysis and rewritten at the next call: read them before calling again.
   * (Generate, and any phase under a harness calibration, come as new objects.)
   */
  evaluate(phases: readonly Phase[], scenario: Scenario): Analysis;
}

type TabulatedPhase = "prefill" | "decode" | "train" | "train, rematerialised";

/** Each phase's cost table, fitted on first use (train: one per rematerialisation choice). */
function costTables(spec: ModelSpec, impl: Implementation): (phase: TabulatedPhase) => CostTable {
  const train = (options: TrainOptions) => costTable((batch, tokens) => trainOps(spec, batch, tokens, impl, options), promptPieces(spec));
  const build: Record<TabulatedPhase, () => CostTable> = {
    prefill: () => costTable((batch, tokens) => prefillOps(spec, batch, tokens, impl), promptPieces(spec)),
    decode: () => costTable((batch, context) => decodeOps(spec, batch, context, impl), contextPieces(spec)),
    train: () => train({ rematerialise: false }),
    "train, rematerialised": () => train({ rematerialise: true }),
  };
  const tables = new Map<TabulatedPhase, CostTable>();
  return (phase) => {
    let table = tables.get(phase);
    if (!table) tables.set(phase, (table = build[phase]()));
    return table;
  };
}

/** The table and length a phase reads at a scenario. */
function tableAt(phase: Exclude<Phase, "generate">, scenario: Scenario): { table: TabulatedPhase; length: number } {
  if (phase === "decode") return { table: "decode", length: scenario.contextTokens };
  if (phase === "train") return { table: scenario.rematerialise ? "train, rematerialised" : "train", length: scenario.seqTokens };
  return { table: "prefill", length: scenario.seqTokens };
}

/** Every phase's timed ops from the tables, as new objects. */
function tabulatedOps(tables: (phase: TabulatedPhase) => CostTable, ceilings: Ceilings): TimedPhaseOps {
  const timed = (table: CostTable, batch: number, length: number) => costsAt(table, batch, length).map((op) => timeOp(op, ceilings));
  return {
    prefill: (batch, tokens) => timed(tables("prefill"), batch, tokens),
    decode: (batch, context) => timed(tables("decode"), batch, context),
    train: (batch, tokens, options) => timed(tables(options.rematerialise ? "train, rematerialised" : "train"), batch, tokens),
  };
}

export function prepareAnalysis(
  spec: ModelSpec, profile: HardwareProfile, impl: Implementation,
  calibration?: { file: string; calibration: Calibration }, estimate?: EstimateSource,
): PreparedAnalysis {
  const ceilings = ceilingsFor(profile, matrixDtypeOf(impl));
  const params = countParams(spec);
  const ridge = ridgePoints(profile);
  const tables = costTables(spec, impl);
  const context = phaseContext(spec, impl, ceilings, calibration?.calibration, tabulatedOps(tables, ceilings));
  const prepared = estimate && prepareEstimate(estimate, profile.id);
  const withEstimate = (result: PhaseResult) => (prepared ? withPreparedEstimate(result, prepared) : result);

  // The records `evaluate` rewrites: one per op of each length piece, made on first use.
  const records = new Map<FittedPiece, TimedOp[]>();
  const recordsOf = (piece: FittedPiece, values: Float64Array) => {
    let found = records.get(piece);
    if (!found) records.set(piece, (found = piece.ops.map((template) => timeOp(opFrom(template, values), ceilings))));
    return found;
  };
  const evaluatePhase = (phase: Phase, scenario: Scenario): PhaseResult => {
    if (phase === "generate" || calibration) return withEstimate(analyzePhaseIn(context, phase, scenario));
    const { table, length } = tableAt(phase, scenario);
    const piece = pieceAt(tables(table), length);
    const values = evaluatePiece(piece, scenario.batch, length);
    const ops = recordsOf(piece, values);
    for (let i = 0; i < ops.length; i++) {
      writeCosts(piece.ops[i]!, values, ops[i]!);
      retime(ops[i]!, ceilings);
    }
    return withEstimate(phaseOf(context, phase, scenario, ops));
  };

  const analysis = (phases: PhaseResult[]): Analysis => ({
    ...(calibration && { calibration }),
    ...(estimate && { estimate }),
    model: spec,
    params,
    hardware: profile,
    ceilings,
    ridgePoints: ridge,
    implementation: impl,
    phases,
  });
  return {
    analyze: (phases, scenario) => analysis(phases.map((phase) => withEstimate(analyzePhaseIn(context, phase, scenario)))),
    evaluate: (phases, scenario) => analysis(phases.map((phase) => evaluatePhase(phase, scenario))),
  };
}
