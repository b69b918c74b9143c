#!/usr/bin/env node
// The `roofline` command line. The plain analysis (`roofline --model M --hw H [--flag value]…`)
// runs without yargs (./plain-arguments.ts), since loading yargs alone costs about as much as
// starting Node; every other command line, help and usage errors included, goes to yargs
// (./commands.ts). Either way a command's modules load only when it runs.
import { InputError } from "../errors.js";
import { didYouMean } from "../closest-names.js";
import { endQuietlyWhenReaderLeaves, printNote, printResult } from "../views/standard-streams.js";
import { ANALYSIS_OPTIONS } from "./analysis-options.js";
import { plainArguments } from "./plain-arguments.js";
import type { AnalyzeFlags } from "./analyze-command.js";

/** Every command, so that a mistyped one is named instead of read as the analysis's argument. */
const COMMANDS = ["sweep", "report", "plan", "measurements", "validate", "calibrate", "check", "compare", "baseline", "hw", "models"];

/** The first argument when it names no command (the analysis takes flags only). */
function unknownCommand(args: readonly string[]): InputError | undefined {
  const first = args[0];
  if (first === undefined || first.startsWith("-") || COMMANDS.includes(first)) return undefined;
  const suggestion = didYouMean(first, COMMANDS);
  const commands = `the commands are ${COMMANDS.join(", ")}; the analysis itself takes only flags (roofline --model M --hw H)`;
  return new InputError(`unknown command "${first}"${suggestion ? `${suggestion} (${commands})` : `; ${commands}`}`);
}

endQuietlyWhenReaderLeaves();

const args = process.argv.slice(2);
try {
  const mistyped = unknownCommand(args);
  if (mistyped) throw mistyped;
  const plain = plainArguments(args, ANALYSIS_OPTIONS);
  if (plain) {
    const { runAnalyze } = await import("./analyze-command.js");
    printResult(await runAnalyze(plain as unknown as AnalyzeFlags));
  } else {
    const { runCommandLine } = await import("./commands.js");
    await runCommandLine(args);
  }
} catch (error) {
  if (error instanceof InputError) {
    printNote(`roofline: ${error.message}`); // control sequences quoted from input are stripped
    process.exit(2);
  }
  throw error;
}
