// The analysis on a mesh of chips as text and as a versioned JSON document: per phase the time per
// chip (compute), the collectives with their share, both overlap bounds, memory per chip, energy
// and cost per token.
import type { MeshAnalysis, MeshPhaseResult } from "../parallel/mesh-analysis.js";
import type { CollectiveRecord } from "../parallel/collectives.js";
import { opRecord } from "./json.js";
import { formatByteRate, formatBytes, formatCount, formatInteger, formatPercent, formatSeconds } from "./format.js";

export const MESH_JSON_SCHEMA_ID = "roofline.mesh-analysis";
export const MESH_JSON_SCHEMA_VERSION = 1;

const money = (dollars: number) => (dollars >= 1 ? `$${dollars.toFixed(2)}` : `$${dollars.toPrecision(3)}`);

function meshLine(analysis: MeshAnalysis): string {
  const m = analysis.mesh;
  const parts = [`${m.chips} × ${analysis.hardware.id}`, `tensor ${m.tensor}`, `data ${m.data}`];
  if (m.sequenceParallel) parts.push("sequence-parallel");
  parts.push(`ZeRO ${m.zero}`, m.overlap ? "communication overlaps compute" : "no overlap");
  return `Mesh: ${parts.join(", ")}\nModel: ${analysis.model.name}, ${formatCount(analysis.paramsPerChip)} parameters per chip of a tensor group`;
}

function collectiveLine(c: CollectiveRecord, phaseSeconds: number): string {
  const share = phaseSeconds > 0 ? c.totalSeconds / phaseSeconds : 0;
  const tag = c.stage ?? (c.pass === "recompute" ? "recompute" : undefined);
  const name = tag ? `[${tag}] ${c.name}` : c.name;
  return `  ${name.padEnd(58)} ${c.kind.padEnd(14)} ×${String(c.count).padEnd(6)} ${formatBytes(c.bytes).padStart(10)}  ${c.chips} chips, ${c.algorithm}, ${c.hops} ${c.hops === 1 ? "hop" : "hops"}, ${c.link} ${formatByteRate(c.bytesPerSecondPerDirection)}/dir  ${formatSeconds(c.totalSeconds).padStart(10)}  ${formatPercent(share).padStart(4)}`;
}

/** Collectives with the same name, axis and pass are listed once, their counts and times summed. */
function merged(collectives: readonly CollectiveRecord[]): CollectiveRecord[] {
  const byKey = new Map<string, CollectiveRecord>();
  for (const c of collectives) {
    const key = `${c.name}|${c.axis}|${c.pass ?? ""}|${c.stage ?? ""}`;
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, count: seen.count + c.count, totalSeconds: seen.totalSeconds + c.totalSeconds });
    else byKey.set(key, c);
  }
  return [...byKey.values()];
}

function rematLine(r: NonNullable<MeshPhaseResult["rematerialisation"]>): string {
  return `Rematerialisation: ${formatBytes(r.withoutBytes)} per chip in ${formatSeconds(r.withoutSeconds)} without, ${formatBytes(r.withBytes)} in ${formatSeconds(r.withSeconds)} with (${formatBytes(r.withoutBytes - r.withBytes)} saved for ${formatSeconds(r.withSeconds - r.withoutSeconds)} more per step)`;
}

function memoryLines(result: MeshPhaseResult, chipName: string): string[] {
  const t = result.trainingMemory;
  if (t) {
    const verdict = t.fits
      ? `fits, ${formatBytes(t.headroomBytes)} to spare`
      : `does NOT fit on ${chipName}: ${formatBytes(-t.headroomBytes)} over its ${formatBytes(t.capacityBytesPerChip)}`;
    return [
      `Memory per chip: ${formatBytes(t.totalBytes)} = parameters ${formatBytes(t.parameterBytes)} + gradients ${formatBytes(t.gradientBytes)} + optimizer ${formatBytes(t.optimizerBytes)} + activations ${formatBytes(t.activationBytes)} (${formatBytes(t.activationBytesPerSequence)} per sequence); ${verdict}`,
      `Largest batch per replica that fits: ${formatInteger(t.maxBatchPerReplica)} sequences`,
      ...(result.rematerialisation ? [rematLine(result.rematerialisation)] : []),
      ...(result.wouldFit ? [`What would fit: ${result.wouldFit.join("; or ")}`] : []),
    ];
  }
  const s = result.servingMemory!;
  return [
    `Memory per chip: weights ${formatBytes(s.weightBytes)} + ${formatInteger(result.batchPerReplica)} × cache ${formatBytes(s.cacheBytesPerSequence)} at ${formatInteger(s.cacheTokens)} tokens${s.kvCacheReplicated ? " (key/value cache replicated on every chip)" : ""}; ${s.fits ? "fits" : "does NOT fit"}`,
    `Largest batch: ${Number.isFinite(s.maxBatchPerReplica) ? formatInteger(s.maxBatchPerReplica) : "unbounded"} per replica, ${Number.isFinite(s.maxBatchDeployment) ? formatInteger(s.maxBatchDeployment) : "unbounded"} for the deployment`,
  ];
}

function energyLine(result: MeshPhaseResult): string {
  const e = result.energy;
  const measured = e.joulesPerTokenAtMeasuredPower === null ? "" : `; ${e.joulesPerTokenAtMeasuredPower.toPrecision(3)} J per token at the measured mean of ${e.measuredWattsPerChip} W`;
  const energy = e.joulesPerToken === null ? "no power in the profile" : `${e.joulesPerToken.toPrecision(3)} J per token, ${e.tokensPerJoule!.toPrecision(3)} tokens per J at ${e.wattsPerChip} W per chip${measured}`;
  const cost = e.dollarsPerMillionTokens === null ? "no price: give --price-per-hour" : `${money(e.dollarsPerMillionTokens)} per million tokens at ${money(e.dollarsPerChipHour!)} per chip-hour (${e.priceSource})`;
  return `Energy: ${energy}. Cost: ${cost}`;
}

function phaseText(result: MeshPhaseResult, chipName: string): string {
  const lines = [
    `== ${result.phase}: batch ${formatInteger(result.batch)} (${formatInteger(result.batchPerReplica)} per replica), ${formatInteger(result.tokens)} tokens`,
    `Time: ${formatSeconds(result.seconds)} (compute per chip ${formatSeconds(result.computeSeconds)}, communication ${formatSeconds(result.communicationSeconds)}, ${formatPercent(result.communicationShare)} of the no-overlap time)`,
    `  bounds: no overlap ${formatSeconds(result.noOverlapSeconds)}, full overlap ${formatSeconds(result.overlapSeconds)}; ${formatInteger(result.tokensPerSecond)} tokens/s`,
  ];
  const collectives = merged(result.collectives);
  if (collectives.length > 0) {
    lines.push("Collectives (share of the no-overlap time):");
    for (const c of collectives) lines.push(collectiveLine(c, result.noOverlapSeconds));
  } else lines.push("Collectives: none (one chip, or nothing to exchange in this phase)");
  lines.push(...memoryLines(result, chipName), energyLine(result));
  return lines.join("\n");
}

export function renderMeshAnalysis(analysis: MeshAnalysis): string {
  return [meshLine(analysis), ...analysis.notes.map((n) => `Note: ${n}`), "", ...analysis.phases.map((p) => phaseText(p, analysis.hardware.id) + "\n")].join("\n").trimEnd() + "\n";
}

const finite = (value: number) => (Number.isFinite(value) ? value : null);

export function meshDocument(analysis: MeshAnalysis) {
  return {
    schema: MESH_JSON_SCHEMA_ID,
    version: MESH_JSON_SCHEMA_VERSION,
    model: analysis.model.name,
    hardware: analysis.hardware.id,
    mesh: analysis.mesh,
    implementation: analysis.implementation,
    optimizer: analysis.optimizer,
    paramsPerChip: analysis.paramsPerChip,
    notes: analysis.notes,
    phases: analysis.phases.map((p) => ({
      phase: p.phase,
      batch: p.batch,
      batchPerReplica: p.batchPerReplica,
      tokens: p.tokens,
      seconds: p.seconds,
      computeSeconds: p.computeSeconds,
      communicationSeconds: p.communicationSeconds,
      noOverlapSeconds: p.noOverlapSeconds,
      overlapSeconds: p.overlapSeconds,
      communicationShare: p.communicationShare,
      tokensPerSecond: p.tokensPerSecond,
      collectives: p.collectives.map((c) => ({ ...c, share: p.noOverlapSeconds > 0 ? c.totalSeconds / p.noOverlapSeconds : 0 })),
      ...(p.servingMemory && { servingMemory: { ...p.servingMemory, maxBatchPerReplica: finite(p.servingMemory.maxBatchPerReplica), maxBatchDeployment: finite(p.servingMemory.maxBatchDeployment) } }),
      ...(p.trainingMemory && { trainingMemory: p.trainingMemory }),
      ...(p.wouldFit && { wouldFit: p.wouldFit }),
      ...(p.rematerialisation && { rematerialisation: p.rematerialisation }),
      energy: p.energy,
      perChip: { totals: p.perChip.totals, ops: p.perChip.ops.map(opRecord) },
    })),
  };
}
