// Timings of one device read against another device's profile or plan: refused, naming both,
// unless --allow-device-mismatch says the comparison is meant.
import { ITEMS, type FuzzCase } from "../case.js";
import { jsonText } from "../mutate.js";
import { harnessSeed, planSeed } from "../seeds.js";

/** Both devices, in either order: the CPU the CSV names and the chip it was held against. */
const bothDevices = /^(?=[^]*AMD EPYC)[^]*(h200|H200)/;

export function deviceCases(): FuzzCase[] {
  const files = { "m.csv": harnessSeed() };
  const h200Plan = jsonText({ ...(planSeed() as object), hardware: "h200" });
  return [
    {
      name: "devices: validate --hw h200 on CPU measurements", item: ITEMS.devices, expect: "refused", where: /m\.csv|h200|AMD EPYC/, detail: bothDevices,
      files, args: ["validate", "--measured", "m.csv", "--hw", "h200"],
    },
    {
      name: "devices: report --hw h200 --measured a CPU CSV", item: ITEMS.devices, expect: "refused", where: /m\.csv|h200|AMD EPYC/, detail: bothDevices,
      files, args: ["report", "--model", "griffin-100m", "--hw", "h200", "--measured", "m.csv", "--format", "vl.json", "--chart", "blocks", "-o", "r.vl.json"],
    },
    {
      name: "devices: measurements --plan of an h200 plan on CPU timings", item: ITEMS.devices, expect: "refused", where: /m\.csv|plan\.json/, detail: bothDevices,
      files: { ...files, "plan.json": h200Plan }, args: ["measurements", "m.csv", "--plan", "plan.json"],
    },
    {
      name: "devices: validate --hw h200 --allow-device-mismatch is accepted", item: ITEMS.devices, expect: "accepted",
      files, args: ["validate", "--measured", "m.csv", "--hw", "h200", "--allow-device-mismatch"],
    },
  ];
}
