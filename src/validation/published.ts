// The published measurements (shared/reference/measurements.csv) that the presets and profiles can
// express: FlashAttention-2's attention kernels (Dao 2023) as our attention core, and the best
// achievable matmuls (the "MAMF" table) as one linear layer. Everything else is listed with the
// reason it cannot be expressed.
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { attentionCore } from "../cost/attention-core.js";
import { DEFAULT_DTYPES } from "../cost/dtypes.js";
import { BACKWARD_FACTOR } from "../cost/flop-table.js";
import { linear } from "../cost/linear.js";
import type { OpCost, Pass } from "../cost/op.js";
import { InputError } from "../errors.js";
import { ceilingsFor } from "../hardware/ceilings.js";
import { loadProfile } from "../hardware/load.js";
import type { MatrixDtype } from "../hardware/schema.js";
import { timeOp } from "../roofline/time.js";
import { relativeError } from "./errors.js";

export interface PublishedComparison {
  line: number;
  source: string;
  hardware: string;
  profile: string;
  workload: string;
  shape: string;
  opClass: string;
  measuredSeconds: number;
  predictedSeconds: number;
  achievedFraction: number;
  error: number;
  note: string;
}

export interface PublishedSkip {
  line: number;
  workload: string;
  hardware: string;
  reason: string;
}

const PROFILE_OF: [RegExp, string][] = [
  [/^A100 80GB SXM4?$|^A100 SXM$/, "a100-80gb"],
  [/^H100 80GB SXM5$|^H100 SXM/, "h100-sxm"],
  [/^H200 SXM$/, "h200"],
  [/^B200 SXM$/, "b200"],
];

function pass(batch: number, tokens: number, causal: boolean, dtype: "bf16" | "fp16"): Pass {
  return {
    batch, newTokens: tokens, cachedTokens: 0, logits: "last", training: true, causal,
    dtypes: { ...DEFAULT_DTYPES, weights: dtype, activations: dtype, cache: dtype },
    attention: "flash", scan: "fused",
  };
}

/** The seconds a kernel took, from a row's metric. */
function measuredSeconds(row: Record<string, string>, flops: number): number | null {
  const value = Number(row.value);
  if (row.unit === "ms") return value * 1e-3;
  if (row.unit === "TFLOP/s") return flops / (value * 1e12);
  return null;
}

/** Why a row's workload cannot be expressed, or null when it can. */
function expressible(r: Record<string, string>): string | null {
  const workload = r.kernel_or_workload ?? "";
  if (/^FlashAttention-2 attention/.test(workload)) return r.heads && r.head_dim ? null : "attention head configuration not stated";
  if (/MAMF/.test(workload)) return /best MxNxK \d+x\d+x\d+/.test(r.other_shape ?? "") ? null : "matmul shape not stated";
  if (/Mamba|parallel scan/.test(workload)) return "Mamba's selective scan (16 states per channel) is not the RG-LRU; the cost model has no such op";
  if (/FlashAttention-2 causal/.test(workload)) return "attention head configuration not stated";
  if (/end-to-end GPT/.test(workload)) return "GPT-3 1.3B has a non-gated MLP, which the model schema cannot express, and ran data-parallel on 8 GPUs";
  return "not expressible with the presets and profiles";
}

export function comparePublished(file: string): { comparisons: PublishedComparison[]; skipped: PublishedSkip[] } {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  const rows = parse(fs.readFileSync(file, "utf8"), { columns: true, info: true, skip_empty_lines: true }) as { record: Record<string, string>; info: { lines: number } }[];
  const required = ["source", "hardware", "kernel_or_workload", "dtype", "batch", "seq_len", "heads", "head_dim", "other_shape", "metric", "value", "unit"];
  const missing = required.filter((c) => !(c in (rows[0]?.record ?? {})));
  if (missing.length > 0) throw new InputError(`${file}: missing columns: ${missing.join(", ")}`);
  const comparisons: PublishedComparison[] = [];
  const skipped: PublishedSkip[] = [];
  for (const { record: r, info } of rows) {
    const skip = (reason: string) => skipped.push({ line: info.lines, workload: r.kernel_or_workload!, hardware: r.hardware!, reason });
    const workloadReason = expressible(r);
    if (workloadReason !== null) {
      skip(workloadReason);
      continue;
    }
    const profileId = PROFILE_OF.find(([pattern]) => pattern.test(r.hardware!))?.[1];
    if (!profileId) {
      skip(`no bundled profile for ${r.hardware}`);
      continue;
    }
    const profile = loadProfile(profileId);
    const workload = r.kernel_or_workload!;
    const dtype = r.dtype === "fp16" ? "fp16" : "bf16";
    if (/^FlashAttention-2 attention/.test(workload) && r.heads && r.head_dim) {
      // FA2 counts 4·L²·hd·heads·batch FLOPs (halved when causal), ×2.5 for backward, ×3.5 for both.
      const batch = Number(r.batch), tokens = Number(r.seq_len), heads = Number(r.heads), headDim = Number(r.head_dim);
      const causal = !/non-causal/.test(workload);
      const direction = /fwd\+bwd/.test(workload) ? "fwd+bwd" : /bwd/.test(workload) ? "bwd" : "fwd";
      const paperFlops = (4 * tokens * tokens * headDim * heads * batch / (causal ? 2 : 1)) * { fwd: 1, bwd: 2.5, "fwd+bwd": 3.5 }[direction];
      const measured = measuredSeconds(r, paperFlops);
      if (measured === null) {
        skip(`metric ${r.metric} in ${r.unit} is not a time or a FLOP rate`);
        continue;
      }
      const forward = attentionCore("global-attention", { heads, headDim, kvHeads: heads, qkvBias: false, outputBias: false, ropeFraction: 0 }, 1, pass(batch, tokens, causal, dtype));
      const backward: OpCost = {
        ...forward,
        matrixFlops: forward.matrixFlops * BACKWARD_FACTOR.attentionFlops,
        vectorFlops: forward.vectorFlops * BACKWARD_FACTOR.vectorFlops,
        bytes: { ...forward.bytes, activations: forward.bytes.activations * BACKWARD_FACTOR.bytes },
      };
      const ceilings = ceilingsFor(profile, dtype as MatrixDtype);
      const seconds = (direction !== "bwd" ? timeOp(forward, ceilings).seconds : 0) + (direction !== "fwd" ? timeOp(backward, ceilings).seconds : 0);
      comparisons.push({
        line: info.lines, source: r.source!, hardware: r.hardware!, profile: profileId, workload,
        shape: `batch ${batch}, ${tokens} tokens, ${heads} heads × ${headDim}, ${causal ? "causal" : "non-causal"}, ${direction}`,
        opClass: "attention", measuredSeconds: measured, predictedSeconds: seconds,
        achievedFraction: seconds / measured, error: relativeError(seconds, measured),
        note: `time from the paper's FLOP count (${(paperFlops / 1e12).toPrecision(3)} TFLOP) and its rate`,
      });
      continue;
    }
    const mamf = /best MxNxK (\d+)x(\d+)x(\d+)/.exec(r.other_shape ?? "");
    if (/MAMF/.test(workload) && mamf) {
      const [m, n, k] = [Number(mamf[1]), Number(mamf[2]), Number(mamf[3])];
      const matrixDtype = /fp8/.test(r.dtype!) ? "fp8" : "bf16";
      if (!profile.compute.matrix.some((c) => c.dtype === matrixDtype)) {
        skip(`${profileId} has no ${matrixDtype} ceiling`);
        continue;
      }
      const op = linear({
        name: "matmul", block: "other", count: 1, tokens: m, inFeatures: k, outFeatures: n, bias: false,
        pass: { ...pass(1, m, true, "bf16"), dtypes: { ...DEFAULT_DTYPES, weights: matrixDtype, activations: matrixDtype === "fp8" ? "fp8" : "bf16" } },
      });
      const seconds = timeOp(op, ceilingsFor(profile, matrixDtype)).seconds;
      const measured = measuredSeconds(r, 2 * m * n * k)!;
      comparisons.push({
        line: info.lines, source: r.source!, hardware: r.hardware!, profile: profileId, workload,
        shape: `${m}×${n}×${k} ${matrixDtype}`, opClass: "matmul", measuredSeconds: measured, predictedSeconds: seconds,
        achievedFraction: seconds / measured, error: relativeError(seconds, measured), note: "best shape of a brute-force search",
      });
      continue;
    }
    skip("not expressible with the presets and profiles");
  }
  return { comparisons, skipped };
}
