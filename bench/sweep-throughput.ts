// Sweep throughput: (model, chip, phase, length, batch) points evaluated per second, over every
// preset × every bundled profile × 64 lengths × 8 batch sizes, for prefill and decode.
// Target: at least 250,000 points per second.
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { bundledProfileIds, loadProfile } from "../src/hardware/load.js";
import { PRESETS } from "../src/models/presets.js";

import { DEFAULT_IMPLEMENTATION, decodeOps, prefillOps } from "../src/cost/phases.js";
import { affineCosts, pointTotals } from "../src/roofline/grid.js";

const impl = DEFAULT_IMPLEMENTATION;
const chips = bundledProfileIds().map((id) => ceilingsFor(loadProfile(id), "bf16"));
const lengths = Array.from({ length: 64 }, (_, i) => Math.round(128 * 2 ** (i / 8))); // 128 … ~32k, 8 per octave
const batches = [1, 2, 4, 8, 16, 32, 64, 128];
const phases = { prefill: prefillOps, decode: decodeOps };

let points = 0;
let checksum = 0;
const start = process.hrtime.bigint();
// Op costs are computed once per (model, phase, length) and are affine in the batch (grid.ts);
// each (chip, batch) point then only times them.
for (const spec of PRESETS) {
  for (const opsOf of Object.values(phases)) {
    for (const tokens of lengths) {
      const costs = affineCosts((batch) => opsOf(spec, batch, tokens, impl));
      for (const ceilings of chips) {
        for (const batch of batches) {
          checksum += pointTotals(costs, batch, ceilings).seconds;
          points += 1;
        }
      }
    }
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`sweep: ${PRESETS.length} models × ${chips.length} chips × ${Object.keys(phases).length} phases × ${lengths.length} lengths × ${batches.length} batches`);
console.log(`  ${points.toLocaleString("en-US")} points in ${seconds.toFixed(2)} s: ${Math.round(points / seconds).toLocaleString("en-US")} points/s (target ≥ 250,000); checksum ${checksum.toExponential(6)}`);
