// The measurements CSV reader: what the harness writes is accepted; anything malformed is
// rejected with the file, the line and the column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { stringify } from "csv-stringify/sync";
import { InputError } from "../src/errors.js";
import { parseMeasurements } from "../src/measurements/read.js";
import { MEASUREMENT_COLUMNS } from "../src/measurements/schema.js";

const good: Record<(typeof MEASUREMENT_COLUMNS)[number], string> = {
  kernel_id: "griffin-1b|decode|B1|L512|mlp|down-projection|forward", model: "griffin-1b", phase: "decode", pass: "forward",
  batch: "1", tokens: "512", op: "down-projection", block: "mlp", kind: "matmul", kernel: "linear", implementation: "",
  harness_implementation: "torch.nn.functional.linear", shape: "m=1 k=6144 n=2048 bias=1", dtype: "bf16", device: "cpu",
  device_name: "Some CPU", backend: "torch", backend_version: "1.13.1", runs: "3",
  median_seconds: "2.0e-4", min_seconds: "1.5e-4", p90_seconds: "3.0e-4", mean_seconds: "2.2e-4",
  samples_seconds: "1.5e-4 2.0e-4 3.0e-4", check: "pass", max_error: "1.2e-3", cache_flushed: "8388608",
};

const csv = (rows: Record<string, string>[], columns: readonly string[] = MEASUREMENT_COLUMNS) =>
  stringify(rows, { header: true, columns: [...columns] });

test("a well-formed row is read with numbers, samples and the shape parsed", () => {
  const { rows } = parseMeasurements(csv([good]), "m.csv");
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.median_seconds, 2e-4);
  assert.deepEqual(rows[0]!.samples_seconds, [1.5e-4, 2e-4, 3e-4]);
  assert.deepEqual(rows[0]!.shape, { m: 1, k: 6144, n: 2048, bias: 1 });
});

test("missing columns are named", () => {
  const columns = MEASUREMENT_COLUMNS.filter((c) => c !== "median_seconds" && c !== "shape");
  assert.throws(() => parseMeasurements(csv([good], columns), "m.csv"), /m\.csv: missing columns: shape, median_seconds/);
});

test("bad values are rejected with the line and the column", () => {
  const cases: [Partial<typeof good>, RegExp][] = [
    [{ median_seconds: "NaN" }, /m\.csv:3: column "median_seconds": expected a positive number, got "NaN"/],
    [{ median_seconds: "-1" }, /column "median_seconds": expected a positive number, got "-1"/],
    [{ batch: "2.5" }, /column "batch": expected a whole number/],
    [{ phase: "serve" }, /column "phase"/],
    [{ samples_seconds: "1e-4 2e-4" }, /column "samples_seconds": has 2 samples but runs is 3/],
    [{ min_seconds: "5e-4" }, /expected min ≤ median ≤ p90/],
    [{ shape: "m=1 k" }, /column "shape": expected key=number pairs, got "k"/],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => parseMeasurements(csv([good, { ...good, ...change }]), "m.csv"), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, message);
      return true;
    });
  }
});

test("an empty file or one that is not CSV is rejected", () => {
  assert.throws(() => parseMeasurements(csv([]), "empty.csv"), /empty\.csv: no measurements/);
  assert.throws(() => parseMeasurements('a,b\n"unterminated', "broken.csv"), /broken\.csv: not valid CSV/);
});
