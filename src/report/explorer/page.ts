// The report's explorer, run in the page (bundled with esbuild at build time, inlined by the
// `report` command): on every change of a control it recomputes the report with the cost model
// (./compute.ts), rewrites the tables, redraws every chart with the inlined vega, and keeps the
// state in the URL fragment so that a view can be shared by link. No server, no network.
import { explorerView, stateChoices, type ExplorerInput } from "./compute.js";
import { stateFragment, stateFromFragment, stateValues, STATE_KEYS, withStateValue, type ExplorerState } from "./state.js";

interface VegaView { finalize(): void }
declare const vegaEmbed: (element: HTMLElement, spec: unknown, options: object) => Promise<{ view: VegaView }>;

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
    if (key === "models" || key === "chips") {
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
  for (const key of ["models", "chips"] as const) {
    for (const box of form.querySelectorAll<HTMLInputElement>(`input[name="${key}"]`)) box.checked = state[key].includes(box.value);
  }
  for (const key of STATE_KEYS) {
    if (key === "models" || key === "chips") continue;
    const element = field(key);
    if (!element) continue;
    if (key === "calibration") (element as HTMLInputElement).checked = state.calibration;
    else element.value = key === "window" && state.window === null ? "" : values[key];
  }
}

async function draw(state: ExplorerState): Promise<void> {
  const start = performance.now();
  const view = explorerView(input, state);
  const computed = performance.now();
  for (const [name, html] of Object.entries(view.sections)) {
    const body = document.querySelector(`[data-body="${name}"]`);
    if (body) body.innerHTML = html;
  }
  const title = document.querySelector("[data-body=title]");
  if (title) title.textContent = `${view.data.models.map((m) => m.name).join(" vs ")} on ${view.data.chips.map((c) => c.profile.id).join(", ")}`;
  await Promise.all(view.charts.map(async (chart) => {
    const element = document.getElementById(`chart-${chart.name}`);
    if (!element) return;
    page.views[element.id]?.finalize();
    const result = await vegaEmbed(element, chart.spec, { renderer: "svg", actions: false });
    page.views[element.id] = result.view;
  }));
  const drawn = performance.now();
  page.timings.push({ computeMs: computed - start, drawMs: drawn - computed });
  timing.textContent = `recomputed in ${(computed - start).toFixed(0)} ms, drawn in ${(drawn - computed).toFixed(0)} ms`;
  page.shown = stateFragment(state);
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
      await draw(next);
      document.documentElement.setAttribute("data-explorer-ready", "true");
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

const opening = fromLocation();
writeForm(opening);
void show(opening).then(() => {
  page.ready = page.errors.length === 0;
  if (page.ready) document.documentElement.setAttribute("data-charts-ready", "true");
});
