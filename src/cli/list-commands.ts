// `roofline hw` and `roofline models`: what is bundled, with the figures that matter at a glance.
import fs from "node:fs";
import Table from "cli-table3";
import { loadModel } from "../models/load.js";
import { bundledProfileIds, loadProfile } from "../hardware/load.js";
import { ridgePoints } from "../hardware/ceilings.js";
import { countParams } from "../models/params.js";
import { layerCounts } from "../models/layers.js";
import { PRESETS } from "../models/presets.js";
import { formatBytes, formatByteRate, formatCount, formatFlopRate, formatIntensity } from "../views/format.js";
import { toJson } from "../views/json.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { InputError } from "../errors.js";
import { didYouMean } from "../closest-names.js";

const style = { head: [] as string[], border: [] as string[] };

export function listHardware(json: boolean): string {
  const profiles = bundledProfileIds().map(loadProfile);
  if (json) {
    return toJson(profiles.map((p) => ({ id: p.id, name: p.name, unit: p.granularity.unit, coresPerChip: p.granularity.coresPerChip, ridgePoints: ridgePoints(p) })));
  }
  const t = new Table({
    head: ["id", "name", "unit", "bf16 matrix", "vector", "memory", "bandwidth", "ridge bf16", "ridge vector"],
    style, chars: COMPACT_CHARS, colAligns: ["left", "left", "left", "right", "right", "right", "right", "right", "right"],
  });
  for (const p of profiles) {
    const ridges = ridgePoints(p);
    const bf16 = ridges.find((r) => r.ceiling === "bf16 matrix");
    const vector = ridges[ridges.length - 1]!;
    const unit = p.granularity.coresPerChip > 1 ? `${p.granularity.unit} (${p.granularity.coresPerChip} cores)` : p.granularity.unit;
    t.push([p.id, p.name, unit, bf16 ? formatFlopRate(bf16.flopsPerSecond) : "—", formatFlopRate(vector.flopsPerSecond),
      formatBytes(p.memory.main.capacityBytes.value), formatByteRate(p.memory.main.bytesPerSecond.value),
      bf16 ? formatIntensity(bf16.flopsPerByte) : "—", formatIntensity(vector.flopsPerByte)]);
  }
  return `${t.toString()}\nRidge points are FLOP per byte of main memory. Pass --hw ID or --hw path/to/profile.json.`;
}

export function listModels(json: boolean, show?: string): string {
  if (show !== undefined) {
    const preset = PRESETS.find((p) => p.name === show);
    // A file (a model file, a config.json or a folder holding one) prints as loaded, its source saying from where.
    if (!preset && (show.endsWith(".json") || show.includes("/") || fs.existsSync(show))) return toJson(loadModel(show));
    if (!preset) {
      const names = PRESETS.map((p) => p.name);
      const suggestion = didYouMean(show, names);
      throw new InputError(`unknown model "${show}"${suggestion || `; known: ${names.join(", ")}`}`);
    }
    return toJson(preset);
  }
  if (json) return toJson(PRESETS.map((p) => ({ name: p.name, family: p.family, params: countParams(p) })));
  const t = new Table({
    head: ["name", "width", "depth", "layers", "params", "non-embedding"],
    style, chars: COMPACT_CHARS, colAligns: ["left", "right", "right", "left", "right", "right"],
  });
  for (const p of PRESETS) {
    const counts = countParams(p);
    const layers = Object.entries(layerCounts(p)).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(" + ");
    t.push([p.name, String(p.width), String(p.depth), layers, formatCount(counts.total), formatCount(counts.nonEmbedding)]);
  }
  return `${t.toString()}\nPass --model NAME, or --model path/to/model.json (\`roofline models --show NAME\` prints a preset as a model file).`;
}
