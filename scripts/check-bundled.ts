// Build step (`npm run build`): validates every bundled hardware profile, shipped calibration and
// model preset with the schemas a user's file goes through, then writes the validated profiles and
// calibrations, each with the text it was read from, to the snapshot the CLI loads them from
// without zod (src/bundled-snapshot.ts). A bundled file that does not validate fails the build
// with the error a user would see for it, and leaves no snapshot behind.
//   node dist/scripts/check-bundled.js [PROFILES_DIR [SNAPSHOT_DIR]]
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { snapshotDir, snapshotFile, type BundledKind, type ValidatedFile } from "../src/bundled-snapshot.js";
import { parseKindCalibration } from "../src/calibration/kind-files.js";
import { InputError } from "../src/errors.js";
import { parseProfile } from "../src/hardware/load.js";
import { readTextFile } from "../src/json-file.js";
import { MAX_DESCRIPTION_JSON_BYTES, MAX_JSON_BYTES } from "../src/limits.js";
import { validateModel } from "../src/models/overrides.js";
import { PRESETS } from "../src/models/presets.js";
import { hardwareProfilesDir } from "../src/paths.js";

const [profilesDir = hardwareProfilesDir, outDir = snapshotDir] = process.argv.slice(2);

/** Every `*.json` directly in `dir`, by name without the extension, validated by `parse`. */
function validateFolder(dir: string, what: string, maxBytes: number, parse: (text: string, where: string) => unknown): Record<string, ValidatedFile> {
  const names = fs.readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
  return Object.fromEntries(names.map((name) => {
    const file = path.join(dir, name);
    const text = readTextFile(file, what, maxBytes);
    return [name.slice(0, -".json".length), { text, value: parse(text, path.relative(process.cwd(), file) || file) }];
  }));
}

/** Presets are code, loaded as they are: validation must accept each one and leave it unchanged. */
function checkPresets(): void {
  for (const preset of PRESETS) {
    const validated = validateModel(preset, `preset ${preset.name}`);
    if (!isDeepStrictEqual(validated, preset)) throw new InputError(`preset ${preset.name}: validation changes it (a default or a transform in the schema?)`);
  }
}

const KINDS: readonly BundledKind[] = ["profiles", "calibrations"];

/** Removes an earlier snapshot, so that none outlives its files or a failed build. */
function clearSnapshot(): void {
  for (const kind of KINDS) fs.rmSync(path.join(outDir, kind), { recursive: true, force: true });
}

try {
  checkPresets();
  const snapshot: Record<BundledKind, Record<string, ValidatedFile>> = {
    profiles: validateFolder(profilesDir, "hardware profile", MAX_DESCRIPTION_JSON_BYTES, parseProfile),
    calibrations: validateFolder(path.join(profilesDir, "calibrations"), "calibration", MAX_JSON_BYTES, parseKindCalibration),
  };
  clearSnapshot();
  for (const kind of KINDS) {
    fs.mkdirSync(path.join(outDir, kind), { recursive: true });
    for (const [name, file] of Object.entries(snapshot[kind])) fs.writeFileSync(snapshotFile(kind, name, outDir), JSON.stringify(file));
  }
} catch (error) {
  clearSnapshot();
  if (!(error instanceof InputError)) throw error;
  console.error(`check-bundled: ${error.message}`);
  process.exitCode = 1;
}
