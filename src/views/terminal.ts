// Readable terminal tables: the model, the chip, then each phase's ops and totals, and one line
// per phase saying what bounds it.
import Table from "cli-table3";
import { UNCALIBRATED } from "../calibration/kinds.js";
import type { Analysis, PhaseResult } from "../roofline/analyze.js";
import { launchWords } from "../roofline/estimate.js";
import type { TimedOp } from "../roofline/time.js";
import {
  formatBytes, formatByteRate, formatCount, formatFlopRate, formatFlops, formatInteger,
  formatIntensity, formatPercent, formatSeconds,
} from "./format.js";
import { layerCounts } from "../models/layers.js";
import { memoryWarning, unfitNote } from "./memory-warning.js";

export { memoryWarning };

const plain = { head: [] as string[], border: [] as string[] };
/** Box drawing without a rule between body rows, so long op tables stay readable. */
export const COMPACT_CHARS = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

function table(head: string[], alignRight: number[]): Table.Table {
  return new Table({
    head,
    style: plain,
    chars: COMPACT_CHARS,
    colAligns: head.map((_, i) => (alignRight.includes(i) ? "right" : "left")),
  });
}

export function modelSection(analysis: Analysis): string {
  const { model, params } = analysis;
  const layers = layerCounts(model);
  const pattern = Object.entries(layers)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(" + ");
  const t = table(["block type", "parameters", "share"], [1, 2]);
  const rows: [string, number][] = [
    ["embedding", params.byBlock.embedding],
    ["output head (untied)", params.byBlock.outputHead],
    ["recurrent", params.byBlock.recurrent],
    ["local attention", params.byBlock.localAttention],
    ["global attention", params.byBlock.globalAttention],
    ["Mamba", params.byBlock.mamba],
    ["Mamba-2", params.byBlock.mamba2],
    ["MLP", params.byBlock.mlp],
    ["norms", params.byBlock.norms],
  ];
  for (const [name, count] of rows) if (count > 0) t.push([name, formatInteger(count), formatPercent(count / params.total)]);
  t.push(["total", formatInteger(params.total), "100%"]);
  return [
    `Model ${model.name}: width ${model.width}, depth ${model.depth} (${pattern}), vocabulary ${formatInteger(model.vocabSize)}`,
    `  ${formatCount(params.total)} parameters, ${formatCount(params.nonEmbedding)} without embeddings` +
      (model.source ? `; source: ${model.source}` : ""),
    t.toString(),
  ].join("\n");
}

export function chipSection(analysis: Analysis): string {
  const hw = analysis.hardware;
  const t = table(["ceiling", "peak", "ridge (FLOP/B)", "source"], [1, 2]);
  hw.compute.matrix.forEach((c, i) => {
    t.push([`${c.dtype} matrix (${hw.compute.matrixUnit.split(" ")[0]})`, formatFlopRate(c.flopsPerSecond.value),
      formatIntensity(analysis.ridgePoints[i]!.flopsPerByte), c.flopsPerSecond.confidence]);
  });
  const vector = hw.compute.vector;
  t.push([`fp32 vector (${vector.unit})`, formatFlopRate(vector.flopsPerSecond.value),
    formatIntensity(analysis.ridgePoints[analysis.ridgePoints.length - 1]!.flopsPerByte), vector.flopsPerSecond.confidence]);
  const main = hw.memory.main;
  t.push([`${main.technology} bandwidth`, formatByteRate(main.bytesPerSecond.value), "", main.bytesPerSecond.confidence]);
  t.push([`${main.technology} capacity`, formatBytes(main.capacityBytes.value), "", main.capacityBytes.confidence]);
  for (const level of hw.memory.onChip) {
    const scope = level.scope === "chip" ? "" : ` ${level.scope} ×${level.count}`;
    t.push([`${level.name}${scope}`, formatBytes(level.capacityBytes.value), "", level.capacityBytes.confidence]);
  }
  const unit = `per ${hw.granularity.unit}` + (hw.granularity.coresPerChip > 1 ? `, ${hw.granularity.coresPerChip} cores` : "");
  return [`Chip ${hw.name} (${hw.id}; figures ${unit})`, t.toString()].join("\n");
}

function describePhase(result: PhaseResult): string {
  const { tokens, batch } = result;
  switch (result.phase) {
    case "prefill": return `prefill of ${formatInteger(tokens.seq!)} tokens, batch ${batch}`;
    case "decode": return `decode step at ${formatInteger(tokens.context!)} cached tokens, batch ${batch}`;
    case "generate": return `generate ${formatInteger(tokens.new!)} tokens after a ${formatInteger(tokens.prompt!)}-token prompt, batch ${batch}`;
    case "train": return `training step of ${formatInteger(tokens.seq!)} tokens, batch ${batch}`;
  }
}

function opLabel(op: TimedOp): string {
  const label = op.stage ? `${op.stage}: ${op.name}` : op.name;
  return op.extrapolated ? `${label} *` : label;
}

export function phaseSection(result: PhaseResult): string {
  const estimated = result.estimate !== undefined;
  const t = table(["op", "block", "×", "matrix FLOP", "vector FLOP", "bytes", "FLOP/B", "time", ...(estimated ? ["estimate"] : []), "bound", "share"],
    estimated ? [2, 3, 4, 5, 6, 7, 8, 10] : [2, 3, 4, 5, 6, 7, 9]);
  const total = result.totals.seconds;
  for (const op of result.ops) {
    t.push([opLabel(op), op.block, String(op.count), formatFlops(op.matrixFlops), formatFlops(op.vectorFlops),
      formatBytes(op.bytesTotal), formatIntensity(op.intensity), formatSeconds(op.seconds),
      ...(estimated ? [formatSeconds(op.estimateSeconds ?? op.seconds)] : []), op.bound,
      formatPercent(total > 0 ? op.seconds / total : 0)]);
  }
  const tot = result.totals;
  t.push(["total", "", "", formatFlops(tot.matrixFlops), formatFlops(tot.vectorFlops), formatBytes(tot.bytes),
    formatIntensity(tot.intensity), formatSeconds(tot.seconds), ...(estimated ? [formatSeconds(result.estimate!.seconds)] : []), tot.bound, "100%"]);
  const lines = [`${describePhase(result)}`, t.toString()];
  lines.push(`  roofline ${formatSeconds(tot.seconds)}, no-overlap bound ${formatSeconds(tot.upperBoundSeconds)}${unfitNote(result)}`);
  const m = result.memory;
  if (m.cacheTokens !== null) {
    lines.push(`  memory: weights ${formatBytes(m.weightBytes)}, cache ${formatBytes(m.cacheBytesPerSequence)} per sequence at ` +
      `${formatInteger(m.cacheTokens)} tokens, largest batch that fits ${m.maxBatch === null ? "—" : Number.isFinite(m.maxBatch) ? formatInteger(m.maxBatch) : "unbounded"}`);
  }
  const warning = memoryWarning(result);
  if (warning) lines.push(`  WARNING: ${warning}`);
  if (result.generate) {
    const g = result.generate;
    lines.push(`  time to first token ${formatSeconds(g.ttftSeconds)}, ${formatSeconds(g.perTokenSeconds)} per token over ` +
      `${g.decodeSteps} decode steps, total ${formatSeconds(g.totalSeconds)}, ${g.tokensPerSecond.toFixed(1)} tokens/s`);
  }
  return lines.join("\n");
}


/** One line: what bounds the phase, and how much of its time sits in each kind of op. */
export function boundLine(result: PhaseResult): string {
  const s = result.totals.boundShares;
  const verdict = result.totals.bound === "memory" ? "memory bound" : `compute bound (${result.totals.bound} unit)`;
  return `${describePhase(result)}: ${formatSeconds(result.totals.seconds)}${unfitNote(result)}, ${verdict}; time in memory-bound ops ` +
    `${formatPercent(s.memory)}, matrix-bound ${formatPercent(s.matrix)}, vector-bound ${formatPercent(s.vector)}`;
}

/** One line: the estimate beside the bound, and the fit it came from. */
export function estimateLine(result: PhaseResult): string {
  const e = result.estimate!;
  const bound = result.generate ? result.generate.totalSeconds : result.totals.seconds;
  return `${describePhase(result)}: estimate ${formatSeconds(e.seconds)} (${(e.seconds / bound).toFixed(2)}× the bound of ${formatSeconds(bound)}), ` +
    `from ${e.calibration}${e.calibration === UNCALIBRATED ? "" : e.inRange ? ", inside its fitted range" : ", OUTSIDE its fitted range"}${unfitNote(result)}`;
}

export function renderAnalysis(analysis: Analysis): string {
  const impl = analysis.implementation;
  const assumptions = `Assumptions: weights ${impl.dtypes.weights} (matrix ceiling ${analysis.ceilings.matrixDtype}), activations ` +
    `${impl.dtypes.activations}, cache ${impl.dtypes.cache}, RG-LRU state ${impl.dtypes.state}; ${impl.attention} attention; ` +
    `${impl.scan} scan; ` + (analysis.calibration
      ? `times are CALIBRATED with ${analysis.calibration.file} (efficiency per op class and size; ops marked * lie outside the calibrated range)`
      : "times are roofline lower bounds at vendor peaks (no efficiency factors)");
  return [
    modelSection(analysis),
    "",
    chipSection(analysis),
    "",
    assumptions,
    ...analysis.phases.flatMap((phase) => ["", phaseSection(phase)]),
    "",
    "What bounds each phase:",
    ...analysis.phases.map((phase) => `  ${boundLine(phase)}`),
    ...analysis.phases.flatMap((phase) => {
      const warning = memoryWarning(phase);
      return warning ? [`  WARNING: ${phase.phase}: ${warning}`] : [];
    }),
    ...(analysis.estimate ? ["", `Expected times (first-principles terms${analysis.estimate.calibration
      ? `, calibrated with ${analysis.estimate.calibration.file}, fitted on ${analysis.estimate.calibration.calibration.fittedOn.length} published sources`
      : ", no published calibration for this chip"}; ${launchWords(analysis.estimate)}):`,
    ...analysis.phases.map((phase) => `  ${estimateLine(phase)}`)] : []),
  ].join("\n");
}
