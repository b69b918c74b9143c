// Writing outputs so that each is either complete or absent: every file is first written to a
// hidden temporary file beside it, and only when all of them are written are they renamed into
// place (atomic on one filesystem). A failure removes the temporary files and the folders made
// for them, and says which flag's file could not be written and why.
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { reasonOf, type Destination } from "./output-paths.js";
import { holdTemporary, releaseTemporary } from "./temporary-files.js";

export interface Output extends Destination {
  content: string | Uint8Array;
}

/** The hidden file an output is written to first: `.out.csv.<pid>.tmp` beside `out.csv`. */
export function temporaryFor(file: string): string {
  return path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
}

/** Devices and pipes (`-o /dev/stdout`) are written to directly: renaming over them would replace them. */
export function isSpecial(file: string): boolean {
  try {
    const stats = fs.statSync(file);
    return !stats.isFile() && !stats.isDirectory();
  } catch {
    return false;
  }
}

function failure(output: Output, error: unknown): InputError {
  return new InputError(`${output.flag} ${output.file}: cannot write it (${reasonOf(error)})`);
}

/** Writes every output whole, or none of them. */
export async function writeOutputs(outputs: readonly Output[]): Promise<void> {
  const staged: { output: Output; temporary: string }[] = [];
  const madeFolders: string[] = [];
  let renamed = 0;
  let current: Output | undefined;
  try {
    for (const output of outputs.filter((o) => !o.append && !isSpecial(o.file))) {
      current = output;
      const made = fs.mkdirSync(path.dirname(path.resolve(output.file)), { recursive: true });
      if (made) madeFolders.push(made);
      const temporary = temporaryFor(output.file);
      holdTemporary(temporary);
      staged.push({ output, temporary });
      // Asynchronous, so that a signal during a long write is handled (and the file removed).
      await fs.promises.writeFile(temporary, output.content);
    }
    for (const output of outputs.filter((o) => o.append)) {
      current = output;
      await fs.promises.appendFile(output.file, output.content);
    }
    for (const { output, temporary } of staged) {
      current = output;
      fs.renameSync(temporary, output.file);
      renamed += 1;
      releaseTemporary(temporary, { remove: false });
    }
    for (const output of outputs.filter((o) => !o.append && isSpecial(o.file))) {
      current = output;
      await fs.promises.writeFile(output.file, output.content);
    }
  } catch (error) {
    for (const { temporary } of staged) releaseTemporary(temporary, { remove: true });
    // Folders made for this write hold nothing else until an output is renamed into them.
    if (renamed === 0) for (const folder of madeFolders.reverse()) fs.rmSync(folder, { recursive: true, force: true });
    throw current ? failure(current, error) : error;
  }
}

/** One output file, written whole or not at all. */
export async function writeFileAtomic(file: string, content: string | Uint8Array, flag = "-o"): Promise<void> {
  await writeOutputs([{ flag, file, content }]);
}
