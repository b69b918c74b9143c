// What the user hands the tool: flags, names, model and profile files, and the limits on each.
// Every refusal is an InputError (exit 2, one line naming the flag, file or field and the limit).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { layerCounts } from "../src/models/layers.js";
import { forwardOps } from "../src/cost/forward.js";
import { preset, FLASH_FUSED } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/** Runs the CLI; a command that never ends fails the test after 60 s instead of hanging it. */
function roofline(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts a refusal: exit 2, nothing on stdout, one `roofline: …` message and no stack. */
function refused(args: string[], message: RegExp | string) {
  const result = roofline(...args);
  assert.equal(result.status, 2, `${args.join(" ")}\n${result.stderr}`);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^roofline: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  if (typeof message === "string") assert.ok(result.stderr.includes(message), `${result.stderr} should include ${message}`);
  else assert.match(result.stderr, message);
}

// --- Depth ---------------------------------------------------------------------------------

test("layer counts come from the pattern, so a depth of 2^32 is counted exactly", () => {
  // [recurrent, recurrent, local] over 2^32 = 4,294,967,296 layers: 1,431,655,765 full repeats and
  // 1 layer over, which is recurrent: 2 · 1,431,655,765 + 1 = 2,863,311,531 recurrent.
  const counts = layerCounts({ depth: 2 ** 32, pattern: ["recurrent", "recurrent", "local-attention"] });
  assert.deepEqual(counts, { recurrent: 2_863_311_531, "local-attention": 1_431_655_765, "global-attention": 0 });
  // The paper's griffin-7b: 32 layers → 22 recurrent + 10 local ([G] §3).
  assert.deepEqual(layerCounts(preset("griffin-7b")), { recurrent: 22, "local-attention": 10, "global-attention": 0 });
});

test("the cost of a forward pass does not grow with depth: 1e15 layers are one op per kind with a count", () => {
  // 1e15 = 3 · 333,333,333,333,333 + 1: the extra layer is the pattern's first, recurrent.
  const spec = { ...preset("griffin-7b"), depth: 1e15 };
  const ops = forwardOps(spec, { ...FLASH_FUSED, batch: 1, newTokens: 1, cachedTokens: 0, logits: "last", training: false });
  const counts = new Map(ops.map((op) => [op.block, op.count]));
  assert.equal(counts.get("recurrent"), 666_666_666_666_667);
  assert.equal(counts.get("local-attention"), 333_333_333_333_333);
  assert.equal(counts.get("mlp"), 1e15);
  assert.equal(ops.length, forwardOps(preset("griffin-7b"), { ...FLASH_FUSED, batch: 1, newTokens: 1, cachedTokens: 0, logits: "last", training: false }).length);
});

test("depth is capped at 10,000 residual blocks, with the limit in the error", () => {
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "depth=1e15"], "depth: 1000000000000000 is above the limit of 10,000 residual blocks");
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "depth=4294967296"], "depth: 4294967296 is above the limit of 10,000 residual blocks");
  refused(["--model", "griffin-7b", "--hw", "tpu-v3", "--set", "width=16777217"], "width: 16777217 is above the limit of 16,777,216 for a model dimension");
  // At the limit: 10,000 = 3 · 3,333 + 1 → 6,667 recurrent + 3,333 local.
  const ok = roofline("--model", "griffin-7b", "--hw", "tpu-v3", "--set", "depth=10000", "--phase", "decode");
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /depth 10000 \(6667 recurrent \+ 3333 local-attention\)/);
});
