// The kernel harness's measurements CSV, read by `measurements`, `validate`, `calibrate`,
// `baseline`, `check` and `report --measured`: every column damaged in turn, times that are not
// positive or overflow, broken CSV structure.
import { ITEMS, type FuzzCase } from "../case.js";
import { cellCases, lineAndColumn, textCases, type CellMutation, type Reader } from "../builders.js";
import { jsonText } from "../mutate.js";
import { baselineSeed, CPU_PROFILE, csvText, harnessRecords, harnessSeed, measuredBudgetSeed, type CsvRecord } from "../seeds.js";

const FILE = "m.csv";

/** Every command that reads a harness CSV. */
export const HARNESS_READERS: readonly Reader[] = [
  { label: "measurements", args: (f) => ["measurements", f] },
  { label: "validate", args: (f) => ["validate", "--measured", f, "--hw", CPU_PROFILE] },
  { label: "calibrate", args: (f) => ["calibrate", "--measured", f, "--hw", CPU_PROFILE, "-o", "c.json"] },
  { label: "baseline", args: (f) => ["baseline", "--measured", f, "-o", "b.json"] },
  {
    label: "check", args: (f) => ["check", "--budget", "budget.json", "--measured", f, "--baseline", "b.json"],
    files: { "budget.json": jsonText(measuredBudgetSeed()), "b.json": jsonText(baselineSeed()) },
  },
  { label: "report --measured", args: (f) => ["report", "--model", "griffin-100m", "--hw", CPU_PROFILE, "--measured", f, "--format", "vl.json", "--chart", "blocks", "-o", "r.vl.json"] },
];

const at = (column: string, values: readonly string[], item?: string): CellMutation[] =>
  values.map((value) => ({ row: 1, column, value, ...(item && { item }) }));

/** `runs` samples of one value, as the samples_seconds column writes them. */
const samplesOf = (value: string) => Array.from({ length: 30 }, () => value).join(" ");

const MUTATIONS: CellMutation[] = [
  ...at("phase", ["serve", "<b>decode</b>"]),
  ...at("batch", ["0", "=1+1"]),
  ...at("block", ["attention"]),
  ...at("shape", ["=cmd|' /C calc'!A0"]),
  ...at("runs", ["31"]),
  ...at("median_seconds", ["NaN", "", "=SUM(A1:A9)", "<script>alert(1)</script>"]),
  ...at("median_seconds", ["-1e-4", "0"], ITEMS.implausible),
  { row: 1, column: "min_seconds", value: "1", detail: lineAndColumn(3, "min") },
  { row: 1, column: "p90_seconds", value: "1e-9", detail: lineAndColumn(3, "p90") },
  ...at("mean_seconds", ["-1"], ITEMS.implausible),
  ...at("samples_seconds", ["", "1 2 abc"]),
  ...at("samples_seconds", [samplesOf("0"), ["-1", ...Array.from({ length: 29 }, () => "2e-4")].join(" ")], ITEMS.implausible),
  ...at("cache_flushed", ["lots"]),
];

const records = harnessRecords();
const columns = Object.keys(records[0]!);
const text = harnessSeed();
const lines = text.trimEnd().split("\n");
const withRows = (rows: CsvRecord[]) => csvText(rows, columns);

const TEXTS: [string, string, (string | RegExp)?][] = [
  ["an empty file", ""],
  ["only the header", `${lines[0]}\n`],
  ["without the median_seconds column", csvText(records, columns.filter((c) => c !== "median_seconds")), "median_seconds"],
  ["a row one field too long", [...lines.slice(0, 3), `${lines[3]},extra`, ...lines.slice(4)].join("\n"), /\b4\b/],
  ["the last row cut in half", text.slice(0, text.length - Math.floor(lines[lines.length - 1]!.length / 2)), /\b7\b/],
  ["a NUL byte in a time", text.replace(/,2\.087715e-04,/, ",2.0877\u000015e-04,"), "median_seconds"],
];

function structureCases(): FuzzCase[] {
  // The quote opens on the last line, so that the line where it opens is the line where reading stops.
  const unterminated = [...lines.slice(0, 6), lines[6]!.replace(",forward,", ',"forward,')].join("\n");
  return [
    ...textCases("harness CSV", ITEMS.harness, FILE, TEXTS, HARNESS_READERS),
    ...textCases("harness CSV", ITEMS.quotes, FILE, [["an unterminated quote on line 7", unterminated, /\b7\b/]], HARNESS_READERS.slice(1)),
    ...textCases("harness CSV", ITEMS.harness, FILE, [["every check failed", withRows(records.map((r) => ({ ...r, check: "fail" })))]], HARNESS_READERS.slice(1, 3)),
    {
      name: "harness CSV: two devices in one file (validate)", item: ITEMS.harness, expect: "refused", where: FILE, detail: "NVIDIA H200",
      files: { [FILE]: withRows(records.map((r, i) => (i === 2 ? { ...r, device_name: "NVIDIA H200" } : r))) },
      args: ["validate", "--measured", FILE],
    },
  ];
}

/** Measurements no machine produced: every kernel under one id, samples whose sum overflows. */
function implausibleCases(): FuzzCase[] {
  const huge = withRows(records.map((r) => ({
    ...r, median_seconds: "1e308", min_seconds: "1e308", p90_seconds: "1e308", mean_seconds: "1e308", samples_seconds: samplesOf("1e308"),
  })));
  const oneId = withRows(records.map((r) => ({ ...r, kernel_id: records[0]!.kernel_id! })));
  return [
    {
      name: "harness CSV: every row under one kernel id (baseline)", item: ITEMS.implausible, expect: "refused", where: FILE, detail: lineAndColumn(3, "kernel_id"),
      files: { [FILE]: oneId }, args: ["baseline", "--measured", FILE, "-o", "b.json"],
    },
    {
      name: "harness CSV: samples of 1e308 summed by an aggregate budget (check)", item: ITEMS.implausible, expect: "refused", where: FILE,
      files: { [FILE]: huge, "budget.json": jsonText(measuredBudgetSeed()), "b.json": jsonText(baselineSeed()) },
      args: ["check", "--budget", "budget.json", "--measured", FILE, "--baseline", "b.json", "--benchmark-json", "bench.json"],
    },
    {
      name: "harness CSV: samples of 1e308 (baseline)", item: ITEMS.implausible, expect: "refused", where: FILE,
      files: { [FILE]: huge }, args: ["baseline", "--measured", FILE, "-o", "b.json"],
    },
  ];
}

export function harnessCases(): FuzzCase[] {
  return [
    ...cellCases("harness CSV", ITEMS.harness, FILE, records, HARNESS_READERS, MUTATIONS),
    // A model and a dtype are only checked where the cost model predicts the kernel.
    ...cellCases("harness CSV", ITEMS.harness, FILE, records, [HARNESS_READERS[1]!, HARNESS_READERS[2]!], [...at("model", ["nope-7b"]), ...at("dtype", ["int4", "bf17"])]),
    ...structureCases(),
    ...implausibleCases(),
  ];
}
