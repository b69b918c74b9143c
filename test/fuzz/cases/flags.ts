// Flags: sizes that are not positive integers or are absurdly large, grid axes that never end,
// unknown names, missing or conflicting flags, and `--set` paths that reach Object.prototype.
import { ITEMS, type FuzzCase } from "../case.js";
import { inTurn } from "../builders.js";
import { jsonText } from "../mutate.js";
import { CPU_PROFILE, harnessSeed, TRACE_ARGS, torchTraceSeed } from "../seeds.js";

/** A command as flag → value, so that a case replaces a flag instead of repeating it. */
interface Command {
  label: string;
  positional: string[];
  flags: Record<string, string>;
  files?: Record<string, string>;
}

const analysis: Command = { label: "analysis", positional: [], flags: { model: "griffin-100m", hw: "h200", phase: "decode" } };
const generate: Command = { label: "generate", positional: [], flags: { model: "griffin-100m", hw: "h200", phase: "generate", prompt: "64", gen: "8" } };
const sweep: Command = { label: "sweep", positional: ["sweep"], flags: { model: "griffin-100m", hw: "h200", seq: "512", o: "out.csv" } };
const plan: Command = { label: "plan", positional: ["plan"], flags: { model: "griffin-100m", hw: "h200", seq: "512", o: "plan.json" } };
const report: Command = { label: "report", positional: ["report"], flags: { model: "griffin-100m", hw: "h200", format: "vl.json", chart: "blocks", o: "r.vl.json" } };
const predicted: Command = { label: "baseline --predicted", positional: ["baseline"], flags: { predicted: "", model: "griffin-100m", hw: "h200", phase: "decode", o: "budget.json" } };
const trace: Command = {
  label: "validate a trace", positional: ["validate"],
  flags: { measured: "t.json", ...Object.fromEntries(pairs(TRACE_ARGS)) },
  files: { "t.json": jsonText(torchTraceSeed()) },
};
const calibrate: Command = {
  label: "calibrate", positional: ["calibrate"], flags: { measured: "m.csv", hw: CPU_PROFILE, o: "c.json" }, files: { "m.csv": harnessSeed() },
};

function pairs(args: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i < args.length; i += 2) result.push([args[i]!.replace(/^--/, ""), args[i + 1]!]);
  return result;
}

function argsOf(command: Command, changes: Record<string, string | undefined>): string[] {
  const flags = { ...command.flags, ...changes };
  const args = [...command.positional];
  for (const [flag, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    args.push(flag.length === 1 ? `-${flag}` : `--${flag}`);
    if (value !== "") args.push(value);
  }
  return args;
}

function flagCase(item: string, command: Command, changes: Record<string, string | undefined>, where: string | RegExp, detail?: string | RegExp, name?: string): FuzzCase {
  const shown = Object.entries(changes).map(([flag, value]) => (value === undefined ? `without --${flag}` : `--${flag} ${JSON.stringify(value)}`)).join(" ");
  return {
    name: `flags: ${command.label} ${name ?? shown}`,
    item, files: command.files, args: argsOf(command, changes), expect: "refused", where, ...(detail !== undefined && { detail }),
  };
}

/** Values no size flag may take. */
const NOT_POSITIVE_INTEGERS = ["0", "-4", "2.5", "ten", "Infinity", "NaN", " "];

function sizeCases(): FuzzCase[] {
  const readers: Record<string, Command[]> = {
    batch: [analysis, report, predicted, trace],
    seq: [analysis, report, predicted, trace],
    context: [analysis, report, trace],
    prompt: [generate, report],
    gen: [generate, sweep],
  };
  // Two values per flag, taken in turn, so that every value meets some flag.
  return Object.entries(readers).flatMap(([flag, commands], f) =>
    [0, 1].map((k) => flagCase(ITEMS.flags, inTurn(commands, f + k), { [flag]: inTurn(NOT_POSITIVE_INTEGERS, 2 * f + k) }, `--${flag}`)));
}

/** Axes of sweeps and plans: lists and ranges. */
function axisCases(): FuzzCase[] {
  const values = ["0", "8..4", "1..8*1", "1..1000000000*1.0001"];
  return [
    ...values.map((value, i) => flagCase(ITEMS.flags, inTurn([sweep, plan], i), { seq: value }, "--seq")),
    flagCase(ITEMS.flags, sweep, { batch: "1..0" }, "--batch"),
    flagCase(ITEMS.flags, sweep, { window: "0" }, "--window"),
    flagCase(ITEMS.flags, report, { lengths: "abc" }, "--lengths"),
    flagCase(ITEMS.flags, report, { "memory-batch": "-1" }, "--memory-batch"),
  ];
}

function choiceCases(): FuzzCase[] {
  return [
    flagCase(ITEMS.flags, analysis, { phase: "serve" }, "--phase", "serve"),
    flagCase(ITEMS.flags, analysis, { phase: "decode\u0007" }, "--phase"),
    flagCase(ITEMS.flags, trace, { phase: "generate" }, "--phase"),
    flagCase(ITEMS.flags, analysis, { dtype: "int3" }, "--dtype", "int3"),
    flagCase(ITEMS.flags, report, { scan: "magic" }, "--scan"),
    flagCase(ITEMS.flags, analysis, { backend: "warp-drive" }, "--backend", "warp-drive"),
    flagCase(ITEMS.flags, sweep, { format: "xlsx" }, "--format"),
    flagCase(ITEMS.flags, report, { chart: "pie" }, "--chart"),
    flagCase(ITEMS.flags, analysis, { hw: "h200\nroofline: all good" }, "h200"),
  ];
}

function missingAndConflictingCases(): FuzzCase[] {
  return [
    flagCase(ITEMS.flags, analysis, { hw: undefined }, "hw"),
    flagCase(ITEMS.flags, analysis, { bogus: "1" }, "bogus"),
    flagCase(ITEMS.flags, trace, { model: undefined }, "--model"),
    flagCase(ITEMS.flags, predicted, { predicted: undefined }, "--measured"),
    { name: "flags: calibrate without --measured or --published", item: ITEMS.flags, args: ["calibrate", "-o", "c.json"], expect: "refused", where: "--measured" },
    // yargs reads `--no-model` as false and a repeated flag as a list; neither may reach a command.
    ...[analysis, sweep, report].flatMap((command) => [
      { name: `flags: ${command.label} --no-model`, item: ITEMS.flags, files: command.files, args: [...argsOf(command, {}), "--no-model"], expect: "refused" as const, where: "--no-model" },
      { name: `flags: ${command.label} --hw given twice`, item: ITEMS.flags, files: command.files, args: [...argsOf(command, {}), "--hw", "tpu-v3"], expect: "refused" as const, where: "--hw" },
    ]),
    {
      name: "flags: validate --measured with two harness CSVs", item: ITEMS.flags, files: { "a.csv": harnessSeed(), "b.csv": harnessSeed() },
      args: ["validate", "--measured", "a.csv", "b.csv"], expect: "refused", where: "--measured",
    },
  ];
}

/** The numbers: sizes beyond any machine, and ranges of astronomical length. */
function magnitudeCases(): FuzzCase[] {
  return [
    flagCase(ITEMS.magnitudes, analysis, { batch: "1e20" }, "--batch"),
    flagCase(ITEMS.magnitudes, analysis, { batch: "9007199254740993" }, "--batch"),
    flagCase(ITEMS.magnitudes, analysis, { phase: "prefill", seq: "1e300" }, "--seq"),
    flagCase(ITEMS.magnitudes, generate, { gen: "1e300" }, "--gen"),
    flagCase(ITEMS.magnitudes, sweep, { seq: "1..1e23" }, "--seq"),
    flagCase(ITEMS.magnitudes, sweep, { batch: "1e20" }, "--batch"),
    flagCase(ITEMS.magnitudes, trace, { steps: "1e308" }, "--steps"),
    flagCase(ITEMS.magnitudes, report, { context: "1e300" }, "--context"),
  ];
}

function rangeCases(): FuzzCase[] {
  return [
    flagCase(ITEMS.flagsRange, calibrate, { folds: "1" }, "--folds"),
    flagCase(ITEMS.flags, calibrate, { folds: "0" }, "--folds"),
    flagCase(ITEMS.flagsRange, predicted, { metrics: "totals.speed" }, /--metrics|totals\.speed/, "totals.speed"),
    flagCase(ITEMS.flagsRange, predicted, { tolerance: "Infinity" }, "--tolerance"),
    flagCase(ITEMS.flags, predicted, { tolerance: "-1" }, "--tolerance"),
    ...["0", "1.5"].map((value) => flagCase(ITEMS.flags, trace, { steps: value }, "--steps")),
  ];
}

/** `--set` paths that walk into Object.prototype, and values the model rejects. */
function setCases(): FuzzCase[] {
  const set = (assignment: string, where: string | RegExp, item: string = ITEMS.prototype, command: Command = analysis): FuzzCase => ({
    name: `flags: ${command.label} --set ${assignment}`,
    item, files: command.files, args: [...argsOf(command, {}), "--set", assignment], expect: "refused", where,
  });
  return [
    set("constructor=1", "constructor"),
    set("__proto__.hasOwnProperty=x", "__proto__"),
    set("__proto__.toString=1", "__proto__"),
    set("toString=1", "toString"),
    set("attention.constructor.name=x", "constructor", ITEMS.prototype, sweep),
    set("mlp.__proto__=null", "__proto__", ITEMS.prototype, plan),
    set("pattern=recurrent,mamba", "pattern", ITEMS.names),
    set("depth=-3", "--set", ITEMS.flags),
  ];
}

function nameCases(): FuzzCase[] {
  return [
    { name: "names: --model griffin7b suggests griffin-7b", item: ITEMS.names, args: ["--model", "griffin7b", "--hw", "h200"], expect: "refused", where: "griffin7b", detail: /did you mean.*griffin-7b/ },
    { name: "names: roofline frobnicate", item: ITEMS.names, args: ["frobnicate"], expect: "refused", where: "frobnicate" },
    { name: "names: roofline frobnicate --model griffin-7b --hw h200", item: ITEMS.names, args: ["frobnicate", "--model", "griffin-7b", "--hw", "h200"], expect: "refused", where: "frobnicate" },
  ];
}

/** Many chips: degrees that are not whole, disagree, or do not divide the model; prices that are not prices; a bad mesh file. */
function meshCases(): FuzzCase[] {
  const mesh: Command = { label: "many chips", positional: [], flags: { model: "griffin-100m", hw: "h200", phase: "decode", chips: "2", tp: "2" } };
  return [
    ...["0", "-2", "1.5", "two"].map((value, i) => flagCase(ITEMS.flags, mesh, { [inTurn(["chips", "tp", "dp"], i)]: value }, `--${inTurn(["chips", "tp", "dp"], i)}`)),
    flagCase(ITEMS.flags, mesh, { chips: "8", tp: "2", dp: "2" }, "--dp 2", /= 4 chips, not the 8/),
    flagCase(ITEMS.flags, mesh, { chips: "4", tp: "4" }, "--tp 4", /gate blocks|query heads|not a multiple/),
    flagCase(ITEMS.flags, mesh, { chips: "3", tp: "3" }, "--tp 3", /not a multiple of 3/),
    flagCase(ITEMS.flags, mesh, { zero: "4" }, "--zero"),
    flagCase(ITEMS.flags, mesh, { "price-per-hour": "NaN" }, "--price-per-hour"),
    flagCase(ITEMS.flags, mesh, { "price-per-hour": "-3" }, "--price-per-hour"),
    flagCase(ITEMS.flags, mesh, { "grad-dtype": "fp7" }, "--grad-dtype", "fp7"),
    flagCase(ITEMS.flags, mesh, { chips: "4", tp: "1", dp: "4", batch: "3" }, "--batch 3"),
    flagCase(ITEMS.flags, { ...sweep, label: "sweep on many chips", flags: { ...sweep.flags, tp: "2" } }, { tp: "3" }, "--tp 3", /not a multiple of 3/),
    flagCase(ITEMS.flags, { ...sweep, label: "sweep on many chips", flags: { ...sweep.flags, dp: "2" } }, { batch: "1..3" }, "--batch", /do(es)? not split over --dp 2/),
    flagCase(ITEMS.flags, { ...sweep, label: "sweep on many chips", flags: { ...sweep.flags, dp: "2" } }, { calibration: "c.json" }, "--calibration"),
    {
      name: "flags: many chips --mesh with a field it does not know", item: ITEMS.flags, files: { "m.json": JSON.stringify({ chips: 2, tp: 2, pipeline: 4 }) },
      args: ["--model", "griffin-100m", "--hw", "h200", "--mesh", "m.json"], expect: "refused", where: "m.json", detail: "pipeline",
    },
    {
      name: "flags: many chips --mesh with a negative degree", item: ITEMS.flags, files: { "m.json": JSON.stringify({ chips: 2, tp: -2 }) },
      args: ["--model", "griffin-100m", "--hw", "h200", "--mesh", "m.json"], expect: "refused", where: "m.json", detail: "tp",
    },
  ];
}

export function flagCases(): FuzzCase[] {
  return [...meshCases(), ...sizeCases(), ...axisCases(), ...choiceCases(), ...missingAndConflictingCases(), ...magnitudeCases(), ...rangeCases(), ...setCases(), ...nameCases()];
}
