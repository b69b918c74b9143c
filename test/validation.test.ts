// Validation and calibration: errors against measurements, the faster-than-roofline flag, and
// calibration recovering efficiencies planted in synthetic timings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "csv-stringify/sync";
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { loadProfile } from "../src/hardware/load.js";
import { MEASUREMENT_COLUMNS } from "../src/measurements/schema.js";
import { planEntries } from "../src/plan/plan.js";
import { calibratedSeconds, fitPoints, type CalibrationPoint } from "../src/calibration/fit.js";
import { buildCalibration } from "../src/validation/calibration.js";
import { summarizeErrors } from "../src/validation/errors.js";
import { FLASH_FUSED, preset } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "roofline-validation-"));

test("error statistics by hand", () => {
  // Errors −50%, +10%, −5%, +30%: |e| = 0.5, 0.1, 0.05, 0.3 → median 0.2, mean 0.2375, worst −50%,
  // within ±10%: 2 of 4, within ±25%: 2 of 4.
  const s = summarizeErrors([{ id: "a", error: -0.5 }, { id: "b", error: 0.1 }, { id: "c", error: -0.05 }, { id: "d", error: 0.3 }]);
  assert.equal(s.medianAbsoluteError, 0.2);
  assert.equal(s.meanAbsoluteError, 0.2375);
  assert.deepEqual(s.worst, { id: "a", error: -0.5 });
  assert.equal(s.within10, 0.5);
  assert.equal(s.within25, 0.5);
});

test("calibration recovers the overhead and slowdown planted in synthetic timings", () => {
  // Two classes: linear runs at 1/1.25 of its roof plus 5 µs per launch; rmsnorm at 1/3 plus 20 µs.
  const planted: Record<string, { overhead: number; slowdown: number }> = { linear: { overhead: 5e-6, slowdown: 1.25 }, rmsnorm: { overhead: 20e-6, slowdown: 3 } };
  const points: CalibrationPoint[] = [];
  for (const [opClass, p] of Object.entries(planted)) {
    for (let i = 0; i < 40; i++) {
      const roof = 1e-7 * 10 ** (i / 8); // 100 ns … 10 ms
      points.push({ id: `${opClass}-${i}`, opClass, predictedSeconds: roof, measuredSeconds: p.overhead + p.slowdown * roof });
    }
  }
  const calibration = buildCalibration(points, "test-chip", "synthetic");
  for (const [opClass, p] of Object.entries(planted)) {
    const fit = calibration.classes[opClass]!;
    assert.ok(Math.abs(fit.overheadSeconds - p.overhead) < 1e-12, `${opClass} overhead ${fit.overheadSeconds}`);
    assert.ok(Math.abs(fit.slowdown - p.slowdown) < 1e-9, `${opClass} slowdown ${fit.slowdown}`);
  }
  // Held out, exact data is predicted exactly; the uncalibrated roofline is far off.
  assert.ok(calibration.crossValidation.calibrated.meanAbsoluteError! < 1e-9);
  assert.ok(calibration.crossValidation.uncalibrated.meanAbsoluteError! > 0.5);
  // Applying it: 10 launches whose roofline adds up to 1 ms → 10·5 µs + 1.25 · 1 ms = 1.3 ms.
  const applied = calibratedSeconds(calibration, "linear", 1e-3, 10);
  assert.ok(Math.abs(applied.seconds - 1.3e-3) < 1e-12);
  assert.equal(applied.extrapolated, false);
  assert.equal(calibratedSeconds(calibration, "linear", 10, 1).extrapolated, true); // 10 s per kernel: far outside
  assert.equal(calibratedSeconds(calibration, "scan", 1e-3, 1).extrapolated, true); // class never measured
});

test("calibration never makes a kernel faster than its roofline", () => {
  // Measurements faster than the roofline would need a slowdown below 1: it is held at 1.
  const fit = fitPoints([1e-6, 1e-5, 1e-4].map((r, i) => ({ id: String(i), opClass: "x", predictedSeconds: r, measuredSeconds: r * 0.5 })));
  assert.equal(fit.slowdown, 1);
  assert.ok(fit.overheadSeconds >= 0);
});

function measurementCsv(rows: Record<string, string | number>[]): string {
  return stringify(rows, { header: true, columns: [...MEASUREMENT_COLUMNS] });
}

function syntheticRows(factor: (kernel: string) => number) {
  // Measurements of griffin-100m decode kernels on H100 SXM, each `factor` × its own roofline.
  const entries = planEntries(preset("griffin-100m"), "decode", 2, 1024, FLASH_FUSED, ceilingsFor(loadProfile("h100-sxm"), "bf16"));
  return entries.map((e) => {
    const t = e.predicted.seconds * factor(e.kernel);
    return {
      kernel_id: e.id, model: e.model, phase: e.phase, pass: e.pass, batch: e.batch, tokens: e.tokens, op: e.op, block: e.block,
      kind: e.kind, kernel: e.kernel, implementation: e.implementation ?? "", harness_implementation: "synthetic",
      shape: Object.entries(e.shape).map(([k, v]) => `${k}=${v}`).join(" "), dtype: "bf16", device: "cuda",
      device_name: "NVIDIA H100 80GB HBM3", backend: "torch", backend_version: "2.5.1", runs: 3,
      median_seconds: t, min_seconds: t, p90_seconds: t, mean_seconds: t, samples_seconds: `${t} ${t} ${t}`,
      check: "pass", max_error: 0, cache_flushed: 0,
    };
  });
}

test("validate joins every measured kernel with its prediction and flags kernels faster than their roofline", () => {
  const dir = tmp();
  const file = path.join(dir, "m.csv");
  // Every kernel at 2× its roofline (error −50%), except RMSNorm at 0.8× (faster than possible).
  fs.writeFileSync(file, measurementCsv(syntheticRows((k) => (k === "rmsnorm" ? 0.8 : 2))));
  const result = roofline("validate", "--measured", file, "--hw", "h100-sxm", "--json");
  assert.equal(result.status, 0, result.stderr);
  const doc = JSON.parse(result.stdout);
  const linear = doc.kernels.filter((k: { opClass: string }) => k.opClass === "linear");
  assert.ok(linear.length > 0);
  for (const k of linear) {
    assert.ok(Math.abs(k.error + 0.5) < 1e-9);
    assert.ok(Math.abs(k.achievedFraction - 0.5) < 1e-9);
    assert.equal(k.fasterThanRoofline, false);
  }
  const norms = doc.kernels.filter((k: { opClass: string }) => k.opClass === "rmsnorm");
  assert.ok(norms.length > 0 && norms.every((k: { fasterThanRoofline: boolean }) => k.fasterThanRoofline));
  assert.ok(Math.abs(doc.summary.byClass.linear.medianAbsoluteError - 0.5) < 1e-9);
  assert.equal(doc.summary.byClass.linear.within25, 0);
  // The device name finds the profile by itself; the text output names the flagged kernels.
  const text = roofline("validate", "--measured", file);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /kernels ran faster than their roofline: a counting, unit or profile error/);
  assert.match(text.stdout, /pre-norm \(RMSNorm\)\|forward.*FASTER THAN ROOFLINE/);
});

test("calibrate writes a calibration that --calibration applies and marks", () => {
  const dir = tmp();
  const file = path.join(dir, "m.csv");
  fs.writeFileSync(file, measurementCsv(syntheticRows(() => 2)));
  const calibrationFile = path.join(dir, "cal.json");
  const fit = roofline("calibrate", "--measured", file, "--hw", "h100-sxm", "-o", calibrationFile);
  assert.equal(fit.status, 0, fit.stderr);
  const plain = JSON.parse(roofline("--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "decode", "--batch", "2", "--context", "1024", "--json").stdout);
  const calibrated = JSON.parse(roofline("--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "decode", "--batch", "2", "--context", "1024", "--json", "--calibration", calibrationFile).stdout);
  // Every kernel was measured at exactly 2× its roofline, so the whole step doubles.
  assert.ok(Math.abs(calibrated.totals.seconds / plain.totals.seconds - 2) < 1e-6);
  assert.match(calibrated.assumptions.efficiency, /^calibrated with/);
  assert.ok(calibrated.ops.every((op: { efficiency: number; extrapolated: boolean }) => Math.abs(op.efficiency - 0.5) < 1e-6 && op.extrapolated === false));
  // At another size the same calibration extrapolates, and says so.
  const far = JSON.parse(roofline("--model", "griffin-100m", "--hw", "h100-sxm", "--phase", "prefill", "--seq", "8192", "--batch", "64", "--json", "--calibration", calibrationFile).stdout);
  assert.ok(far.ops.some((op: { extrapolated: boolean }) => op.extrapolated));
  const text = roofline("--model", "griffin-100m", "--hw", "h100-sxm", "--calibration", calibrationFile);
  assert.match(text.stdout, /times are CALIBRATED with/);
  const wrongChip = roofline("--model", "griffin-100m", "--hw", "tpu-v3", "--calibration", calibrationFile);
  assert.equal(wrongChip.status, 2);
  assert.match(wrongChip.stderr, /was fitted on h100-sxm; it cannot calibrate tpu-v3/);
});

test("achieved-fraction budgets, per kernel and for a group", () => {
  const dir = tmp();
  const file = path.join(dir, "m.csv");
  fs.writeFileSync(file, measurementCsv(syntheticRows(() => 2))); // every kernel at half its roof
  const budget = (min: number, aggregate: boolean) => {
    const b = path.join(dir, `b-${min}-${aggregate}.json`);
    fs.writeFileSync(b, JSON.stringify({ schema: "roofline.budget", version: 1,
      measured: [{ name: "linear layers", kernels: "projection|linear", aggregate, minAchievedFraction: min, hw: "h100-sxm" }] }));
    return b;
  };
  const pass = roofline("check", "--budget", budget(0.45, true), "--measured", file);
  assert.equal(pass.status, 0, pass.stdout);
  assert.match(pass.stdout, /achieved 50\.0% of the roofline on h100-sxm \(minimum 45\.0%\)/);
  assert.equal(roofline("check", "--budget", budget(0.55, true), "--measured", file).status, 1);
  const perKernel = roofline("check", "--budget", budget(0.55, false), "--measured", file);
  assert.equal(perKernel.status, 1);
  assert.ok((perKernel.stdout.match(/FAIL/g) ?? []).length > 5);
});
