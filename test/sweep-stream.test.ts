// `roofline sweep` writes its rows as they are computed: numbers as decimal text without strings,
// a row laid out from shared and own runs, chunks streamed to stdout or into a file. The text must
// stay what the whole-document writers (csvText, toJson) gave before.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeNumber, MAX_NUMBER_BYTES } from "../src/views/decimal-text.js";
import { sweepWriter, type SweepFormat } from "../src/views/sweep-text.js";
import { TextChunk } from "../src/views/text-chunk.js";
import { csvText } from "../src/views/csv.js";
import { toJson } from "../src/views/json.js";
import { SWEEP_COLUMNS, sweepRecords, sweepRows, type SweepRequest } from "../src/roofline/sweep.js";
import { ceilingsFor } from "../src/hardware/ceilings.js";
import { loadProfile } from "../src/hardware/load.js";
import { estimateSourceFor } from "../src/calibration/shipped.js";
import { preset, FLASH_FUSED } from "./helpers.js";

const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const fixture = (name: string) => fs.readFileSync(fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url)), "utf8");

function roofline(args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// --- Numbers --------------------------------------------------------------------------------

/** writeNumber's text for x. */
function written(x: number): string {
  const view = new DataView(new ArrayBuffer(MAX_NUMBER_BYTES));
  const end = writeNumber(view, 0, x);
  return String.fromCharCode(...new Uint8Array(view.buffer, 0, end));
}

/** A fixed sequence of pseudo-random 32-bit words (xorshift32), so that every run checks the same numbers. */
function* words(seed: number): Generator<number> {
  let state = seed >>> 0;
  for (;;) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    yield state;
  }
}

test("numbers are written as String writes them: the shortest decimal that reads back, placed the same way", () => {
  const cases: number[] = [
    0, -0, 1, -1, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 0.5, 1.5, 2.5, 100, 1e-6, 1e-7, 9.999999999999999e-7, 0.000001234,
    2 ** 53, 2 ** 53 - 1, 2 ** 53 + 2, 2 ** 54 + 4, 2 ** 60, 1e15, 1e15 + 0.5, 999999999999999.9, 1e16, 1e17, 1e21, 1e21 - 65536, 123456789012345680000,
    5e-324, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 0.029049513050700897, 201.42626799464978, 0.015404224853333332,
  ];
  // Powers of ten and of two, and their neighbours one unit in the last place away.
  for (let e = -30; e <= 30; e++) {
    const x = Number(`1e${e}`);
    cases.push(x, x * (1 + 2 ** -52), x * (1 - 2 ** -53), x / 3, x * 7);
  }
  for (let e = -80; e <= 80; e++) cases.push(2 ** e, 2 ** e * (1 + 2 ** -52), 2 ** e * (1 - 2 ** -53));
  const random = words(20261129);
  const next = () => random.next().value as number;
  const bits = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 200_000; i++) {
    // Any double: random bits (the non-finite ones skipped; writers never pass them).
    bits.setUint32(0, next());
    bits.setUint32(4, next());
    const any = bits.getFloat64(0);
    if (Number.isFinite(any)) cases.push(any);
    // The magnitudes a sweep writes, 1e-8 … 1e22, spread evenly in the logarithm.
    cases.push(10 ** ((next() / 2 ** 32) * 30 - 8));
    // Integers below and above 2^53.
    cases.push(Math.floor((next() / 2 ** 32) * 2 ** 53), Math.floor(10 ** (15 + (next() / 2 ** 32) * 6)));
    // Decimals of 1 to 17 significant digits read as doubles: the shortest text is often short.
    const digits = 1 + (next() % 17);
    const mantissa = String(next()).padEnd(digits, String(next())).slice(0, digits);
    cases.push(Number(`${mantissa}e${(next() % 40) - 20}`));
  }
  let mismatches = 0;
  for (const x of cases) {
    if (written(x) !== String(x) && mismatches++ < 10) assert.equal(written(x), String(x), `the text of ${x}`);
  }
  assert.equal(mismatches, 0, `${mismatches} of ${cases.length} numbers written unlike String`);
});

// --- Rows -----------------------------------------------------------------------------------

// Recorded from `roofline sweep` before it streamed (commit ea6fd19), on stdout: 3 models-at-windows
// (griffin-7b at 1,024 and 2,048, hawk-7b) × tpu-v3 × 4 phases × 2 lengths × 2 batches = 48 rows.
const KNOWN = ["--model", "griffin-7b,hawk-7b", "--window", "1024,2048", "--hw", "tpu-v3", "--phase", "prefill,decode,generate,train", "--seq", "256,4096", "--batch", "1,4000"];
const KNOWN_WARNING = "warning: in 8 of 48 rows the batch does not fit in memory (fits = false; maxBatch is the largest that does)\n";

test("a small grid streams the rows the sweep always gave, as CSV, JSON and JSON Lines, to stdout and to a file", () => {
  const csv = fixture("sweep-known.csv");
  const json = fixture("sweep-known.json");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roofline-stream-"));

  const printed = roofline(["sweep", ...KNOWN]);
  assert.equal(printed.status, 0, printed.stderr);
  assert.equal(printed.stdout, csv);
  assert.equal(printed.stderr, KNOWN_WARNING);
  const written = roofline(["sweep", ...KNOWN, "-o", path.join(dir, "known.csv")]);
  assert.equal(written.stderr, `${KNOWN_WARNING}wrote 48 rows to ${path.join(dir, "known.csv")}\n`);
  assert.equal(fs.readFileSync(path.join(dir, "known.csv"), "utf8"), csv);

  // JSON on stdout ends its line; the file holds the document alone, as writeFileAtomic wrote it.
  assert.equal(roofline(["sweep", ...KNOWN, "--format", "json"]).stdout, json);
  roofline(["sweep", ...KNOWN, "--format", "json", "-o", path.join(dir, "known.json")]);
  assert.equal(fs.readFileSync(path.join(dir, "known.json"), "utf8"), json.slice(0, -1));

  // Without an estimate the estimate's fields are left out, the rest as before.
  const bounds = JSON.parse(json) as { rows: Record<string, unknown>[] };
  for (const row of bounds.rows) {
    delete row.estimateSeconds;
    delete row.estimateCalibration;
  }
  assert.equal(roofline(["sweep", ...KNOWN, "--format", "json", "--no-calibration"]).stdout, `${toJson(bounds)}\n`);

  // JSON Lines: each row of the document, compact, its keys in the same order.
  const lines = roofline(["sweep", ...KNOWN, "--format", "jsonl"]).stdout;
  assert.deepEqual(lines.split("\n"), [...(JSON.parse(json) as { rows: unknown[] }).rows.map((row) => JSON.stringify(row)), ""]);

  // One row by hand: griffin-7b at its 1,024-token window decoding at context 4,096, batch 1, on
  // TPU v3. Past the window a step moves 13,863,802,368 bytes (test/cost.test.ts), every op memory
  // bound at batch 1, so it takes 13,863,802,368 B / 900e9 B/s = 0.015404224853333 s. The cache is
  // 6,481,920 bytes a sequence beside 13,842,509,824 bytes of weights in 32 GiB = 34,359,738,368
  // bytes: (34,359,738,368 − 13,842,509,824) / 6,481,920 = 3,165.3, so 3,165 sequences fit, and
  // 4,000 do not.
  const rows = csv.split("\n").slice(1, -1).map((line) => Object.fromEntries(line.split(",").map((cell, i) => [SWEEP_COLUMNS[i], cell])));
  const decode = rows.filter((row) => row.phase === "decode" && row.window === "1024" && row.contextTokens === "4096");
  assert.deepEqual(decode.map((row) => [row.batch, row.bytes, row.maxBatch, row.fits]), [["1", "13863802368", "3165", "true"], ["4000", decode[1]!.bytes, "3165", "false"]]);
  assert.ok(Math.abs(Number(decode[0]!.memorySeconds) / (13_863_802_368 / 900e9) - 1) < 1e-15);
  assert.equal(decode[0]!.seconds, decode[0]!.memorySeconds);
});

test("rows written a chunk at a time give the text of the whole-document writers, across many chunks", () => {
  const estimate = estimateSourceFor(loadProfile("h100-sxm"), {});
  const request: SweepRequest = {
    models: [preset("griffin-7b"), preset("mqa-7b")],
    chips: [{ id: "tpu-v3", ceilings: ceilingsFor(loadProfile("tpu-v3"), "bf16") }, { id: "h100-sxm", ceilings: ceilingsFor(loadProfile("h100-sxm"), "bf16"), estimate }],
    phases: ["prefill", "decode", "train"], lengths: Array.from({ length: 12 }, (_, i) => 256 * 2 ** (i / 2)).map(Math.round),
    batches: Array.from({ length: 150 }, (_, i) => 1 + 7 * i), windows: [], newTokens: 64, rematerialise: false, implementation: FLASH_FUSED,
  };
  const streamed = (format: SweepFormat) => {
    const writer = sweepWriter(format);
    const out = new TextChunk();
    const chunks: Buffer[] = [];
    writer.begin(out);
    for (const record of sweepRecords(request)) {
      writer.row(out, record);
      if (out.full) chunks.push(Buffer.from(out.take()));
    }
    writer.end(out);
    chunks.push(Buffer.from(out.take()));
    return { text: Buffer.concat(chunks).toString("utf8"), chunks: chunks.length };
  };
  // 2 models × 2 chips × 3 phases × 12 lengths × 150 batches = 21,600 rows, several megabytes.
  const rows = [...sweepRows(request)];
  assert.equal(rows.length, 21_600);
  const csv = streamed("csv");
  assert.ok(csv.chunks > 3);
  const cell = (value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? "" : value ?? "");
  assert.equal(csv.text, csvText(rows.map((row) => SWEEP_COLUMNS.map((column) => cell(row[column]))), SWEEP_COLUMNS));
  // The document's keys follow the columns here, not the order of the recorded documents: compare values.
  const json = JSON.parse(streamed("json").text) as { schema: string; version: number; rows: unknown[] };
  assert.deepEqual(json, JSON.parse(toJson({ schema: "roofline.sweep", version: 1, rows })));
});

test("a sweep piped into head stops when head has read enough, quietly", () => {
  // 3 chips × 2 phases × 3,840 lengths × 4,067 batches = 93,703,680 rows, near the limit: minutes
  // of work in full. head closes the pipe after three lines, the next write fails with EPIPE, and
  // the command ends with status 0 and nothing on stderr.
  const grid = ["--model", "griffin-7b", "--hw", "tpu-v3,h100-sxm,h200", "--phase", "prefill,decode", "--seq", "1000..100000*1.0012", "--batch", "1000..1000000*1.0017"];
  const run = spawnSync("bash", ["-c", `"${process.execPath}" "${main}" sweep ${grid.join(" ")} --no-calibration | head -n 3; exit \${PIPESTATUS[0]}`], { encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "");
  assert.equal(run.stdout.split("\n").length, 4);
  assert.match(run.stdout, /^model,hardware,phase,batch,/);
});

test("--format takes csv, jsonl or json", () => {
  const refused = roofline(["sweep", "--model", "hawk-100m", "--hw", "tpu-v3", "--seq", "256", "--format", "xlsx"]);
  assert.equal(refused.status, 2);
  assert.equal(refused.stderr, 'roofline: --format: expected csv, jsonl or json, got "xlsx"\n');
  assert.equal(refused.stdout, "");
});
