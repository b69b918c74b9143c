// The plain form of a command line, `roofline [report] --model M --hw H [--flag value]…`, read
// without yargs: loading yargs costs about as much as starting Node, more than the analysis it
// would start. Only what yargs reads the same way is taken: each flag of the command's table at
// most once, as `--name value` or `--name=value` for a string (or `-x value` for its one-letter
// alias), `--name` for a boolean and `--no-name` (false) for either, every required flag given and
// no two that conflict. Anything else (help, a mistake, a camel-case name, a list flag) is left to yargs,
// which reads every other command line with its own checks and messages.
import type { Options } from "yargs";
import { NEGATABLE_VALUE_FLAGS } from "./option-tables.js";

type OptionTable = Readonly<Record<string, Options>>;

/** The camel-case name yargs sets beside a dashed one: kv-dtype → kvDtype. */
const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Whether `--no-name` reads plainly as false: for a boolean or a negatable value flag, neither
 * required nor in a conflict (which yargs checks).
 */
function negatable(name: string, options: OptionTable): boolean {
  const option = options[name]!;
  const inConflict = Object.values(options).some((other) => [other.conflicts ?? []].flat().includes(name));
  const kind = option.type === "boolean" || NEGATABLE_VALUE_FLAGS.includes(name);
  return kind && !option.demandOption && option.conflicts === undefined && !inConflict;
}

/**
 * The option a token names: `--name` or `--name=…` by its name, `--no-name` negated (as yargs
 * reads it, where the table has no option of that name), `-x` by its one-letter alias.
 */
function optionNamed(token: string, options: OptionTable): { name: string; inlineValue?: string; negated?: true } | undefined {
  const negation = /^--no-(.+)$/s.exec(token);
  if (negation && !Object.hasOwn(options, token.slice(2)) && Object.hasOwn(options, negation[1]!)) {
    return negatable(negation[1]!, options) ? { name: negation[1]!, negated: true } : undefined;
  }
  const long = /^--([^=]+)(?:=(.*))?$/s.exec(token);
  if (long) return Object.hasOwn(options, long[1]!) ? { name: long[1]!, ...(long[2] !== undefined && { inlineValue: long[2] }) } : undefined;
  const short = /^-([a-zA-Z])$/.exec(token);
  const name = short && Object.keys(options).find((key) => options[key]!.alias === short[1]);
  return name ? { name } : undefined;
}

/** The flags given, by their names in the table; undefined for any token yargs might read otherwise. */
function givenFlags(args: readonly string[], options: OptionTable): Map<string, string | boolean> | undefined {
  const given = new Map<string, string | boolean>();
  for (let i = 0; i < args.length; i++) {
    const named = optionNamed(args[i]!, options);
    if (named === undefined || given.has(named.name)) return undefined;
    const option = options[named.name]!;
    if (option.array) return undefined;
    if (named.negated) {
      given.set(named.name, false);
    } else if (option.type === "boolean" && named.inlineValue === undefined) {
      given.set(named.name, true); // a value after it (`--json true`) is a token of its own, not plain
    } else if (option.type === "string") {
      // A value that starts with "-" may be a flag or a negative number: yargs decides.
      const value = named.inlineValue ?? args[++i];
      if (value === undefined || (named.inlineValue === undefined && value.startsWith("-"))) return undefined;
      given.set(named.name, value);
    } else return undefined;
  }
  return given;
}

/**
 * The flags of a plain command line, with every default, both spellings of dashed names and the
 * one-letter aliases, as yargs would give them; undefined when the command line is not plain.
 */
export function plainArguments(args: readonly string[], options: OptionTable): Record<string, unknown> | undefined {
  const given = givenFlags(args, options);
  if (given === undefined) return undefined;
  const flags: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(options)) {
    const conflicts = [option.conflicts ?? []].flat() as string[];
    if (option.demandOption && !given.has(name)) return undefined;
    if (given.has(name) && conflicts.some((other) => given.has(other))) return undefined;
    const value = given.has(name) ? given.get(name) : option.default;
    if (value === undefined) continue;
    for (const key of [name, camelCase(name), ...[option.alias ?? []].flat()]) flags[key] = value;
  }
  return flags;
}
