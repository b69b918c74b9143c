// Rendering Vega-Lite specs in Node: compiled with vega-lite, drawn to SVG by vega's headless
// renderer, and to PNG through resvg with a pinned font. The libraries load on first use only,
// vega and vega-lite from the builds the HTML report inlines (./library-builds.ts).
import fs from "node:fs";
import type { Spec } from "./charts/style.js";
import { loadBuild } from "./library-builds.js";

type VegaModules = { vega: typeof import("vega"); vegaLite: typeof import("vega-lite") };
let modules: VegaModules | undefined;

function loadVega(): VegaModules {
  if (modules === undefined) {
    const vega = loadBuild<typeof import("vega")>("vega");
    modules = { vega, vegaLite: loadBuild<typeof import("vega-lite")>("vega-lite", { vega }) };
  }
  return modules;
}

export async function compileSpec(spec: Spec): Promise<unknown> {
  const { vegaLite } = loadVega();
  return vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
}

export async function renderSvg(spec: Spec): Promise<string> {
  const { vega } = loadVega();
  const compiled = await compileSpec(spec);
  const view = new vega.View(vega.parse(compiled as Parameters<typeof vega.parse>[0]), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const FONT_FILES = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
].filter((file) => fs.existsSync(file));

export async function renderPng(svg: string, zoom = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: zoom },
    background: "white",
    font: { loadSystemFonts: FONT_FILES.length === 0, fontFiles: FONT_FILES, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}
