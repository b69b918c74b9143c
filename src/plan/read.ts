// Reading a benchmark plan back (`roofline measurements --plan`): every entry validated, so that a
// plan that is empty, truncated or edited by hand is refused with the field, not half-used.
import { z } from "zod";
import { readValidatedJson } from "../json-file.js";
import { PLAN_SCHEMA, PLAN_VERSION } from "./plan.js";

const count = z.number().int().positive();
const nonNegative = z.number().finite().min(0);

const PlanEntrySchema = z.object({
  id: z.string().min(1),
  model: z.string().min(1),
  phase: z.enum(["prefill", "decode", "train"]),
  pass: z.enum(["forward", "backward", "update"]),
  batch: count,
  tokens: count,
  op: z.string().min(1),
  block: z.string().min(1),
  kind: z.string().min(1),
  kernel: z.string().min(1),
  implementation: z.string().nullable(),
  count,
  shape: z.record(z.string(), z.number().finite()),
  dtypes: z.record(z.string(), z.string()),
  predicted: z.object({
    matrixFlops: nonNegative,
    vectorFlops: nonNegative,
    flops: nonNegative,
    bytes: nonNegative,
    intensity: nonNegative.nullable(),
    seconds: z.number().finite().positive(),
    upperBoundSeconds: z.number().finite().positive(),
    bound: z.string().min(1),
  }),
});

export const PlanFileSchema = z.object({
  schema: z.literal(PLAN_SCHEMA, { message: `expected "${PLAN_SCHEMA}" (a plan written by \`roofline plan\`)` }),
  version: z.literal(PLAN_VERSION),
  hardware: z.string().min(1),
  /** Recorded since plans name their device; older plans have only `hardware`. */
  deviceNames: z.array(z.string().min(1)).optional(),
  architecture: z.string().min(1).optional(),
  implementation: z.unknown(),
  kernels: z.array(PlanEntrySchema).min(1, "a plan lists at least one kernel"),
}).superRefine((plan, ctx) => {
  const seen = new Set<string>();
  plan.kernels.forEach((k, i) => {
    if (seen.has(k.id)) ctx.addIssue({ code: "custom", path: ["kernels", i, "id"], message: `"${k.id}" is listed twice (ids are unique)` });
    seen.add(k.id);
  });
});
export type PlanFile = z.output<typeof PlanFileSchema>;

export function readPlan(file: string): PlanFile {
  return readValidatedJson(file, PlanFileSchema, "plan");
}
