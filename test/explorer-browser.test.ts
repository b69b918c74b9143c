// The report's explorer in a real browser (Debian's chromium through playwright-core): moving
// its controls shows exactly the numbers `--json` gives for the same settings, with no console
// error and no network request; the state in the URL round-trips; and in every example report
// no text overlaps another and nothing is clipped at the page's width, wide or narrow.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { formatSeconds } from "../src/views/format.js";
import { hasChromium, launchChromium, skipWithoutChromium } from "./browser.js";

const skip = skipWithoutChromium;
const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });

/** The example reports of `npm run reports` (package.json), as HTML. */
const EXAMPLES: Record<string, string[]> = {
  "griffin-hawk-mqa-7b-tpu-v3": ["--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "tpu-v3"],
  "griffin-hawk-mqa-7b-h100-sxm": ["--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "h100-sxm"],
  "griffin-hawk-mqa-7b-tpu-v3-vs-h100-sxm": ["--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "tpu-v3,h100-sxm"],
  "recurrentgemma-2b-tpu-v5e": ["--model", "recurrentgemma-2b", "--hw", "tpu-v5e"],
};

let browser: Browser | undefined;
let dir = "";
const file = (name: string) => path.join(dir, `${name}.html`);

before(async () => {
  if (!hasChromium) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-explorer-"));
  for (const [name, args] of Object.entries(EXAMPLES)) {
    const run = roofline("report", ...args, "-o", file(name));
    assert.equal(run.status, 0, run.stderr);
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A page that records console errors and warnings, page errors and requests that leave the file. */
async function open(url: string, width = 1400): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: { width, height: 1000 } });
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("request", (request) => { if (!request.url().startsWith("file:")) problems.push(`request: ${request.url()}`); });
  await page.goto(url);
  await page.waitForSelector("html[data-charts-ready=true]", { timeout: 60_000 });
  return { page, problems };
}

/** Waits until the page shows the state its address holds. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const shown = (window as unknown as { __roofline: { shown: string } }).__roofline.shown;
    return document.documentElement.getAttribute("data-explorer-ready") === "true" && shown === location.hash.slice(1);
  }, undefined, { timeout: 30_000 });
}

type Setting = Partial<Record<"batch" | "seq" | "context" | "prompt" | "gen" | "window" | "dtype" | "kv-dtype" | "attention" | "scan", string>> & { chips?: string[]; phase?: string[] };

/** Moves the controls as a reader would: types numbers, picks options, ticks boxes. */
async function move(page: Page, setting: Setting): Promise<void> {
  for (const [key, value] of Object.entries(setting)) {
    if (key === "chips" || key === "phase") {
      for (const box of await page.locator(`#explorer input[name="${key}"]`).all()) {
        await box.setChecked((value as string[]).includes((await box.getAttribute("value"))!));
      }
    } else if (["dtype", "kv-dtype", "attention", "scan"].includes(key)) {
      await page.locator(`#explorer select[name="${key}"]`).selectOption(value as string);
    } else {
      const input = page.locator(`#explorer input[name="${key}"]`);
      await input.fill(value as string);
      await input.dispatchEvent("change");
    }
  }
  await settled(page);
}

/** The summary's prefill, decode and generate times per chip and model: the raw number and the text shown. */
async function summary(page: Page): Promise<{ chip: string; model: string; prefill: [number, string]; decode: [number, string]; generate: [number, string] }[]> {
  return page.evaluate(() => [...document.querySelectorAll("[data-body=summary] tr[data-chip]")].map((row) => {
    const cell = (key: string) => {
      const td = row.querySelector(`td[data-${key}-seconds]`)!;
      return [Number(td.getAttribute(`data-${key}-seconds`)), td.textContent!] as [number, string];
    };
    return { chip: row.getAttribute("data-chip")!, model: row.getAttribute("data-model")!, prefill: cell("prefill"), decode: cell("decode"), generate: cell("generate") };
  }));
}

/** `--json` for one model and chip at the setting: its prefill, decode and generate phases. */
function jsonAt(model: string, chip: string, setting: Setting): { prefill: number; decode: number; generate: number; fits: boolean[] } {
  const flags = Object.entries(setting).filter(([key]) => key !== "chips" && key !== "phase" && key !== "window").flatMap(([key, value]) => [`--${key}`, String(value)]);
  const windowed = setting.window !== undefined && model.startsWith("griffin") ? ["--set", `window=${setting.window}`] : [];
  const run = roofline("--model", model.replace(/ \(.*\)$/, ""), "--hw", chip, "--phase", "prefill,decode,generate", ...flags, ...windowed, "--json");
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as { phases: { totals: { seconds: number }; memory: { fits: boolean } }[] };
  return { prefill: json.phases[0]!.totals.seconds, decode: json.phases[1]!.totals.seconds, generate: json.phases[2]!.totals.seconds, fits: json.phases.map((p) => p.memory.fits) };
}

test("moving the controls shows exactly the numbers --json gives for the same settings", { skip }, async () => {
  const { page, problems } = await open(pathToFileURL(file("griffin-hawk-mqa-7b-tpu-v3-vs-h100-sxm")).href);
  // Each setting adds to the ones before it, as a reader's changes do.
  const settings: Setting[] = [
    { batch: "64", context: "32768" },
    { window: "512" },
    { chips: ["h100-sxm"] },
    { seq: "8192", dtype: "int8", "kv-dtype": "fp8", prompt: "1024", gen: "4096" },
    { attention: "xla", scan: "associative", batch: "512" },
  ];
  let cumulative: Setting = {};
  for (const setting of settings) {
    await move(page, setting);
    cumulative = { ...cumulative, ...setting };
    const rows = await summary(page);
    const chips = cumulative.chips ?? ["tpu-v3", "h100-sxm"];
    assert.deepEqual([...new Set(rows.map((r) => r.chip))], chips, JSON.stringify(setting));
    assert.equal(rows.length, 3 * chips.length);
    if (cumulative.window) assert.ok(rows.some((r) => r.model === `griffin-7b (window=${cumulative.window})`));
    for (const row of rows) {
      const json = jsonAt(row.model, row.chip, cumulative);
      assert.equal(row.prefill[0], json.prefill, `${row.model} on ${row.chip}, prefill, ${JSON.stringify(cumulative)}`);
      assert.equal(row.decode[0], json.decode, `${row.model} on ${row.chip}, decode, ${JSON.stringify(cumulative)}`);
      assert.equal(row.generate[0], json.generate, `${row.model} on ${row.chip}, generate, ${JSON.stringify(cumulative)}`);
      // The text is the number as the tables format it, struck through (✗) when the batch does not fit.
      assert.equal(row.prefill[1], formatSeconds(json.prefill) + (json.fits[0] ? "" : " ✗"));
      assert.equal(row.decode[1], formatSeconds(json.decode) + (json.fits[1] ? "" : " ✗"));
      assert.equal(row.generate[1], formatSeconds(json.generate) + (json.fits[2] ? "" : " ✗"));
    }
  }
  // mqa-7b's batch of 512 at 32,768 tokens does not fit on an H100; the latency chart marks it.
  assert.ok((await summary(page)).some((r) => r.decode[1].endsWith("✗")));
  // The decode phase alone: its op tables and time-by-block panel, no prefill's; the summary keeps all.
  await move(page, { phase: ["decode"] });
  assert.equal(await page.locator("[data-body=op-tables] table[data-phase=prefill]").count(), 0);
  assert.equal(await page.locator("[data-body=op-tables] table[data-phase=decode]").count(), 3);
  assert.equal((await summary(page)).length, 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the state lives in the URL: a copied address opens the same view, a bad key is named", { skip }, async () => {
  const first = await open(pathToFileURL(file("griffin-hawk-mqa-7b-tpu-v3")).href);
  await move(first.page, { batch: "16", context: "65536", window: "2048", attention: "flash3" });
  const address = first.page.url();
  assert.match(address, /#.*batch=16.*context=65536.*window=2048.*attention=flash3/);
  const shown = await summary(first.page);
  const second = await open(address);
  assert.equal(await second.page.inputValue('#explorer input[name="batch"]'), "16");
  assert.equal(await second.page.inputValue('#explorer select[name="attention"]'), "flash3");
  assert.deepEqual(await summary(second.page), shown);
  // Editing the address redraws the page in the state it names.
  await second.page.evaluate(() => { location.hash = location.hash.replace("batch=16", "batch=32"); });
  await settled(second.page);
  assert.equal(await second.page.inputValue('#explorer input[name="batch"]'), "32");
  const json = jsonAt("hawk-7b", "tpu-v3", { batch: "32", context: "65536", attention: "flash3" });
  assert.equal((await summary(second.page)).find((r) => r.model === "hawk-7b")!.decode[0], json.decode);
  // A link from an older report: what it cannot use is said on the page, not thrown.
  const third = await open(`${pathToFileURL(file("griffin-hawk-mqa-7b-tpu-v3")).href}#batch=8&depth=3`);
  assert.match(await third.page.textContent("#explorer-problems") ?? "", /unknown key "depth"/);
  assert.equal(await third.page.inputValue('#explorer input[name="batch"]'), "8");
  // A state the cost model refuses (TPU v3 has no int8 matrix unit) is said beside the controls.
  await third.page.locator('#explorer select[name="dtype"]').selectOption("int8");
  await third.page.waitForFunction(() => /cannot be shown/.test(document.getElementById("explorer-problems")!.textContent ?? ""));
  assert.match(await third.page.textContent("#explorer-problems") ?? "", /This state cannot be shown: tpu-v3 has no int8 matrix ceiling/);
  for (const { problems } of [first, second, third]) assert.deepEqual(problems, []);
  await Promise.all([first.page.close(), second.page.close(), third.page.close()]);
});

/** Text in the charts that overlaps other text, and charts that run past the page's width. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const shown = (element: Element) => {
      for (let node: Element | null = element; node && node instanceof SVGElement; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (node.getAttribute("opacity") === "0" || style.visibility === "hidden" || style.display === "none") return false;
      }
      return true;
    };
    const found: string[] = [];
    const width = document.documentElement.clientWidth;
    for (const svg of document.querySelectorAll(".chart svg")) {
      const chart = svg.closest(".chart")!.id;
      const texts = [...svg.querySelectorAll("text")].filter((t) => t.textContent!.trim() !== "" && shown(t)).map((t) => ({ text: t.textContent!, box: t.getBoundingClientRect() }));
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i]!.box, b = texts[j]!.box;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1) found.push(`${chart}: "${texts[i]!.text}" overlaps "${texts[j]!.text}"`);
        }
      }
      const box = svg.getBoundingClientRect();
      if (box.left < 0 || box.right > width) found.push(`${chart} is clipped: ${box.left.toFixed(0)}..${box.right.toFixed(0)} of ${width} px`);
    }
    if (document.documentElement.scrollWidth > width) found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width} px`);
    return found;
  });
}

test("in every example report no text overlaps another and nothing is clipped, at 1280 px and reflowed below", { skip }, async () => {
  for (const name of Object.keys(EXAMPLES)) {
    for (const width of [1280, 900]) {
      const { page, problems } = await open(pathToFileURL(file(name)).href, width);
      assert.deepEqual(await layoutProblems(page), [], `${name} at ${width} px`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
});
