// Running one fuzz case against the built CLI and judging what it did: the exit status, stderr's
// first line, the absence of stack traces, nothing written where it failed, and no NaN, Infinity
// or negative time in anything it printed or wrote.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FuzzCase } from "./case.js";

const main = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export interface CaseRun {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Paths created, changed or removed in the case's directory (and watched paths outside it). */
  changed: string[];
  /** Contents of the accepted case's outputs. */
  outputs: Record<string, string>;
}

/** Every file and folder under `dir` (and each watched path) with a hash of its content. */
function snapshot(dir: string, watched: readonly string[]): Map<string, string> {
  const state = new Map<string, string>();
  const visit = (file: string, name: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(file);
    } catch {
      return; // absent
    }
    if (stat.isDirectory()) {
      state.set(name, "folder");
      for (const child of fs.readdirSync(file)) visit(path.join(file, child), path.join(name, child));
    } else if (stat.isFile()) {
      // Large inputs are never outputs: their size and modification time are enough, and cheaper.
      state.set(name, stat.size > 1024 * 1024 ? `${stat.size} ${stat.mtimeMs}` : createHash("sha1").update(fs.readFileSync(file)).digest("hex"));
    } else state.set(name, "special");
  };
  for (const child of fs.readdirSync(dir)) visit(path.join(dir, child), child);
  for (const file of watched) visit(file, file);
  return state;
}

function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [name, hash] of after) {
    if (!before.has(name)) changed.push(`created ${name}`);
    else if (before.get(name) !== hash) changed.push(`changed ${name}`);
  }
  for (const name of before.keys()) if (!after.has(name)) changed.push(`removed ${name}`);
  return changed;
}

/** Makes every folder under `dir` writable again, so that it can be removed. */
function unlock(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    fs.chmodSync(child, 0o755);
    unlock(child);
  }
}

/** The environment of a run: the caller's, without CI variables that would change what the CLI writes. */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GITHUB_STEP_SUMMARY;
  delete env.GITHUB_ACTIONS;
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

export async function runCase(fuzzCase: FuzzCase): Promise<CaseRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-fuzz-"));
  try {
    for (const [name, content] of Object.entries(fuzzCase.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    const watched = fuzzCase.prepare?.(dir) ?? [];
    const args = typeof fuzzCase.args === "function" ? fuzzCase.args(dir) : [...fuzzCase.args];
    const env = environment(typeof fuzzCase.env === "function" ? fuzzCase.env(dir) : fuzzCase.env ?? {});
    const before = snapshot(dir, watched);
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string; timedOut: boolean }>((resolve) => {
      execFile(process.execPath, [main, ...args], {
        cwd: dir, env, encoding: "utf8", timeout: (fuzzCase.timeoutSeconds ?? 20) * 1000, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024,
      }, (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        const status = failure === null ? 0 : typeof failure.code === "number" ? failure.code : null;
        resolve({ status, stdout, stderr, timedOut: Boolean(failure?.killed) });
      }).stdin?.end();
    });
    const after = snapshot(dir, watched);
    const outputs: Record<string, string> = {};
    for (const name of fuzzCase.outputs ?? []) {
      const file = path.join(dir, name);
      if (fs.existsSync(file) && fs.statSync(file).isFile()) outputs[name] = fs.readFileSync(file, "utf8");
    }
    return { ...result, changed: differences(before, after), outputs };
  } finally {
    unlock(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const matches = (text: string, pattern: string | RegExp) => (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text));

/** Node's own report of an uncaught error: a stack, a caret under the source, "TypeError: …". */
const STACK_TRACE = [/^\s+at /m, /^[A-Za-z]*Error(?: \[\w+\])?: /m, /^Node\.js v\d/m, /^\s*\^+\s*$/m];

/** NaN, Infinity, or a negative duration, in printed text or JSON. */
export function numericProblems(text: string): string[] {
  const problems: string[] = [];
  if (/\bNaN\b/.test(text)) problems.push("NaN");
  if (/\bInfinity\b|∞/.test(text)) problems.push("Infinity");
  if (/(?<![\w.+-])-\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?\s?(?:s|ms|µs|us|ns)\b/.test(text)) problems.push("a negative time");
  if (/"[A-Za-z]*[sS]econds"\s*:\s*-\d/.test(text)) problems.push("a negative time in JSON");
  return problems;
}

/** What the run did wrong, in words; empty when it behaved. */
export function judge(fuzzCase: FuzzCase, run: CaseRun): string[] {
  const problems: string[] = [];
  const firstLine = run.stderr.split("\n", 1)[0] ?? "";
  if (run.timedOut) problems.push(`no answer within ${fuzzCase.timeoutSeconds ?? 20} s`);
  const stack = STACK_TRACE.find((pattern) => pattern.test(run.stderr));
  if (stack) problems.push(`stderr holds a stack trace or Node's error report (${stack})`);
  for (const problem of numericProblems(run.stdout)) problems.push(`stdout holds ${problem}`);
  if (!run.timedOut) {
    const allowed = { refused: [2], accepted: [0], warned: [0], answered: [0, 1, 2] }[fuzzCase.expect];
    if (!allowed.includes(run.status ?? -1)) problems.push(`exit status ${run.status}, expected ${allowed.join(" or ")} (${fuzzCase.expect})`);
  }
  // A warning is a line that names the file and what it warns of.
  if (fuzzCase.expect === "warned" && run.status === 0) {
    const warning = run.stderr.split("\n").find((line) => line.startsWith("roofline: warning: "));
    if (!warning) problems.push(`no "roofline: warning: " line on stderr`);
    else {
      if (fuzzCase.where !== undefined && !matches(warning, fuzzCase.where)) problems.push(`the warning does not name ${String(fuzzCase.where)}`);
      if (fuzzCase.detail !== undefined && !matches(run.stderr, fuzzCase.detail)) problems.push(`stderr does not name ${String(fuzzCase.detail)}`);
    }
  }
  // A refusal is one clear line that names what is wrong.
  if (run.status === 2 && fuzzCase.expect !== "accepted" && fuzzCase.expect !== "warned") {
    if (!firstLine.startsWith("roofline: ")) problems.push(`stderr's first line does not start with "roofline: "`);
    if (fuzzCase.where !== undefined && !matches(firstLine, fuzzCase.where)) problems.push(`stderr's first line does not name ${String(fuzzCase.where)}`);
    if (fuzzCase.detail !== undefined && !matches(run.stderr, fuzzCase.detail)) problems.push(`stderr does not name ${String(fuzzCase.detail)}`);
    if (run.stdout !== "") problems.push("printed on stdout although it failed");
  }
  // However it failed, it left nothing behind.
  if (run.status !== 0 && run.changed.length > 0) problems.push(`wrote where it failed: ${run.changed.join(", ")}`);
  for (const [name, content] of Object.entries(run.outputs)) {
    for (const problem of numericProblems(content)) problems.push(`${name} holds ${problem}`);
  }
  return problems;
}
