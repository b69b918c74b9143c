// The largest inputs accepted, in one place. Past them a number no longer describes a real
// workload (or is no longer an exact integer in a double), or a grid or a file no longer fits in
// memory; each is refused with an error that names the limit (README lists them all).

/** Tokens of a sequence, context, prompt, generation or window: 10× the longest context claimed today. */
export const MAX_TOKENS = 100_000_000;

/** Sequences per batch. */
export const MAX_BATCH = 1_000_000;

/** Residual blocks of a model. Layers of one kind are costed once, so depth itself costs nothing. */
export const MAX_DEPTH = 10_000;

/** Any other size of a model (width, vocabulary, heads, head dim, MLP and recurrent widths): 2^24. */
export const MAX_MODEL_DIMENSION = 16_777_216;

/** Values of one grid axis (`--seq 1..4096*1.01` is 837 steps, fewer once rounded and deduplicated). */
export const MAX_AXIS_VALUES = 4096;

/**
 * Rows of one `roofline sweep`. Rows are written as they are computed, so memory does not grow
 * with them; the limit bounds time and disk: 10^8 rows are 25 to 30 GB of CSV.
 */
export const MAX_SWEEP_ROWS = 100_000_000;

/** Rows of a sweep on many chips: each is a whole analysis on the mesh (about a millisecond). */
export const MAX_MESH_SWEEP_ROWS = 1_000_000;

/** Points (models × phases × lengths × batches) of one `roofline plan`; each is 10–60 kernels. */
export const MAX_PLAN_POINTS = 1_000;

/** Bytes read from any JSON input (plans, baselines, budgets, calibrations, rules). */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Bytes read from a hardware profile or a model file: descriptions, a few kilobytes each. */
export const MAX_DESCRIPTION_JSON_BYTES = 1024 * 1024;

/** Bytes read whole from a CSV input (Nsight, published, a harness CSV read at once); larger harness CSVs stream. */
export const MAX_CSV_BYTES = 512 * 1024 * 1024;

/** Bytes of one CSV record: a real row is a few kilobytes; a file without line breaks is not a CSV. */
export const MAX_CSV_RECORD_BYTES = 1024 * 1024;

/** Nesting of arrays and objects in a JSON input: real files nest fewer than ten levels. */
export const MAX_JSON_NESTING = 64;

/** Formats a limit for an error message: 100,000,000. */
export const formatLimit = (limit: number): string => limit.toLocaleString("en-US");
