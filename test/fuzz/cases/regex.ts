// Regular expressions from users (trace rules, a budget's `kernels`): a pattern that backtracks
// exponentially must be answered quickly by a linear-time engine, or refused.
import { ITEMS, QUICK_SECONDS, type FuzzCase } from "../case.js";
import { CPU_PROFILE, csvText, harnessRecords, TRACE_ARGS } from "../seeds.js";
import { jsonText } from "../mutate.js";

/** 32 a's and a "!": ^(a+)+$ fails on it after 2^32 steps of a backtracking engine. */
const EVIL_SUBJECT = `${"a".repeat(32)}!`;
const EVIL_PATTERN = "^(a+)+$";

export function regexCases(): FuzzCase[] {
  const trace = jsonText({ traceEvents: [{ ph: "X", cat: "kernel", name: EVIL_SUBJECT, pid: 0, ts: 0, dur: 5 }] });
  const measured = csvText(harnessRecords().map((r, i) => (i === 0 ? { ...r, kernel_id: EVIL_SUBJECT } : r)));
  return [
    {
      name: "regex: a --rules pattern ^(a+)+$ against 32 a's and a !", item: ITEMS.regex, expect: "answered", timeoutSeconds: QUICK_SECONDS, where: /r\.json|t\.json|\(a\+\)\+/,
      files: { "t.json": trace, "r.json": jsonText({ rules: [{ pattern: EVIL_PATTERN, kernel: "linear" }] }) },
      args: ["validate", "--measured", "t.json", ...TRACE_ARGS, "--rules", "r.json"],
    },
    {
      name: "regex: a budget's kernels ^(a+)+$ against a kernel id of 32 a's and a !", item: ITEMS.regex, expect: "answered", timeoutSeconds: QUICK_SECONDS, where: /budget\.json|\(a\+\)\+/,
      files: {
        "m.csv": measured,
        "budget.json": jsonText({ schema: "roofline.budget", version: 1, measured: [{ name: "evil", kernels: EVIL_PATTERN, minAchievedFraction: 0.01, hw: CPU_PROFILE }] }),
      },
      args: ["check", "--budget", "budget.json", "--measured", "m.csv"],
    },
  ];
}
