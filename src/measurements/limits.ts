// Limits on measured numbers: what a believable measurement can be. Anything beyond is a unit
// error (nanoseconds written as seconds) or a corrupt file, and its sums would overflow to
// Infinity and turn every comparison into NaN.

/**
 * The longest one measured time can be (one kernel launch, one published point): a day.
 * README.md ("Measured kernel timings") states it.
 */
export const MAX_MEASURED_SECONDS = 86_400;

export const describeLimit = (seconds: number) => `${seconds.toLocaleString("en-US")} s`;
