// Output destinations that cannot be written: a read-only folder, an existing folder, a path under
// a file, $GITHUB_STEP_SUMMARY in a missing folder. Each must get one clear line and leave nothing
// behind; an existing output stays as it was when a command fails.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ITEMS, type FuzzCase } from "../case.js";
import { jsonText } from "../mutate.js";
import { budgetSeed, CPU_PROFILE, harnessSeed, PUBLISHED_FILE, publishedSeed } from "../seeds.js";

/** A command with one output flag, and the files it reads. */
interface Writer {
  label: string;
  /** The command line with `out` as the output path. */
  args: (out: string) => string[];
  files?: Record<string, string>;
  /** The output's suffix, where the command derives file names from it (default .out). */
  suffix?: string;
}

const budget = { "budget.json": jsonText(budgetSeed()) };
const WRITERS: Writer[] = [
  { label: "sweep -o", args: (out) => ["sweep", "--model", "griffin-100m", "--hw", "h200", "--seq", "512", "-o", out] },
  { label: "plan -o", args: (out) => ["plan", "--model", "griffin-100m", "--hw", "h200", "--seq", "512", "-o", out] },
  { label: "report -o", args: (out) => ["report", "--model", "griffin-100m", "--hw", "h200", "--format", "vl.json", "--chart", "blocks", "-o", out], suffix: ".vl.json" },
  { label: "calibrate -o", args: (out) => ["calibrate", "--measured", "m.csv", "--hw", CPU_PROFILE, "-o", out], files: { "m.csv": harnessSeed() } },
  { label: "baseline --measured -o", args: (out) => ["baseline", "--measured", "m.csv", "-o", out], files: { "m.csv": harnessSeed() } },
  { label: "baseline --predicted -o", args: (out) => ["baseline", "--predicted", "--model", "griffin-100m", "--hw", "h200", "--phase", "decode", "-o", out] },
  { label: "check --junit", args: (out) => ["check", "--budget", "budget.json", "--junit", out], files: budget },
  { label: "check --summary", args: (out) => ["check", "--budget", "budget.json", "--summary", out], files: budget },
  { label: "check --benchmark-json", args: (out) => ["check", "--budget", "budget.json", "--benchmark-json", out], files: budget },
];

/**
 * A folder nothing can be written into. chmod is enough for an ordinary user; root writes through
 * it, so there a location of the kernel's own read-only filesystem stands in.
 */
function readOnlyFolder(dir: string): string {
  const folder = path.join(dir, "read-only");
  fs.mkdirSync(folder);
  fs.chmodSync(folder, 0o555);
  try {
    fs.writeFileSync(path.join(folder, "probe"), "");
    fs.rmSync(path.join(folder, "probe"));
  } catch {
    return folder;
  }
  return os.platform() === "linux" ? "/sys" : folder;
}

function destinationCases(writer: Writer): FuzzCase[] {
  const name = (what: string) => `outputs: ${writer.label} ${what}`;
  const out = `out${writer.suffix ?? ".out"}`;
  const existing = `existing${writer.suffix ?? ".out"}`;
  let readOnly = "";
  return [
    {
      name: name("into a read-only folder"), item: ITEMS.outputs, expect: "refused", files: writer.files, where: /out\.|read-only|\/sys/,
      prepare: (dir) => {
        readOnly = readOnlyFolder(dir);
        return readOnly.startsWith(dir) ? [] : [path.join(readOnly, out)];
      },
      args: (dir) => writer.args(readOnly.startsWith(dir) ? `read-only/${out}` : path.join(readOnly, out)),
    },
    {
      name: name("onto an existing folder"), item: ITEMS.outputs, expect: "refused", files: writer.files, where: existing,
      prepare: (dir) => void fs.mkdirSync(path.join(dir, existing)), args: writer.args(existing),
    },
    {
      name: name("under a parent that is a file"), item: ITEMS.outputs, expect: "refused", files: { ...writer.files, "parent.txt": "a file\n" }, where: "parent.txt",
      args: writer.args(`parent.txt/${out}`),
    },
  ];
}

/** A command that fails for another reason leaves an existing output exactly as it was. */
function keptCases(): FuzzCase[] {
  const before = "the previous run's output\n";
  return [
    { name: "outputs: sweep --batch 0 -o keeps the existing out.csv", item: ITEMS.outputs, expect: "refused", where: "--batch", files: { "out.csv": before }, args: ["sweep", "--model", "griffin-100m", "--hw", "h200", "--batch", "0", "-o", "out.csv"] },
    { name: "outputs: plan with an unknown model keeps the existing plan.json", item: ITEMS.outputs, expect: "refused", where: "nope", files: { "plan.json": before }, args: ["plan", "--model", "nope", "--hw", "h200", "-o", "plan.json"] },
    { name: "outputs: calibrate of a header-only CSV keeps the existing c.json", item: ITEMS.outputs, expect: "refused", where: "m.csv", files: { "c.json": before, "m.csv": harnessSeed().split("\n")[0]! + "\n" }, args: ["calibrate", "--measured", "m.csv", "--hw", CPU_PROFILE, "-o", "c.json"] },
  ];
}

function stepSummaryCases(): FuzzCase[] {
  return [
    {
      name: "outputs: $GITHUB_STEP_SUMMARY in a missing folder", item: ITEMS.outputs, expect: "refused", where: /GITHUB_STEP_SUMMARY|missing/,
      files: budget, args: ["check", "--budget", "budget.json"], env: (dir) => ({ GITHUB_STEP_SUMMARY: path.join(dir, "missing", "summary.md") }),
    },
    {
      name: "outputs: $GITHUB_STEP_SUMMARY is a folder", item: ITEMS.outputs, expect: "refused", where: /GITHUB_STEP_SUMMARY|summaries/,
      files: budget, prepare: (dir) => void fs.mkdirSync(path.join(dir, "summaries")), args: ["check", "--budget", "budget.json"],
      env: (dir) => ({ GITHUB_STEP_SUMMARY: path.join(dir, "summaries") }),
    },
    {
      name: "outputs: calibrate --published --per-chip onto a file", item: ITEMS.outputs, expect: "refused", where: "--per-chip",
      files: { [PUBLISHED_FILE]: publishedSeed(), "chips.txt": "a file\n" }, args: ["calibrate", "--published", PUBLISHED_FILE, "--per-chip", "chips.txt"],
    },
  ];
}

export function outputCases(): FuzzCase[] {
  return [...WRITERS.flatMap(destinationCases), ...keptCases(), ...stepSummaryCases()];
}
