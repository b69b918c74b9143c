#!/usr/bin/env node
// The `roofline` command line. The plain analysis, report and sweep (`roofline [report|sweep]
// --model M --hw H [--flag value]…`) run without yargs (./plain-arguments.ts), since loading yargs alone costs
// about as much as starting Node; every other command line, help and usage errors included, goes
// to yargs (./commands.ts). Either way a command's modules load only when it runs.
import { InputError } from "../errors.js";
import { didYouMean } from "../closest-names.js";
import { endQuietlyWhenReaderLeaves, printNote, printResult } from "../views/standard-streams.js";
import { ANALYSIS_OPTIONS, REPORT_OPTIONS, SWEEP_OPTIONS } from "./option-tables.js";
import { plainArguments } from "./plain-arguments.js";
import type { AnalyzeFlags } from "./analyze-command.js";
import type { ReportFlags } from "./report-command.js";
import type { SweepFlags } from "./sweep-command.js";
import type { Options } from "yargs";

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

/** The commands a plain command line may name first, with their flags and how they run. */
const PLAIN_COMMANDS: Record<string, { options: Readonly<Record<string, Options>>; run: (flags: Record<string, unknown>) => Promise<void> }> = {
  sweep: { options: SWEEP_OPTIONS, run: async (flags) => (await import("./sweep-command.js")).runSweep(flags as unknown as SweepFlags) },
  report: { options: REPORT_OPTIONS, run: async (flags) => (await import("./report-command.js")).reportCommand(flags as unknown as ReportFlags) },
};

/** Runs a plain analysis, report or sweep; false when the command line is not plain. */
async function runPlain(args: readonly string[]): Promise<boolean> {
  const command = args[0] !== undefined && Object.hasOwn(PLAIN_COMMANDS, args[0]) ? PLAIN_COMMANDS[args[0]] : undefined;
  if (command) {
    const flags = plainArguments(args.slice(1), command.options);
    if (flags === undefined) return false;
    await command.run(flags);
    return true;
  }
  const flags = plainArguments(args, ANALYSIS_OPTIONS);
  if (flags === undefined) return false;
  const { runAnalyze } = await import("./analyze-command.js");
  printResult(await runAnalyze(flags as unknown as AnalyzeFlags));
  return true;
}

endQuietlyWhenReaderLeaves();

const args = process.argv.slice(2);
try {
  const mistyped = unknownCommand(args);
  if (mistyped) throw mistyped;
  if (!(await runPlain(args))) {
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
