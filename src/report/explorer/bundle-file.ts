// Where the build (scripts/bundle-explorer.ts) writes the page's bundle of the cost model, and
// reading it: only the `report` command does, when it writes an HTML report.
import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** Beside the compiled modules it bundles: dist/src/report/explorer/page.bundle.js. */
export const explorerBundleFile = fileURLToPath(new URL("./page.bundle.js", import.meta.url));

export function readExplorerBundle(): string {
  if (!fs.existsSync(explorerBundleFile)) {
    throw new Error(`${explorerBundleFile} is missing: \`npm run build\` bundles the report's explorer`);
  }
  return fs.readFileSync(explorerBundleFile, "utf8");
}
