// `roofline measurements FILE`: validate a measurements CSV and summarise it, joined with the plan
// it was made from when one is given (every measured kernel must find its planned prediction).
// The file is streamed: a few rows are listed one by one, any number are summarised.
import Table from "cli-table3";
import { InputError } from "../errors.js";
import { bundledProfileIds, loadProfile } from "../hardware/load.js";
import { streamMeasurements } from "../measurements/read.js";
import type { MeasurementRow } from "../measurements/schema.js";
import { readPlan, type PlanFile } from "../plan/read.js";
import { describeProfile, kindOfArchitecture, requireSameDevice, type DeviceDescription } from "../validation/device.js";
import { measuredDevice } from "../validation/harness.js";
import { formatPercent, formatSeconds } from "../views/format.js";
import { COMPACT_CHARS } from "../views/terminal.js";
import { PER_ROW_TABLE_LIMIT, tableLeftOut } from "./row-limit.js";

export interface MeasurementsFlags {
  plan?: string;
  allowDeviceMismatch?: boolean;
}

/** Kernels of one phase and class, summed: what a summary row shows. */
interface Group {
  kernels: number;
  failed: number;
  measuredSeconds: number;
  predictedSeconds: number;
}

/** The device a plan was made for: its own record, or the bundled profile of its hardware id. */
function planDevice(plan: PlanFile, file: string): DeviceDescription {
  const label = `${file} (planned for ${plan.hardware})`;
  if (plan.deviceNames || plan.architecture) {
    return { label, names: plan.deviceNames ?? [], ...(plan.architecture && { kind: kindOfArchitecture(plan.architecture) }) };
  }
  return bundledProfileIds().includes(plan.hardware) ? { ...describeProfile(loadProfile(plan.hardware)), label } : { label, names: [] };
}

const style = { head: [] as string[], border: [] as string[] };

export async function runMeasurements(file: string, flags: MeasurementsFlags = {}): Promise<string> {
  const plan = flags.plan ? readPlan(flags.plan) : undefined;
  const predicted = new Map(plan?.kernels.map((k) => [k.id, k.predicted.seconds]) ?? []);
  const listed: MeasurementRow[] = [];
  const groups = new Map<string, Group>();
  const devices = new Set<string>();
  /** One row per device and device type seen, for the device check. */
  const deviceRows = new Map<string, Pick<MeasurementRow, "device" | "device_name">>();
  let failed = 0;
  let unmatched: { id: string; line: number; count: number } | undefined;
  const rows = await streamMeasurements(file, (row, line) => {
    if (listed.length <= PER_ROW_TABLE_LIMIT) listed.push(row);
    devices.add(`${row.device_name} (${row.backend} ${row.backend_version})`);
    deviceRows.set(`${row.device}\u0000${row.device_name}`, row);
    if (row.check === "fail") failed += 1;
    const p = predicted.get(row.kernel_id);
    if (plan && p === undefined) unmatched = { id: unmatched?.id ?? row.kernel_id, line: unmatched?.line ?? line, count: (unmatched?.count ?? 0) + 1 };
    const key = `${row.phase}\u0000${row.kernel}`;
    const g = groups.get(key) ?? { kernels: 0, failed: 0, measuredSeconds: 0, predictedSeconds: 0 };
    g.kernels += 1;
    g.failed += row.check === "fail" ? 1 : 0;
    g.measuredSeconds += row.median_seconds;
    g.predictedSeconds += p ?? 0;
    groups.set(key, g);
  });
  if (plan) requireSameDevice(measuredDevice(file, [...deviceRows.values()]), planDevice(plan, flags.plan!), flags.allowDeviceMismatch);
  if (unmatched) {
    throw new InputError(`${file}:${unmatched.line}: ${unmatched.count} measured kernels are not in ${flags.plan}, e.g. "${unmatched.id}"`);
  }
  const table = rows <= PER_ROW_TABLE_LIMIT ? rowTable(listed, predicted, plan !== undefined) : summaryTable(groups, plan !== undefined, rows);
  return `${table}\n${rows} measurements on ${[...devices].join(", ")}; ${failed} failed correctness checks` +
    (plan ? `; every kernel joins its prediction in ${flags.plan}` : "");
}

function rowTable(rows: readonly MeasurementRow[], predicted: ReadonlyMap<string, number>, withPlan: boolean): string {
  const t = new Table({
    head: ["kernel", "pass", "implementation", "runs", "median", "p90", ...(withPlan ? ["roofline", "roofline / measured"] : []), "check"],
    style, chars: COMPACT_CHARS,
  });
  for (const r of rows) {
    const p = predicted.get(r.kernel_id);
    t.push([r.kernel_id, r.pass, r.harness_implementation, String(r.runs), formatSeconds(r.median_seconds), formatSeconds(r.p90_seconds),
      ...(p === undefined ? [] : [formatSeconds(p), formatPercent(p / r.median_seconds)]), r.check]);
  }
  return t.toString();
}

/** Past the row limit: one line per phase and kernel class, times summed over its kernels. */
function summaryTable(groups: ReadonlyMap<string, Group>, withPlan: boolean, rows: number): string {
  const t = new Table({
    head: ["phase", "kernel", "kernels", "failed checks", "summed median", ...(withPlan ? ["summed roofline", "roofline / measured"] : [])],
    style, chars: COMPACT_CHARS,
  });
  for (const [key, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [phase, kernel] = key.split("\u0000");
    t.push([phase!, kernel!, String(g.kernels), String(g.failed), formatSeconds(g.measuredSeconds),
      ...(withPlan ? [formatSeconds(g.predictedSeconds), formatPercent(g.predictedSeconds / g.measuredSeconds)] : [])]);
  }
  return `${tableLeftOut(rows, "measurements", "the summary below sums them by phase and kernel class")}\n${t.toString()}`;
}
