// Trace rules (`validate --rules FILE`): broken JSON, rules of the wrong shape, patterns that are
// not regular expressions.
import { ITEMS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, valuesAt, type FieldMutation, type Reader } from "../builders.js";
import { jsonText, REMOVE } from "../mutate.js";
import { rulesSeed, TRACE_ARGS, torchTraceSeed } from "../seeds.js";

const FILE = "r.json";

const READERS: readonly Reader[] = [
  { label: "validate --rules", args: (f) => ["validate", "--measured", "t.json", ...TRACE_ARGS, "--rules", f], files: { "t.json": jsonText(torchTraceSeed()) } },
];

const rule = ["rules", 0] as const;
const MUTATIONS: FieldMutation[] = [
  ...valuesAt(["rules"], [["[]", []]]),
  ...valuesAt([...rule, "pattern"], [['"(" (not a regular expression)', "("], ["empty", ""]]),
  { path: [...rule, "flags"], label: '"g"', value: "g", add: true },
  { path: [...rule, "block"], label: '"attic"', value: "attic", add: true },
  { path: [...rule, "kernel"], label: "", value: REMOVE, detail: /op|kernel/ },
  { path: [...rule, "priority"], label: "1 (an unknown field)", value: 1, add: true },
];

export function ruleCases(): FuzzCase[] {
  return [
    ...fieldCases("rules", ITEMS.rules, FILE, rulesSeed(), READERS, MUTATIONS),
    ...textCases("rules", ITEMS.rules, FILE, [["an empty file", ""], ["cut short", '{"rules": [{"pattern": "gemm"']], READERS),
    {
      name: "rules: no such file", item: ITEMS.rules, expect: "refused", where: "missing.json",
      files: { "t.json": jsonText(torchTraceSeed()) }, args: ["validate", "--measured", "t.json", ...TRACE_ARGS, "--rules", "missing.json"],
    },
  ];
}
