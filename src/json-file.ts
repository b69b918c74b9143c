// Reading a JSON file the user gave us and validating it, with errors that name the file (and,
// through zod, the field).
import fs from "node:fs";
import type { z } from "zod";
import { InputError, describeIssues } from "./errors.js";

export function readValidatedJson<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such ${what} file`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "")); // a byte-order mark is not JSON
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new InputError(describeIssues(file, result.error.issues));
  return result.data;
}
