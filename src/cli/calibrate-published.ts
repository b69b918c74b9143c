// `roofline calibrate --published DIR…`: fit the per-kind calibration on published measurements,
// into one file, or one file per chip that has measurements of its own (--per-chip DIR).
import fs from "node:fs";
import path from "node:path";
import { calibrationForChip } from "../calibration/shipped.js";
import { isExpressed } from "../published/express.js";
import { fitPublishedCalibration, expressAll } from "../validation/published.js";
import { writeOutputs, type Output } from "../views/atomic-write.js";
import { checkDestinations, checkOutputFolder, sourcesOf } from "../views/output-paths.js";
import { publishedFilesIn } from "../published/read.js";
import { toJson } from "../views/json.js";
import { InputError } from "../errors.js";
import { readPublishedInputs } from "./validate-published.js";

export interface CalibratePublishedFlags {
  published: string[];
  output?: string;
  perChip?: string;
}

/** The files a list of published inputs names: each CSV, and every CSV inside each folder. */
function publishedSources(inputs: readonly string[]) {
  return sourcesOf("--published", inputs.flatMap((input) => (fs.existsSync(input) && fs.statSync(input).isDirectory() ? publishedFilesIn(input) : [input])));
}

export async function runCalibratePublished(flags: CalibratePublishedFlags): Promise<string> {
  if (!flags.output && !flags.perChip) throw new InputError("calibrate --published: give -o FILE or --per-chip DIR");
  if (flags.output !== undefined) checkDestinations([{ flag: "-o", file: flags.output }], publishedSources(flags.published));
  if (flags.perChip !== undefined) checkOutputFolder("--per-chip", flags.perChip);
  const expressed = expressAll(readPublishedInputs(flags.published)).filter(isExpressed);
  const calibration = fitPublishedCalibration(expressed);
  const lines = [`fitted on ${expressed.length} expressed points from ${calibration.fittedOn.length} sources: ` +
    `${Object.keys(calibration.kernels).length} kernel fits, ${Object.keys(calibration.backends).length} backend fits`];
  const outputs: Output[] = [];
  if (flags.output) {
    outputs.push({ flag: "-o", file: flags.output, content: `${toJson(calibration)}\n` });
    lines.push(`wrote ${flags.output}`);
  }
  if (flags.perChip) {
    const chips = [...new Set(expressed.map((p) => p.chip))].sort();
    for (const chip of chips) {
      const own = calibrationForChip(calibration, chip);
      if (!own) continue;
      const file = path.join(flags.perChip, `${chip}.json`);
      outputs.push({ flag: "--per-chip", file, content: `${toJson(own)}\n` });
      lines.push(`wrote ${file}: ${Object.keys(own.kernels).filter((k) => k.startsWith(`${chip}|`)).join(", ") || "no kernel fit of its own"}` +
        `${Object.keys(own.backends).some((k) => k.startsWith(`${chip}|`)) ? `; backends ${Object.keys(own.backends).filter((k) => k.startsWith(`${chip}|`)).join(", ")}` : ""}`);
    }
    checkDestinations(outputs, publishedSources(flags.published));
  }
  await writeOutputs(outputs);
  return lines.join("\n");
}
