// Where a command will write, checked before it does any work: a destination that cannot be
// written, that two flags share, or that is one of the command's own inputs is refused with one
// line naming the flag, the path and the reason. Missing folders above an output are created
// when it is written; `$GITHUB_STEP_SUMMARY` is appended to, so its folder must already exist.
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";

/** A file named by a flag (or an environment variable): `-o out.csv`, `--model m.json`. */
export interface NamedFile {
  flag: string;
  file: string;
}

/** A file a command writes; `append` adds to an existing file (`$GITHUB_STEP_SUMMARY`) instead of replacing it. */
export interface Destination extends NamedFile {
  append?: boolean;
}

/** Why a file system call failed, in words. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES": case "EPERM": return "permission denied";
    case "EROFS": return "read-only file system";
    case "ENOSPC": return "no space left on the device";
    case "EDQUOT": return "disk quota exceeded";
    case "EISDIR": return "it is a folder";
    case "ENOTDIR": return "part of the path is a file, not a folder";
    case "ENOENT": return "no such folder";
    case "ENAMETOOLONG": return "the name is too long";
    default: return code ?? (error as Error).message;
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined; // missing, or under a file (ENOTDIR): the caller walks up
  }
}

function canWrite(file: string): string | undefined {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return undefined;
  } catch (error) {
    return reasonOf(error);
  }
}

/** Refuses a place where `where` cannot be created: the nearest existing folder above must be a writable folder. */
function checkCreatable(where: string, file: string, { append = false } = {}): void {
  let folder = path.dirname(file);
  while (!statOrUndefined(folder) && path.dirname(folder) !== folder) {
    if (append) throw new InputError(`${where}: the folder ${folder} does not exist`);
    folder = path.dirname(folder);
  }
  const above = statOrUndefined(folder);
  if (above && !above.isDirectory()) throw new InputError(`${where}: ${folder} is a file, not a folder`);
  const reason = canWrite(folder);
  if (reason) throw new InputError(`${where}: cannot write in ${folder} (${reason})`);
}

/** Refuses a destination that cannot be written as it is named. */
function checkWritable(destination: Destination): void {
  const { flag, file } = destination;
  const where = `${flag} ${file}`;
  if (file.trim() === "") throw new InputError(`${flag}: give a file name`);
  const stats = statOrUndefined(file);
  if (stats?.isDirectory()) throw new InputError(`${where}: is a folder; give a file name`);
  if (!stats) return checkCreatable(where, file, { append: destination.append });
  const reason = canWrite(file);
  if (reason) throw new InputError(`${where}: cannot overwrite it (${reason})`);
}

/** Refuses a folder a command writes files into (`--per-chip DIR`) that is a file, or cannot be made or written in. */
export function checkOutputFolder(flag: string, folder: string): void {
  const where = `${flag} ${folder}`;
  if (folder.trim() === "") throw new InputError(`${flag}: give a folder`);
  const stats = statOrUndefined(folder);
  if (stats && !stats.isDirectory()) throw new InputError(`${where}: is a file, not a folder`);
  if (!stats) return checkCreatable(where, folder);
  const reason = canWrite(folder);
  if (reason) throw new InputError(`${where}: cannot write in it (${reason})`);
}

/** The file's real location: symbolic links resolved as far as the path exists. */
export function realLocation(file: string): string {
  const missing: string[] = [];
  let existing = path.resolve(file);
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...missing);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(file);
      missing.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * Checks every destination before the command works: each must be writable, no two may be the
 * same file, and none may be one of `sources`, the files the command reads (presets and other
 * names that are not files are skipped).
 */
export function checkDestinations(destinations: readonly Destination[], sources: readonly NamedFile[] = []): void {
  for (const destination of destinations) checkWritable(destination);
  const seen = new Map<string, Destination>();
  for (const destination of destinations) {
    const location = realLocation(destination.file);
    const earlier = seen.get(location);
    if (earlier) {
      throw new InputError(`${earlier.flag} ${earlier.file} and ${destination.flag} ${destination.file} are the same file; give each output its own`);
    }
    seen.set(location, destination);
  }
  for (const source of sources) {
    if (!statOrUndefined(source.file)?.isFile()) continue;
    const destination = seen.get(realLocation(source.file));
    if (destination) {
      throw new InputError(`${destination.flag} ${destination.file} would overwrite ${source.flag} ${source.file}, which this command reads; write the output elsewhere`);
    }
  }
}

/** The files behind flags that may name files or presets, as sources for `checkDestinations`. */
export function sourcesOf(flag: string, names: readonly string[]): NamedFile[] {
  return names.map((file) => ({ flag, file }));
}
