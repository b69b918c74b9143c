// One fuzz case: the files a command reads, the command line, and what a well-behaved CLI must do
// with it. Every case runs in a fresh temporary directory (its working directory), so paths in
// `args` are relative to it and the whole directory can be compared before and after.

/** What the CLI must do with the input. */
export type Expectation =
  /** Exit 2 with one clear line on stderr, nothing written. */
  | "refused"
  /** Exit 0: valid input, however unusual its form. */
  | "accepted"
  /** Exit 0 with a warning on stderr that names the file: legitimate input that deserves a word (a zero-length trace event). */
  | "warned"
  /** Answer within the case's time limit: exit 0 or 1, or refuse it as above (hostile regular expressions). */
  | "answered";

export interface FuzzCase {
  /** Unique and readable: the input kind, then what was done to it. */
  name: string;
  /** The hardening item or input kind it belongs to; failures are reported by item. */
  item: string;
  /** Files to create in the case's directory, by relative path. */
  files?: Record<string, string | Uint8Array>;
  /** Further preparation (directories, read-only places); returns extra paths outside the directory to watch. */
  prepare?: (dir: string) => string[] | void;
  /** The command line after `roofline`, or a function of the case's directory. */
  args: readonly string[] | ((dir: string) => string[]);
  /** Environment variables set for the run (a function of the directory where paths are needed). */
  env?: Record<string, string> | ((dir: string) => Record<string, string>);
  expect: Expectation;
  /** What stderr's first line must contain: the file or the flag at fault. */
  where?: string | RegExp;
  /** What stderr must also contain somewhere: the field, column, line or value at fault. */
  detail?: string | RegExp;
  /** Seconds before the run is killed and counted as hanging (default 20). */
  timeoutSeconds?: number;
  /** Accepted cases: files the command writes, checked for NaN, Infinity and negative times. */
  outputs?: string[];
}

/** Seconds within which a hostile input must be answered; a sound CLI answers in well under one. */
export const QUICK_SECONDS = 6;

/** The items of the hardening issue, and the input kinds, as case groups. */
export const ITEMS = {
  outputs: "output paths",
  paths: "files that are directories, devices or huge",
  prototype: "--set and source ids reaching Object.prototype",
  emptyPlans: "empty plans and header-only CSVs",
  quotes: "unterminated quotes",
  magnitudes: "numbers too large, too small or in the wrong unit",
  implausible: "implausible measurements: negative, zero, overflowing, duplicated, from the future",
  flagsRange: "flags out of range",
  overwrite: "outputs overwriting inputs",
  devices: "device mismatches",
  regex: "user regular expressions",
  accepted: "inputs that must be accepted",
  names: "names: typos, unknown commands, rejected fields",
  profiles: "hardware profiles",
  models: "model files",
  flags: "flags",
  harness: "harness measurement CSVs",
  published: "published-measurement CSVs",
  traces: "Chrome traces (torch, JAX)",
  ncu: "Nsight Compute CSVs",
  nsys: "Nsight Systems CSVs",
  budgets: "budgets",
  baselines: "baselines",
  calibrations: "calibrations",
  plans: "plans",
  rules: "trace rules",
  generated: "generated (fast-check)",
} as const;
