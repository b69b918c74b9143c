// The report's explorer, run in the page (bundled with esbuild at build time, inlined by the
// `report` command): on every change of a control it recomputes the report with the cost model
// (./compute.ts), rewrites the tables, redraws every chart with the inlined vega, and keeps the
// state in the URL fragment so that a view can be shared by link. No server, no network.
import { explorerView, stateChoices, type ExplorerInput } from "./compute.js";
import { InputError } from "../../errors.js";
import { PANEL_OUTER_WIDTH, PANEL_SPACING } from "../charts/style.js";
import { stateFragment, stateFromFragment, stateValues, STATE_KEYS, withStateValue, type ExplorerState } from "./state.js";

interface VegaView {
  finalize(): void;
  data(name: string, values: unknown[]): VegaView;
  runAsync(): Promise<VegaView>;
}
declare const vegaEmbed: (element: HTMLElement, spec: unknown, options: object) => Promise<{ view: VegaView }>;

type Spec = Record<string, unknown>;

/**
 * A spec with each inline `data: {values}` named instead, and the values by name: a chart whose
 * spec without its data is unchanged is redrawn by replacing its data sets, with no recompiling.
 */
function splitData(spec: Spec): { spec: Spec; datasets: Record<string, unknown[]> } {
  const datasets: Record<string, unknown[]> = {};
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => {
      if (key === "data" && value !== null && typeof value === "object" && Array.isArray((value as { values?: unknown }).values)) {
        const name = `data${Object.keys(datasets).length}`;
        datasets[name] = (value as { values: unknown[] }).values;
        return [key, { name }];
      }
      return [key, walk(value)];
    }));
  };
  return { spec: walk(spec) as Spec, datasets };
}

/** As many panels side by side as the figure's width holds, up to the spec's own columns. */
function fitColumns(spec: Spec, element: HTMLElement): Spec {
  if (!Array.isArray(spec.concat) || typeof spec.columns !== "number") return spec;
  const width = (element.parentElement ?? element).clientWidth;
  const fit = Math.max(1, Math.floor((width + PANEL_SPACING) / (PANEL_OUTER_WIDTH + PANEL_SPACING)));
  return { ...spec, columns: Math.min(spec.columns, fit) };
}

/**
 * Each chart drawn: its view, its spec without data (to tell whether data alone changed) and its
 * data sets as text (to tell which).
 */
const drawnCharts = new Map<string, { view: VegaView; shape: string; texts: Record<string, string> }>();

/** What tests and the benchmark read: the views, readiness, errors and each render's timing. */
interface PageState {
  views: Record<string, VegaView>;
  ready: boolean;
  errors: string[];
  /** Milliseconds of each render: recomputing the numbers, and drawing tables and charts. */
  timings: { computeMs: number; drawMs: number }[];
  /** The state shown, as its fragment. */
  shown: string;
}

const page: PageState = { views: {}, ready: false, errors: [], timings: [], shown: "" };
(window as unknown as { __roofline: PageState }).__roofline = page;

const input = JSON.parse(document.getElementById("explorer-input")!.textContent!) as ExplorerInput;
const choices = stateChoices(input);
const form = document.getElementById("explorer") as HTMLFormElement;
const problems = document.getElementById("explorer-problems")!;
const timing = document.getElementById("explorer-timing")!;

function field(key: string): HTMLInputElement | HTMLSelectElement | null {
  return form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${key}"]`);
}

/** The state the form shows, or the problems that keep it from being one. */
function readForm(base: ExplorerState): { state: ExplorerState; problems: string[] } {
  const found: string[] = [];
  let state = base;
  for (const key of STATE_KEYS) {
    let value: string;
    if (key === "models" || key === "chips" || key === "phase") {
      value = [...form.querySelectorAll<HTMLInputElement>(`input[name="${key}"]:checked`)].map((box) => box.value).join(",");
    } else if (key === "calibration") {
      value = (field(key) as HTMLInputElement).checked ? "on" : "off";
    } else {
      value = field(key)!.value;
      if (key === "window" && value.trim() === "") value = "own";
    }
    try {
      state = withStateValue(state, key, value, choices);
    } catch (error) {
      found.push(String((error as Error).message).replace(/^--state /, ""));
    }
  }
  return { state, problems: found };
}

function writeForm(state: ExplorerState): void {
  const values = stateValues(state);
  for (const [key, chosen] of [["models", state.models], ["chips", state.chips], ["phase", state.phases]] as const) {
    for (const box of form.querySelectorAll<HTMLInputElement>(`input[name="${key}"]`)) box.checked = (chosen as readonly string[]).includes(box.value);
  }
  for (const key of STATE_KEYS) {
    if (key === "models" || key === "chips" || key === "phase") continue;
    const element = field(key);
    if (!element) continue;
    if (key === "calibration") (element as HTMLInputElement).checked = state.calibration;
    else element.value = key === "window" && state.window === null ? "" : values[key];
  }
}

/** Each section body's HTML as last written. */
const shownSections = new Map<string, string>();

async function draw(state: ExplorerState): Promise<void> {
  const start = performance.now();
  const view = explorerView(input, state);
  const computed = performance.now();
  for (const [name, html] of Object.entries(view.sections)) {
    const body = document.querySelector(`[data-body="${name}"]`);
    // Rewritten only when changed: a section left as it was keeps its open details, and its time.
    if (body && shownSections.get(name) !== html) {
      body.innerHTML = html;
      shownSections.set(name, html);
    }
  }
  const title = document.querySelector("[data-body=title]");
  if (title) title.textContent = `${view.data.models.map((m) => m.name).join(" vs ")} on ${view.data.chips.map((c) => c.profile.id).join(", ")}`;
  for (const chart of view.charts) {
    const caption = document.querySelector(`[data-caption="${chart.name}"]`);
    if (caption) caption.textContent = chart.caption;
  }
  await Promise.all(view.charts.map(async (chart) => {
    const element = document.getElementById(`chart-${chart.name}`);
    if (!element) return;
    const { spec, datasets } = splitData(fitColumns(chart.spec, element));
    const shape = JSON.stringify(spec);
    const previous = drawnCharts.get(element.id);
    const texts = Object.fromEntries(Object.entries(datasets).map(([name, values]) => [name, JSON.stringify(values)]));
    if (previous && previous.shape === shape) {
      // Only the data sets that changed are replaced; a chart none of whose data changed is left.
      const changed = Object.keys(datasets).filter((name) => texts[name] !== previous.texts[name]);
      if (changed.length === 0) return;
      for (const name of changed) previous.view.data(name, datasets[name]!);
      previous.texts = texts;
      await previous.view.runAsync();
      return;
    }
    previous?.view.finalize();
    const result = await vegaEmbed(element, { ...spec, datasets }, { renderer: "svg", actions: false });
    drawnCharts.set(element.id, { view: result.view, shape, texts });
    page.views[element.id] = result.view;
  }));
  const drawn = performance.now();
  page.timings.push({ computeMs: computed - start, drawMs: drawn - computed });
  timing.textContent = `recomputed in ${(computed - start).toFixed(0)} ms, drawn in ${(drawn - computed).toFixed(0)} ms`;
  page.shown = stateFragment(state);
  shownState = state;
}

/** Renders one state at a time; a change made while drawing is drawn next, the latest only. */
let drawing: Promise<void> = Promise.resolve();
let pending: ExplorerState | undefined;

function show(state: ExplorerState): Promise<void> {
  const first = pending === undefined;
  pending = state;
  if (first) {
    drawing = drawing.then(async () => {
      const next = pending!;
      pending = undefined;
      document.documentElement.removeAttribute("data-explorer-ready");
      try {
        await draw(next);
      } catch (error) {
        // A state the cost model refuses (a dtype the chip has no ceiling for) is the reader's to
        // change: said beside the controls, the page left as it was.
        if (!(error instanceof InputError)) throw error;
        problems.textContent = `This state cannot be shown: ${error.message}`;
      } finally {
        document.documentElement.setAttribute("data-explorer-ready", "true");
      }
    }).catch((error: unknown) => {
      page.errors.push(String(error));
      console.error(error);
    });
  }
  return drawing;
}

function fromLocation(): ExplorerState {
  const parsed = stateFromFragment(location.hash, input.initial, choices);
  problems.textContent = parsed.problems.length ? `The link's state was partly ignored: ${parsed.problems.join("; ")}` : "";
  return parsed.state;
}

form.addEventListener("change", () => {
  const read = readForm(input.initial);
  problems.textContent = read.problems.join("; ");
  if (read.problems.length > 0) return;
  history.replaceState(null, "", `#${stateFragment(read.state)}`);
  void show(read.state);
});

window.addEventListener("hashchange", () => {
  const state = fromLocation();
  writeForm(state);
  void show(state);
});

// A narrower or wider window may hold another number of panels side by side.
let shownState: ExplorerState | undefined;
let resizing: number | undefined;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = window.setTimeout(() => { if (shownState) void show(shownState); }, 150);
});

const opening = fromLocation();
writeForm(opening);
void show(opening).then(() => {
  page.ready = page.errors.length === 0;
  if (page.ready) document.documentElement.setAttribute("data-charts-ready", "true");
});
