// Reports: the specs compile, the exports are what they say, the HTML is self-contained, escapes
// what users wrote, and shows the same numbers as --json. Browser checks are in report-browser.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "vega-lite";
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import { loadProfile } from "../src/hardware/load.js";
import { buildCharts, CHART_NAMES } from "../src/report/charts/index.js";

/** The charts of a report without measurements (validation needs --measured). */
const BASE_CHARTS = CHART_NAMES.filter((name) => name !== "validation");
import { buildReport, findCrossovers, type LatencyPoint } from "../src/report/data.js";
import { escapeHtml, jsonForScript } from "../src/report/escape.js";
import { DEFAULT_SCENARIO } from "../src/roofline/analyze.js";
import { preset } from "./helpers.js";
import { readMeasurements } from "../src/measurements/read.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "roofline-report-"));

const data = buildReport({
  models: ["griffin-1b", "hawk-1b", "mqa-1b"].map(preset),
  profiles: [loadProfile("tpu-v3"), loadProfile("h100-sxm")],
  scenario: DEFAULT_SCENARIO,
  implementation: { dtypes: DEFAULT_DTYPES, attention: "flash", scan: "fused" },
  lengths: [256, 1024, 4096, 16384, 65536],
  memoryBatches: [1, 16],
});

test("every chart's Vega-Lite spec compiles without warnings, and the roofline axes are logarithmic", () => {
  const charts = buildCharts(data);
  assert.deepEqual(charts.map((c) => c.name), BASE_CHARTS);
  const warnings: string[] = [];
  const logger = { level: () => logger, error: (...m: unknown[]) => warnings.push(m.join(" ")), warn: (...m: unknown[]) => warnings.push(m.join(" ")), info: () => logger, debug: () => logger };
  for (const chart of charts) compile(chart.spec as never, { logger: logger as never });
  assert.deepEqual(warnings, []);
  const roof = charts[0]!.spec as { concat: { layer: { encoding?: { x?: { scale?: { type: string } }; y?: { scale?: { type: string } } } }[] }[] };
  assert.equal(roof.concat.length, 6); // 3 models × 2 chips, side by side
  for (const panel of roof.concat) {
    for (const layer of panel.layer.filter((l) => l.encoding?.x)) {
      assert.equal(layer.encoding!.x!.scale!.type, "log");
      assert.equal(layer.encoding!.y!.scale!.type, "log");
    }
  }
});

test("crossovers are found where one curve overtakes another, interpolated in log-log", () => {
  // a: 1 s at 100 tokens, 4 s at 400; b: 2 s at both. log-log line of a: t = (n/100); crossing at n = 200.
  const points: LatencyPoint[] = [
    { chip: "c", model: "a", metric: "decode: time per token", tokens: 100, seconds: 1, upperBoundSeconds: 1, fits: true },
    { chip: "c", model: "a", metric: "decode: time per token", tokens: 400, seconds: 4, upperBoundSeconds: 4, fits: true },
    { chip: "c", model: "b", metric: "decode: time per token", tokens: 100, seconds: 2, upperBoundSeconds: 2, fits: true },
    { chip: "c", model: "b", metric: "decode: time per token", tokens: 400, seconds: 2, upperBoundSeconds: 2, fits: true },
  ];
  const [x] = findCrossovers(points);
  assert.equal(x!.faster, "b");
  assert.ok(Math.abs(x!.tokens - 200) < 1e-9 && Math.abs(x!.seconds - 2) < 1e-9);
});

test("the throughput chart stops at the largest batch that fits", () => {
  const points = data.throughput.filter((p) => p.chip === "tpu-v3" && p.model === "mqa-1b");
  const largest = data.chips[0]!.maxBatchAtContext["mqa-1b"]!;
  assert.equal(points.at(-1)!.batch, largest);
  assert.ok(points.at(-1)!.isMaxBatch);
  assert.ok(points.every((p) => p.batch <= largest));
});

test("escaping: user strings cannot become markup or close a script", () => {
  assert.equal(escapeHtml(`<img src=x onerror="a">&'`), "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;");
  const json = jsonForScript({ name: "</script><script>alert(1)</script><!--" });
  assert.ok(!json.includes("</script") && !json.includes("<!--"));
  assert.deepEqual(JSON.parse(json), { name: "</script><script>alert(1)</script><!--" });
});

test("the report command writes one offline HTML file whose numbers match --json", () => {
  const dir = tmp();
  const file = path.join(dir, "r.html");
  const result = roofline("report", "--model", "griffin-1b,hawk-1b", "--hw", "tpu-v3", "-o", file, "--lengths", "512..8192");
  assert.equal(result.status, 0, result.stderr);
  const html = fs.readFileSync(file, "utf8");
  assert.ok(!/<script[^>]+src=/i.test(html), "no external scripts");
  assert.ok(!/<link[^>]+href=/i.test(html), "no external styles");
  const outsideScripts = html.replace(/<script>[\s\S]*?<\/script>/g, "");
  assert.ok(!/https?:\/\/[^"'\s]*\.(js|css)(?=["'?#\s])/i.test(outsideScripts), "no CDN references");
  for (const name of BASE_CHARTS) assert.match(html, new RegExp(`id="chart-${name}" class="chart"><svg`));
  const json = JSON.parse(roofline("--model", "griffin-1b", "--hw", "tpu-v3", "--json").stdout);
  const row = /<tr data-chip="tpu-v3" data-model="griffin-1b">.*?data-decode-seconds="([^"]+)">([^<]+)</.exec(html);
  assert.ok(row);
  assert.equal(Number(row[1]), json.phases[1].totals.seconds);
  const prefill = /<tr data-chip="tpu-v3" data-model="griffin-1b">.*?data-prefill-seconds="([^"]+)"/.exec(html);
  assert.equal(Number(prefill![1]), json.phases[0].totals.seconds);
});

test("a hostile model name is escaped in the report", () => {
  const dir = tmp();
  const modelFile = path.join(dir, "evil.json");
  const spec = JSON.parse(roofline("models", "--show", "hawk-100m").stdout);
  fs.writeFileSync(modelFile, JSON.stringify({ ...spec, name: `<script>alert("x")</script>` }));
  const file = path.join(dir, "evil.html");
  const result = roofline("report", "--model", modelFile, "--hw", "l4", "-o", file, "--lengths", "512,1024");
  assert.equal(result.status, 0, result.stderr);
  const html = fs.readFileSync(file, "utf8");
  assert.ok(!html.includes(`<script>alert("x")`));
  assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
});

test("each chart exports alone as SVG, PNG or Vega-Lite JSON", () => {
  const dir = tmp();
  const svg = path.join(dir, "roof.svg");
  assert.equal(roofline("report", "--model", "hawk-100m", "--hw", "tpu-v3", "--chart", "roofline", "--format", "svg", "-o", svg).status, 0);
  assert.match(fs.readFileSync(svg, "utf8"), /^<svg[^>]*class="marks"/);
  const png = path.join(dir, "roof.png");
  assert.equal(roofline("report", "--model", "hawk-100m", "--hw", "tpu-v3", "--chart", "roofline", "--format", "png", "-o", png).status, 0);
  assert.deepEqual([...fs.readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const stem = path.join(dir, "all");
  assert.equal(roofline("report", "--model", "hawk-100m", "--hw", "tpu-v3", "--format", "vl.json", "-o", stem).status, 0);
  for (const name of BASE_CHARTS) {
    const spec = JSON.parse(fs.readFileSync(`${stem}-${name}.vl.json`, "utf8"));
    assert.match(spec.$schema, /vega-lite/);
  }
});

test("bad report input exits 2 and writes nothing", () => {
  const dir = tmp();
  const file = path.join(dir, "nothing.html");
  for (const args of [["--chart", "pie"], ["--format", "pdf"], ["--hw", "tpu-v3,nope"], ["--lengths", "0..5"]]) {
    const base = ["report", "--model", "hawk-100m", "--hw", "tpu-v3", "-o", file];
    const merged = [...base];
    for (let i = 0; i < args.length; i += 2) {
      const at = merged.indexOf(args[i]!);
      if (at >= 0) merged[at + 1] = args[i + 1]!;
      else merged.push(args[i]!, args[i + 1]!);
    }
    const result = roofline(...merged);
    assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(fs.existsSync(file), false);
  }
  assert.deepEqual(fs.readdirSync(dir), []);
});

test("a report given measurements adds the validation section and draws measured kernels on the roofline", () => {
  const dir = tmp();
  const profile = fileURLToPath(new URL("../../measurements/cpu-amd-epyc-2c/profile.json", import.meta.url));
  const measured = fileURLToPath(new URL("../../measurements/cpu-amd-epyc-2c/serving.csv", import.meta.url));
  const file = path.join(dir, "v.html");
  const result = roofline("report", "--model", "griffin-1b,mqa-1b", "--hw", profile, "--measured", measured, "-o", file, "--lengths", "512,2048");
  assert.equal(result.status, 0, result.stderr);
  const html = fs.readFileSync(file, "utf8");
  assert.match(html, /<section id="validation"><h2>6\. Validation against measurements<\/h2>/);
  assert.match(html, /id="chart-validation" class="chart"><svg/);
  const spec = JSON.parse(/data-spec-for="chart-validation">([^<]*)<\/script>/.exec(html)![1]!);
  const points = spec.layer[1].data.values as { predicted: number; measured: number }[];
  assert.equal(points.length, readMeasurements(measured).rows.length); // every measured kernel, whatever its model
  assert.ok(points.every((p) => p.predicted > 0 && p.measured > 0));
  const roof = JSON.parse(/data-spec-for="chart-roofline">([^<]*)<\/script>/.exec(html)![1]!);
  const measuredPoints = roof.concat[0].layer.find((l: { data?: { values?: { source?: string }[] } }) => l.data?.values?.some((v) => v.source === "measured"));
  assert.ok(measuredPoints, "measured kernels drawn on the roofline");
});

test("with estimates, the latency band rises from the bound to the estimate that --json gives", async () => {
  const { estimateSourceFor } = await import("../src/calibration/shipped.js");
  const { analyze } = await import("../src/roofline/analyze.js");
  const profile = loadProfile("h100-sxm");
  const estimate = estimateSourceFor(profile);
  const implementation = { dtypes: DEFAULT_DTYPES, attention: "flash" as const, scan: "fused" as const };
  const estimated = buildReport({
    models: [preset("mqa-1b")], profiles: [profile], scenario: DEFAULT_SCENARIO, implementation,
    lengths: [1024, 8192], memoryBatches: [1], estimates: { "h100-sxm": estimate },
  });
  const points = estimated.latency.filter((p) => p.metric === "prefill: time to first token");
  for (const p of points) {
    assert.ok(p.estimateSeconds! >= p.seconds);
    const phase = analyze(preset("mqa-1b"), profile, ["prefill"], { ...DEFAULT_SCENARIO, seqTokens: p.tokens }, implementation, undefined, estimate).phases[0]!;
    assert.ok(Math.abs(p.estimateSeconds! / phase.estimate!.seconds - 1) < 1e-12);
  }
  const latency = buildCharts(estimated).find((c) => c.name === "latency")!.spec as { concat?: unknown[]; vconcat?: unknown[] };
  assert.match(JSON.stringify(latency), /band: roofline bound to estimate/);
  assert.match(JSON.stringify(latency), /"y2":\{"field":"estimateSeconds"\}/);
  // Without estimates, the band keeps its no-overlap top.
  assert.match(JSON.stringify(buildCharts(data).find((c) => c.name === "latency")!.spec), /band: roofline bound to no-overlap bound/);
});

test("an HTML report of chosen charts holds those figures alone, each section's text kept", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-chart-"));
  const file = path.join(dir, "r.html");
  const run = roofline("report", "--model", "griffin-100m", "--hw", "tpu-v3", "--chart", "roofline,latency", "-o", file);
  assert.equal(run.status, 0, run.stderr);
  const html = fs.readFileSync(file, "utf8");
  assert.deepEqual([...html.matchAll(/<figure data-chart="([a-z]+)"/g)].map((m) => m[1]), ["roofline", "latency"]);
  assert.match(html, /3\. Memory and throughput/);
  fs.rmSync(dir, { recursive: true, force: true });
});
