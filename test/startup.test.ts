// What a start skips, and why it may: the bundled profiles and calibrations come from the build's
// snapshot (validated by the build, checked here against validation), presets are loaded without
// validation (validated here and by the build), a plain analysis or report is read without yargs
// exactly as yargs reads it, a plain analysis loads no package, and the report's charts are drawn
// with vega's single-file builds, byte for byte what its ES modules draw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import yargs, { type Options } from "yargs";
import { snapshotDir, snapshotFile, validatedAtBuild, type BundledKind, type ValidatedFile } from "../src/bundled-snapshot.js";
import { parseKindCalibration } from "../src/calibration/kind-files.js";
import { shippedCalibration, shippedCalibrationsDir } from "../src/calibration/shipped.js";
import { ANALYSIS_OPTIONS, REPORT_OPTIONS, SWEEP_OPTIONS } from "../src/cli/option-tables.js";
import { plainArguments } from "../src/cli/plain-arguments.js";
import { bundledProfileIds, loadProfile, parseProfile } from "../src/hardware/load.js";
import { loadModel } from "../src/models/load.js";
import { validateModel } from "../src/models/overrides.js";
import { PRESETS } from "../src/models/presets.js";
import { hardwareProfilesDir, packageRoot } from "../src/paths.js";
import { DEFAULT_IMPLEMENTATION } from "../src/cost/phases.js";
import { buildCharts } from "../src/report/charts/index.js";
import { buildReport } from "../src/report/data.js";
import { renderSvg } from "../src/report/render.js";
import { DEFAULT_SCENARIO } from "../src/roofline/analyze.js";

const checkBundled = fileURLToPath(new URL("../scripts/check-bundled.js", import.meta.url));

const jsonNames = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith(".json")).map((name) => name.slice(0, -".json".length)).sort();
const read = (file: string) => fs.readFileSync(file, "utf8");

function temporaryDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "roofline-startup-"));
}

/** The snapshot's files of one kind, by name; fails when the build wrote none. */
function snapshotOf(kind: BundledKind, dir = snapshotDir): Record<string, ValidatedFile> {
  assert.ok(fs.existsSync(path.join(dir, kind)), `${path.join(dir, kind)} is missing: \`npm run build\` writes it (tsc alone does not)`);
  return Object.fromEntries(jsonNames(path.join(dir, kind)).map((name) => [name, JSON.parse(read(snapshotFile(kind, name, dir))) as ValidatedFile]));
}

test("the build's snapshot holds every bundled profile and calibration exactly as validation yields it", () => {
  const profiles = snapshotOf("profiles");
  assert.deepEqual(Object.keys(profiles), bundledProfileIds());
  for (const id of bundledProfileIds()) {
    const text = read(path.join(hardwareProfilesDir, `${id}.json`));
    assert.equal(profiles[id]!.text, text, `${id}: the snapshot is older than the file; run npm run build`);
    assert.deepEqual(profiles[id]!.value, parseProfile(text, id), id);
    assert.deepEqual(loadProfile(id), parseProfile(text, id), id);
  }
  const calibrations = snapshotOf("calibrations");
  assert.deepEqual(Object.keys(calibrations), jsonNames(shippedCalibrationsDir));
  for (const chip of jsonNames(shippedCalibrationsDir)) {
    const text = read(path.join(shippedCalibrationsDir, `${chip}.json`));
    assert.equal(calibrations[chip]!.text, text, `${chip}: the snapshot is older than the file; run npm run build`);
    assert.deepEqual(calibrations[chip]!.value, parseKindCalibration(text, chip), chip);
    assert.deepEqual(shippedCalibration(chip)?.calibration, parseKindCalibration(text, chip), chip);
  }
});

test("a bundled file is taken from the snapshot only when its text is the one the build validated", () => {
  const text = read(path.join(hardwareProfilesDir, "tpu-v3.json"));
  assert.equal((validatedAtBuild("profiles", "tpu-v3", text) as { id: string }).id, "tpu-v3");
  assert.equal(validatedAtBuild("profiles", "tpu-v3", `${text} `), undefined);
  assert.equal(validatedAtBuild("profiles", "tpu-v3", text.replace("9.0e11", "900")), undefined);
  assert.equal(validatedAtBuild("profiles", "constructor", text), undefined);
  assert.equal(validatedAtBuild("profiles", "../profiles/tpu-v3", text), undefined);
  assert.equal(validatedAtBuild("calibrations", "tpu-v3", text), undefined);
  // Each load is a copy: changing one changes neither the snapshot nor the next load.
  const first = loadProfile("tpu-v3");
  first.memory.main.bytesPerSecond.value = 1;
  assert.equal(loadProfile("tpu-v3").memory.main.bytesPerSecond.value, 9e11);
});

test("every preset validates unchanged, and is loaded as it is", () => {
  for (const preset of PRESETS) {
    assert.deepEqual(validateModel(preset, preset.name), preset, preset.name);
    assert.deepEqual(loadModel(preset.name), preset, preset.name);
    assert.notEqual(loadModel(preset.name), preset, `${preset.name}: a copy, not the preset itself`);
  }
  // With --set the result is validated like a user's file.
  assert.throws(() => loadModel("griffin-7b", ["width=-3"]), /griffin-7b with --set width=-3: invalid\n {2}width:/);
});

/** A copy of the bundled data with `tamper` applied to one file, for the build to check. */
function tamperedProfiles(file: string, tamper: (text: string) => string): string {
  const dir = temporaryDir();
  fs.cpSync(hardwareProfilesDir, dir, { recursive: true });
  const target = path.join(dir, file);
  const text = read(target);
  const changed = tamper(text);
  assert.notEqual(changed, text, `the tampering of ${file} changes it`);
  fs.writeFileSync(target, changed);
  return dir;
}

function runCheckBundled(profilesDir: string, out: string) {
  return spawnSync(process.execPath, [checkBundled, profilesDir, out], { encoding: "utf8" });
}

test("the build validates the bundled data and writes its snapshot", () => {
  const out = temporaryDir();
  const result = runCheckBundled(hardwareProfilesDir, out);
  assert.equal(result.status, 0, result.stderr);
  for (const kind of ["profiles", "calibrations"] as const) assert.deepEqual(snapshotOf(kind, out), snapshotOf(kind));
});

test("a tampered bundled profile or calibration fails the build, naming the file and the field, and leaves no snapshot", () => {
  const cases = [
    {
      file: "tpu-v3.json",
      tamper: (text: string) => text.replace('"value": 9.0e11', '"value": 900'),
      error: /tpu-v3\.json: invalid\n {2}memory\.main\.bytesPerSecond\.value: 900 is not a plausible bytes\/s/,
    },
    {
      file: "h100-sxm.json",
      tamper: (text: string) => text.replace('"schemaVersion": 1', '"schemaVersion": 1, "clock": 1'),
      error: /h100-sxm\.json: invalid\n.*clock/,
    },
    {
      file: path.join("calibrations", "h100-sxm.json"),
      tamper: (text: string) => text.replace(/"slowdown": [0-9.e+-]+/, '"slowdown": 0.5'),
      error: /calibrations\/h100-sxm\.json: invalid\n {2}kernels\..*\.slowdown:/,
    },
  ];
  for (const { file, tamper, error } of cases) {
    const dir = tamperedProfiles(file, tamper);
    const out = temporaryDir();
    assert.equal(runCheckBundled(hardwareProfilesDir, out).status, 0); // a snapshot from an earlier build
    const result = runCheckBundled(dir, out);
    assert.equal(result.status, 1, `${file}: ${result.stderr}`);
    assert.match(result.stderr, error);
    assert.deepEqual(fs.readdirSync(out), [], `${file}: no snapshot left behind`);
  }
});

/**
 * A copy of the installed package (dist/src, the bundled data, package.json) in a temporary folder,
 * with node_modules only if `withPackages`.
 */
function packageCopy(withPackages: boolean): string {
  const dir = temporaryDir();
  fs.cpSync(path.join(packageRoot, "dist", "src"), path.join(dir, "dist", "src"), { recursive: true });
  fs.cpSync(hardwareProfilesDir, path.join(dir, "hardware-profiles"), { recursive: true });
  fs.copyFileSync(path.join(packageRoot, "package.json"), path.join(dir, "package.json"));
  if (withPackages) fs.symlinkSync(path.join(packageRoot, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

const roofline = (root: string, args: readonly string[]) =>
  spawnSync(process.execPath, [path.join(root, "dist", "src", "cli", "main.js"), ...args], { encoding: "utf8", cwd: root });

test("a bundled profile edited after the build is validated when it is loaded", () => {
  const root = packageCopy(true);
  const file = path.join(root, "hardware-profiles", "tpu-v3.json");
  fs.writeFileSync(file, read(file).replace('"value": 9.0e11', '"value": 900'));
  const result = roofline(root, ["--model", "griffin-7b", "--hw", "tpu-v3", "--json"]);
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stderr, "roofline: hardware-profiles/tpu-v3.json: invalid\n  memory.main.bytesPerSecond.value: 900 is not a plausible bytes/s (expected 1e7–1e14; did you give GB/s?)\n");
});

type OptionTable = typeof ANALYSIS_OPTIONS | typeof REPORT_OPTIONS | typeof SWEEP_OPTIONS;

/** The flags yargs reads from `args` with `options` (without `_` and `$0`), or the error it gives. */
async function yargsFlags(args: readonly string[], options: OptionTable = ANALYSIS_OPTIONS): Promise<Record<string, unknown> | Error> {
  try {
    const argv = await yargs([...args]).options(options).strict().version(false).help(false).exitProcess(false)
      .fail((message, error) => { throw error ?? new Error(message); }).parseAsync();
    const { _: positional, $0: script, ...flags } = argv;
    return positional.length > 0 ? new Error(`positional ${positional.join(" ")}`) : flags;
  } catch (error) {
    return error as Error;
  }
}

test("a plain command line is read exactly as yargs reads it", async () => {
  const plain = [
    ["--model", "griffin-7b", "--hw", "tpu-v3"],
    ["--model", "griffin-7b", "--hw", "tpu-v3", "--json"],
    ["--hw", "h100-sxm", "--csv", "--model", "mqa-7b"],
    ["--model=griffin-7b", "--hw=tpu-v3", "--seq=4096"],
    ["--model", "mqa-7b", "--hw", "a100-80gb", "--phase", "generate,train", "--batch", "8", "--seq", "4096", "--context", "8192",
      "--prompt", "1024", "--gen", "64", "--dtype", "w8a16", "--kv-dtype", "fp8", "--attention", "dense", "--scan", "naive", "--remat",
      "--calibration", "c.json", "--backend", "vllm", "--json"],
    ["--model", "true", "--hw", "false", "--batch", "08", "--seq", "1e3", "--context", "1_000", "--gen", "0x10"],
    ["--model", "a=b", "--hw=x=y", "--backend="],
    ["--model", "my model.json", "--hw", "./chips/x.json", "--prompt", " 7"],
    // A negation yargs reads as false: a boolean's, and --no-calibration (bounds only).
    ["--model", "griffin-7b", "--hw", "tpu-v3", "--no-calibration", "--no-remat"],
  ];
  for (const args of plain) {
    const flags = plainArguments(args, ANALYSIS_OPTIONS);
    assert.ok(flags, `plain: ${args.join(" ")}`);
    assert.deepEqual(flags, await yargsFlags(args), args.join(" "));
  }
  const notPlain = [
    [], ["--model", "griffin-7b"], ["--help"], ["-h"], ["--model", "a", "--hw", "b", "--json", "--csv"],
    ["--model", "a", "--hw", "b", "--set", "window=2048"], ["--model", "a", "--hw", "b", "--no-json"], ["--model", "a", "--hw", "b", "--no-model"],
    ["--model", "a", "--hw", "b", "--no-phase"], ["--model", "a", "--hw", "b", "--no-calibration", "--calibration", "c.json"],
    ["--model", "a", "--hw", "b", "--kvDtype", "fp8"], ["--model", "a", "--model", "b", "--hw", "c"],
    ["--model", "a", "--hw", "b", "--json", "true"], ["--model", "a", "--hw", "b", "--json=true"], ["--model", "a", "--hw", "b", "--seq", "-5"],
    ["--model", "a", "--hw", "b", "--", "x"], ["--model", "a", "--hw", "b", "x"], ["--model", "a", "--hw", "b", "--bogus"],
    ["--model", "a", "--hw"], ["--model", "a", "--hw", "b", "-x"], ["--model", "--hw", "b"], ["--model", "a", "--hw", "b", "--version"],
  ];
  for (const args of notPlain) assert.equal(plainArguments(args, ANALYSIS_OPTIONS), undefined, args.join(" "));
  // The report's output has a one-letter alias, which yargs sets beside it.
  const plainReports = [
    ["--model", "griffin-7b,hawk-7b,mqa-7b", "--hw", "tpu-v3", "-o", "r.html"],
    ["--model", "griffin-7b", "--hw", "tpu-v3,h100-sxm", "--output=charts", "--format", "svg", "--chart", "roofline,latency"],
    ["--model", "a", "--hw", "b", "--memory-batch", "1,8", "--lengths", "256..4096", "--allow-device-mismatch", "--measured", "m.csv"],
  ];
  for (const args of plainReports) {
    const flags = plainArguments(args, REPORT_OPTIONS);
    assert.ok(flags, `plain: report ${args.join(" ")}`);
    assert.deepEqual(flags, await yargsFlags(args, REPORT_OPTIONS), `report ${args.join(" ")}`);
  }
  const notPlainReports = [["--model", "a", "--hw", "b", "-o"], ["--model", "a", "--hw", "b", "-o=r.html"], ["--model", "a", "--hw", "b", "-or.html"],
    ["--model", "a", "--hw", "b", "-o", "x", "--output", "y"], ["--model", "a", "--hw", "b", "-x", "y"], ["--model", "a", "--hw", "b", "--json"]];
  for (const args of notPlainReports) assert.equal(plainArguments(args, REPORT_OPTIONS), undefined, `report ${args.join(" ")}`);
  const plainSweeps = [
    ["--model", "griffin-7b,hawk-7b", "--hw", "tpu-v3,h100-sxm", "--seq", "256..65536", "--batch", "1..128", "--no-calibration", "-o", "s.csv"],
    ["--model", "a", "--hw", "b", "--window", "1024,2048", "--phase", "generate", "--gen", "64", "--format", "jsonl", "--backend", "vllm", "--remat"],
  ];
  for (const args of plainSweeps) {
    const flags = plainArguments(args, SWEEP_OPTIONS);
    assert.ok(flags, `plain: sweep ${args.join(" ")}`);
    assert.deepEqual(flags, await yargsFlags(args, SWEEP_OPTIONS), `sweep ${args.join(" ")}`);
  }
  const notPlainSweeps = [["--model", "a", "--hw", "b", "--set", "depth=2"], ["--model", "a", "--hw", "b", "--no-format"], ["--model", "a", "--hw", "b", "-o", "x", "-o", "y"]];
  for (const args of notPlainSweeps) assert.equal(plainArguments(args, SWEEP_OPTIONS), undefined, `sweep ${args.join(" ")}`);
});

for (const [command, options] of [["the analysis", ANALYSIS_OPTIONS], ["report", REPORT_OPTIONS], ["sweep", SWEEP_OPTIONS]] as const) {
  test(`whatever command line of ${command} the plain reader takes, yargs reads the same flags from it`, async () => {
    const aliases = Object.values(options as Record<string, Options>).flatMap((option) => [option.alias ?? []].flat());
    const names = [...Object.keys(options), ...aliases];
    const value = fc.constantFrom("griffin-7b", "tpu-v3", "8", "0", "true", "false", "", " ", "a,b", "a=b", "-3", "-x", "--json");
    const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);
    // Mostly flags with a value each, so that many command lines are plain; now and then a stray token.
    const item = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...names), value).map(([name, v]) => [flag(name), v]) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...names), value).map(([name, v]) => [`${flag(name)}=${v}`]) },
      { weight: 3, arbitrary: fc.constantFrom(...names).map((name) => [flag(name)]) },
      { weight: 1, arbitrary: fc.constantFrom("--", "-x", "x", "--no-json", "--no-calibration", "--no-remat", "--no-model", "--no-seq", "--kvDtype", "--help").map((token) => [token]) },
    );
    const required = fc.constant(["--model", "griffin-7b", "--hw", "tpu-v3"]);
    let plainCount = 0;
    await fc.assert(fc.asyncProperty(fc.array(item, { maxLength: 6 }), fc.boolean(), required, async (items, withRequired, start) => {
      const args = [...(withRequired ? start : []), ...items.flat()];
      const flags = plainArguments(args, options);
      if (flags === undefined) return;
      plainCount++;
      assert.deepEqual(flags, await yargsFlags(args, options), args.join(" "));
    }), { numRuns: 300 });
    assert.ok(plainCount >= 30, `only ${plainCount} plain command lines were generated`);
  });
}

test("a plain analysis prints what the same analysis read by yargs prints", () => {
  const plain = roofline(packageRoot, ["--model", "griffin-7b", "--hw", "tpu-v3", "--json"]);
  const throughYargs = roofline(packageRoot, ["--model", "griffin-7b", "--hw", "tpu-v3", "--json", "--kvDtype", "bf16"]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(throughYargs.status, 0, throughYargs.stderr);
  assert.equal(plain.stdout, throughYargs.stdout);
});

test("a plain analysis as JSON loads no package: it runs from a copy without node_modules", () => {
  const expected = roofline(packageRoot, ["--model", "griffin-7b", "--hw", "h100-sxm", "--json"]);
  assert.equal(expected.status, 0, expected.stderr);
  const root = packageCopy(false);
  const alone = roofline(root, ["--model", "griffin-7b", "--hw", "h100-sxm", "--json"]);
  assert.equal(alone.status, 0, alone.stderr);
  assert.equal(alone.stdout, expected.stdout);
  // The copy really lacks them: help needs yargs, a model file needs zod.
  assert.match(roofline(root, ["--help"]).stderr, /Cannot find package 'yargs'/);
  const modelFile = path.join(root, "model.json");
  fs.writeFileSync(modelFile, JSON.stringify(PRESETS[0]));
  assert.match(roofline(root, ["--model", modelFile, "--hw", "tpu-v3", "--json"]).stderr, /Cannot find (package|module) 'zod'/);
  // The Mamba and Mamba-2 presets need no package either; a Hugging Face config.json loads the
  // importers (src/models/hf/), which are built on zod, only then.
  for (const preset of ["mamba-130m", "mamba2-130m"]) {
    const run = roofline(root, ["--model", preset, "--hw", "h100-sxm", "--json"]);
    assert.equal(run.status, 0, run.stderr);
  }
  const config = path.join(root, "config.json");
  fs.writeFileSync(config, JSON.stringify({ model_type: "mamba", hidden_size: 768, num_hidden_layers: 24, vocab_size: 50280, state_size: 16, conv_kernel: 4, expand: 2 }));
  assert.match(roofline(root, ["--model", config, "--hw", "tpu-v3", "--json"]).stderr, /Cannot find (package|module) 'zod'/);
});

test("a plain report writes what the same report read by yargs writes", () => {
  const dir = temporaryDir();
  const args = ["report", "--model", "griffin-7b", "--hw", "tpu-v3", "--chart", "blocks"];
  const plain = roofline(packageRoot, [...args, "-o", path.join(dir, "plain.html")]);
  const throughYargs = roofline(packageRoot, [...args, "--kvDtype", "bf16", "-o", path.join(dir, "yargs.html")]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(throughYargs.status, 0, throughYargs.stderr);
  assert.equal(plain.stderr, `wrote ${path.join(dir, "plain.html")}\n`);
  assert.equal(read(path.join(dir, "plain.html")), read(path.join(dir, "yargs.html")));
});

test("the charts drawn with vega's single-file builds are the bytes its ES modules draw", async () => {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const data = buildReport({
    models: ["griffin-1b", "mqa-1b"].map((name) => loadModel(name)), profiles: [loadProfile("tpu-v3")],
    scenario: DEFAULT_SCENARIO, implementation: DEFAULT_IMPLEMENTATION, lengths: [256, 4096, 65536], memoryBatches: [1, 16],
  });
  // Both sides draw the same charts in the same order, so their clip-path counters keep in step.
  for (const chart of buildCharts(data)) {
    const compiled = vegaLite.compile(chart.spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "none" });
    const expected = await view.toSVG();
    view.finalize();
    assert.equal(await renderSvg(chart.spec), expected, chart.name);
  }
});
