// Finding, reading and validating hardware profiles: a bundled id (`tpu-v3`) or a path to a JSON
// file. A bundled profile comes as the build validated it (src/bundled-snapshot.ts); any other is
// validated here, with the schema loaded on first use (src/on-demand.ts).
import fs from "node:fs";
import path from "node:path";
import type { HardwareProfile } from "./schema.js";
import { InputError } from "../errors.js";
import { didYouMean } from "../closest-names.js";
import { parseJsonText, readTextFile, validateJson } from "../json-file.js";
import { MAX_DESCRIPTION_JSON_BYTES } from "../limits.js";
import { hardwareProfilesDir } from "../paths.js";
import { validatedAtBuild } from "../bundled-snapshot.js";
import { onDemand } from "../on-demand.js";

const schema = onDemand<typeof import("./schema.js")>(new URL("./schema.js", import.meta.url));

export function bundledProfileIds(): string[] {
  return fs
    .readdirSync(hardwareProfilesDir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

function looksLikePath(reference: string): boolean {
  return reference.endsWith(".json") || reference.includes("/") || reference.includes(path.sep);
}

/** Parses and validates profile text; `where` names the file in every error. */
export function parseProfile(text: string, where: string): HardwareProfile {
  return validateJson(parseJsonText(text, where), schema().HardwareProfileSchema, where);
}

/** Loads a profile by bundled id or by file path. */
export function loadProfile(reference: string): HardwareProfile {
  const ids = bundledProfileIds();
  if (looksLikePath(reference) || (!ids.includes(reference) && fs.existsSync(reference))) {
    return parseProfile(readTextFile(reference, "hardware profile", MAX_DESCRIPTION_JSON_BYTES), reference);
  }
  if (!ids.includes(reference)) {
    const suggestion = didYouMean(reference, ids);
    const known = suggestion ? " (`roofline hw` lists every profile;" : `; known: ${ids.join(", ")} (`;
    throw new InputError(`unknown hardware "${reference}"${suggestion}${known} or pass a path to a profile .json)`);
  }
  const file = path.join(hardwareProfilesDir, `${reference}.json`);
  const text = readTextFile(file, "hardware profile", MAX_DESCRIPTION_JSON_BYTES);
  const checked = validatedAtBuild("profiles", reference, text) as HardwareProfile | undefined;
  return checked ?? parseProfile(text, path.relative(process.cwd(), file) || file);
}
