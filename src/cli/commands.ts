// Every command of the command line, wired with yargs: flags, help and usage errors. Each command's
// modules load only when it runs, so that one command does not pay for another's (charts,
// statistics, importers, CSV). ./main.ts sends here every command line but a plain analysis or
// report.
import yargs from "yargs";
import { InputError } from "../errors.js";
import { printNote, printResult as print } from "../views/standard-streams.js";
import type { AnalyzeFlags } from "./analyze-command.js";
import type { ReportFlags } from "./report-command.js";
import { ANALYSIS_OPTIONS, IMPLEMENTATION_OPTIONS, MESH_OPTIONS, REPORT_OPTIONS } from "./option-tables.js";
import { DEFAULT_SCENARIO } from "../roofline/analyze.js";

/** Parses `args` (the command line after the script) and runs the command they name. */
export async function runCommandLine(args: readonly string[]): Promise<void> {
  const cli = yargs([...args])
    .scriptName("roofline")
    .usage("$0 --model MODEL --hw CHIP [options]\n\nRoofline cost model of a language model on a chip.")
    .command(
      "$0",
      "analyse one model on one chip (prefill and decode by default)",
      (y) => y.options(ANALYSIS_OPTIONS),
      async (argv) => {
        const { runAnalyze } = await import("./analyze-command.js");
        print(await runAnalyze(argv as unknown as AnalyzeFlags));
      },
    )
    .command(
      "sweep",
      "totals over a grid of models × chips × phases × lengths × batches × windows, as CSV, JSON Lines or JSON",
      (y) =>
        y
          .options(IMPLEMENTATION_OPTIONS)
          .option("model", { type: "string", describe: "comma list of presets or model files", demandOption: true })
          .option("hw", { type: "string", describe: "comma list of profiles", demandOption: true })
          .option("phase", { type: "string", describe: "prefill, decode, generate, train (comma list)", default: "prefill,decode" })
          .option("seq", { type: "string", describe: "lengths: list or doubling range (prefill/train sequence, decode context, generate prompt)", default: "256..65536" })
          .option("batch", { type: "string", describe: "batch sizes: list or range, e.g. 1..128", default: "1" })
          .option("window", { type: "string", describe: "local attention windows to try, e.g. 1024,2048" })
          .option("gen", { type: "string", describe: "generate: new tokens", default: String(DEFAULT_SCENARIO.newTokens) })
          .option("remat", { type: "boolean", default: false })
          .option("set", { type: "string", array: true, describe: "override a field of every model" })
          .option("calibration", { type: "string", describe: "apply a calibration from `roofline calibrate`" })
          .option("backend", ANALYSIS_OPTIONS.backend)
          .options(MESH_OPTIONS)
          .option("format", { type: "string", describe: "csv, jsonl (one JSON object a line) or json", default: "csv" })
          .option("output", { alias: "o", type: "string", describe: "write to this file instead of stdout" }),
      async (argv) => {
        const { runSweep } = await import("./sweep-command.js");
        await runSweep(argv as unknown as Parameters<typeof runSweep>[0]);
      },
    )
    .command(
      "report",
      "write a self-contained HTML report (or each chart as SVG, PNG or Vega-Lite JSON)",
      (y) => y.options(REPORT_OPTIONS),
      async (argv) => {
        const { reportCommand } = await import("./report-command.js");
        await reportCommand(argv as unknown as ReportFlags);
      },
    )
    .command(
      "plan",
      "the kernels to benchmark for a model, with exact shapes, dtypes and predictions (JSON)",
      (y) =>
        y
          .options(IMPLEMENTATION_OPTIONS)
          .option("model", { type: "string", describe: "comma list of presets or model files", demandOption: true })
          .option("hw", { type: "string", describe: "profile the predictions use", demandOption: true })
          .option("phase", { type: "string", describe: "prefill, decode, train (comma list)", default: "prefill,decode" })
          .option("seq", { type: "string", describe: "lengths: prefill/train sequence, decode context", default: "512..8192" })
          .option("batch", { type: "string", describe: "batch sizes", default: "1" })
          .option("set", { type: "string", array: true })
          .option("output", { alias: "o", type: "string", describe: "write to this file instead of stdout" }),
      async (argv) => {
        const { runPlan } = await import("./plan-command.js");
        const text = await runPlan(argv as unknown as Parameters<typeof runPlan>[0]);
        if (text !== undefined) print(text);
      },
    )
    .command(
      "measurements <file>",
      "validate a measurements CSV from the kernel harness and summarise it",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true })
          .option("plan", { type: "string", describe: "the plan the harness ran: join every measurement to its prediction" })
          .option("allow-device-mismatch", { type: "boolean", describe: "join with a plan made for another device than the one measured" }),
      async (argv) => {
        const { runMeasurements } = await import("./measurements-command.js");
        print(await runMeasurements(String(argv.file), { plan: argv.plan, allowDeviceMismatch: argv.allowDeviceMismatch }));
      },
    )
    .command(
      "validate",
      "compare measured kernels with the cost model's predictions",
      (y) =>
        y
          .options(IMPLEMENTATION_OPTIONS)
          .option("measured", { type: "string", array: true, describe: "harness CSV, Chrome trace (.json/.json.gz), ncu or nsys CSV; or published-measurement CSVs and folders (several)", demandOption: true })
          .option("loso", { type: "boolean", describe: "published: estimate each source with a calibration fitted on all the others" })
          .option("calibration", { type: "string", describe: "published: estimate with this calibration (`roofline calibrate --published`)" })
          .option("points", { type: "boolean", describe: "published: list every point, not only the summaries" })
          .option("hw", { type: "string", describe: "profile of the measured device (default: matched by device name)" })
          .option("model", { type: "string", describe: "model files the measurements name (presets are known)" })
          .option("format", { type: "string", describe: "harness, chrome-trace, ncu, nsys or published (default: detected)" })
          .option("rules", { type: "string", describe: "traces: JSON rules mapping kernel names to ops" })
          .option("phase", { type: "string", describe: "traces: the phase the trace ran", default: "decode" })
          .option("batch", { type: "string", default: String(DEFAULT_SCENARIO.batch) })
          .option("seq", { type: "string", default: String(DEFAULT_SCENARIO.seqTokens) })
          .option("context", { type: "string", default: String(DEFAULT_SCENARIO.contextTokens) })
          .option("steps", { type: "string", describe: "traces: how many steps the trace holds", default: "1" })
          .option("allow-device-mismatch", { type: "boolean", describe: "compare with a profile of another device than the one measured" })
          .option("json", { type: "boolean" }),
      async (argv) => {
        const { runValidateAny } = await import("./validate-any.js");
        print(await runValidateAny(argv as unknown as Parameters<typeof runValidateAny>[0]));
      },
    )
    .command(
      "calibrate",
      "fit achieved efficiency per op class and size to harness measurements, with cross-validation",
      (y) =>
        y
          .option("measured", { type: "string", describe: "harness measurements CSV" })
          .option("published", { type: "string", array: true, describe: "published-measurement CSVs or folders: fit per chip, kernel kind and implementation" })
          .option("per-chip", { type: "string", describe: "--published: write one calibration per chip into this folder" })
          .option("hw", { type: "string", describe: "profile of the measured device (default: matched by device name)" })
          .option("model", { type: "string", describe: "model files the measurements name" })
          .option("folds", { type: "string", describe: "k of the k-fold cross-validation (at least 2)", default: "5" })
          .option("allow-device-mismatch", { type: "boolean", describe: "compare with a profile of another device than the one measured" })
          .option("output", { alias: "o", type: "string", describe: "calibration JSON to write" }),
      async (argv) => {
        if (argv.published !== undefined) {
          const { runCalibratePublished } = await import("./calibrate-published.js");
          print(await runCalibratePublished({ published: argv.published.map(String), output: argv.output, perChip: argv.perChip }));
          return;
        }
        if (argv.measured === undefined || argv.output === undefined) throw new InputError("calibrate: give --measured FILE -o FILE (a harness run), or --published DIR… (-o FILE | --per-chip DIR)");
        const { runCalibrate } = await import("./calibrate-command.js");
        print(await runCalibrate(argv as unknown as Parameters<typeof runCalibrate>[0]));
      },
    )
    .command(
      ["check", "compare"],
      "evaluate a budget of expectations: `check` gates (exit 1 when any fails), `compare` only reports",
      (y) =>
        y
          .option("budget", { type: "string", describe: "budget JSON (see README, Performance budgets)", demandOption: true })
          .option("measured", { type: "string", describe: "harness measurements CSV of this run" })
          .option("baseline", { type: "string", describe: "baseline JSON from `roofline baseline --measured`" })
          .option("model", { type: "string", describe: "model files the measurements name" })
          .option("junit", { type: "string", describe: "write JUnit XML here" })
          .option("summary", { type: "string", describe: "write the Markdown summary here (also appended to $GITHUB_STEP_SUMMARY when set)" })
          .option("benchmark-json", { type: "string", describe: "write github-action-benchmark JSON here" })
          .option("annotations", { type: "boolean", describe: "print GitHub annotations (default when GITHUB_ACTIONS=true)" })
          .option("only-failures", { type: "boolean", describe: "list only the expectations that do not hold" })
          .option("allow-device-mismatch", { type: "boolean", describe: "judge achieved fractions against a profile of another device than the one measured" }),
      async (argv) => {
        const { runCheck } = await import("./check-command.js");
        const outcome = await runCheck(argv as unknown as Parameters<typeof runCheck>[0], argv._[0] !== "compare");
        print(outcome.text);
        process.exitCode = outcome.exitCode;
      },
    )
    .command(
      "baseline",
      "record measured samples as a baseline, or accept the current predictions as a budget",
      (y) =>
        y
          .option("measured", { type: "string", describe: "harness CSV whose samples become the baseline" })
          .option("predicted", { type: "boolean", describe: "write a budget holding today's predictions" })
          .option("model", { type: "string", describe: "--predicted: models (default all presets)" })
          .option("hw", { type: "string", describe: "--predicted: chips", default: "tpu-v3" })
          .option("phase", { type: "string", default: "prefill,decode" })
          .option("batch", { type: "string" })
          .option("seq", { type: "string" })
          .option("context", { type: "string" })
          .option("metrics", { type: "string", describe: "--predicted: JSON paths to accept (default per phase)" })
          .option("tolerance", { type: "string", describe: "--predicted: relative change allowed", default: "1e-9" })
          .option("output", { alias: "o", type: "string", demandOption: true }),
      async (argv) => {
        const { runBaseline } = await import("./check-command.js");
        print(await runBaseline(argv as unknown as Parameters<typeof runBaseline>[0]));
      },
    )
    .command(
      "hw",
      "list the bundled hardware profiles with their ridge points",
      (y) => y.option("json", { type: "boolean", default: false }),
      async (argv) => {
        const { listHardware } = await import("./list-commands.js");
        print(listHardware(Boolean(argv.json)));
      },
    )
    .command(
      "models",
      "list the model presets with their parameter counts",
      (y) =>
        y
          .option("json", { type: "boolean", default: false })
          .option("show", { type: "string", describe: "print one preset as a model file" }),
      async (argv) => {
        const { listModels } = await import("./list-commands.js");
        print(listModels(Boolean(argv.json), argv.show));
      },
    )
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((message, error) => {
      if (error) throw error;
      printNote(`roofline: ${message}\nRun \`roofline --help\` for usage.`);
      process.exit(2);
    });

  await cli.parseAsync();
}
