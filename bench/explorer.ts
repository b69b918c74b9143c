// How fast the report's explorer answers a change: the page's own timing of recomputing the
// report with the bundled cost model and redrawing every table and chart, per change of a
// control, in headless Chromium (Debian's, through playwright-core), three models on one chip.
// Target: 50 ms per change. Changes of numbers (batch, lengths, dtypes, ...) swap the charts'
// data; changes that rename a model (the window) or change the panels (models, chips) recompile
// the charts, and are timed apart.
//   node dist/bench/explorer.js
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, quantile } from "simple-statistics";
import type { Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TARGET_MS = 50;
const ROUNDS = Number(process.env.ROOFLINE_BENCH_RUNS ?? 3);

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "roofline-bench-")), "report.html");
const report = spawnSync(process.execPath, [main, "report", "--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "tpu-v3", "-o", file], { encoding: "utf8" });
if (report.status !== 0) throw new Error(`report failed: ${report.stderr}`);

/** Changes a reader makes, each a control and a value; the same changes every round. */
const DATA_CHANGES: [string, string][] = [
  ...["2", "8", "32", "128", "512"].map((v): [string, string] => ["batch", v]),
  ...["1024", "16384", "65536", "131072"].map((v): [string, string] => ["context", v]),
  ...["512", "8192"].map((v): [string, string] => ["seq", v]),
  ["dtype", "w8a16"], ["kv-dtype", "fp8"], ["attention", "xla"], ["scan", "associative"], ["backend", "eager"],
  ["dtype", "bf16"], ["kv-dtype", "bf16"], ["attention", "flash"], ["scan", "fused"], ["backend", "default"], ["batch", "1"], ["context", "4096"], ["seq", "2048"],
];
const RESHAPING_CHANGES: [string, string][] = [["window", "2048"], ["window", ""], ["window", "512"], ["window", ""]];

async function change(page: Page, key: string, value: string): Promise<{ computeMs: number; drawMs: number }> {
  const before = await page.evaluate(() => (window as unknown as { __roofline: { timings: unknown[] } }).__roofline.timings.length);
  const select = page.locator(`#explorer select[name="${key}"]`);
  if (await select.count()) await select.selectOption(value);
  else {
    const input = page.locator(`#explorer input[name="${key}"]`);
    await input.fill(value);
    await input.dispatchEvent("change");
  }
  await page.waitForFunction((n) => (window as unknown as { __roofline: { timings: unknown[] } }).__roofline.timings.length > n
    && document.documentElement.getAttribute("data-explorer-ready") === "true", before);
  return page.evaluate(() => (window as unknown as { __roofline: { timings: { computeMs: number; drawMs: number }[] } }).__roofline.timings.at(-1)!);
}

const { chromium } = await import("playwright-core");
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(pathToFileURL(file).href);
await page.waitForSelector("html[data-charts-ready=true]", { timeout: 60_000 });

const data: number[] = [];
const computes: number[] = [];
const reshaping: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [key, value] of DATA_CHANGES) {
    const t = await change(page, key, value);
    // The first round warms the page's compiler; it is not counted.
    if (round > 0) { data.push(t.computeMs + t.drawMs); computes.push(t.computeMs); }
  }
  for (const [key, value] of RESHAPING_CHANGES) {
    const t = await change(page, key, value);
    if (round > 0) reshaping.push(t.computeMs + t.drawMs);
  }
}
await browser.close();

const line = (samples: number[]) => `median ${median(samples).toFixed(0)} ms, p90 ${quantile(samples, 0.9).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms`;
console.log("explorer: griffin-7b, hawk-7b, mqa-7b on tpu-v3, headless Chromium, recompute + redraw of every table and chart per change");
console.log(`  changes of numbers (${data.length}): ${line(data)} (target ≤ ${TARGET_MS} ms); of which recomputing: ${line(computes)}`);
console.log(`  changes that rename a model (window, ${reshaping.length}): ${line(reshaping)}, the charts recompiled`);
