// Regular expressions the user writes (trace rules, a budget's kernel selection), compiled with
// RE2 (re2js): matching takes time linear in the text, so no pattern can hang the process the
// way a backtracking engine does on `^(a+)+$`. RE2 has no backreferences and no lookaround; a
// pattern that needs them is refused with the reason.
import { RE2JS } from "re2js";
import { InputError } from "./errors.js";

export interface UserPattern {
  /** The pattern as the user wrote it. */
  source: string;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
}

/** JavaScript-style flags a user may give, as RE2's. Unicode ("u") is RE2's default. */
const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

/**
 * `where` opens any error message: the file and the field, e.g. `rules.json: rules[2].pattern:`
 * or `budget.json: measured "x": kernels is`.
 */
export function compileUserPattern(source: string, where: string, flags = ""): UserPattern {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAGS[flag];
    if (bit === undefined) throw new InputError(`${where} unknown flag "${flag}"; known: ${Object.keys(FLAGS).join(", ")}`);
    bits |= bit;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, bits);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, "");
    throw new InputError(`${where} not a regular expression this tool accepts: /${source}/ (${reason}); ` +
      "patterns use RE2 syntax, which has no backreferences or lookaround, so that matching always takes linear time");
  }
  return { source, test: (text) => compiled.test(text) };
}
