// The flags that ask for the analysis on many chips (README, "Many chips"). Kept apart from the
// mesh commands themselves so that a command line can be told apart without loading them.

/** Flags (as yargs names them in camel case) any of which asks for many chips. */
export const MESH_FLAG_NAMES = ["chips", "tp", "dp", "sequenceParallel", "zero", "overlap", "mesh", "pricePerHour", "gradDtype", "masterDtype", "momentDtype"] as const;

export type MeshFlags = Partial<Record<(typeof MESH_FLAG_NAMES)[number], unknown>>;

/** Whether any mesh flag was given (a boolean flag given as --no-… counts as not given). */
export const meshRequested = (flags: MeshFlags): boolean => MESH_FLAG_NAMES.some((name) => flags[name] !== undefined && flags[name] !== false);
