// Build step (`npm run build`): bundles the report's explorer (src/report/explorer/page.ts) and
// the cost model it runs, from src/, into one browser script that `roofline report` inlines.
// esbuild refuses any module that needs Node (the page has no file system), so the bundle
// holds only code that computes.
//   node dist/scripts/bundle-explorer.js
import path from "node:path";
import { build } from "esbuild";
import { packageRoot } from "../src/paths.js";
import { explorerBundleFile } from "../src/report/explorer/bundle-file.js";

const result = await build({
  entryPoints: [path.join(packageRoot, "src", "report", "explorer", "page.ts")],
  outfile: explorerBundleFile,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`bundled the report's explorer: ${path.relative(process.cwd(), explorerBundleFile)}, ${(bytes / 1024).toFixed(0)} KiB`);
