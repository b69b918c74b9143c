// The fuzz suite: malformed and hostile inputs of every kind, run against the built CLI. Each
// case must be refused with one clear line (exit 2, `roofline: ` naming the file or flag, no
// stack trace, nothing written) or, for the unusual but valid forms, accepted; nothing printed
// or written may hold NaN, Infinity or a negative time. test/fuzz/ holds the corpus.
import { test } from "node:test";
import assert from "node:assert/strict";
import { allCases } from "./fuzz/cases/index.js";
import { judge, runCase } from "./fuzz/run.js";

const cases = allCases();

test("the corpus has at least 400 cases, each named once", () => {
  assert.ok(cases.length >= 400, `${cases.length} cases`);
  const names = cases.map((c) => c.name);
  assert.deepEqual(names.filter((name, i) => names.indexOf(name) !== i), []);
});

// Four CLIs at a time: the suite stays within two minutes on a 2-core machine.
test("every fuzz case is answered clearly", { concurrency: 4 }, async (t) => {
  const failures = new Map<string, string[]>();
  await Promise.all(cases.map((fuzzCase) => t.test(fuzzCase.name, async () => {
    const run = await runCase(fuzzCase);
    const problems = judge(fuzzCase, run);
    if (problems.length === 0) return;
    const firstLine = run.stderr.split("\n", 1)[0] ?? "";
    failures.set(fuzzCase.item, [...(failures.get(fuzzCase.item) ?? []), `${fuzzCase.name} — ${problems.join("; ")} — ${JSON.stringify(firstLine.slice(0, 160))}`]);
    assert.fail(`${fuzzCase.item}: ${problems.join("; ")}\n  exit ${run.status}; stderr: ${firstLine.slice(0, 300)}`);
  })));
  // One line per failing case, grouped by item: what a fix of each item must turn green.
  for (const [item, names] of failures) {
    t.diagnostic(`${item}: ${names.length} failing`);
    for (const name of names.sort()) t.diagnostic(`  ${name}`);
  }
});
