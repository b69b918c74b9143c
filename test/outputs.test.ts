// Outputs end to end: destinations refused before any work, files written whole or not at all
// (temporary files removed on errors and signals), closed pipes, batches that do not fit, and
// user strings made safe for terminals, spreadsheets, JUnit XML, Markdown and HTML.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { stripControlCharacters } from "../src/views/control-characters.js";
import { preset } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

function roofline(args: string[], options: { cwd?: string; env?: Record<string, string>; uid?: number } = {}) {
  const result = spawnSync(process.execPath, [main, ...args], {
    encoding: "utf8",
    cwd: options.cwd,
    // Never append to a real CI step summary, nor print annotations, unless a test asks to.
    env: { ...process.env, GITHUB_STEP_SUMMARY: "", GITHUB_ACTIONS: "", ...options.env },
    ...(options.uid !== undefined && { uid: options.uid, gid: options.uid }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder every user may enter (one test runs the command as nobody). */
function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-outputs-"));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** hawk-100m under another name, as a model file. */
function modelNamed(dir: string, name: string, file = "model.json"): string {
  const target = path.join(dir, file);
  fs.writeFileSync(target, JSON.stringify({ ...preset("hawk-100m"), name }));
  return target;
}

test("a closed stdout ends the command quietly, with the status it had", () => {
  const node = `"${process.execPath}" "${main}"`;
  const failing = path.join(folder(), "failing.json");
  fs.writeFileSync(failing, JSON.stringify({ schema: "roofline.budget", version: 1, predicted: [
    { name: "impossible", model: "hawk-100m", hw: "tpu-v3", phase: "decode", metric: "totals.seconds", max: 1e-9 }] }));
  const cases: [string, number][] = [
    [`${node} --model griffin-7b --hw tpu-v3 --json | head -c 10`, 0],
    [`${node} sweep --model griffin-7b --hw tpu-v3 --format json | head -n 1`, 0],
    [`${node} plan --model griffin-100m --hw tpu-v3 | true`, 0],
    [`${node} check --budget "${failing}" | true`, 1],
  ];
  for (const [pipeline, status] of cases) {
    const run = spawnSync("bash", ["-c", `${pipeline} >/dev/null; exit \${PIPESTATUS[0]}`], { encoding: "utf8", env: { ...process.env, GITHUB_STEP_SUMMARY: "" } });
    assert.equal(run.stderr, "", pipeline);
    assert.equal(run.status, status, pipeline);
  }
});

test("escape sequences and control characters in user strings never reach the terminal", () => {
  assert.equal(stripControlCharacters("a\x1b]0;title\x07b\x1b[2Jc\x1b[38;5;196md\x9b2Je\x1bPq#0\x1b\\f\x7fg\x00h\x1b7i\r\n\tj"), "abcdefghi\n\tj");
  assert.equal(stripControlCharacters("an unterminated \x1b]0;title"), "an unterminated 0;title");
  const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)) }), (text) => {
    const clean = stripControlCharacters(text);
    return !controls.test(clean) && stripControlCharacters(clean) === clean && (controls.test(text) || clean === text);
  }));

  const dir = folder();
  const name = "\x1b]0;pwned\x07evil\x1b[2J\x9b3J";
  const model = modelNamed(dir, name);
  const tables = roofline(["--model", model, "--hw", "tpu-v3"]);
  assert.equal(tables.status, 0, tables.stderr);
  assert.match(tables.stdout, /^Model evil: width 768/);
  assert.ok(!controls.test(tables.stdout.replace(/\n/g, "")));
  // JSON keeps the name: escaped, it reads back unchanged.
  const json = roofline(["--model", model, "--hw", "tpu-v3", "--json"]);
  assert.ok(!controls.test(json.stdout.replace(/\n/g, "")));
  assert.match(json.stdout, /"name": "\\u001b\]0;pwned\\u0007evil\\u001b\[2J\\u009b3J"/);
  assert.equal(JSON.parse(json.stdout).model.name, name);
  // Error lines quote user input too.
  const error = roofline(["--model", "\x1b[2Jno-such-model\x1b]0;t\x07", "--hw", "tpu-v3"]);
  assert.equal(error.status, 2);
  assert.match(error.stderr, /^roofline: unknown model "no-such-model"/);
  assert.ok(!controls.test(error.stderr.replace(/\n/g, "")));
});
