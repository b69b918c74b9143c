// Calibrations: a harness calibration (`--calibration FILE` on the analysis, sweeps and reports)
// and a published one (`validate --measured SOURCES --calibration FILE`), with fits out of range,
// another chip's fit, and broken files.
import { ITEMS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation, type Reader } from "../builders.js";
import { jsonText, raw, truncated } from "../mutate.js";
import { calibrationSeed, CPU_PROFILE, kindCalibrationSeed, PUBLISHED_FILE, publishedSeed } from "../seeds.js";

const FILE = "c.json";

const HARNESS_READERS: readonly Reader[] = [
  { label: "analysis", args: (f) => ["--model", "griffin-100m", "--hw", CPU_PROFILE, "--phase", "decode", "--calibration", f] },
  { label: "sweep", args: (f) => ["sweep", "--model", "griffin-100m", "--hw", CPU_PROFILE, "--seq", "512", "--calibration", f] },
];

const linear = ["classes", "linear"] as const;
const HARNESS: FieldMutation[] = [
  ...valuesAt(["schema"], [['"roofline.plan"', "roofline.plan"]]),
  { path: ["hardware"], label: '"h200" (fitted on another chip)', value: "h200", where: /c\.json|--calibration/, detail: "h200" },
  ...valuesAt([...linear, "slowdown"], [["0.5 (faster than the roofline)", 0.5], ["1e400", raw("1e400")]]),
  ...valuesAt([...linear, "overheadSeconds"], [["-1e-5", -1e-5]], ITEMS.implausible),
  ...valuesAt([...linear, "maxSeconds"], [['"x"', "x"]]),
  ...valuesAt(["crossValidation", "folds"], [["0", 0]]),
];

const KIND_READERS: readonly Reader[] = [
  { label: "validate published", args: (f) => ["validate", "--measured", PUBLISHED_FILE, "--calibration", f], files: { [PUBLISHED_FILE]: publishedSeed() } },
];

const attention = ["kernels", "*|attention"] as const;
const KIND: FieldMutation[] = [
  ...valuesAt(["schema"], [['"roofline.calibration"', "roofline.calibration"]]),
  ...valuesAt([...attention, "slowdown"], [["0.5", 0.5]]),
  ...valuesAt([...attention, "overheadSeconds"], [["-1", -1]], ITEMS.implausible),
  ...valuesAt(["backends"], [["[]", []]]),
];

export function calibrationCases(): FuzzCase[] {
  return [
    ...fieldCases("calibration", ITEMS.calibrations, FILE, calibrationSeed(), HARNESS_READERS, HARNESS),
    ...textCases("calibration", ITEMS.calibrations, FILE, [["an empty file", ""], ["cut in half", truncated(jsonText(calibrationSeed()), 0.5)]], HARNESS_READERS),
    ...fieldCases("published calibration", ITEMS.calibrations, "k.json", kindCalibrationSeed(), KIND_READERS, KIND),
    ...textCases("published calibration", ITEMS.calibrations, "k.json", [["null", "null\n"]], KIND_READERS),
  ];
}
