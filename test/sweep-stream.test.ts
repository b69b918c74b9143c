// `roofline sweep` writes its rows as they are computed: numbers as decimal text without strings,
// a row laid out from shared and own runs, chunks streamed to stdout or into a file. The text must
// stay what the whole-document writers (csvText, toJson) gave before.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeNumber, MAX_NUMBER_BYTES } from "../src/views/decimal-text.js";

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

