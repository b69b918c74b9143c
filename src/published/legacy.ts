// Converting the first published-timings table (shared/reference/measurements.csv: free-text
// workloads, one source column per figure) into the published format, row by row. Every row
// converts: what the old table leaves unstated stays empty, and `roofline validate` then gives
// the reason it cannot be expressed.
import { PUBLISHED_COLUMNS, PUBLISHED_FORMAT_VERSION } from "./schema.js";

export type PublishedRecord = Record<(typeof PUBLISHED_COLUMNS)[number], string>;

interface LegacySource {
  sourceId: string;
  citation: string;
}

const SOURCES: [RegExp, LegacySource][] = [
  [/FlashAttention-2 arXiv:2307\.08691/, {
    sourceId: "dao2023-flashattention2",
    citation: "Dao 2023, FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning, arXiv:2307.08691",
  }],
  [/Mamba arXiv:2312\.00752/, {
    sourceId: "gu2023-mamba",
    citation: "Gu & Dao 2023, Mamba: Linear-Time Sequence Modeling with Selective State Spaces, arXiv:2312.00752",
  }],
  [/ml-engineering/, {
    sourceId: "bekman-ml-engineering",
    citation: "Bekman, Machine Learning Engineering Open Book, github.com/stas00/ml-engineering @744d01e",
  }],
];

const empty = (): PublishedRecord => Object.fromEntries(PUBLISHED_COLUMNS.map((c) => [c, ""])) as PublishedRecord;

/** "Dao 2023 … Fig.4a (bar label)" → "Fig. 4a"; "… Table 1" → "Table 1". */
function locatorOf(source: string): string {
  const figure = /Fig\.\s*(\w+)( left| right)?/.exec(source);
  if (figure) return `Fig. ${figure[1]}${figure[2] ?? ""}`;
  const table = /Table (\d+)/.exec(source);
  if (table) return `Table ${table[1]}`;
  return /MAMF table/.test(source) ? "compute/accelerator/README.md, MAMF table" : source;
}

/** One row of the old table in the published format. */
export function convertLegacyRow(r: Record<string, string>): PublishedRecord {
  const source = r.source ?? "";
  const known = SOURCES.find(([pattern]) => pattern.test(source))?.[1];
  if (!known) throw new Error(`no published source is known for "${source}"`);
  const out = empty();
  const workload = r.kernel_or_workload ?? "";
  out.format_version = PUBLISHED_FORMAT_VERSION;
  out.source_id = known.sourceId;
  out.citation = known.citation;
  out.locator = locatorOf(source);
  out.reading = /bar label/.test(source) ? "bar-label" : /plot/.test(source) ? "plot-digitized" : "table";
  // Bar labels are whole TFLOP/s (±0.5 of 100–300), digitized plot points about ±2% (the old
  // table's note), table cells to their last printed digit.
  out.uncertainty = out.reading === "bar-label" ? "0.005" : out.reading === "plot-digitized" ? "0.02" : "0.001";
  const hardware = r.hardware ?? "";
  const chips = /^(\d+)x (.*)$/.exec(hardware);
  const power = /^(.*) \((\d+) W\)$/.exec(hardware);
  out.hardware = chips ? chips[2]! : power ? power[1]! : hardware;
  out.chips = chips ? chips[1]! : "1";
  if (power) out.power_watts = power[2]!;
  // "H100 SXM (H200 same)": the MAMF table's row for both; measured on an H100 SXM.
  if (/^H100 SXM \(H200 same\)$/.test(hardware)) out.hw = "h100-sxm";
  // "fp8 e4m3" → fp8 (the format's e4m3 is in the notes); "bf16/fp16 mixed" states no one dtype.
  out.dtype = /^(bf16|fp16|fp8)( e4m3| e5m2)?$/.exec(r.dtype ?? "")?.[1] ?? "";
  out.batch = r.batch ?? "";
  out.notes = [r.other_shape, r.notes, /e4m3|e5m2/.test(r.dtype ?? "") ? r.dtype : ""].filter(Boolean).join("; ");

  if (/^FlashAttention-2 attention/.test(workload)) {
    out.workload = "attention-core";
    out.implementation = "flash2";
    out.pass = /fwd\+bwd/.test(workload) ? "forward+backward" : /bwd/.test(workload) ? "backward" : "forward";
    out.causal = /non-causal/.test(workload) ? "false" : "true";
    out.seq = out.context = r.seq_len ?? "";
    out.heads = out.kv_heads = r.heads ?? "";
    out.head_dim = r.head_dim ?? "";
    out.metric = "TFLOP/s";
    out.flop_convention = "fa";
  } else if (/^end-to-end GPT training step/.test(workload)) {
    out.workload = "train-step";
    out.model = /GPT3-[\d.]+B/.exec(workload)?.[0] ?? "";
    out.implementation = /FlashAttention-2$/.test(workload) ? "flash2" : /no FlashAttention/.test(workload) ? "dense-attention" : "flash1";
    out.seq = r.seq_len ?? "";
    out.metric = "TFLOP/s";
    out.flop_convention = "source";
    out.notes = `${out.notes}; per GPU; mixed precision (bf16/fp16)`;
  } else if (/Mamba fused selective scan|parallel scan/.test(workload)) {
    out.workload = "scan";
    out.implementation = /fused/.test(workload) ? "mamba-fused" : "torch-eager";
    out.seq = r.seq_len ?? "";
  } else if (/^FlashAttention-2 causal/.test(workload)) {
    out.workload = "attention-core";
    out.implementation = "flash2";
    out.causal = "true";
    out.seq = out.context = r.seq_len ?? "";
  } else if (/MAMF/.test(workload)) {
    const shape = /best MxNxK (\d+)x(\d+)x(\d+)/.exec(r.other_shape ?? "");
    out.workload = "linear";
    out.implementation = "cublas";
    if (shape) [out.m, out.n, out.k] = [shape[1]!, shape[2]!, shape[3]!];
    out.metric = "TFLOP/s";
    out.flop_convention = "2mnk";
  } else {
    throw new Error(`no conversion for the workload "${workload}"`);
  }
  if (r.unit === "ms") {
    out.metric = "seconds";
    out.value = String(Number(r.value) / 1e3);
  } else {
    out.value = r.value ?? "";
  }
  return out;
}
