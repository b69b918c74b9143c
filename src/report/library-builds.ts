// The single-file browser builds of vega, vega-lite and vega-embed. The HTML report inlines them
// (./html.ts), and the charts are drawn in Node with the same vega and vega-lite (./render.ts):
// one file per library loads several times faster than the hundreds of modules of their ES
// builds, and the static SVG and the interactive view come from the same code.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const RUNTIME_BUILDS = [
  { packageName: "vega", file: "vega.min.js" },
  { packageName: "vega-lite", file: "vega-lite.min.js" },
  { packageName: "vega-embed", file: "vega-embed.min.js" },
] as const;
type PackageName = (typeof RUNTIME_BUILDS)[number]["packageName"];

const sources = new Map<PackageName, string>();

/** The text of a library's build (read once; the report both runs and inlines them). */
export function buildSource(packageName: PackageName): string {
  let source = sources.get(packageName);
  if (source === undefined) {
    const build = RUNTIME_BUILDS.find((b) => b.packageName === packageName)!;
    const entry = fileURLToPath(import.meta.resolve(packageName));
    source = fs.readFileSync(path.join(path.dirname(entry), build.file), "utf8");
    sources.set(packageName, source);
  }
  return source;
}

/**
 * Runs a build as the CommonJS module its UMD wrapper then takes itself for, with `dependencies`
 * as what it may require, and returns its exports.
 */
export function loadBuild<Exports>(packageName: PackageName, dependencies: Readonly<Record<string, unknown>> = {}): Exports {
  const factory = vm.runInThisContext(`(function (exports, module, require) {${buildSource(packageName)}\n})`, { filename: `${packageName} (browser build)` }) as
    (exports: object, module: { exports: object }, require: (name: string) => unknown) => void;
  const module = { exports: {} };
  factory(module.exports, module, (name) => {
    if (!Object.hasOwn(dependencies, name)) throw new Error(`${packageName}'s build requires ${name}, which it was not given`);
    return dependencies[name];
  });
  return module.exports as Exports;
}
