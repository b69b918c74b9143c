// The whole corpus: every input kind's cases, the hardening items that cut across kinds, the
// inputs that must be accepted, and the generated ones.
import type { FuzzCase } from "../case.js";
import { acceptedCases } from "./accepted.js";
import { baselineCases } from "./baselines.js";
import { budgetCases } from "./budgets.js";
import { calibrationCases } from "./calibrations.js";
import { deviceCases } from "./devices.js";
import { flagCases } from "./flags.js";
import { generatedCases } from "./generated.js";
import { harnessCases } from "./harness.js";
import { hfConfigCases } from "./hf-configs.js";
import { modelCases } from "./models.js";
import { nsightCases } from "./nsight.js";
import { outputCases } from "./outputs.js";
import { overwriteCases } from "./overwrite.js";
import { planCases } from "./plans.js";
import { profileCases } from "./profiles.js";
import { publishedCases } from "./published.js";
import { regexCases } from "./regex.js";
import { ruleCases } from "./rules.js";
import { traceCases } from "./traces.js";

export function allCases(): FuzzCase[] {
  return [
    ...profileCases(), ...modelCases(), ...hfConfigCases(), ...flagCases(), ...harnessCases(), ...publishedCases(), ...traceCases(), ...nsightCases(),
    ...ruleCases(), ...planCases(), ...budgetCases(), ...baselineCases(), ...calibrationCases(), ...outputCases(), ...overwriteCases(),
    ...deviceCases(), ...regexCases(), ...acceptedCases(), ...generatedCases(),
  ];
}
