// A mesh file (`--mesh FILE`): the mesh as JSON, validated like every input file, so a deployment
// can be kept beside its model file. Flags given with it are refused rather than merged.
import { z } from "zod";
import { readValidatedJson } from "../json-file.js";
import type { MeshInput } from "./mesh.js";

const whole = z.number().int().positive();

export const MeshFileSchema = z
  .object({
    chips: whole.optional(),
    tp: whole.optional(),
    dp: whole.optional(),
    sequenceParallel: z.boolean().optional(),
    zero: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
    overlap: z.boolean().optional(),
  })
  .strict();

export function readMeshFile(file: string): MeshInput {
  const raw = readValidatedJson(file, MeshFileSchema, "mesh");
  return {
    ...(raw.chips !== undefined && { chips: raw.chips }),
    ...(raw.tp !== undefined && { tensor: raw.tp }),
    ...(raw.dp !== undefined && { data: raw.dp }),
    ...(raw.sequenceParallel !== undefined && { sequenceParallel: raw.sequenceParallel }),
    ...(raw.zero !== undefined && { zero: raw.zero }),
    ...(raw.overlap !== undefined && { overlap: raw.overlap }),
  };
}
