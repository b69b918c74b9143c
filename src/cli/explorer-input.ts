// What a report's explorer is given (src/report/explorer/compute.ts): the models and chips it
// offers, with the calibrations the chips ship, read here in Node and embedded in the page, and
// the state the report opens in, from the report's flags and `--state`.
import { shippedCalibration } from "../calibration/shipped.js";
import { DEFAULT_IMPLEMENTATION } from "../cost/phases.js";
import { bundledProfileIds, loadProfile } from "../hardware/load.js";
import type { HardwareProfile } from "../hardware/schema.js";
import { PRESETS } from "../models/presets.js";
import type { ModelSpec } from "../models/schema.js";
import type { ChartName } from "../report/charts/index.js";
import { stateChoices, type ExplorerInput } from "../report/explorer/compute.js";
import { parseState, type ExplorerState } from "../report/explorer/state.js";
import { backendModeOf } from "../roofline/launch.js";
import { calibrationFrom, implementationFrom, parsePhases, scenarioFrom } from "./options.js";
import { InputError } from "../errors.js";
import { pricePerHourFrom } from "./price.js";
import { SHOWN_PHASES, type ShownPhase } from "../report/data.js";

/** `--phase` of a report: prefill, decode or both, the phases its charts and op tables show. */
function parseShownPhases(value: unknown): ShownPhase[] {
  const phases = parsePhases(value, [...SHOWN_PHASES]);
  const other = phases.find((p) => !(SHOWN_PHASES as readonly string[]).includes(p));
  if (other) throw new InputError(`--phase: a report's charts and op tables show prefill, decode or both, not "${other}"`);
  return phases as ShownPhase[];
}
import type { ReportFlags } from "./report-command.js";

/**
 * What the page's explorer offers and opens in: the report's models and chips first, then every
 * preset and bundled profile; the state the flags describe, changed by `--state`.
 */
export function explorerInput(
  flags: ReportFlags, models: ModelSpec[], profiles: HardwareProfile[], chartNames: ChartName[], axes: Pick<ExplorerInput, "lengths" | "memoryBatches">,
): ExplorerInput {
  implementationFrom(flags); // refuses a bad --dtype, --kv-dtype, --attention or --scan by its flag
  if (flags.backend !== undefined) backendModeOf(String(flags.backend));
  const calibration = calibrationFrom(flags.calibration, profiles.map((p) => p.id));
  const chipIds = calibration ? [] : bundledProfileIds().filter((id) => !profiles.some((p) => p.id === id));
  const offered = {
    models: [...models, ...PRESETS.filter((preset) => !models.some((m) => m.name === preset.name)).map((preset) => structuredClone(preset))],
    chips: [...profiles, ...chipIds.map(loadProfile)].map((profile) => {
      const shipped = shippedCalibration(profile.id);
      return { profile, ...(shipped && { shipped }) };
    }),
  };
  const scenario = scenarioFrom(flags);
  const initial: ExplorerState = {
    models: models.map((m) => m.name), chips: profiles.map((p) => p.id), phases: parseShownPhases(flags.phase),
    batch: scenario.batch, seq: scenario.seqTokens, context: scenario.contextTokens, prompt: scenario.promptTokens, gen: scenario.newTokens, window: null,
    dtype: String(flags.dtype ?? "bf16") as ExplorerState["dtype"],
    kvDtype: String(flags.kvDtype ?? DEFAULT_IMPLEMENTATION.dtypes.cache) as ExplorerState["kvDtype"],
    attention: String(flags.attention ?? DEFAULT_IMPLEMENTATION.attention) as ExplorerState["attention"],
    scan: String(flags.scan ?? DEFAULT_IMPLEMENTATION.scan) as ExplorerState["scan"],
    backend: flags.backend === undefined ? null : String(flags.backend),
    calibration: flags.calibration !== false,
  };
  const price = pricePerHourFrom(flags.pricePerHour);
  return {
    ...offered,
    ...(calibration && { calibration }),
    ...(price !== undefined && { pricePerChipHour: price }),
    ...axes,
    chartNames,
    initial: flags.state === undefined ? initial : parseState(String(flags.state), initial, stateChoices(offered)),
  };
}
