// The report for one explorer state: the models, chips and settings it names turned into the
// same request the CLI builds from its flags, and from it the numbers, the charts and the
// section bodies. The CLI writes the report from this function and the page reruns it on every
// change, so both show the same numbers.
import type { Calibration } from "../../calibration/calibration.js";
import type { KindCalibration } from "../../calibration/kinds.js";
import type { HardwareProfile } from "../../hardware/schema.js";
import { labelDerived } from "../../models/derived.js";
import type { ModelSpec } from "../../models/schema.js";
import { DEFAULT_SCENARIO } from "../../roofline/analyze.js";
import { estimateSourceWith } from "../../roofline/estimate.js";
import type { HarnessValidation } from "../../validation/harness.js";
import { estimateOptionsFrom, implementationFrom } from "../../cli/analysis-flags.js";
import { buildCharts, type Chart, type ChartName } from "../charts/index.js";
import { buildReport, type ReportData } from "../data.js";
import { sectionBodies, type SectionBodies } from "../sections.js";
import type { ExplorerState, StateChoices } from "./state.js";

export interface ExplorerChip {
  profile: HardwareProfile;
  /** The calibration the chip ships (hardware-profiles/calibrations/), refining its estimate. */
  shipped?: { file: string; calibration: KindCalibration };
}

/** Everything the page needs to recompute the report: embedded in it as JSON. */
export interface ExplorerInput {
  /** Every model the page offers: the report's own first, then the presets. */
  models: ModelSpec[];
  /** Every chip the page offers: the report's own first, then the bundled profiles. */
  chips: ExplorerChip[];
  /** A --calibration file, fitted on one chip: the page then offers that chip alone. */
  calibration?: { file: string; calibration: Calibration };
  lengths: number[];
  memoryBatches: number[];
  validation?: HarnessValidation;
  /** US dollars per chip-hour for the cost chart (--price-per-hour), instead of each profile's dated default. */
  pricePerChipHour?: number;
  /** The charts the report draws (all, or those named with --chart). */
  chartNames: ChartName[];
  /** The state the report was written in, which the page opens in. */
  initial: ExplorerState;
}

export interface ExplorerView {
  data: ReportData;
  charts: Chart[];
  sections: SectionBodies;
}

export function stateChoices(input: Pick<ExplorerInput, "models" | "chips">): StateChoices {
  return { models: input.models.map((m) => m.name), chips: input.chips.map((c) => c.profile.id) };
}

/**
 * `spec` with its local-attention window set, labelled as `--set window=N` labels it
 * ("griffin-7b (window=2048)"); a model without local attention, or at its own window, unchanged.
 */
export function withWindow(spec: ModelSpec, window: number | null): ModelSpec {
  if (window === null || !spec.attention || !spec.pattern.includes("local-attention") || spec.attention.window === window) return spec;
  return labelDerived({ ...spec, attention: { ...spec.attention, window } }, spec, { withSet: true });
}

function pick<T>(items: readonly T[], keys: readonly string[], keyOf: (item: T) => string): T[] {
  return keys.map((key) => items.find((item) => keyOf(item) === key)).filter((item): item is T => item !== undefined);
}

/** The report's numbers for `state`. */
export function explorerData(input: ExplorerInput, state: ExplorerState): ReportData {
  const flags = {
    dtype: state.dtype, kvDtype: state.kvDtype, attention: state.attention, scan: state.scan,
    ...(state.backend !== null && { backend: state.backend }),
  };
  const chips = pick(input.chips, state.chips, (c) => c.profile.id);
  const calibration = state.calibration ? input.calibration : undefined;
  const data = buildReport({
    ...(calibration && { calibration }),
    estimates: state.calibration
      ? Object.fromEntries(chips.map((c) => [c.profile.id, estimateSourceWith(c.profile, c.shipped, estimateOptionsFrom(flags))]))
      : {},
    models: pick(input.models, state.models, (m) => m.name).map((m) => withWindow(m, state.window)),
    profiles: chips.map((c) => c.profile),
    scenario: {
      ...DEFAULT_SCENARIO,
      batch: state.batch, seqTokens: state.seq, contextTokens: state.context, promptTokens: state.prompt, newTokens: state.gen,
    },
    implementation: implementationFrom(flags),
    lengths: input.lengths,
    memoryBatches: input.memoryBatches,
    phases: state.phases,
  });
  if (input.pricePerChipHour !== undefined) data.pricePerChipHour = input.pricePerChipHour;
  // Measured kernels belong to the chip they were measured on, drawn on the first chip's roofline.
  if (input.validation && data.chips[0]?.profile.id === input.validation.hardware) data.validation = input.validation;
  return data;
}

/** `subtitles`: the settings in each chart's subtitle (charts exported alone) or not (the page's). */
export function explorerView(input: ExplorerInput, state: ExplorerState, options: { subtitles?: boolean } = {}): ExplorerView {
  const data = explorerData(input, state);
  const charts = buildCharts(data, { subtitles: options.subtitles ?? false }).filter((c) => input.chartNames.includes(c.name));
  return { data, charts, sections: sectionBodies(data) };
}
