// The regression gate: the U test against published tables, statistical decisions on planted
// slowdowns, refusal of foreign baselines, exit codes and the CI report formats.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "csv-stringify/sync";
import { exactUDistribution, mannWhitney } from "../src/check/mann-whitney.js";
import { MEASUREMENT_COLUMNS } from "../src/measurements/schema.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env: { ...process.env, GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "" } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-check-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

test("exact U distribution reproduces the published two-sided critical values at α = 0.05", () => {
  // Critical U (reject when U ≤ it) from the standard Mann-Whitney table: n1 = n2 = 5 → 2;
  // 8, 8 → 13; 10, 10 → 23; 5, 10 → 8; 20, 20 → 127.
  const cases: [number, number, number][] = [[5, 5, 2], [8, 8, 13], [10, 10, 23], [5, 10, 8], [20, 20, 127]];
  for (const [n1, n2, critical] of cases) {
    const counts = exactUDistribution(n1, n2);
    const total = counts.reduce((s, c) => s + c, 0);
    const twoSided = (u: number) => (2 * counts.slice(0, u + 1).reduce((s, c) => s + c, 0)) / total;
    assert.ok(twoSided(critical) <= 0.05, `${n1},${n2}: P(U ≤ ${critical}) two-sided = ${twoSided(critical)}`);
    assert.ok(twoSided(critical + 1) > 0.05, `${n1},${n2}: P(U ≤ ${critical + 1}) two-sided = ${twoSided(critical + 1)}`);
  }
  // 5, 5: P(U ≤ 2) = (1 + 1 + 2) / C(10, 5) = 4 / 252.
  assert.equal(exactUDistribution(5, 5).slice(0, 3).reduce((s, c) => s + c, 0), 4);
});

test("the U test matches SciPy's mannwhitneyu, exact and with ties", () => {
  // Reference values from scipy.stats.mannwhitneyu (SciPy 1.17).
  const exact = mannWhitney([3.1, 2.2, 4.5, 5.0, 3.9, 4.1], [1.0, 2.5, 1.9, 3.0, 2.0, 1.7, 2.8]);
  assert.equal(exact.method, "exact");
  assert.equal(exact.u, 39);
  assert.ok(Math.abs(exact.pGreater - 0.004079254079254079) < 1e-12);
  assert.ok(Math.abs(exact.pTwoSided - 0.008158508158508158) < 1e-12);
  const tied = mannWhitney([1.1, 1.2, 1.2, 1.3, 1.5, 1.5, 1.7, 2.0], [1.0, 1.0, 1.1, 1.2, 1.2, 1.25, 1.3, 1.4, 1.4]);
  assert.equal(tied.method, "normal");
  assert.equal(tied.u, 53);
  assert.ok(Math.abs(tied.pGreater - 0.054521382124622673) < 1e-6);
  assert.ok(Math.abs(tied.pTwoSided - 0.10904276424924535) < 1e-6);
});

/** A seeded generator, so that the "random" timings are the same in every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function timings(n: number, center: number, seed: number): number[] {
  const random = seeded(seed);
  // Right-skewed like real timings: a floor plus an exponential-ish tail of about 3%.
  return Array.from({ length: n }, () => center * (1 + 0.03 * -Math.log(1 - random())));
}

function measurementCsv(samplesById: Record<string, number[]>, device: string): string {
  const rows = Object.entries(samplesById).map(([id, samples]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const median = (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
    return {
      kernel_id: id, model: "griffin-100m", phase: "decode", pass: "forward", batch: 1, tokens: 1024, op: "down-projection", block: "mlp",
      kind: "matmul", kernel: "linear", implementation: "", harness_implementation: "synthetic", shape: "m=1 k=2304 n=768 bias=1",
      dtype: "bf16", device: "cpu", device_name: device, backend: "torch", backend_version: "1.13.1", runs: samples.length,
      median_seconds: median, min_seconds: sorted[0], p90_seconds: sorted[sorted.length - 1], mean_seconds: median,
      samples_seconds: samples.join(" "), check: "pass", max_error: 0, cache_flushed: 0,
    };
  });
  return stringify(rows, { header: true, columns: [...MEASUREMENT_COLUMNS] });
}

const ID = "griffin-100m|decode|B1|L1024|mlp|down-projection|forward";
const budget = write("budget.json", JSON.stringify({
  schema: "roofline.budget", version: 1,
  measured: [{ name: "no kernel slows down by more than 10%", kernels: ".*", maxSlowdown: 0.1, alpha: 0.01 }],
}));

test("a planted 30% slowdown fails; identical distributions pass", () => {
  const baselineCsv = write("base.csv", measurementCsv({ [ID]: timings(20, 1e-3, 1) }, "Test CPU"));
  const baseline = path.join(dir, "baseline.json");
  assert.equal(roofline("baseline", "--measured", baselineCsv, "-o", baseline).status, 0);

  const same = write("same.csv", measurementCsv({ [ID]: timings(20, 1e-3, 2) }, "Test CPU"));
  const ok = roofline("check", "--budget", budget, "--measured", same, "--baseline", baseline);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /all 1 expectations hold/);

  const slow = write("slow.csv", measurementCsv({ [ID]: timings(20, 1.3e-3, 3) }, "Test CPU"));
  const junit = path.join(dir, "junit.xml");
  const summary = path.join(dir, "summary.md");
  const bench = path.join(dir, "bench.json");
  const failed = roofline("check", "--budget", budget, "--measured", slow, "--baseline", baseline, "--junit", junit, "--summary", summary, "--benchmark-json", bench, "--annotations");
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /FAIL/);
  assert.match(failed.stdout, /slower: median ×1\.\d+ of the baseline/);
  assert.match(failed.stdout, /^::error title=roofline check%3A no kernel slows down by more than 10%25::griffin-100m\|decode/m);
  assert.match(failed.stdout, /recorded \d{4}-\d\d-\d\dT.* on Test CPU \(torch 1\.13\.1\) from .*base\.csv, less than a minute old/);
  const xml = fs.readFileSync(junit, "utf8");
  assert.match(xml, /<testsuites name="roofline check" tests="1" failures="1" errors="0">/);
  assert.match(xml, /<testcase classname="roofline\.measured\.no kernel slows down by more than 10%" name="griffin-100m\|decode[^"]*" time="0"><failure message="slower: /);
  assert.match(fs.readFileSync(summary, "utf8"), /## roofline check: ❌ failed/);
  const entries = JSON.parse(fs.readFileSync(bench, "utf8"));
  assert.equal(entries[0].unit, "s");
  assert.ok(entries[0].value > 1.25e-3);

  // compare reports the same without gating.
  const compared = roofline("compare", "--budget", budget, "--measured", slow, "--baseline", baseline);
  assert.equal(compared.status, 0);
  assert.match(compared.stdout, /roofline compare: 1 failed/);
});

test("a slowdown that is not significant, or too few samples, does not pass silently", () => {
  const baselineCsv = write("base4.csv", measurementCsv({ [ID]: timings(4, 1e-3, 4) }, "Test CPU"));
  const baseline = path.join(dir, "baseline4.json");
  roofline("baseline", "--measured", baselineCsv, "-o", baseline);
  const few = write("few.csv", measurementCsv({ [ID]: timings(4, 1.3e-3, 5) }, "Test CPU"));
  const result = roofline("check", "--budget", budget, "--measured", few, "--baseline", baseline);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /4 samples against 4; at least 5 each are needed/);
  assert.match(result.stdout, /0 failed, 1 with insufficient data/);
});

test("a baseline from another device is refused", () => {
  const baselineCsv = write("other-base.csv", measurementCsv({ [ID]: timings(10, 1e-3, 6) }, "NVIDIA H100 80GB HBM3"));
  const baseline = path.join(dir, "other.json");
  roofline("baseline", "--measured", baselineCsv, "-o", baseline);
  const current = write("here.csv", measurementCsv({ [ID]: timings(10, 1e-3, 7) }, "Test CPU"));
  const result = roofline("check", "--budget", budget, "--measured", current, "--baseline", baseline);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /refusing to compare timings from different devices: .*here\.csv was measured on Test CPU, the baseline on NVIDIA H100 80GB HBM3/);
});

test("predicted budgets: bounds, and accepted values that any change must update", () => {
  // griffin-7b decode on TPU-v3 at 8,192 cached tokens, batch 16, every op memory bound: 13.84 GB
  // of weights, 84 MB of keys and values (10 local layers · 16 · 2 · 1025 · 128 · 2 B), 40 MB of
  // recurrent state (22 layers · 16 · (5632·4·2 + 3·5632·2·2) B, read and written) and 217 MB of
  // activations: 14.18 GB at 900 GB/s = 15.76 ms. The cache of one sequence: 22·(5632·4 + 3·5632·2)
  // + 10·2·1024·128·2 = 6,481,920 bytes.
  const bounds = write("bounds.json", JSON.stringify({
    schema: "roofline.budget", version: 1,
    predicted: [
      { name: "decode fits 16 ms", model: "griffin-7b", hw: "tpu-v3", phase: "decode", batch: 16, context: 8192, metric: "totals.seconds", max: 0.016 },
      { name: "cache at most 6.5 MB", model: "griffin-7b", hw: "tpu-v3", phase: "decode", batch: 16, context: 8192, metric: "memory.cacheBytesPerSequence", max: 6.5e6 },
      { name: "decode fits 15 ms", model: "griffin-7b", hw: "tpu-v3", phase: "decode", batch: 16, context: 8192, metric: "totals.seconds", max: 0.015 },
    ],
  }));
  const result = roofline("check", "--budget", bounds);
  assert.equal(result.status, 1);
  assert.equal((result.stdout.match(/^│ ok /gm) ?? []).length, 2);
  assert.match(result.stdout, /15\.8 ms > max 15\.0 ms/);
  assert.match(result.stdout, /6\.48 MB within the budget/);

  const accepted = path.join(dir, "accepted.json");
  assert.equal(roofline("baseline", "--predicted", "--model", "hawk-100m,griffin-100m", "--hw", "tpu-v3", "-o", accepted).status, 0);
  assert.equal(roofline("check", "--budget", accepted).status, 0);
  const moved = JSON.parse(fs.readFileSync(accepted, "utf8"));
  moved.predicted[0].expected *= 1.001;
  const movedFile = write("moved.json", JSON.stringify(moved));
  const changed = roofline("check", "--budget", movedFile);
  assert.equal(changed.status, 1);
  assert.match(changed.stdout, /moved 0\.0999% from the accepted/);
});

test("a malformed budget is bad input: exit 2 with the field named", () => {
  const bad = write("bad.json", JSON.stringify({ schema: "roofline.budget", version: 1, measured: [{ name: "x", kernels: "(", maxSlowdown: 0.1 }] }));
  const r1 = roofline("check", "--budget", bad);
  assert.equal(r1.status, 2);
  assert.match(r1.stderr, /measured "x": kernels is not a regular expression/);
  const noLimit = write("nolimit.json", JSON.stringify({ schema: "roofline.budget", version: 1, predicted: [{ name: "x", model: "hawk-100m", hw: "tpu-v3", phase: "decode", metric: "totals.seconds" }] }));
  const r2 = roofline("check", "--budget", noLimit);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /predicted\[0\]: needs max, min or expected/);
  const noMeasured = roofline("check", "--budget", budget);
  assert.equal(noMeasured.status, 2);
  assert.match(noMeasured.stderr, /needs --measured/);
});

test("aggregate expectations judge a group's summed time: a 30% slowdown of every kernel fails", () => {
  const ids = Array.from({ length: 12 }, (_, i) => `${ID}-${i}`);
  const make = (scale: number, seed: number) => Object.fromEntries(ids.map((id, i) => [id, timings(10, (1 + i) * 1e-4 * scale, seed * 100 + i)]));
  const baselineCsv = write("agg-base.csv", measurementCsv(make(1, 1), "Test CPU"));
  const baseline = path.join(dir, "agg-baseline.json");
  roofline("baseline", "--measured", baselineCsv, "-o", baseline);
  const aggregate = write("agg.json", JSON.stringify({ schema: "roofline.budget", version: 1,
    measured: [{ name: "all together", kernels: ".*", aggregate: true, maxSlowdown: 0.1, alpha: 0.01 }] }));
  const same = roofline("check", "--budget", aggregate, "--measured", write("agg-same.csv", measurementCsv(make(1, 2), "Test CPU")), "--baseline", baseline);
  assert.equal(same.status, 0, same.stdout);
  assert.match(same.stdout, /12 kernels matching \/\.\*\/, summed/);
  const slow = roofline("check", "--budget", aggregate, "--measured", write("agg-slow.csv", measurementCsv(make(1.3, 3), "Test CPU")), "--baseline", baseline, "--only-failures");
  assert.equal(slow.status, 1);
  assert.match(slow.stdout, /slower: median ×1\.3/);
});

test("the sign test's tail is the binomial(n, 1/2) tail, worked by hand", async () => {
  const { signTest } = await import("../src/check/sign-test.js");
  // 10 of 10 rounds above: 1/2^10 = 1/1024. 9 of 10: (C(10,9) + C(10,10))/1024 = 11/1024.
  assert.equal(signTest(Array(10).fill(2), 1.25).pGreater, 1 / 1024);
  assert.ok(Math.abs(signTest([...Array(9).fill(2), 1], 1.25).pGreater - 11 / 1024) < 1e-15);
  // 16 of 20: (C(20,16) + C(20,17) + C(20,18) + C(20,19) + 1) / 2^20 = (4845 + 1140 + 190 + 20 + 1) / 1048576.
  assert.ok(Math.abs(signTest([...Array(16).fill(1.3), ...Array(4).fill(1)], 1.25).pGreater - 6196 / 1048576) < 1e-15);
  // None above: the whole distribution, p = 1; a ratio exactly at the limit is not above it.
  assert.equal(signTest([1.25, 1.0, 0.9], 1.25).pGreater, 1);
});

/** A measurements CSV with its environment file, as `harness.py run --interleave` writes them. */
function interleavedPair(name: string, a: Record<string, number[]>, b: Record<string, number[]>, session: string) {
  const files = [write(`${name}-a.csv`, measurementCsv(a, "Test CPU")), write(`${name}-b.csv`, measurementCsv(b, "Test CPU"))];
  for (const [i, file] of files.entries()) {
    fs.writeFileSync(file.replace(/\.csv$/, ".environment.json"), JSON.stringify({ pairing: { session, order: "ABBA", role: "AB"[i] } }));
  }
  const baseline = path.join(dir, `${name}-baseline.json`);
  assert.equal(roofline("baseline", "--measured", files[0]!, "-o", baseline).status, 0);
  return { baseline, measured: files[1]! };
}

test("interleaved pairs hold on a machine whose load changes; separate runs raise a false alarm", () => {
  // Twelve kernels, 20 rounds. The machine slows from 1× to 3× over the session (another job
  // starting): round i of both sides shares the factor 1 + 2i/19. Separate runs (A all quiet,
  // B all under the ramp) see B about twice as slow; the paired ratios stay near 1.
  const ids = Array.from({ length: 12 }, (_, i) => `${ID}-${i}`);
  const ramp = (i: number) => 1 + (2 * i) / 19;
  const side = (seed: number, load: (i: number) => number, scale = 1) => Object.fromEntries(ids.map((id, k) =>
    [id, timings(20, (1 + k) * 1e-4 * scale, seed * 100 + k).map((t, i) => t * load(i))]));
  const aggregate = (paired: boolean) => write(`ramp-${paired}.json`, JSON.stringify({ schema: "roofline.budget", version: 1,
    measured: [{ name: "all together", kernels: ".*", aggregate: true, paired, maxSlowdown: 0.25, alpha: 0.01 }] }));

  const separate = interleavedPair("separate", side(1, () => 1), side(2, ramp), "s1");
  const unpaired = roofline("check", "--budget", aggregate(false), "--measured", separate.measured, "--baseline", separate.baseline);
  assert.equal(unpaired.status, 1, unpaired.stdout);
  assert.match(unpaired.stdout, /slower: median ×(1\.[89]|2\.\d)/);

  const pair = interleavedPair("ramp", side(3, ramp), side(4, ramp), "s2");
  const summary = path.join(dir, "ramp-summary.md");
  const paired = roofline("check", "--budget", aggregate(true), "--measured", pair.measured, "--baseline", pair.baseline, "--summary", summary);
  assert.equal(paired.status, 0, paired.stdout);
  assert.match(fs.readFileSync(summary, "utf8"), /median paired ratio ×(0\.9[5-9]\d|1\.0[0-5]\d) over 20 interleaved rounds/);

  // The same ramp with every kernel of side B 50% slower: caught, every round above ×1.25.
  const slow = interleavedPair("ramp-slow", side(5, ramp), side(6, ramp, 1.5), "s3");
  const caught = roofline("check", "--budget", aggregate(true), "--measured", slow.measured, "--baseline", slow.baseline, "--summary", summary);
  assert.equal(caught.status, 1, caught.stdout);
  assert.match(fs.readFileSync(summary, "utf8"), /slower: median paired ratio ×1\.[45]\d+ over 20 interleaved rounds \(limit ×1\.250\), 20 of 20 rounds above/);
});

test("a paired expectation refuses files that were not timed in one interleaved session", () => {
  const a = { [ID]: timings(10, 1e-3, 8) };
  const first = interleavedPair("one", a, a, "session-one");
  const second = interleavedPair("two", a, a, "session-two");
  const budgetFile = write("paired.json", JSON.stringify({ schema: "roofline.budget", version: 1,
    measured: [{ name: "paired", kernels: ".*", paired: true, maxSlowdown: 0.25 }] }));
  const result = roofline("check", "--budget", budgetFile, "--measured", second.measured, "--baseline", first.baseline);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /measured "paired" is paired, but .*two-b\.csv and the baseline were not timed in one interleaved session .*session session-two against session-one/);
});
