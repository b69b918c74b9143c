// The explorer's controls, one form element per state key (./state.ts), named by its key. The
// CLI writes them into the report; the page reads and sets them (./page.ts).
import { WEIGHT_FORMAT_NAMES } from "../../cost/dtypes.js";
import { ATTENTION_FLAGS } from "../../roofline/first-principles.js";
import { escapeHtml as e } from "../escape.js";
import { BACKENDS, CACHE_DTYPES, SCANS, type ExplorerState } from "./state.js";
import type { ExplorerInput } from "./compute.js";
import { SHOWN_PHASES } from "../data.js";

function checkboxes(key: "models" | "chips" | "phase", legend: string, names: readonly string[], chosen: readonly string[]): string {
  const boxes = names.map((name) =>
    `<label><input type="checkbox" name="${key}" value="${e(name)}"${chosen.includes(name) ? " checked" : ""}> ${e(name)}</label>`);
  return `<fieldset class="choices" data-key="${key}"><legend>${legend}</legend>${boxes.join(" ")}</fieldset>`;
}

function select(key: string, label: string, options: readonly { value: string; text: string }[], chosen: string): string {
  const items = options.map((o) => `<option value="${e(o.value)}"${o.value === chosen ? " selected" : ""}>${e(o.text)}</option>`);
  return `<label>${label} <select name="${key}">${items.join("")}</select></label>`;
}

const plain = (values: readonly string[]) => values.map((value) => ({ value, text: value }));

function count(key: string, label: string, value: number | null, placeholder = ""): string {
  return `<label>${label} <input type="number" name="${key}" min="1" step="1" value="${value ?? ""}"${placeholder ? ` placeholder="${placeholder}"` : ""}></label>`;
}

/** The form, set to `state`. */
export function controlsHtml(input: ExplorerInput, state: ExplorerState): string {
  const offered = input.calibration ? input.chips.filter((c) => c.profile.id === input.calibration!.calibration.hardware) : input.chips;
  return `<form id="explorer" autocomplete="off" onsubmit="return false">` +
    checkboxes("models", "models", input.models.map((m) => m.name), state.models) +
    checkboxes("chips", "chips", offered.map((c) => c.profile.id), state.chips) +
    checkboxes("phase", "phases of the roofline, time by block and op tables", SHOWN_PHASES, state.phases) +
    `<fieldset class="settings"><legend>settings</legend>` +
    count("batch", "batch", state.batch) +
    count("seq", "prefill tokens", state.seq) +
    count("context", "decode context", state.context) +
    count("prompt", "prompt before generate", state.prompt) +
    count("gen", "generated tokens", state.gen) +
    count("window", "local window", state.window, "own") +
    select("dtype", "weights", plain(WEIGHT_FORMAT_NAMES), state.dtype) +
    select("kv-dtype", "KV cache", plain(CACHE_DTYPES), state.kvDtype) +
    select("attention", "attention", plain(ATTENTION_FLAGS), state.attention) +
    select("scan", "scan", plain(SCANS), state.scan) +
    select("backend", "backend", [{ value: "default", text: "chip's default" }, ...plain(BACKENDS)], state.backend ?? "default") +
    `<label><input type="checkbox" name="calibration"${state.calibration ? " checked" : ""}> estimate (calibration)</label>` +
    `</fieldset><p id="explorer-problems" class="warning" role="alert"></p><p id="explorer-timing" class="note"></p></form>`;
}
