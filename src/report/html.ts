// The self-contained HTML report: static SVGs rendered in Node (readable without JavaScript),
// replaced by interactive views (tooltips, zoom) from the inlined vega runtime. No network request.
import type { Analysis, PhaseResult } from "../roofline/analyze.js";
import { formatBytes, formatFlops, formatInteger, formatIntensity, formatPercent, formatSeconds } from "../views/format.js";
import type { Chart } from "./charts/index.js";
import type { ReportData } from "./data.js";
import { escapeHtml as e, jsonForScript, scriptForInline } from "./escape.js";
import { METRIC_DEFINITIONS } from "./definitions.js";
import { buildSource, RUNTIME_BUILDS } from "./library-builds.js";
import type { HarnessValidation } from "../validation/harness.js";

/** vega, vega-lite and vega-embed, in the order they must load. */
export function runtimeScripts(): string[] {
  return RUNTIME_BUILDS.map((build) => buildSource(build.packageName));
}

const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1500px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.8rem; margin: 0.5rem 0 1rem; }
th, td { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 1px solid #999; }
figure { margin: 0; overflow-x: auto; } .note { color: #555; font-size: 0.85rem; }
.warning { color: #b00; font-weight: bold; } details { margin: 0.3rem 0; } dt { font-weight: bold; margin-top: 0.5rem; }
`;

const BOOTSTRAP = `
(function () {
  var state = { views: {}, ready: false, errors: [] };
  window.__roofline = state;
  var specs = Array.prototype.slice.call(document.querySelectorAll('script[type="application/json"][data-spec-for]'));
  Promise.all(specs.map(function (el) {
    var id = el.getAttribute('data-spec-for');
    return vegaEmbed('#' + id, JSON.parse(el.textContent), { renderer: 'svg', actions: false })
      .then(function (result) { state.views[id] = result.view; });
  })).then(function () {
    state.ready = true;
    document.documentElement.setAttribute('data-charts-ready', 'true');
  }).catch(function (error) {
    state.errors.push(String(error));
    console.error(error);
  });
})();
`;

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

function summaryTable(data: ReportData): string {
  const rows = data.chips.flatMap((chip) => chip.analyses.map((a) => {
    const [prefill, decode] = a.phases as [PhaseResult, PhaseResult];
    return `<tr data-chip="${e(chip.profile.id)}" data-model="${e(a.model.name)}"><td>${e(chip.profile.id)}</td><td>${e(a.model.name)}</td>` +
      `<td class="n">${formatInteger(a.params.total)}</td>` +
      `<td class="n" data-prefill-seconds="${prefill.totals.seconds}">${formatSeconds(prefill.totals.seconds)}</td><td>${e(prefill.totals.bound)}</td>` +
      `<td class="n" data-decode-seconds="${decode.totals.seconds}">${formatSeconds(decode.totals.seconds)}</td><td>${e(decode.totals.bound)}</td>` +
      `<td class="n">${formatBytes(decode.memory.weightBytes)}</td><td class="n">${formatBytes(decode.memory.cacheBytesPerSequence)}</td>` +
      `<td class="n">${decode.memory.maxBatch === null ? "—" : formatInteger(decode.memory.maxBatch)}</td></tr>`;
  }));
  const s = data.scenario;
  return `<table><thead><tr><th>chip</th><th>model</th><th class="n">parameters</th><th class="n">prefill ${s.seqTokens}</th><th>bound</th>` +
    `<th class="n">decode step at ${s.contextTokens}</th><th>bound</th><th class="n">weights</th><th class="n">cache / sequence</th><th class="n">largest batch</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`;
}

function assumptions(data: ReportData): string {
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

function validationBody(v: HarnessValidation): string {
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

export interface HtmlChart extends Chart {
  svg: string;
}

/** `warnings`: points above their roof; `memoryWarnings`: batches that do not fit in memory. */
export function reportHtml(data: ReportData, charts: HtmlChart[], version: string, warnings: string[], memoryWarnings: string[] = []): string {
  const title = `${data.models.map((m) => m.name).join(" vs ")} on ${data.chips.map((c) => c.profile.id).join(", ")}`;
  // A chart left out with --chart leaves its section's text without a figure.
  const figure = (chart: HtmlChart | undefined) => !chart ? "" :
    `<figure data-chart="${chart.name}"><div id="chart-${chart.name}" class="chart">${chart.svg}</div></figure>\n` +
    `<script type="application/json" data-spec-for="chart-${chart.name}">${jsonForScript(chart.spec)}</script>`;
  const byName = (name: string) => charts.find((c) => c.name === name);
  const section = (id: string, heading: string, body: string) => `<section id="${id}"><h2>${heading}</h2>\n${body}\n</section>`;
  const crossovers = data.crossovers.map((x) =>
    `<li>${e(x.chip)}, ${e(x.metric)}: <b>${e(x.faster)}</b> is faster than ${e(x.slower)} beyond about ${formatInteger(x.tokens)} tokens (${formatSeconds(x.seconds)}).</li>`);
  const tables = data.chips.flatMap((chip) => chip.analyses.map((a: Analysis) =>
    `<details data-chip="${e(chip.profile.id)}" data-model="${e(a.model.name)}"><summary>${e(a.model.name)} on ${e(chip.profile.id)}</summary>` +
    a.phases.map((p) => `<h3>${e(p.phase)}</h3>${opTable(p)}`).join("") + `</details>`));
  const definitions = METRIC_DEFINITIONS.map(([term, text]) => `<dt>${e(term)}</dt><dd>${e(text)}</dd>`).join("\n");
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>roofline: ${e(title)}</title><style>${STYLE}</style></head><body>`,
    `<header><h1>Roofline report: ${e(title)}</h1><p class="note">roofline ${e(version)} — analytic cost model; every number below is a bound computed from the hardware profile, not a measurement.</p></header>`,
    section("summary", "Summary",
      (memoryWarnings.length ? `<ul>${memoryWarnings.map((w) => `<li class="warning">${e(w)}</li>`).join("")}</ul>` : "") + summaryTable(data)),
    section("roofline", "1. Roofline", `<p class="note">Each point is one op (identical layers once): x its FLOPs per byte of memory traffic, y the FLOP/s it attains at its roofline time, size its share of the phase's time. Solid ceilings are vendor figures, dashed ones estimates or recalled values, dotted ones measured. Ops with no FLOPs (the embedding lookup) are left out.</p>` +
      (warnings.length ? `<ul>${warnings.map((w) => `<li class="warning">${e(w)}</li>`).join("")}</ul>` : `<p class="note">No point lies above its roof.</p>`) + figure(byName("roofline"))),
    section("latency", "2. Latency vs sequence length", figure(byName("latency")) + (crossovers.length ? `<ul>${crossovers.join("")}</ul>` : `<p class="note">No crossover in the range shown.</p>`)),
    section("capacity", "3. Memory and throughput", figure(byName("memory")) + figure(byName("throughput")) +
      (byName("cost") ? `<p class="note">Cost per million tokens is one chip's price per hour over its decode throughput; energy per token is its power over the same throughput. The power is the profile's figure (a TDP or a measured maximum), so energy is an upper bound; each panel names its price and where it came from.</p>` + figure(byName("cost")) : "")),
    section("blocks", "4. Time by block type, and the op tables", figure(byName("blocks")) + tables.join("\n")),
    ...(data.validation && byName("validation") ? [section("validation", "6. Validation against measurements", validationBody(data.validation) + figure(byName("validation")))] : []),
    section("assumptions", "5. Assumptions", assumptions(data)),
    section("definitions", "Definitions", `<dl>${definitions}</dl>`),
    ...runtimeScripts().map((source) => `<script>${scriptForInline(source)}</script>`),
    `<script>${BOOTSTRAP}</script>`,
    `</body></html>`,
  ];
  return parts.join("\n");
}
