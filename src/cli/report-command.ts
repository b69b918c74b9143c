// `roofline report`: one self-contained HTML file, or each chart alone as SVG, PNG or Vega-Lite JSON.
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { InputError } from "../errors.js";
import { loadProfile } from "../hardware/load.js";
import { loadModel } from "../models/load.js";
import { packageRoot } from "../paths.js";
import { CHART_NAMES, type ChartName } from "../report/charts/index.js";
import { explorerView } from "../report/explorer/compute.js";
import { readExplorerBundle } from "../report/explorer/bundle-file.js";
import { explorerInput } from "./explorer-input.js";
import { reportHtml } from "../report/html.js";
import { renderPng, renderSvg } from "../report/render.js";
import { writeOutputs, type Output } from "../views/atomic-write.js";
import { checkDestinations, sourcesOf } from "../views/output-paths.js";
import { printNote } from "../views/standard-streams.js";
import { listOf, type AnalysisFlags } from "./options.js";
import { parseAxis } from "./ranges.js";

export const REPORT_FORMATS = ["html", "svg", "png", "vl.json"] as const;

/** Defaults of the report's own axes: lengths 256 … 65,536 in steps of √2, and three batches. */
export const REPORT_DEFAULTS = { lengths: "256..65536*1.41421356237", memoryBatch: "1,16,128" } as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportFlags extends AnalysisFlags {
  model: unknown;
  hw: unknown;
  set?: unknown;
  output?: string;
  format?: unknown;
  chart?: unknown;
  measured?: string;
  allowDeviceMismatch?: boolean;
  lengths?: unknown;
  memoryBatch?: unknown;
  phase?: unknown;
  pricePerHour?: unknown;
  /** The explorer's state the report opens in: `batch=64,context=32768` (src/report/explorer/state.ts). */
  state?: unknown;
}

function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${message}`);
}

const safeName = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, "_");

function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * `roofline report`: writes the report and says where. Most of a report's time is code that runs
 * once, cold (vega's above all), so the optimizing compiler's work cannot pay back before the
 * process ends, and on a busy two-core machine its background compiles take CPU from the report
 * itself: without it a report takes about 40% less CPU, and draws the same bytes. The setting
 * holds for the rest of the process, which the command line ends after this one command.
 */
export async function reportCommand(flags: ReportFlags): Promise<void> {
  v8.setFlagsFromString("--no-turbofan");
  const files = await runReport(flags);
  for (const file of files) printNote(`wrote ${file}${flags.output === undefined ? " (the default place; -o FILE chooses another)" : ""}`);
}

/** Builds the report and writes it; returns the paths written. */
export async function runReport(flags: ReportFlags): Promise<string[]> {
  const sources = [
    ...sourcesOf("--model", listOf(flags.model)), ...sourcesOf("--hw", listOf(flags.hw)),
    ...sourcesOf("--calibration", typeof flags.calibration === "string" ? [flags.calibration] : []),
    ...sourcesOf("--measured", flags.measured ? [flags.measured] : []),
  ];
  const format = String(flags.format ?? "html") as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new InputError(`--format: expected one of ${REPORT_FORMATS.join(", ")}, got "${format}"`);
  // An HTML report's one file is known now: refuse it before any work (chart files once named, below).
  if (flags.output !== undefined && format === "html") checkDestinations([{ flag: "-o", file: flags.output }], sources);
  const chartNames = listOf(flags.chart);
  for (const name of chartNames) {
    if (!(CHART_NAMES as readonly string[]).includes(name)) throw new InputError(`--chart: unknown chart "${name}"; known: ${CHART_NAMES.join(", ")}`);
  }
  const overrides = listOf(flags.set);
  const models = listOf(flags.model).map((name) => loadModel(name, overrides));
  const profiles = listOf(flags.hw).map(loadProfile);
  if (models.length === 0 || profiles.length === 0) throw new InputError("report needs at least one --model and one --hw");
  const input = explorerInput(flags, models, profiles, chartNames.length > 0 ? chartNames as ChartName[] : [...CHART_NAMES], {
    lengths: parseAxis("lengths", String(flags.lengths ?? REPORT_DEFAULTS.lengths)),
    memoryBatches: parseAxis("memory-batch", String(flags.memoryBatch ?? REPORT_DEFAULTS.memoryBatch)),
  });
  if (flags.measured) {
    // Reading measurements brings CSV parsing, statistics and zod: loaded only for --measured.
    const { validateHarness } = await import("../validation/harness.js");
    input.validation = await validateHarness(flags.measured, listOf(flags.hw)[0], listOf(flags.model).filter((m) => m.endsWith(".json")), flags);
  }
  const view = explorerView(input, input.initial, { subtitles: format !== "html" });
  const { data } = view;
  const charts = view.charts;
  const base = flags.output ?? path.join("reports", `${safeName(models.map((m) => m.name).join("-"))}-on-${safeName(profiles.map((p) => p.id).join("-"))}.html`);
  // Every file is named, and checked, before the slow rendering; all are written at the end, or none.
  const stem = base.replace(/\.(html|svg|png|vl\.json)$/, "");
  const files = format === "html" ? [base]
    : charts.map((chart) => (charts.length === 1 && base.endsWith(`.${format}`) ? base : `${stem}-${chart.name as ChartName}.${format}`));
  checkDestinations(files.map((file) => ({ flag: "-o", file })), sources);
  const outputs: Output[] = [];

  if (format === "html") {
    const rendered = [];
    for (const [i, chart] of charts.entries()) {
      progress(`rendering chart ${i + 1}/${charts.length}: ${chart.name}`);
      rendered.push({ ...chart, svg: await renderSvg(chart.spec) });
    }
    outputs.push({ flag: "-o", file: base, content: reportHtml(data, rendered, packageVersion(), { input, script: readExplorerBundle() }) });
  } else {
    for (const [i, chart] of charts.entries()) {
      progress(`rendering chart ${i + 1}/${charts.length}: ${chart.name}`);
      const file = files[i]!;
      if (format === "vl.json") outputs.push({ flag: "-o", file, content: `${JSON.stringify(chart.spec, null, 2)}\n` });
      else {
        const svg = await renderSvg(chart.spec);
        outputs.push({ flag: "-o", file, content: format === "svg" ? svg : await renderPng(svg) });
      }
    }
  }
  progress("");
  await writeOutputs(outputs);
  return files;
}
