// Reading a kind calibration from a file (`npm run calibrations` writes them), validated by its
// schema, apart from the fits themselves (./kinds.ts) so that the report's page can run those.
import { parseJsonText, readTextFile, validateJson } from "../json-file.js";
import { MAX_JSON_BYTES } from "../limits.js";
import { onDemand } from "../on-demand.js";
import type { KindCalibration } from "./schemas.js";

/** The schema, zod and all, loaded only when a calibration must be validated. */
const schemas = onDemand<typeof import("./schemas.js")>(new URL("./schemas.js", import.meta.url));

/** Parses and validates calibration text; `where` names the file in every error. */
export function parseKindCalibration(text: string, where: string): KindCalibration {
  return validateJson(parseJsonText(text, where), schemas().KindCalibrationSchema, where);
}

export function readKindCalibration(file: string): KindCalibration {
  return parseKindCalibration(readTextFile(file, "calibration", MAX_JSON_BYTES), file);
}
