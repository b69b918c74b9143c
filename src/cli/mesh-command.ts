// `roofline --model M --hw H --chips N --tp T …`: the analysis on a mesh of chips, as text or JSON.
// Loaded only when a mesh flag is given, so the single-chip analysis pays nothing for it.
import { DTYPES, type Dtype } from "../cost/dtypes.js";
import { InputError } from "../errors.js";
import { loadProfile } from "../hardware/load.js";
import { loadModel } from "../models/load.js";
import { analyzeMesh } from "../parallel/mesh-analysis.js";
import { meshFrom, type MeshInput } from "../parallel/mesh.js";
import { DEFAULT_OPTIMIZER_DTYPES, type OptimizerDtypes } from "../parallel/training-memory.js";
import { pricePerHourFrom } from "./price.js";
import type { AnalyzeFlags } from "./analyze-command.js";
import type { MeshFlags } from "./mesh-flags.js";
import type { Mesh } from "../parallel/mesh.js";
import { implementationFrom, listOf, parsePhases, positiveInteger, scenarioFrom } from "./options.js";

function zeroStage(value: unknown): number {
  const text = String(value);
  if (!/^[0-3]$/.test(text)) throw new InputError(`--zero: expected 0, 1, 2 or 3, got "${text}"`);
  return Number(text);
}

async function meshInput(flags: MeshFlags): Promise<MeshInput> {
  const given = (["chips", "tp", "dp", "sequenceParallel", "zero", "overlap"] as const).filter((name) => flags[name] !== undefined);
  if (flags.mesh !== undefined) {
    if (given.length > 0) throw new InputError(`--mesh ${String(flags.mesh)}: give the mesh in the file or as flags, not both (also given: ${given.join(", ")})`);
    const { readMeshFile } = await import("../parallel/mesh-file.js");
    return readMeshFile(String(flags.mesh));
  }
  return {
    ...(flags.chips !== undefined && { chips: positiveInteger("chips", flags.chips) }),
    ...(flags.tp !== undefined && { tensor: positiveInteger("tp", flags.tp) }),
    ...(flags.dp !== undefined && { data: positiveInteger("dp", flags.dp) }),
    ...(flags.sequenceParallel !== undefined && { sequenceParallel: Boolean(flags.sequenceParallel) }),
    ...(flags.zero !== undefined && { zero: zeroStage(flags.zero) }),
    ...(flags.overlap !== undefined && { overlap: Boolean(flags.overlap) }),
  };
}

function dtypeFlag(flag: string, value: unknown, fallback: Dtype): Dtype {
  if (value === undefined) return fallback;
  if (!(DTYPES as readonly string[]).includes(String(value))) throw new InputError(`--${flag}: unknown dtype "${String(value)}"; choose one of ${DTYPES.join(", ")}`);
  return value as Dtype;
}

export function optimizerFrom(flags: MeshFlags): OptimizerDtypes {
  const master = flags.masterDtype === "none" ? "none" : dtypeFlag("master-dtype", flags.masterDtype, DEFAULT_OPTIMIZER_DTYPES.master as Dtype);
  return {
    gradients: dtypeFlag("grad-dtype", flags.gradDtype, DEFAULT_OPTIMIZER_DTYPES.gradients),
    master,
    moments: dtypeFlag("moment-dtype", flags.momentDtype, DEFAULT_OPTIMIZER_DTYPES.moments),
  };
}

/** The mesh the flags or the mesh file give. */
export async function meshOf(flags: MeshFlags): Promise<Mesh> {
  return meshFrom(await meshInput(flags), flags.mesh !== undefined ? `--mesh ${String(flags.mesh)}` : "mesh");
}

/** The estimate (a calibration, a backend's launch costs) is made for one chip; a mesh gives bounds. */
export function refuseEstimateFlags(flags: { calibration?: unknown; backend?: unknown }): void {
  if (typeof flags.calibration === "string") throw new InputError("--calibration: the analysis on many chips gives roofline bounds only; run without the mesh flags for a calibrated estimate");
  if (flags.backend !== undefined) throw new InputError("--backend: the analysis on many chips gives roofline bounds only; run without the mesh flags for an estimate with launch costs");
}

export async function runMeshAnalyze(flags: AnalyzeFlags): Promise<string> {
  const mesh = await meshOf(flags);
  if (flags.csv) throw new InputError("--csv lists one chip's ops; with a mesh use --json, whose perChip.ops hold them");
  refuseEstimateFlags(flags);
  const spec = loadModel(flags.model, listOf(flags.set));
  const profile = loadProfile(flags.hw);
  const phases = parsePhases(flags.phase, ["prefill", "decode"]);
  const analysis = analyzeMesh(spec, profile, phases, scenarioFrom(flags), implementationFrom(flags), {
    mesh, optimizer: optimizerFrom(flags), ...(flags.pricePerHour !== undefined && { pricePerChipHour: pricePerHourFrom(flags.pricePerHour)! }),
  });
  const { meshDocument, renderMeshAnalysis } = await import("../views/mesh.js");
  if (flags.json) {
    const { toJson } = await import("../views/json.js");
    return toJson(meshDocument(analysis));
  }
  return renderMeshAnalysis(analysis);
}
