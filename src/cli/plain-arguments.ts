// The plain form of the analysis, `roofline --model M --hw H [--flag value]…`, read without yargs:
// loading yargs costs about as much as starting Node, more than the analysis it would start. Only
// what yargs reads the same way is taken: each flag of the table at most once, by its own name,
// as `--name value` or `--name=value` for a string and `--name` for a boolean, every required
// flag given and no two that conflict. Anything else (help, a mistake, a negation, a camel-case
// name, a list flag) is left to yargs, which reads every other command line with its own checks
// and messages.
import type { Options } from "yargs";

/** The camel-case name yargs sets beside a dashed one: kv-dtype → kvDtype. */
const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The flags given as `--name value`, `--name=value` or `--name`; undefined for any other token. */
function givenFlags(args: readonly string[], options: Readonly<Record<string, Options>>): Map<string, string | true> | undefined {
  const given = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (!token.startsWith("--")) return undefined;
    const equals = token.indexOf("=");
    const name = token.slice(2, equals < 0 ? undefined : equals);
    const option = Object.hasOwn(options, name) ? options[name]! : undefined;
    if (option === undefined || option.array || option.alias !== undefined || given.has(name)) return undefined;
    if (option.type === "boolean" && equals < 0) {
      given.set(name, true); // a value after it (`--json true`) is a token of its own, not plain
    } else if (option.type === "string") {
      // A value that starts with "-" may be a flag or a negative number: yargs decides.
      const value = equals >= 0 ? token.slice(equals + 1) : args[++i];
      if (value === undefined || value.startsWith("-")) return undefined;
      given.set(name, value);
    } else return undefined;
  }
  return given;
}

/**
 * The flags of a plain command line, with every default and both spellings of dashed names, as
 * yargs would give them; undefined when the command line is not plain.
 */
export function plainArguments(args: readonly string[], options: Readonly<Record<string, Options>>): Record<string, unknown> | undefined {
  const given = givenFlags(args, options);
  if (given === undefined) return undefined;
  const flags: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(options)) {
    const conflicts = [option.conflicts ?? []].flat() as string[];
    if (option.demandOption && !given.has(name)) return undefined;
    if (given.has(name) && conflicts.some((other) => given.has(other))) return undefined;
    const value = given.has(name) ? given.get(name) : option.default;
    if (value === undefined) continue;
    flags[name] = value;
    flags[camelCase(name)] = value;
  }
  return flags;
}
