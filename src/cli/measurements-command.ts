// `roofline measurements FILE`: validate a measurements CSV and summarise it, joined with the plan
// it was made from when one is given (every measured kernel must find its planned prediction).
import Table from "cli-table3";
import { InputError } from "../errors.js";
import { readJsonFile } from "../json-file.js";
import { readMeasurements } from "../measurements/read.js";
import type { Plan } from "../plan/plan.js";
import { formatPercent, formatSeconds } from "../views/format.js";
import { COMPACT_CHARS } from "../views/terminal.js";

export function runMeasurements(file: string, planFile?: string): string {
  const { rows } = readMeasurements(file);
  let plan: Plan | undefined;
  if (planFile) {
    plan = readJsonFile(planFile, "plan") as Plan;
    if (plan?.schema !== "roofline.plan") throw new InputError(`${planFile}: not a roofline plan`);
  }
  const predicted = new Map(plan?.kernels.map((k) => [k.id, k.predicted.seconds]) ?? []);
  const unmatched = plan ? rows.filter((r) => !predicted.has(r.kernel_id)) : [];
  if (unmatched.length > 0) {
    throw new InputError(`${file}: ${unmatched.length} measured kernels are not in ${planFile}, e.g. "${unmatched[0]!.kernel_id}"`);
  }
  const t = new Table({
    head: ["kernel", "pass", "implementation", "runs", "median", "p90", ...(plan ? ["roofline", "roofline / measured"] : []), "check"],
    style: { head: [], border: [] }, chars: COMPACT_CHARS,
  });
  for (const r of rows) {
    const p = predicted.get(r.kernel_id);
    t.push([r.kernel_id, r.pass, r.harness_implementation, String(r.runs), formatSeconds(r.median_seconds), formatSeconds(r.p90_seconds),
      ...(p === undefined ? [] : [formatSeconds(p), formatPercent(p / r.median_seconds)]), r.check]);
  }
  const devices = [...new Set(rows.map((r) => `${r.device_name} (${r.backend} ${r.backend_version})`))];
  const failed = rows.filter((r) => r.check === "fail").length;
  return `${t.toString()}\n${rows.length} measurements on ${devices.join(", ")}; ${failed} failed correctness checks` +
    (plan ? `; every kernel joins its prediction in ${planFile}` : "");
}
