// Finding, reading and validating hardware profiles: a bundled id (`tpu-v3`) or a path to a JSON file.
import fs from "node:fs";
import path from "node:path";
import { HardwareProfileSchema, type HardwareProfile } from "./schema.js";
import { InputError, describeIssues } from "../errors.js";
import { hardwareProfilesDir } from "../paths.js";

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
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const result = HardwareProfileSchema.safeParse(raw);
  if (!result.success) throw new InputError(describeIssues(where, result.error.issues));
  return result.data;
}

/** Loads a profile by bundled id or by file path. */
export function loadProfile(reference: string): HardwareProfile {
  const file = looksLikePath(reference) ? path.resolve(reference) : path.join(hardwareProfilesDir, `${reference}.json`);
  if (!fs.existsSync(file)) {
    if (looksLikePath(reference)) throw new InputError(`${reference}: no such hardware profile file`);
    throw new InputError(`unknown hardware "${reference}"; known: ${bundledProfileIds().join(", ")} (or pass a path to a profile .json)`);
  }
  const where = looksLikePath(reference) ? reference : path.relative(process.cwd(), file) || file;
  return parseProfile(fs.readFileSync(file, "utf8"), where);
}
