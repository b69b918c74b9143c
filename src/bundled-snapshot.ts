// The bundled hardware profiles and shipped calibrations as the build validated them. `npm run
// build` validates every bundled file with the schemas a user's file goes through
// (scripts/check-bundled.ts) and writes, beside this module, each file's text with what
// validation yielded. At run time a bundled file whose text is the one validated is taken from
// here, without loading zod; a file edited since the build, or a build without the snapshot
// (tsc alone), is validated like any file a user passes.
import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** One bundled file: the text the build read and what validating it yielded. */
export interface ValidatedFile {
  text: string;
  value: unknown;
}

export interface BundledSnapshot {
  /** hardware-profiles/ID.json, by id. */
  profiles: Record<string, ValidatedFile>;
  /** hardware-profiles/calibrations/CHIP.json, by chip id. */
  calibrations: Record<string, ValidatedFile>;
}

export const snapshotFile = fileURLToPath(new URL("./bundled-snapshot.json", import.meta.url));

let snapshot: BundledSnapshot | null | undefined;

/** The snapshot, read once; null when the build wrote none. */
export function bundledSnapshot(): BundledSnapshot | null {
  if (snapshot === undefined) {
    try {
      snapshot = JSON.parse(fs.readFileSync(snapshotFile, "utf8")) as BundledSnapshot;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      snapshot = null;
    }
  }
  return snapshot;
}

/**
 * What validation yielded for the bundled file `name` when `text` is exactly what the build
 * validated (a copy, as validation returns a fresh object); undefined when it must be validated now.
 */
export function validatedAtBuild(kind: keyof BundledSnapshot, name: string, text: string): unknown {
  const files = bundledSnapshot()?.[kind];
  const entry = files && Object.hasOwn(files, name) ? files[name] : undefined;
  return entry !== undefined && entry.text === text ? structuredClone(entry.value) : undefined;
}
