// Shared test fixtures: presets by name and the default implementation.
import { DEFAULT_DTYPES } from "../src/cost/dtypes.js";
import type { Implementation } from "../src/cost/phases.js";
import { findPreset } from "../src/models/presets.js";
import type { ModelSpec } from "../src/models/schema.js";

export function preset(name: string): ModelSpec {
  const spec = findPreset(name);
  if (!spec) throw new Error(`no preset ${name}`);
  return spec;
}

/** Written out rather than imported, so that a change of the project's defaults shows in tests. */
export const FLASH_FUSED: Implementation = { dtypes: DEFAULT_DTYPES, attention: "flash", scan: "fused" };
