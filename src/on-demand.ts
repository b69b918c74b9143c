// Modules loaded the first time they are needed. The schemas that validate a user's files are
// built on zod, whose loading costs a cold start more than the whole analysis; a command that
// reads only bundled data, which the build has validated (src/bundled-snapshot.ts), never loads
// them. Callers stay synchronous: Node ≥ 20.19 can require() an ES module without top-level await.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** A function that returns the module at `url`, loading it on its first call. */
export function onDemand<Module>(url: URL): () => Module {
  const load = createRequire(url);
  return () => load(fileURLToPath(url)) as Module;
}
