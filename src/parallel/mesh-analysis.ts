// One model on a mesh of chips, phase by phase: what each chip computes (the cost model of the
// model one chip of a tensor group runs, src/parallel/mesh.ts, at the replica's share of the
// batch), the collectives between chips, the time with and without overlap, memory per chip,
// energy and cost per token.
import { ceilingsFor, type Ceilings } from "../hardware/ceilings.js";
import type { HardwareProfile } from "../hardware/schema.js";
import { InputError } from "../errors.js";
import { cacheBytesPerSequence, maxBatch, weightBytes } from "../cost/memory.js";
import type { Implementation } from "../cost/phases.js";
import { countParams } from "../models/params.js";
import type { ModelSpec } from "../models/schema.js";
import { analyzePhase, matrixDtypeOf, type Phase, type PhaseResult, type Scenario } from "../roofline/analyze.js";
import { timeCosts, totalsOf, type TimedOp } from "../roofline/time.js";
import { collective, pathFor, type CollectiveRecord, type CollectiveRequest } from "./collectives.js";
import { logitCollectives, tensorCollectives, trainingCollectives } from "./communication.js";
import { energyAndCost, type EnergyAndCost } from "./energy.js";
import { kvReplicated, shardSpec, vocabSplits, type Mesh } from "./mesh.js";
import { trainingMemory, type OptimizerDtypes, type TrainingMemory } from "./training-memory.js";

export interface ServingMemoryPerChip {
  capacityBytesPerChip: number;
  weightBytes: number;
  cacheTokens: number;
  cacheBytesPerSequence: number;
  /** Whether each chip holds the whole key/value cache (one KV head that cannot split). */
  kvCacheReplicated: boolean;
  /** Sequences per replica that fit on each of its chips; × data replicas for the deployment. */
  maxBatchPerReplica: number;
  maxBatchDeployment: number;
  fits: boolean;
}

export interface MeshPhaseResult {
  phase: Phase;
  /** The whole batch over every replica, and each replica's share. */
  batch: number;
  batchPerReplica: number;
  /** What each chip computes: the single-chip analysis of its shard. */
  perChip: PhaseResult;
  collectives: CollectiveRecord[];
  computeSeconds: number;
  communicationSeconds: number;
  /** compute + communication: nothing overlaps. */
  noOverlapSeconds: number;
  /** max(compute, communication): communication fully hidden behind compute, or the reverse. */
  overlapSeconds: number;
  /** The headline: one of the two, as --overlap chose. */
  seconds: number;
  communicationShare: number;
  /** Tokens the phase produces or consumes across the mesh (prefill and train: batch × seq; decode: batch; generate: batch × new). */
  tokens: number;
  tokensPerSecond: number;
  servingMemory?: ServingMemoryPerChip;
  trainingMemory?: TrainingMemory;
  /** Train: memory per chip and step time without and with rematerialisation. */
  rematerialisation?: { withoutBytes: number; withBytes: number; withoutSeconds: number; withSeconds: number };
  /** Ways out when training does not fit, the first that works of each kind. */
  wouldFit?: string[];
  energy: EnergyAndCost;
}

export interface MeshAnalysis {
  model: ModelSpec;
  shard: ModelSpec;
  hardware: HardwareProfile;
  mesh: Mesh;
  implementation: Implementation;
  optimizer: OptimizerDtypes;
  /** Parameters each chip of a tensor group holds (before ZeRO). */
  paramsPerChip: number;
  /** The assumptions a reader must know: memory pools, replicated heads. */
  notes: string[];
  phases: MeshPhaseResult[];
}

export interface MeshOptions {
  mesh: Mesh;
  optimizer: OptimizerDtypes;
  /** US dollars per chip-hour, overriding the profile's default. */
  pricePerChipHour?: number;
  /** The chip's ceilings when not the profile's (a published point at a fixed clock). */
  ceilings?: Ceilings;
}

/** Norms and residual adds run on T-th of the tokens under sequence parallelism. */
function withSequenceParallelism(ops: TimedOp[], tensor: number, ceilings: Ceilings): TimedOp[] {
  return ops.map((op) => {
    if (op.kernel !== "rmsnorm" && op.kernel !== "residual-add") return op;
    const b = op.bytes;
    const bytes = { weights: b.weights, activations: b.activations / tensor, kvCache: b.kvCache / tensor, state: b.state / tensor };
    return timeCosts(op, op.matrixFlops / tensor, op.vectorFlops / tensor, bytes, op.shape, ceilings);
  });
}

function tokensOf(phase: Phase, scenario: Scenario): number {
  switch (phase) {
    case "prefill": case "train": return scenario.batch * scenario.seqTokens;
    case "decode": return scenario.batch;
    case "generate": return scenario.batch * scenario.newTokens;
  }
}

function collectiveRequests(spec: ModelSpec, shard: ModelSpec, phase: Phase, scenario: Scenario, perReplica: number, perChip: PhaseResult, options: MeshOptions, impl: Implementation): CollectiveRequest[] {
  const { mesh } = options;
  switch (phase) {
    case "prefill": return [...tensorCollectives(spec, mesh, perReplica * scenario.seqTokens, impl, "forward", 1), ...logitCollectives(spec, mesh, perReplica, impl, 1)];
    case "decode": return [...tensorCollectives(spec, mesh, perReplica, impl, "forward", 1), ...logitCollectives(spec, mesh, perReplica, impl, 1)];
    case "generate": {
      const steps = perChip.generate?.decodeSteps ?? 0;
      return [
        ...tensorCollectives(spec, mesh, perReplica * scenario.promptTokens, impl, "forward", 1, "prefill"),
        ...logitCollectives(spec, mesh, perReplica, impl, 1, "prefill"),
        ...(steps > 0 ? [...tensorCollectives(spec, mesh, perReplica, impl, "forward", steps, "decode"), ...logitCollectives(spec, mesh, perReplica, impl, steps, "decode")] : []),
      ];
    }
    case "train": return trainingCollectives(spec, shard, mesh, perReplica * scenario.seqTokens, impl, scenario.rematerialise, options.optimizer);
  }
}

/** The ways a training step that does not fit could: remat, a higher ZeRO stage, more chips. */
function waysToFit(spec: ModelSpec, shard: ModelSpec, scenario: Scenario, impl: Implementation, options: MeshOptions, capacity: number, perReplica: number): string[] {
  const { mesh } = options;
  const memoryWith = (m: Mesh, remat: boolean, sequences: number) =>
    trainingMemory(spec, shard, m, impl, options.optimizer, sequences, scenario.seqTokens, remat, capacity);
  const ways: string[] = [];
  if (!scenario.rematerialise && memoryWith(mesh, true, perReplica).fits) ways.push("--remat (recompute each block in the backward pass)");
  for (const zero of [1, 2, 3] as const) {
    if (zero > mesh.zero && mesh.data > 1 && memoryWith({ ...mesh, zero }, scenario.rematerialise, perReplica).fits) {
      ways.push(`--zero ${zero}`);
      break;
    }
  }
  // More replicas, each with a smaller share of the batch, ZeRO 3 and remat: the fewest chips that fit.
  // The batch grows to one sequence per replica where it is smaller than the replicas.
  for (let data = mesh.data * 2; data <= mesh.data * 2 ** 16; data *= 2) {
    const grown = { ...mesh, data, chips: mesh.tensor * data, zero: 3 as const };
    const batch = Math.ceil(scenario.batch / data) * data;
    if (memoryWith(grown, true, batch / data).fits) {
      ways.push(`--chips ${grown.chips} --tp ${mesh.tensor} --dp ${data} --zero 3 --remat${batch !== scenario.batch ? ` --batch ${batch}` : ""}`);
      break;
    }
  }
  if (ways.length === 0) ways.push("none found up to 65,536 data replicas: split the layers over more chips (--tp) or use narrower dtypes");
  return ways;
}

function servingMemoryOf(spec: ModelSpec, shard: ModelSpec, mesh: Mesh, impl: Implementation, capacity: number, tokens: number, perReplica: number): ServingMemoryPerChip {
  const weights = weightBytes(shard, impl.dtypes);
  const cache = cacheBytesPerSequence(shard, tokens, impl.dtypes).total;
  const largest = maxBatch(capacity, weights, cache);
  return {
    capacityBytesPerChip: capacity, weightBytes: weights, cacheTokens: tokens, cacheBytesPerSequence: cache,
    kvCacheReplicated: kvReplicated(spec, mesh.tensor),
    maxBatchPerReplica: largest, maxBatchDeployment: largest * mesh.data,
    fits: perReplica <= largest,
  };
}

function memoryNotes(profile: HardwareProfile, capacity: number): string[] {
  const g = profile.granularity;
  if (g.frameworkDevice === "core" && g.coresPerChip > 1) {
    return [`${profile.id}: memory is counted per chip, ${(capacity / 2 ** 30).toFixed(0)} GiB as one pool; each of its ${g.coresPerChip} TensorCores is its own device with 1/${g.coresPerChip} of it, so an array larger than one core's share does not place as counted here`];
  }
  return [];
}

export function analyzeMesh(spec: ModelSpec, profile: HardwareProfile, phases: readonly Phase[], scenario: Scenario, impl: Implementation, options: MeshOptions): MeshAnalysis {
  const { mesh } = options;
  if (scenario.batch % mesh.data !== 0) {
    throw new InputError(`--batch ${scenario.batch} does not split over --dp ${mesh.data} replicas: give a multiple of ${mesh.data}`);
  }
  const shard = shardSpec(spec, mesh.tensor);
  const ceilings = options.ceilings ?? ceilingsFor(profile, matrixDtypeOf(impl));
  const capacity = ceilings.memoryCapacityBytes;
  const perReplica = scenario.batch / mesh.data;
  // A path only where its axis has more than one chip: one chip needs no link at all.
  const tensorPath = mesh.tensor > 1 ? pathFor(profile, mesh.tensor, mesh.tensor) : undefined;
  const dataPath = mesh.data > 1 ? pathFor(profile, mesh.data, mesh.chips) : undefined;
  const notes = ["times are roofline bounds per chip plus the α–β time of the collectives (no calibrated estimate on a mesh)", ...memoryNotes(profile, capacity)];
  if (kvReplicated(spec, mesh.tensor)) {
    const att = spec.attention!;
    notes.push(`${att.kvHeads === 1 ? "the single key/value head" : `the ${att.kvHeads} key/value heads`} cannot split over ${mesh.tensor} chips: every chip computes the k and v projections (2·D·K·hd = ${(2 * spec.width * att.kvHeads * att.headDim).toLocaleString("en-US")} weights per layer) and holds the whole key/value cache`);
  }
  if (mesh.tensor > 1) {
    notes.push(vocabSplits(spec, mesh.tensor)
      ? `the vocabulary splits over the ${mesh.tensor} chips (vocab-parallel embedding and LM head, ${(spec.vocabSize / mesh.tensor).toLocaleString("en-US")} rows each)`
      : `the vocabulary of ${spec.vocabSize} is not a multiple of ${mesh.tensor}: embedding and LM head are kept whole on every chip`);
  }
  if (tensorPath) notes.push(`tensor axis: ${tensorPath.link}, ${tensorPath.note}`);
  if (dataPath) notes.push(`data axis: ${dataPath.link}, ${dataPath.note}`);

  const evaluate = (phase: Phase, scenario: Scenario): MeshPhaseResult => {
    const local = analyzePhase(shard, phase, { ...scenario, batch: perReplica }, impl, ceilings);
    const ops = mesh.sequenceParallel && mesh.tensor > 1 ? withSequenceParallelism(local.ops, mesh.tensor, ceilings) : local.ops;
    const perChip: PhaseResult = { ...local, ops, totals: totalsOf(ops) };
    const collectives = collectiveRequests(spec, shard, phase, scenario, perReplica, perChip, options, impl).map((request) =>
      request.axis === "tensor" ? collective(request, mesh.tensor, tensorPath!) : collective(request, mesh.data, dataPath!),
    );
    const computeSeconds = perChip.totals.seconds;
    const communicationSeconds = collectives.reduce((sum, c) => sum + c.totalSeconds, 0);
    const noOverlapSeconds = computeSeconds + communicationSeconds;
    const overlapSeconds = Math.max(computeSeconds, communicationSeconds);
    const seconds = mesh.overlap ? overlapSeconds : noOverlapSeconds;
    const tokens = tokensOf(phase, scenario);
    const result: MeshPhaseResult = {
      phase, batch: scenario.batch, batchPerReplica: perReplica, perChip, collectives,
      computeSeconds, communicationSeconds, noOverlapSeconds, overlapSeconds, seconds,
      communicationShare: noOverlapSeconds > 0 ? communicationSeconds / noOverlapSeconds : 0,
      tokens, tokensPerSecond: seconds > 0 ? tokens / seconds : 0,
      energy: energyAndCost(profile, mesh.chips, seconds, tokens, options.pricePerChipHour),
    };
    if (phase === "train") {
      result.trainingMemory = trainingMemory(spec, shard, mesh, impl, options.optimizer, perReplica, scenario.seqTokens, scenario.rematerialise, capacity);
      if (!result.trainingMemory.fits) result.wouldFit = waysToFit(spec, shard, scenario, impl, options, capacity, perReplica);
    } else {
      const cacheTokens = phase === "prefill" ? scenario.seqTokens : phase === "decode" ? scenario.contextTokens : scenario.promptTokens + scenario.newTokens;
      result.servingMemory = servingMemoryOf(spec, shard, mesh, impl, capacity, cacheTokens, perReplica);
    }
    return result;
  };
  return {
    model: spec, shard, hardware: profile, mesh, implementation: impl, optimizer: options.optimizer,
    paramsPerChip: countParams(shard).total, notes,
    phases: phases.map((phase) => {
      const result = evaluate(phase, scenario);
      if (phase !== "train") return result;
      // Rematerialisation buys memory with time: the step the other way, for both to be shown.
      const other = evaluate(phase, { ...scenario, rematerialise: !scenario.rematerialise });
      const [without, withRemat] = scenario.rematerialise ? [other, result] : [result, other];
      result.rematerialisation = {
        withoutBytes: without.trainingMemory!.totalBytes, withBytes: withRemat.trainingMemory!.totalBytes,
        withoutSeconds: without.seconds, withSeconds: withRemat.seconds,
      };
      return result;
    }),
  };
}

