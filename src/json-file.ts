// Reading a JSON file the user gave us and validating it, with errors that name the file (and,
// through zod, the field). Every JSON input comes through here, so every one is bounded the same
// way: a size cap checked while reading (a device like /dev/zero never ends), a nesting cap
// checked before parsing (a file of '[' costs the parser seconds per megabyte), and an optional
// UTF-8 byte-order mark, which editors on Windows write and JSON.parse rejects.
import fs from "node:fs";
import type { z } from "zod";
import { InputError, describeIssues } from "./errors.js";
import { MAX_JSON_BYTES, MAX_JSON_NESTING, formatLimit } from "./limits.js";

const BYTE_ORDER_MARK = "\uFEFF";
const CHUNK_BYTES = 64 * 1024;

/** Reads at most `maxBytes` + 1 bytes of `file` as UTF-8 text; more is an error naming the cap. */
export function readTextFile(file: string, what: string, maxBytes: number): string {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new InputError(`${file}: no such ${what} file`);
    if (code === "EISDIR") throw new InputError(`${file}: is a directory, not a ${what} file`);
    throw new InputError(`${file}: cannot read the ${what} file (${(error as Error).message})`);
  }
  try {
    if (fs.fstatSync(descriptor).isDirectory()) throw new InputError(`${file}: is a directory, not a ${what} file`);
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, CHUNK_BYTES));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      let read: number;
      try {
        read = fs.readSync(descriptor, buffer, 0, Math.min(buffer.length, maxBytes + 1 - total), null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EISDIR") throw new InputError(`${file}: is a directory, not a ${what} file`);
        throw new InputError(`${file}: cannot read the ${what} file (${(error as Error).message})`);
      }
      if (read === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, read)));
      total += read;
      if (total > maxBytes) {
        throw new InputError(`${file}: larger than ${formatLimit(maxBytes)} bytes, the limit for a ${what} file`);
      }
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    fs.closeSync(descriptor);
  }
}

/** Throws when arrays and objects nest deeper than MAX_JSON_NESTING (strings are skipped). */
function checkNesting(text: string, where: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_NESTING) throw new InputError(`${where}: arrays and objects nested more than ${MAX_JSON_NESTING} levels deep`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Parses JSON text (a leading byte-order mark allowed); `where` names the file in every error. */
export function parseJsonText(text: string, where: string): unknown {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  checkNesting(body, where);
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new InputError(`${where}: not valid JSON (${(error as Error).message})`);
  }
}

/** Reads and parses a JSON file of at most `maxBytes` bytes. */
export function readJsonFile(file: string, what: string, maxBytes = MAX_JSON_BYTES): unknown {
  return parseJsonText(readTextFile(file, what, maxBytes), file);
}

/** Validates already-parsed JSON; errors name `where` and each field. */
export function validateJson<S extends z.ZodType>(raw: unknown, schema: S, where: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new InputError(describeIssues(where, result.error.issues));
  return result.data;
}

export function readValidatedJson<S extends z.ZodType>(file: string, schema: S, what: string, maxBytes = MAX_JSON_BYTES): z.output<S> {
  return validateJson(readJsonFile(file, what, maxBytes), schema, file);
}
