// Time by block type per phase: one stacked bar per model and phase, in engineering units; a
// model whose batch does not fit in memory is drawn faded and says so.
import type { ReportData } from "../data.js";
import { blockColorScale, PANEL_WIDTH, rowsOrHidden, unitAxis, WARNING_COLOR, type Spec } from "./style.js";

export function blockPanels(data: ReportData): Spec[] {
  return data.chips.flatMap((chip) =>
    data.phases.map((phase) => {
      const bars = data.blocks.filter((b) => b.chip === chip.profile.id && b.phase === phase);
      const totals = new Map<string, { seconds: number; fits: boolean }>();
      for (const b of bars) totals.set(b.model, { seconds: (totals.get(b.model)?.seconds ?? 0) + b.seconds, fits: b.fits });
      const unfit = [...totals].filter(([, t]) => !t.fits).map(([model, t]) => ({ model, seconds: t.seconds, label: "does not fit in memory" }));
      const x = { field: "seconds", type: "quantitative", axis: unitAxis("roofline time", "s", [...totals.values()].map((t) => t.seconds)) };
      const y = { field: "model", type: "nominal", title: null, sort: data.models.map((m) => m.name) };
      return {
        title: { text: `${phase} — ${chip.profile.id}` },
        width: PANEL_WIDTH,
        height: { step: 22 },
        layer: [
          {
            data: { values: bars },
            mark: { type: "bar" },
            encoding: {
              y, x: { ...x, stack: "zero" },
              color: { field: "block", type: "nominal", title: "block type", scale: blockColorScale(data.models) },
              opacity: { condition: { test: "datum.fits", value: 1 }, value: 0.3 },
              tooltip: [{ field: "model" }, { field: "block" }, { field: "seconds", format: ".3~g" }, { field: "fits", title: "fits in memory" }],
            },
          },
          {
            data: { values: rowsOrHidden(unfit, { model: data.models[0]?.name, seconds: 0, label: "" }) },
            mark: { type: "text", align: "right", dx: -4, fontSize: 9, color: WARNING_COLOR },
            encoding: { y, x, text: { field: "label" } },
          },
        ],
      };
    }),
  );
}
