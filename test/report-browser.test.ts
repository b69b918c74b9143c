// The HTML report in a real browser (Debian's chromium through playwright-core): it renders with
// no console error and no network request, every chart has axes and marks, the roofline scales
// are logarithmic, and a screenshot is kept under artifacts/ for CI.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { CHART_NAMES } from "../src/report/charts/index.js";
import { hasChromium, launchChromium, skipWithoutChromium } from "./browser.js";

const BASE_CHARTS = CHART_NAMES.filter((name) => name !== "validation");

const skip = skipWithoutChromium;
const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const artifacts = fileURLToPath(new URL("../../artifacts/", import.meta.url));

let browser: Browser | undefined;
let reportFile = "";

before(async () => {
  if (!hasChromium) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-browser-"));
  reportFile = path.join(dir, "report.html");
  const result = spawnSync(process.execPath, [main, "report", "--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "tpu-v3,h100-sxm", "-o", reportFile], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

test("the report renders offline in Chromium, interactive, with axes and marks in every chart", { skip }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1500, height: 1100 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("request", (request) => { if (!request.url().startsWith("file:")) requests.push(request.url()); });
  await page.goto(pathToFileURL(reportFile).href);
  await page.waitForSelector("html[data-charts-ready=true]", { timeout: 30_000 });
  assert.deepEqual(problems, []);
  assert.deepEqual(requests, []);

  for (const name of BASE_CHARTS) {
    const counts = await page.evaluate((id) => {
      const root = document.querySelector(`#chart-${id} svg`);
      return {
        axes: root?.querySelectorAll(".role-axis").length ?? 0,
        marks: root?.querySelectorAll(".role-mark path, .role-mark line, .role-mark text, .role-mark rect").length ?? 0,
      };
    }, name);
    assert.ok(counts.axes >= 2, `${name} has axes`);
    assert.ok(counts.marks > 0, `${name} has marks`);
  }

  // The interactive roofline view: every positional scale is logarithmic.
  const scaleTypes = await page.evaluate(() => {
    const view = (window as unknown as { __roofline: { views: Record<string, { getState: (o: unknown) => unknown; scale: (n: string) => { type: string } }> } }).__roofline.views["chart-roofline"]!;
    const names = Object.keys((view as unknown as { _runtime: { scales: Record<string, unknown> } })._runtime.scales).filter((n) => /_(x|y)$/.test(n));
    return names.map((n) => [n, view.scale(n).type]);
  });
  assert.ok(scaleTypes.length >= 12, `${scaleTypes.length} positional scales`);
  for (const [name, type] of scaleTypes) assert.equal(type, "log", name);

  // Tooltips work: hovering a point (the largest of the first roofline panel, not of a legend) names its op.
  const target = await page.evaluate(() => {
    const symbols = ([...document.querySelectorAll("#chart-roofline g.mark-symbol.role-mark path")] as SVGGraphicsElement[])
      .filter((el) => el.getAttribute("opacity") !== "0");
    const biggest = symbols.sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0]!;
    // The mouse reaches only what the viewport shows: bring the point into it first.
    biggest.scrollIntoView({ block: "center", inline: "center" });
    const box = biggest.getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  });
  await page.mouse.move(target.x, target.y);
  await page.waitForSelector("#vg-tooltip-element.visible", { timeout: 5_000 });
  const tooltip = await page.textContent("#vg-tooltip-element");
  assert.match(tooltip ?? "", /^op.+block.+phase.+FLOP\/byte.+FLOP\/s/s);

  fs.mkdirSync(artifacts, { recursive: true });
  const shot = path.join(artifacts, "report-screenshot.png");
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(fs.statSync(shot).size > 10_000);
  console.log(`# screenshot: ${shot}`);
  await page.close();
});

test("the report's tables show the numbers of --json", { skip }, async () => {
  const page = await browser!.newPage();
  await page.goto(pathToFileURL(reportFile).href);
  const shown = await page.evaluate(() =>
    [...document.querySelectorAll("details[data-chip=h100-sxm][data-model=hawk-7b] table[data-phase=decode] tr.total td[data-seconds]")]
      .map((cell) => [cell.getAttribute("data-seconds"), cell.textContent]));
  const json = JSON.parse(spawnSync(process.execPath, [main, "--model", "hawk-7b", "--hw", "h100-sxm", "--json"], { encoding: "utf8" }).stdout);
  const seconds = json.phases[1].totals.seconds;
  assert.equal(Number(shown[0]![0]), seconds);
  assert.equal(shown[0]![1], `${(seconds * 1e3).toFixed(2)} ms`);
  await page.close();
});
