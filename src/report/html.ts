// The self-contained HTML report: static SVGs rendered in Node (readable without JavaScript),
// replaced by interactive views (tooltips, zoom) from the inlined vega runtime, which the explorer
// (./explorer/) redraws on every change of its controls. No network request.
import type { Chart } from "./charts/index.js";
import type { ReportData } from "./data.js";
import { escapeHtml as e, jsonForScript, scriptForInline } from "./escape.js";
import { METRIC_DEFINITIONS } from "./definitions.js";
import { buildSource, RUNTIME_BUILDS } from "./library-builds.js";
import { sectionBodies, validationBody, type SectionBodies } from "./sections.js";
import { controlsHtml } from "./explorer/controls.js";
import type { ExplorerInput } from "./explorer/compute.js";

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
figure { margin: 1rem 0 0; overflow-x: auto; } figcaption { margin-bottom: 0.3rem; } .note { color: #555; font-size: 0.85rem; }
.warning { color: #b00; font-weight: bold; } details { margin: 0.3rem 0; } dt { font-weight: bold; margin-top: 0.5rem; }
td.unfit { color: #b00; text-decoration: line-through; }
#explorer fieldset { border: 1px solid #ddd; margin: 0.3rem 0; padding: 0.3rem 0.6rem; font-size: 0.85rem; }
#explorer label { display: inline-block; margin: 0.15rem 0.9rem 0.15rem 0; white-space: nowrap; }
#explorer input[type=number] { width: 7em; }
`;

export interface HtmlChart extends Chart {
  svg: string;
}

/** The explorer: its inputs as JSON and the bundled cost model that reruns the report in the page. */
export interface HtmlExplorer {
  input: ExplorerInput;
  script: string;
}

export function reportHtml(data: ReportData, charts: HtmlChart[], version: string, explorer: HtmlExplorer): string {
  const title = `${data.models.map((m) => m.name).join(" vs ")} on ${data.chips.map((c) => c.profile.id).join(", ")}`;
  // A chart left out with --chart leaves its section's text without a figure.
  const figure = (chart: HtmlChart | undefined) => !chart ? "" :
    `<figure data-chart="${chart.name}"><figcaption class="note" data-caption="${chart.name}">${e(chart.caption)}</figcaption><div id="chart-${chart.name}" class="chart">${chart.svg}</div></figure>\n` +
    `<script type="application/json" data-spec-for="chart-${chart.name}">${jsonForScript(chart.spec)}</script>`;
  const byName = (name: string) => charts.find((c) => c.name === name);
  const section = (id: string, heading: string, body: string) => `<section id="${id}"><h2>${heading}</h2>\n${body}\n</section>`;
  const bodies = sectionBodies(data);
  const body = (name: keyof SectionBodies) => `<div data-body="${name}">${bodies[name]}</div>`;
  const definitions = METRIC_DEFINITIONS.map(([term, text]) => `<dt>${e(term)}</dt><dd>${e(text)}</dd>`).join("\n");
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>roofline: ${e(title)}</title><style>${STYLE}</style></head><body>`,
    `<header><h1>Roofline report: <span data-body="title">${e(title)}</span></h1><p class="note">roofline ${e(version)} — analytic cost model; every number below is a bound computed from the hardware profile, not a measurement.</p></header>`,
    section("explore", "Explore", `<p class="note">Change any setting: the page reruns the cost model and redraws every chart and table below; the address keeps the state, so a link shares this view. Without JavaScript the report shows the state it was written in.</p>` +
      controlsHtml(explorer.input, explorer.input.initial)),
    section("summary", "Summary", body("summary")),
    section("roofline", "1. Roofline", `<p class="note">Each point is one op (identical layers once): x its FLOPs per byte of memory traffic, y the FLOP/s it attains at its roofline time, size its share of the phase's time. Solid ceilings are vendor figures, dashed ones estimates or recalled values, dotted ones measured. Ops with no FLOPs (the embedding lookup) are left out.</p>` +
      body("roofline-notes") + figure(byName("roofline"))),
    section("latency", "2. Latency vs sequence length", figure(byName("latency")) + body("crossovers")),
    section("capacity", "3. Memory and throughput", figure(byName("memory")) + figure(byName("throughput")) +
      (byName("cost") ? `<p class="note">Cost per million tokens is one chip's price per hour over its decode throughput; energy per token is its power over the same throughput. The power is the profile's figure (a TDP or a measured maximum), so energy is an upper bound; each panel names its price and where it came from.</p>` + figure(byName("cost")) : "")),
    section("blocks", "4. Time by block type, and the op tables", figure(byName("blocks")) + body("op-tables")),
    ...(data.validation && byName("validation") ? [section("validation", "6. Validation against measurements", validationBody(data.validation) + figure(byName("validation")))] : []),
    section("assumptions", "5. Assumptions", body("assumptions")),
    section("definitions", "Definitions", `<dl>${definitions}</dl>`),
    `<script type="application/json" id="explorer-input">${jsonForScript(explorer.input)}</script>`,
    ...runtimeScripts().map((source) => `<script>${scriptForInline(source)}</script>`),
    `<script>${scriptForInline(explorer.script)}</script>`,
    `</body></html>`,
  ];
  return parts.join("\n");
}
