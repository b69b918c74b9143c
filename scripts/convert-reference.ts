// Regenerates measurements/published/{dao2023-flashattention2,gu2023-mamba,bekman-ml-engineering}.csv
// from shared/reference/measurements.csv, the table this project started from:
//   node dist/scripts/convert-reference.js ../shared/reference/measurements.csv measurements/published
// Rows that other files of a source already hold (added later) are kept: the converted rows
// come first, and any row of the existing file whose locator the old table lacks is appended.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { convertLegacyRow, type PublishedRecord } from "../src/published/legacy.js";
import { PUBLISHED_COLUMNS } from "../src/published/schema.js";

const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) {
  console.error("usage: convert-reference.js MEASUREMENTS.csv OUT_DIR");
  process.exit(2);
}
const rows = (parse(fs.readFileSync(input, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[]).map(convertLegacyRow);
const bySource = new Map<string, PublishedRecord[]>();
for (const row of rows) bySource.set(row.source_id, [...(bySource.get(row.source_id) ?? []), row]);
for (const [source, converted] of bySource) {
  const file = path.join(outDir, `${source}.csv`);
  const locators = new Set(converted.map((r) => r.locator));
  const kept = fs.existsSync(file)
    ? (parse(fs.readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as PublishedRecord[]).filter((r) => !locators.has(r.locator))
    : [];
  fs.writeFileSync(file, stringify([...converted, ...kept], { header: true, columns: [...PUBLISHED_COLUMNS] }));
  console.log(`${file}: ${converted.length} rows converted${kept.length ? `, ${kept.length} added rows kept` : ""}`);
}
