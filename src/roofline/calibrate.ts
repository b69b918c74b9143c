// Applying a calibration (src/validation/calibration.ts) to timed ops: each op's roofline time
// becomes overhead × launches + slowdown × roofline, and the op says whether its size lies
// outside the measurements the calibration was fitted on.
import type { Calibration } from "../calibration/calibration.js";
import { calibratedSeconds } from "../calibration/fit.js";
import type { TimedOp } from "./time.js";

/**
 * `instances` is how many kernel launches the op's totals stand for (its layer count, times the
 * number of decode steps in a generate sum): the calibration was fitted on single kernels.
 */
export function calibrateOp(op: TimedOp, calibration: Pick<Calibration, "classes" | "all">, instances = op.count): TimedOp {
  const { seconds, extrapolated } = calibratedSeconds(calibration, op.kernel, op.seconds, instances);
  const upper = calibratedSeconds(calibration, op.kernel, op.upperBoundSeconds, instances).seconds;
  return { ...op, seconds, upperBoundSeconds: upper, efficiency: op.seconds / seconds, extrapolated };
}
