import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ridgePoints, ceilingsFor } from "../src/hardware/ceilings.js";
import { bundledProfileIds, loadProfile } from "../src/hardware/load.js";
import { InputError } from "../src/errors.js";

const REQUIRED = [
  "tpu-v3", "tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie",
  "h200", "b200", "l4", "l40s", "rtx-4090", "mi300x",
];

test("every required chip has a valid bundled profile with bf16 and vector ceilings", () => {
  assert.deepEqual(bundledProfileIds(), [...REQUIRED].sort());
  for (const id of REQUIRED) {
    const profile = loadProfile(id);
    assert.equal(profile.id, id);
    assert.ok(profile.compute.matrix.some((c) => c.dtype === "bf16"), id);
    assert.ok(profile.compute.vector.flopsPerSecond.value > 0, id);
    assert.ok(profile.memory.onChip.length > 0, `${id} lists on-chip memory`);
  }
});

test("TPU-v3's ridge point is 136.7 FLOP/byte, its VPU ridge 4.2", () => {
  // 123e12 FLOP/s / 900e9 B/s = 136.67; 3.8e12 / 900e9 = 4.22 ([G] App. D: 136 and 4.2).
  const ridges = ridgePoints(loadProfile("tpu-v3"));
  assert.equal(ridges[0]!.ceiling, "bf16 matrix");
  assert.equal(ridges[0]!.flopsPerByte.toFixed(1), "136.7");
  assert.equal(ridges.at(-1)!.flopsPerByte.toFixed(1), "4.2");
  const profile = loadProfile("tpu-v3");
  assert.equal(profile.granularity.coresPerChip, 2);
  // The disagreeing 140 TFLOP/s figure is kept, not dropped.
  assert.equal(profile.compute.matrix[0]!.flopsPerSecond.alternatives?.[0]?.value, 1.4e14);
});

test("H100 SXM ridge points follow the dense peaks", () => {
  // 989.4e12 / 3.35e12 = 295.3; fp8 1979e12 / 3.35e12 = 590.7 (dense, not the sparse headline).
  const ridges = ridgePoints(loadProfile("h100-sxm"));
  assert.equal(ridges.find((r) => r.ceiling === "bf16 matrix")!.flopsPerByte.toFixed(1), "295.3");
  assert.equal(ridges.find((r) => r.ceiling === "fp8 matrix")!.flopsPerByte.toFixed(1), "590.7");
});

function writeTemp(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test("a malformed profile is rejected with the file and the field named", () => {
  const good = JSON.parse(fs.readFileSync(new URL("../../hardware-profiles/tpu-v3.json", import.meta.url), "utf8"));
  good.compute.matrix[0].flopsPerSecond.value = -5;
  const file = writeTemp("bad.json", JSON.stringify(good));
  assert.throws(() => loadProfile(file), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /bad\.json/);
    assert.match(error.message, /compute\.matrix\[0\]\.flopsPerSecond\.value/);
    return true;
  });
});

test("a profile citing an undefined source, or not JSON at all, is rejected", () => {
  const good = JSON.parse(fs.readFileSync(new URL("../../hardware-profiles/h100-sxm.json", import.meta.url), "utf8"));
  good.memory.main.bytesPerSecond.source = ["S-NOWHERE"];
  assert.throws(() => loadProfile(writeTemp("src.json", JSON.stringify(good))), /memory\.main\.bytesPerSecond\.source\[0\]: unknown source id "S-NOWHERE"/);
  assert.throws(() => loadProfile(writeTemp("broken.json", "{ nope")), /broken\.json: not valid JSON/);
  assert.throws(() => loadProfile("tpu-v9"), /unknown hardware "tpu-v9"/);
});

test("asking for a dtype the chip lacks is an error, not a silent fallback", () => {
  assert.throws(() => ceilingsFor(loadProfile("tpu-v3"), "fp8"), /tpu-v3 has no fp8 matrix ceiling/);
  assert.equal(ceilingsFor(loadProfile("h100-sxm"), "fp8").matrixFlopsPerSecond, 1.979e15);
});
