// The bundled hardware profiles and shipped calibrations as the build validated them. `npm run
// build` validates every bundled file with the schemas a user's file goes through
// (scripts/check-bundled.ts) and writes, in a folder beside this module, one file per bundled
// file: the text it read and what validation yielded. At run time a bundled file whose text is
// the one validated is taken from there, without loading zod; a file edited since the build, or a
// build without the snapshot (tsc alone), is validated like any file a user passes.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** One bundled file: the text the build read and what validating it yielded. */
export interface ValidatedFile {
  text: string;
  value: unknown;
}

/** hardware-profiles/ID.json by id, and hardware-profiles/calibrations/CHIP.json by chip id. */
export type BundledKind = "profiles" | "calibrations";

export const snapshotDir = fileURLToPath(new URL("./bundled-snapshot", import.meta.url));

export function snapshotFile(kind: BundledKind, name: string, dir = snapshotDir): string {
  return path.join(dir, kind, `${name}.json`);
}

/**
 * What validation yielded for the bundled file `name` when `text` is exactly what the build
 * validated; undefined when the file must be validated now.
 */
export function validatedAtBuild(kind: BundledKind, name: string, text: string): unknown {
  if (path.basename(name) !== name) return undefined;
  let entry: ValidatedFile;
  try {
    entry = JSON.parse(fs.readFileSync(snapshotFile(kind, name), "utf8")) as ValidatedFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return entry.text === text ? entry.value : undefined;
}
