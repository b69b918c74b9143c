// Cases generated with fast-check from a fixed seed (so every run meets the same ones): invalid
// sizes for every size flag, every numeric field of a profile and a model set to a value its
// schema forbids, numeric cells of the CSVs damaged, kernel durations that are not positive,
// and JSON files cut at a random byte.
import fc from "fast-check";
import { ITEMS, type FuzzCase } from "../case.js";
import { inTurn, lineAndColumn, type Reader } from "../builders.js";
import { fieldName, jsonText, numericPaths, pathText, truncated, withField, type JsonPath } from "../mutate.js";
import { baselineSeed, budgetSeed, csvText, harnessRecords, measuredBudgetSeed, modelSeed, PUBLISHED_FILE, publishedRecords, profileSeed, rulesSeed, TRACE_ARGS, torchTraceSeed, type CsvRecord } from "../seeds.js";
import { HARNESS_READERS } from "./harness.js";
import { MODEL_READERS } from "./models.js";
import { PROFILE_READERS } from "./profiles.js";
import { PUBLISHED_READERS } from "./published.js";

const SEED = 20_261_129;
const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number): T[] => fc.sample(arbitrary, { seed: SEED, numRuns: count });
const item = ITEMS.generated;

/** Texts that are not a positive whole number of anything. */
const notPositiveInteger: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 0 }).map(String),
  fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)).map(String),
  fc.stringMatching(/^[a-z]{1,8}$/),
  fc.constantFrom("Infinity", "-Infinity", "NaN", "1e400", "-0", "0.0", "1/2"),
  fc.bigInt({ min: 2n ** 53n + 1n, max: 10n ** 30n }).map(String),
);

function sizeFlagCases(): FuzzCase[] {
  const flags = ["batch", "seq", "context", "prompt", "gen"] as const;
  return sample(fc.tuple(fc.constantFrom(...flags), notPositiveInteger), 6).map(([flag, value], i) => ({
    // --flag=value, so that a value starting with "-" is not read as a flag.
    name: `generated #${i}: --${flag}=${value}`, item, expect: "refused", where: `--${flag}`,
    args: ["--model", "griffin-100m", "--hw", "h200", "--phase", "decode", `--${flag}=${value}`],
  }));
}

/** Values a positive number field must refuse. */
const notPositive: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.double({ min: -1e12, max: -1e-9, noNaN: true }),
  fc.constantFrom(null, true, "12", [], {}),
);

function jsonFieldCases(kind: string, file: string, seed: ReturnType<typeof profileSeed>, readers: readonly Reader[], paths: readonly JsonPath[], values: (path: JsonPath) => fc.Arbitrary<unknown>, count: number, from: number): FuzzCase[] {
  const arbitrary = fc.constantFrom(...paths).chain((path) => values(path).map((value) => [path, value] as const));
  return sample(arbitrary, count).map(([path, value], i) => {
    const reader = inTurn(readers, i);
    return {
      name: `generated #${from + i}: ${kind} ${pathText(path)} = ${JSON.stringify(value)} (${reader.label})`, item, expect: "refused",
      files: { ...reader.files, [file]: jsonText(withField(seed, path, value)) }, args: reader.args(file), where: file, detail: fieldName(path),
    };
  });
}

function profileFieldCases(from: number): FuzzCase[] {
  // Every number of a profile is positive (schemaVersion aside, which must be 1).
  const paths = numericPaths(profileSeed()).filter((path) => path[0] !== "schemaVersion");
  return jsonFieldCases("profile", "p.json", profileSeed(), PROFILE_READERS, paths, () => notPositive, 7, from);
}

function modelFieldCases(from: number): FuzzCase[] {
  const paths = numericPaths(modelSeed());
  // Sizes are positive whole numbers; RoPE's fraction lies in [0, 1].
  const values = (path: JsonPath) => (path[path.length - 1] === "ropeFraction"
    ? fc.oneof(fc.double({ min: -10, max: -0.001, noNaN: true }), fc.double({ min: 1.001, max: 10, noNaN: true }))
    : fc.oneof(notPositive, fc.double({ min: 0.01, max: 1e4, noNaN: true }).filter((x) => !Number.isInteger(x))));
  return jsonFieldCases("model", "m.json", modelSeed(), MODEL_READERS, paths, values, 5, from);
}

/** Texts no numeric cell may hold: negative numbers and words. */
const badCell: fc.Arbitrary<string> = fc.oneof(
  fc.double({ min: -1e6, max: -1e-9, noNaN: true }).map(String),
  fc.stringMatching(/^[a-z]{1,6}$/),
);
/** The harness states every number, so an empty cell is wrong too (a published row may leave one unstated). */
const badHarnessCell = fc.oneof(badCell, fc.constant(""));

function csvCellCases(
  kind: string, file: string, records: CsvRecord[], readers: readonly Reader[], columns: readonly string[], cells: fc.Arbitrary<string>, count: number, from: number,
): FuzzCase[] {
  const arbitrary = fc.tuple(fc.integer({ min: 0, max: records.length - 1 }), fc.constantFrom(...columns), cells);
  return sample(arbitrary, count).map(([row, column, value], i) => {
    const reader = inTurn(readers, i);
    const changed = records.map((r, j) => (j === row ? { ...r, [column]: value } : r));
    return {
      name: `generated #${from + i}: ${kind} line ${row + 2} ${column} = ${JSON.stringify(value)} (${reader.label})`, item, expect: "refused",
      files: { ...reader.files, [file]: csvText(changed, Object.keys(records[0]!)) }, args: reader.args(file), where: file, detail: lineAndColumn(row + 2, column),
    };
  });
}

function durationCases(from: number): FuzzCase[] {
  const arbitrary = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.oneof(fc.constant(0), fc.double({ min: -1e6, max: -1e-6, noNaN: true })));
  return sample(arbitrary, 2).map(([event, dur], i) => ({
    name: `generated #${from + i}: torch trace traceEvents[${event}].dur = ${dur}`, item, expect: "refused", where: "t.json",
    files: { "t.json": jsonText(withField(torchTraceSeed(), ["traceEvents", event, "dur"], dur)) },
    args: ["validate", "--measured", "t.json", ...TRACE_ARGS],
  }));
}

function truncationCases(from: number): FuzzCase[] {
  const files: [string, string, string[], Record<string, string>?][] = [
    ["p.json", jsonText(profileSeed()), ["--model", "griffin-100m", "--hw", "p.json", "--phase", "decode"]],
    ["m.json", jsonText(modelSeed()), ["--model", "m.json", "--hw", "h200", "--phase", "decode"]],
    ["budget.json", jsonText(budgetSeed()), ["check", "--budget", "budget.json"]],
    ["b.json", jsonText(baselineSeed()), ["check", "--budget", "budget.json", "--measured", "m.csv", "--baseline", "b.json"],
      { "budget.json": jsonText(measuredBudgetSeed()), "m.csv": csvText(harnessRecords()) }],
    ["r.json", jsonText(rulesSeed()), ["validate", "--measured", "t.json", ...TRACE_ARGS, "--rules", "r.json"], { "t.json": jsonText(torchTraceSeed()) }],
  ];
  // Cut strictly before the closing brace: no prefix of a JSON object is itself JSON.
  const arbitrary = fc.tuple(fc.integer({ min: 0, max: files.length - 1 }), fc.double({ min: 0, max: 0.999, noNaN: true }));
  return sample(arbitrary, 4).map(([which, fraction], i) => {
    const [file, text, args, others] = files[which]!;
    const cut = truncated(text.slice(0, text.lastIndexOf("}")), fraction);
    return { name: `generated #${from + i}: ${file} cut after ${cut.length} of ${text.length} characters`, item, expect: "refused", where: file, files: { ...others, [file]: cut }, args };
  });
}

export function generatedCases(): FuzzCase[] {
  const numeric = ["batch", "tokens", "runs", "median_seconds", "min_seconds", "p90_seconds", "mean_seconds", "max_error", "cache_flushed"];
  const publishedNumeric = ["uncertainty", "power_watts", "chips", "batch", "m", "n", "k", "value"];
  const parts: ((from: number) => FuzzCase[])[] = [
    () => sizeFlagCases(),
    profileFieldCases,
    modelFieldCases,
    (from) => csvCellCases("harness CSV", "m.csv", harnessRecords(), HARNESS_READERS, numeric, badHarnessCell, 6, from),
    (from) => csvCellCases("published CSV", PUBLISHED_FILE, publishedRecords(), PUBLISHED_READERS, publishedNumeric, badCell, 3, from),
    durationCases,
    truncationCases,
  ];
  const cases: FuzzCase[] = [];
  for (const part of parts) cases.push(...part(cases.length));
  return cases;
}
