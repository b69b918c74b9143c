// Time by block type per phase: one stacked bar per model and phase.
import type { ReportData } from "../data.js";
import { blockColorScale, SI, type Spec } from "./style.js";

export function blockPanels(data: ReportData): Spec[] {
  return data.chips.flatMap((chip) =>
    ["prefill", "decode"].map((phase) => ({
      title: { text: `Time by block type, ${phase} — ${chip.profile.id}`, subtitle: phase === "prefill" ? `${data.scenario.seqTokens} tokens, batch ${data.scenario.batch}` : `at ${data.scenario.contextTokens} cached tokens, batch ${data.scenario.batch}` },
      width: 340,
      height: { step: 22 },
      data: { values: data.blocks.filter((b) => b.chip === chip.profile.id && b.phase === phase) },
      mark: { type: "bar" },
      encoding: {
        y: { field: "model", type: "nominal", title: null },
        x: { field: "seconds", type: "quantitative", stack: "zero", axis: { title: "roofline time [s]", format: SI } },
        color: { field: "block", type: "nominal", title: "block type", scale: blockColorScale(data.models) },
        tooltip: [{ field: "model" }, { field: "block" }, { field: "seconds", format: ".3~s" }],
      },
    })),
  );
}
