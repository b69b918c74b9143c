// `roofline calibrate --published DIR…`: fit the per-kind calibration on published measurements,
// into one file, or one file per chip that has measurements of its own (--per-chip DIR).
import fs from "node:fs";
import path from "node:path";
import { calibrationForChip } from "../calibration/shipped.js";
import { isExpressed } from "../published/express.js";
import { fitPublishedCalibration, expressAll } from "../validation/published.js";
import { writeFileAtomic } from "../views/atomic-write.js";
import { toJson } from "../views/json.js";
import { InputError } from "../errors.js";
import { readPublishedInputs } from "./validate-published.js";

export interface CalibratePublishedFlags {
  published: string[];
  output?: string;
  perChip?: string;
}

export function runCalibratePublished(flags: CalibratePublishedFlags): string {
  if (!flags.output && !flags.perChip) throw new InputError("calibrate --published: give -o FILE or --per-chip DIR");
  const expressed = expressAll(readPublishedInputs(flags.published)).filter(isExpressed);
  const calibration = fitPublishedCalibration(expressed);
  const lines = [`fitted on ${expressed.length} expressed points from ${calibration.fittedOn.length} sources: ` +
    `${Object.keys(calibration.kernels).length} kernel fits, ${Object.keys(calibration.backends).length} backend fits`];
  if (flags.output) {
    writeFileAtomic(flags.output, `${toJson(calibration)}\n`);
    lines.push(`wrote ${flags.output}`);
  }
  if (flags.perChip) {
    if (fs.existsSync(flags.perChip) && !fs.statSync(flags.perChip).isDirectory()) throw new InputError(`--per-chip ${flags.perChip}: not a directory`);
    try {
      fs.mkdirSync(flags.perChip, { recursive: true });
    } catch (error) {
      throw new InputError(`--per-chip ${flags.perChip}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const chips = [...new Set(expressed.map((p) => p.chip))].sort();
    for (const chip of chips) {
      const own = calibrationForChip(calibration, chip);
      if (!own) continue;
      const file = path.join(flags.perChip, `${chip}.json`);
      writeFileAtomic(file, `${toJson(own)}\n`);
      lines.push(`wrote ${file}: ${Object.keys(own.kernels).filter((k) => k.startsWith(`${chip}|`)).join(", ") || "no kernel fit of its own"}` +
        `${Object.keys(own.backends).some((k) => k.startsWith(`${chip}|`)) ? `; backends ${Object.keys(own.backends).filter((k) => k.startsWith(`${chip}|`)).join(", ")}` : ""}`);
    }
  }
  return lines.join("\n");
}
