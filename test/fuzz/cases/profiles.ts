// Hardware profiles (`--hw FILE`, and a budget's `hw`): broken JSON, wrong types, impossible or
// mis-scaled ceilings, source ids that only Object.prototype defines, and files that are not files.
import fs from "node:fs";
import path from "node:path";
import { ITEMS, QUICK_SECONDS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation, type Reader } from "../builders.js";
import { BAD_POSITIVE_NUMBERS, jsonText, REMOVE, truncated } from "../mutate.js";
import { profileSeed } from "../seeds.js";

const FILE = "p.json";

const budgetOn = (hw: string) => jsonText({
  schema: "roofline.budget", version: 1,
  predicted: [{ name: "decode", model: "griffin-100m", hw, phase: "decode", context: 1024, metric: "totals.seconds", max: 1 }],
});

/** Every command that reads a profile file. */
export const PROFILE_READERS: readonly Reader[] = [
  { label: "analysis", args: (f) => ["--model", "griffin-100m", "--hw", f, "--phase", "decode"] },
  { label: "sweep -o", args: (f) => ["sweep", "--model", "griffin-100m", "--hw", f, "--seq", "512", "-o", "out.csv"] },
  { label: "plan -o", args: (f) => ["plan", "--model", "griffin-100m", "--hw", f, "--seq", "512", "-o", "plan.json"] },
  { label: "report", args: (f) => ["report", "--model", "griffin-100m", "--hw", f, "--format", "vl.json", "--chart", "blocks", "-o", "r.vl.json"] },
  { label: "baseline --predicted", args: (f) => ["baseline", "--predicted", "--model", "griffin-100m", "--hw", f, "--phase", "decode", "-o", "budget.json"] },
  { label: "check", args: () => ["check", "--budget", "budget.json"], files: { "budget.json": budgetOn(FILE) } },
];

const matrixPeak = ["compute", "matrix", 0, "flopsPerSecond", "value"] as const;
const vectorPeak = ["compute", "vector", "flopsPerSecond", "value"] as const;
const bandwidth = ["memory", "main", "bytesPerSecond", "value"] as const;
const capacity = ["memory", "main", "capacityBytes", "value"] as const;
const matrixSources = ["compute", "matrix", 0, "flopsPerSecond", "source"] as const;

const MUTATIONS: FieldMutation[] = [
  ...valuesAt(["schemaVersion"], [["2", 2]]),
  ...valuesAt(["id"], [['"H200 GPU"', "H200 GPU"], ['"../../etc/passwd"', "../../etc/passwd"]]),
  ...valuesAt(["compute", "matrix", 0, "dtype"], [['"bf17"', "bf17"], ['"fp16" (a duplicate)', "fp16"]]),
  ...valuesAt(matrixPeak, BAD_POSITIVE_NUMBERS),
  ...valuesAt(matrixPeak, [["5e-324", 5e-324], ["1e-300", 1e-300], ["989 (TFLOP/s written as FLOP/s)", 989]], ITEMS.magnitudes),
  ...valuesAt(matrixSources, [['["no-such-source"]', ["no-such-source"]]]),
  ...valuesAt(matrixSources, [['["toString"]', ["toString"]], ['["__proto__"]', ["__proto__"]], ['["constructor"]', ["constructor"]]], ITEMS.prototype),
  ...valuesAt(vectorPeak, [["0", 0], ['"fast"', "fast"]]),
  ...valuesAt(vectorPeak, [["5e-324", 5e-324], ["1e-300", 1e-300]], ITEMS.magnitudes),
  ...valuesAt(bandwidth, [["-1", -1], ["null", null]]),
  ...valuesAt(bandwidth, [["3350 (GB/s written as bytes/s)", 3350], ["5e-324", 5e-324], ["1e-300", 1e-300]], ITEMS.magnitudes),
  ...valuesAt(capacity, [["0", 0]]),
  { path: ["measured", 0, "value"], label: "-1", value: -1 },
  { path: ["achievable"], label: "memory above the peak", value: { memoryBytesPerSecond: { value: 9e12, source: ["S-PROJECT-H200"], confidence: "measured", conditions: "copy" } }, add: true, detail: "memoryBytesPerSecond" },
  { path: ["sources"], label: "{} (every cited id undefined)", value: {}, detail: "source" },
  { path: ["overclocked"], label: "true (an unknown field)", value: true, add: true },
  ...(["compute", "sources"] as const).map((key): FieldMutation => ({ path: [key], label: "", value: REMOVE })),
];

const seedText = jsonText(profileSeed());
const TEXTS: [string, string | Uint8Array, (string | RegExp)?][] = [
  ["an empty file", ""],
  ["null", "null\n"],
  ["cut in half", truncated(seedText, 0.5)],
  ["with a NUL inside a string", seedText.replace('"name": "', '"name": "\u0000')],
  ["UTF-16 with a byte-order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedText, "utf16le")])],
  ["arrays nested 100,000 deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
  ["an own __proto__ key", '{"__proto__": {"schemaVersion": 1}, "id": "x"}\n'],
];

function pathCases(): FuzzCase[] {
  const analysis = (hw: string) => ["--model", "griffin-100m", "--hw", hw, "--phase", "decode"];
  return [
    { name: "profile: --hw names a folder (chips/)", item: ITEMS.paths, prepare: (dir) => void fs.mkdirSync(path.join(dir, "chips")), args: analysis("chips/"), expect: "refused", where: "chips" },
    { name: "profile: --hw names a folder called chip.json", item: ITEMS.paths, prepare: (dir) => void fs.mkdirSync(path.join(dir, "chip.json")), args: analysis("chip.json"), expect: "refused", where: "chip.json" },
    { name: "profile: --hw /dev/zero", item: ITEMS.paths, args: analysis("/dev/zero"), expect: "refused", where: "/dev/zero", timeoutSeconds: QUICK_SECONDS },
    // CSV readers end on a device that never ends: a record past 1 MiB, or a file past its size cap.
    { name: "measurements: /dev/zero as a harness CSV", item: ITEMS.paths, args: ["measurements", "/dev/zero"], expect: "refused", where: "/dev/zero", timeoutSeconds: QUICK_SECONDS },
    { name: "validate: /dev/zero as published measurements", item: ITEMS.paths, args: ["validate", "--measured", "/dev/zero", "--format", "published"], expect: "refused", where: "/dev/zero", timeoutSeconds: 20 },
    {
      name: "profile: 64 MiB of [", item: ITEMS.paths, expect: "refused", where: FILE, timeoutSeconds: QUICK_SECONDS,
      prepare: (dir) => void fs.writeFileSync(path.join(dir, FILE), Buffer.alloc(64 * 1024 * 1024 + 1, "[")),
      args: analysis(FILE),
    },
    { name: "profile: no such file", item: ITEMS.profiles, args: analysis("missing.json"), expect: "refused", where: "missing.json" },
  ];
}

export function profileCases(): FuzzCase[] {
  return [
    ...fieldCases("profile", ITEMS.profiles, FILE, profileSeed(), PROFILE_READERS, MUTATIONS),
    ...textCases("profile", ITEMS.profiles, FILE, TEXTS, PROFILE_READERS),
    ...pathCases(),
  ];
}
