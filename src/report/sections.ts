// The report's sections that follow from the numbers: summary, warnings, crossovers, op tables
// and assumptions, as HTML. The CLI writes them into the report and the page's explorer rebuilds
// them on every change (./explorer/), from the same code.
import type { Analysis, PhaseResult } from "../roofline/analyze.js";
import { formatBytes, formatFlopRate, formatFlops, formatInteger, formatIntensity, formatPercent, formatSeconds } from "../views/format.js";
import { memoryWarning, unfitNote } from "../views/memory-warning.js";
import { rooflinePoints } from "./charts/roofline.js";
import type { ReportData } from "./data.js";
import { escapeHtml as e } from "./escape.js";
import type { HarnessValidation } from "../validation/harness.js";

function opTable(phase: PhaseResult): string {
  const total = phase.totals.seconds;
  const row = (cells: string[]) => `<tr>${cells.join("")}</tr>`;
  const num = (text: string, value: number, key: string) => `<td class="n" data-${key}="${value}">${e(text)}</td>`;
  const rows = phase.ops.map((op) => row([
    `<td>${e(op.stage ? `${op.stage}: ${op.name}` : op.name)}</td>`, `<td>${e(op.block)}</td>`, `<td class="n">${op.count}</td>`,
    num(formatFlops(op.matrixFlops), op.matrixFlops, "matrix-flops"), num(formatFlops(op.vectorFlops), op.vectorFlops, "vector-flops"),
    num(formatBytes(op.bytesTotal), op.bytesTotal, "bytes"), num(formatIntensity(op.intensity), op.intensity, "intensity"),
    num(formatSeconds(op.seconds), op.seconds, "seconds"), `<td>${e(op.bound)}</td>`,
    `<td class="n">${formatPercent(total > 0 ? op.seconds / total : 0)}</td>`,
  ]));
  const t = phase.totals;
  rows.push(`<tr class="total">${[
    "<td>total</td><td></td><td></td>", num(formatFlops(t.matrixFlops), t.matrixFlops, "matrix-flops"),
    num(formatFlops(t.vectorFlops), t.vectorFlops, "vector-flops"), num(formatBytes(t.bytes), t.bytes, "bytes"),
    num(formatIntensity(t.intensity), t.intensity, "intensity"), num(formatSeconds(t.seconds), t.seconds, "seconds"),
    `<td>${e(t.bound)}</td><td class="n">100%</td>`,
  ].join("")}</tr>`);
  const head = ["op", "block", "×", "matrix FLOP", "vector FLOP", "bytes", "FLOP/B", "time", "bound", "share"]
    .map((h, i) => `<th${i >= 2 && i !== 8 ? ' class="n"' : ""}>${h}</th>`).join("");
  return `<table data-phase="${phase.phase}"><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** A phase's time; struck through, and saying why, when its batch does not fit in memory. */
function time(phase: PhaseResult, key: string): string {
  const note = unfitNote(phase).trim().replace(/^\((.*)\)$/, "$1");
  return `<td class="n${note ? " unfit" : ""}" data-${key}-seconds="${phase.totals.seconds}"${note ? ` title="${e(note)}"` : ""}>${formatSeconds(phase.totals.seconds)}${note ? " ✗" : ""}</td>`;
}

export function summaryTable(data: ReportData): string {
  const rows = data.chips.flatMap((chip) => chip.analyses.map((a) => {
    const [prefill, decode, generate] = a.phases as [PhaseResult, PhaseResult, PhaseResult];
    return `<tr data-chip="${e(chip.profile.id)}" data-model="${e(a.model.name)}"><td>${e(chip.profile.id)}</td><td>${e(a.model.name)}</td>` +
      `<td class="n">${formatInteger(a.params.total)}</td>` +
      time(prefill, "prefill") + `<td>${e(prefill.totals.bound)}</td>` + time(decode, "decode") + `<td>${e(decode.totals.bound)}</td>` + time(generate, "generate") +
      `<td class="n">${formatBytes(decode.memory.weightBytes)}</td><td class="n">${formatBytes(decode.memory.cacheBytesPerSequence)}</td>` +
      `<td class="n">${decode.memory.maxBatch === null ? "—" : formatInteger(decode.memory.maxBatch)}</td></tr>`;
  }));
  const s = data.scenario;
  return `<table><thead><tr><th>chip</th><th>model</th><th class="n">parameters</th><th class="n">prefill ${s.seqTokens}</th><th>bound</th>` +
    `<th class="n">decode step at ${s.contextTokens}</th><th>bound</th><th class="n">generate ${s.promptTokens} + ${s.newTokens}</th><th class="n">weights</th><th class="n">cache / sequence</th><th class="n">largest batch</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`;
}

export function assumptions(data: ReportData): string {
  const impl = data.implementation;
  const chips = data.chips.map((c) => {
    const g = c.profile.granularity;
    return `<li><b>${e(c.profile.id)}</b> — ${e(c.profile.name)}: figures per ${e(g.unit)}` +
      (g.coresPerChip > 1 ? ` (${g.coresPerChip} cores; a framework device is one ${e(g.frameworkDevice)})` : "") +
      `; matrix ceiling ${formatFlops(c.ceilings.matrixFlopsPerSecond)}/s (${e(c.ceilings.matrixDtype)}), vector ${formatFlops(c.ceilings.vectorFlopsPerSecond)}/s ` +
      `(${e(c.profile.compute.vector.flopsPerSecond.confidence)}), memory ${formatBytes(c.ceilings.memoryBytesPerSecond)}/s, ${formatBytes(c.ceilings.memoryCapacityBytes)}.` +
      (g.note ? ` <span class="note">${e(g.note)}</span>` : "") + `</li>`;
  });
  return `<ul>
<li>Data types: weights ${e(impl.dtypes.weights)}, activations ${e(impl.dtypes.activations)}, KV cache and Conv1D state ${e(impl.dtypes.cache)}, RG-LRU state ${e(impl.dtypes.state)}.</li>
<li>Attention: <b>${e(impl.attention)}</b> (${impl.attention === "flash" ? "only query-key pairs inside the causal mask or window are computed; scores stay on chip" : impl.denseScores === "activations" ? "the whole score matrix is computed, written and re-read in the activations' dtype, then masked (XLA's einsum attention)" : "the whole score matrix is computed, written and re-read in fp32, then masked, as the reference code does"}).</li>
<li>RG-LRU scan: <b>${e(impl.scan)}</b> (${impl.scan === "fused" ? "h stays on chip; a and the normalised input are read, the output written" : impl.scan === "naive" ? "h makes an HBM round trip every step" : "a parallel-prefix tree with fp32 intermediates in HBM"}).</li>
<li>Times are roofline bounds at the profiles' peak figures: no efficiency factor, no kernel launch or communication time. The latency charts' bands rise from that bound to the estimate (first-principles terms: achievable ceilings, GEMM shape, special-function units, causal blocks, launches and fusion of the backend mode; refined by the chip's published calibration where one ships; see README, "Published measurements"), or to the no-overlap bound with --no-calibration.</li>
<li>Prefill computes logits for the last token of each sequence; generation's first token comes from the prefill, each further token is one decode step at its own context length.</li>
${chips.join("\n")}
</ul>`;
}

export function validationBody(v: HarnessValidation): string {
  const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : "—");
  const rows = [...Object.entries(v.summary.byClass), ["all", v.summary.overall] as const].map(([name, s]) =>
    `<tr><td>${e(name)}</td><td class="n">${s.count}</td><td class="n">${pct(s.medianAbsoluteError)}</td><td class="n">${pct(s.meanAbsoluteError)}</td>` +
    `<td class="n">${s.worst ? `${(s.worst.error * 100).toFixed(0)}%` : "—"}</td><td class="n">${pct(s.within10)}</td><td class="n">${pct(s.within25)}</td></tr>`);
  const flagged = v.kernels.filter((k) => k.fasterThanRoofline);
  return `<p class="note">${v.kernels.length} measured kernels on ${e(v.hardware)}, each joined with the prediction for its shape. Error = (roofline − measured) / measured; ` +
    `the roofline is a lower bound, so errors are negative unless something is miscounted. Measured kernels also appear on the first chip's roofline as squares.</p>` +
    `<table><thead><tr><th>op class</th><th class="n">kernels</th><th class="n">median |error|</th><th class="n">MAPE</th><th class="n">worst</th><th class="n">within ±10%</th><th class="n">within ±25%</th></tr></thead><tbody>${rows.join("")}</tbody></table>` +
    (flagged.length ? `<ul>${flagged.map((k) => `<li class="warning">${e(k.id)} ran faster than its roofline (${formatSeconds(k.measuredSeconds)} &lt; ${formatSeconds(k.predictedSeconds)}): a counting, unit or profile error.</li>`).join("")}</ul>` : "");
}


/** Points above their roof: a counting, unit or profile error. */
export function roofWarnings(data: ReportData): string[] {
  return data.chips.flatMap((chip) => chip.analyses.flatMap((analysis) =>
    rooflinePoints(analysis, chip).filter((p) => p.aboveRoof).map((p) =>
      `${analysis.model.name} on ${chip.profile.id}: ${p.op} (${p.phase}) attains ${formatFlopRate(p.flopsPerSecond)}, above its roof of ${formatFlopRate(p.roofFlopsPerSecond)}`)));
}

/** Batches that do not fit in memory beside the weights. */
export function memoryWarnings(data: ReportData): string[] {
  return data.chips.flatMap((chip) => chip.analyses.flatMap((analysis) => analysis.phases.flatMap((phase) => {
    const warning = memoryWarning(phase);
    return warning ? [`${analysis.model.name} on ${chip.profile.id}, ${phase.phase}: ${warning}`] : [];
  })));
}

const warningList = (warnings: readonly string[]) => `<ul>${warnings.map((w) => `<li class="warning">${e(w)}</li>`).join("")}</ul>`;

/** The HTML of every section body that follows from the numbers, by name. */
export interface SectionBodies {
  summary: string;
  "roofline-notes": string;
  crossovers: string;
  "op-tables": string;
  assumptions: string;
}

export function sectionBodies(data: ReportData): SectionBodies {
  const memory = memoryWarnings(data);
  const roofs = roofWarnings(data);
  const crossovers = data.crossovers.map((x) =>
    `<li>${e(x.chip)}, ${e(x.metric)}: <b>${e(x.faster)}</b> is faster than ${e(x.slower)} beyond about ${formatInteger(x.tokens)} tokens (${formatSeconds(x.seconds)}).</li>`);
  const tables = data.chips.flatMap((chip) => chip.analyses.map((a: Analysis) =>
    `<details data-chip="${e(chip.profile.id)}" data-model="${e(a.model.name)}"><summary>${e(a.model.name)} on ${e(chip.profile.id)}</summary>` +
    a.phases.filter((p) => (data.phases as readonly string[]).includes(p.phase)).map((p) => `<h3>${e(p.phase)}</h3>${memoryWarning(p) ? `<p class="warning">${e(memoryWarning(p)!)}: these times are for a batch that cannot run.</p>` : ""}${opTable(p)}`).join("") + `</details>`));
  return {
    summary: (memory.length ? warningList(memory) : "") + summaryTable(data),
    "roofline-notes": roofs.length ? warningList(roofs) : `<p class="note">No point lies above its roof.</p>`,
    crossovers: crossovers.length ? `<ul>${crossovers.join("")}</ul>` : `<p class="note">No crossover in the range shown.</p>`,
    "op-tables": tables.join("\n"),
    assumptions: assumptions(data),
  };
}
