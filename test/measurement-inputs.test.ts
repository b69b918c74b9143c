// Measurement inputs at their edges: traces, profiler CSVs, harness CSVs, plans, baselines,
// budgets and rules that are empty, malformed, out of range, from another device, very large, or
// written by other tools' versions. Each is read, refused with the file and the place, or warned
// about; none ends in a stack trace or a nonsense number.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../src/errors.js";
import { compileUserPattern } from "../src/patterns.js";
import { readRules } from "../src/importers/rules.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const roofline = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env: { ...process.env, GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "" } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-inputs-"));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

/** A refusal: exit status 2, one `roofline: …` line of message, no stack trace. */
function refused(result: ReturnType<typeof roofline>, message: RegExp): void {
  assert.equal(result.status, 2, `expected a refusal, got status ${result.status}\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stderr, /^roofline: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "a stack trace");
  assert.match(result.stderr, message);
}

const fails = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (error: Error) => error instanceof InputError && message.test(error.message));

// --- User regular expressions ----------------------------------------------------------------

test("user patterns run in linear time: a pattern that backtracks exponentially answers at once", () => {
  // ^(a+)+$ against 32 a's and a "!" takes 2^32 steps in a backtracking engine.
  const pattern = compileUserPattern("^(a+)+$", "test:");
  assert.equal(pattern.test(`${"a".repeat(32)}!`), false);
  assert.equal(pattern.test("aaaa"), true);
  assert.equal(compileUserPattern("GEMM", "test:", "i").test("sm90_xmma_gemm"), true);
});

test("patterns RE2 cannot run (backreferences, lookaround) are refused with the pattern, the file and the reason", () => {
  const rules = write("backref-rules.json", JSON.stringify({ rules: [{ pattern: "gemm", kernel: "linear" }, { pattern: "(a)\\1", kernel: "linear" }] }));
  fails(() => readRules(rules), /backref-rules\.json: rules\[1\]\.pattern: not a regular expression this tool accepts: \/\(a\)\\1\/ \(invalid escape sequence: `\\1`\)/);
  const lookahead = write("lookahead-budget.json", JSON.stringify({
    schema: "roofline.budget", version: 1, measured: [{ name: "ahead", kernels: "mlp(?=\\|)", maxSlowdown: 0.1 }],
  }));
  refused(roofline("check", "--budget", lookahead), /lookahead-budget\.json: measured "ahead": kernels is not a regular expression this tool accepts: \/mlp\(\?=\\\|\)\/ \(invalid or unsupported Perl syntax: `\(\?=`\)/);
});
