// Chrome traces from torch.profiler and the JAX profiler (`validate --measured FILE.json[.gz]`):
// broken or truncated JSON and gzip, events of the wrong shape, durations that are not positive
// or overflow when summed.
import zlib from "node:zlib";
import { ITEMS, type FuzzCase } from "../case.js";
import { fieldCases, textCases, type FieldMutation, type Reader } from "../builders.js";
import { jsonText, raw, truncated } from "../mutate.js";
import { jaxTraceSeed, TRACE_ARGS, torchTraceEvents, torchTraceSeed } from "../seeds.js";

const validate = (extra: string[] = []) => (f: string) => ["validate", "--measured", f, ...TRACE_ARGS, ...extra];

export const TRACE_READERS: readonly Reader[] = [
  { label: "validate", args: validate() },
  { label: "validate --json", args: validate(["--json"]) },
  { label: "validate --steps 2", args: validate(["--steps", "2"]) },
];

/** The first GPU kernel of the torch seed. */
const kernel = ["traceEvents", 1] as const;

const TORCH_MUTATIONS: FieldMutation[] = [
  { path: [...kernel, "dur"], label: "-12.5", value: -12.5, item: ITEMS.implausible, detail: /dur|negative|sm90_xmma_gemm/ },
  // A zero-length event is legitimate (below the trace's resolution): warned about, not refused.
  { path: [...kernel, "dur"], label: "0", value: 0, item: ITEMS.implausible, expect: "warned", detail: /0 µs|zero/ },
  { path: [...kernel, "dur"], label: "1e400", value: raw("1e400"), item: ITEMS.implausible, detail: /dur|sm90_xmma_gemm/ },
  { path: [...kernel, "name"], label: "empty", value: "", detail: /name|rule/ },
  { path: ["traceEvents"], label: "an object", value: { 0: torchTraceEvents()[1]! }, detail: /traceEvents|array/ },
  { path: ["traceEvents"], label: "[]", value: [], detail: "traceEvents" },
  { path: ["traceEvents"], label: "host events only", value: [torchTraceEvents()[0]!], detail: /kernel/ },
];

const torchText = jsonText(torchTraceSeed());
const TEXTS: [string, string | Uint8Array, (string | RegExp)?][] = [
  ["an empty file", ""],
  ["cut inside the events", truncated(torchText, 0.6)],
];

/** Two launches of one kernel of 1e308 µs each: their sum is Infinity. */
function overflowCase(): FuzzCase {
  const events = [0, 1].map((i) => ({ ph: "X", cat: "kernel", name: "sm90_xmma_gemm_bf16", pid: 0, ts: i, dur: 1e308 }));
  return {
    name: "torch trace: two launches of 1e308 µs", item: ITEMS.implausible, expect: "refused", where: "t.json",
    files: { "t.json": jsonText({ traceEvents: events }) }, args: validate()("t.json"),
  };
}

function gzipCases(): FuzzCase[] {
  const gz = (label: string, content: Uint8Array): FuzzCase => ({
    name: `torch trace: ${label}`, item: ITEMS.traces, expect: "refused", where: "t.json.gz", files: { "t.json.gz": content }, args: validate()("t.json.gz"),
  });
  const zipped = zlib.gzipSync(torchText);
  return [
    gz("gzip of a cut file", zlib.gzipSync(truncated(torchText, 0.5))),
    gz("a gzip stream cut short", zipped.subarray(0, Math.floor(zipped.length / 2))),
    gz("random bytes named .gz", Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256))),
  ];
}

const JAX_MUTATIONS: FieldMutation[] = [
  { path: ["traceEvents", 3, "dur"], label: "-4", value: -4, item: ITEMS.implausible, detail: /dur|negative|cutlass_gemm/ },
  { path: ["traceEvents", 4, "dur"], label: "0", value: 0, item: ITEMS.implausible, expect: "warned", detail: /0 µs|zero/ },
  { path: ["traceEvents", 0, "args", "name"], label: '"/host:CPU" (no device process)', value: "/host:CPU", detail: /kernel|device/ },
];

export function traceCases(): FuzzCase[] {
  return [
    ...fieldCases("torch trace", ITEMS.traces, "t.json", torchTraceSeed(), TRACE_READERS, TORCH_MUTATIONS),
    ...textCases("torch trace", ITEMS.traces, "t.json", TEXTS, TRACE_READERS),
    overflowCase(),
    ...gzipCases(),
    ...fieldCases("JAX trace", ITEMS.traces, "jax.trace.json", jaxTraceSeed(), TRACE_READERS, JAX_MUTATIONS),
  ];
}
