// Numbers as decimal text, written straight into bytes: the characters String(x) gives (ECMAScript
// Number::toString: the fewest significant digits that read back as x, the nearest to x when
// several are as short), without making a string per number. A sweep writes about ten numbers a
// row for millions of rows, and String(x) of a fraction costs about twice what this does.
//
// The k-digit decimal nearest x is N · 10^-q, N = x · 10^q rounded to an integer, with q chosen so
// that N has k digits. N17, the nearest of 17 digits, is found exactly: x · 10^q as the sum of two
// doubles for q ≥ 0 (Dekker's product; 10^q is exact for q ≤ 22), or as a quotient and its
// remainder for q < 0 (the remainder of a division rounded to nearest is itself a double). The
// nearest of 16 and of 15 digits are N17 rounded, decided by the digits dropped and the way N17
// was rounded. A decimal reads back as x when it lies within half a unit in x's last place of x
// (an end counting when x's last bit is 0), which the exact x · 10^q − N17 decides.
// - 17 digits: the nearest always reads back.
// - 16: the nearest reads back if any does (the doubles that round to x span an interval centred on
//   it, unless x is a power of two), and it is the one the standard picks among them.
// - 15: 15-digit decimals lie farther apart than that interval is wide, so at most one reads back;
//   if any shorter decimal does, it is that one with zeros appended.
// Whatever these bounds leave out (below 10^-6, from 10^21 on where String writes an exponent,
// powers of two, exact ties) falls back to String(x).

const SAFE_LIMIT = 2 ** 53;
/** The largest q with 10^q exact in a double (5^22 < 2^53). */
const MAX_EXACT_POWER = 22;
/** From here up x · 10^q fits the exact powers at 17 digits (q ≤ 22), and String(x) writes no exponent. */
const SMALLEST_FAST = 1e-6;
/** From here up String(x) writes an exponent. */
const LARGEST_FAST = 1e21;

/** 10^q, exact, and its halves of 26 bits for Dekker's product (Veltkamp's split). */
const POWERS = Array.from({ length: MAX_EXACT_POWER + 1 }, (_, q) => Number(`1e${q}`));
const SPLITTER = 134217729; // 2^27 + 1
const highHalf = (a: number) => {
  const c = SPLITTER * a;
  return c - (c - a);
};
const POWERS_HIGH = POWERS.map(highHalf);
const POWERS_LOW = POWERS.map((p, q) => p - POWERS_HIGH[q]!);

/** 10^e for e = -7 … 22, at index e + 7 (those below 1 rounded): they correct a first guess of x's decimal exponent. */
const DECADES = Array.from({ length: 30 }, (_, i) => Number(`1e${i - 7}`));
const LOG10_OF_2 = Math.log10(2);

const ZERO = 48;
const DOT = 46;
const MINUS = 45;

/**
 * The integer last found and how it was found, shared by the steps below. (One object rather than
 * module-level variables: each read of those pays a check that it is initialised.)
 */
const found = {
  /** N = high · 10^8 + low, 0 ≤ low < 10^8. */
  high: 0,
  low: 0,
  /** The sign of x · 10^q − N: which way N was rounded (0 when it is exact). */
  beyond: 0,
  /** x · 10^q − N exactly, as (deltaError + deltaWhole) / deltaScale: a double, an integer and a power of ten. */
  deltaError: 0,
  deltaWhole: 0,
  deltaScale: 1,
};

/** The bits of a double, as two 32-bit words in the platform's byte order: its binary exponent, and whether it is a power of two. */
const bitsOfDouble = new Float64Array(1);
const wordsOfDouble = new Uint32Array(bitsOfDouble.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const UPPER_WORD = LITTLE_ENDIAN ? 1 : 0;
const LOWER_WORD = LITTLE_ENDIAN ? 0 : 1;

/** Sets N = whole + adjust, for an integer-valued double whole < 10^17 and a small integer adjust. */
function setN(whole: number, adjust: number): void {
  // whole = h · 10^8 + l exactly: h · 10^8 is exact (h · 5^8 < 2^53), and so is the difference
  // of two doubles this close (Sterbenz). A product is cheaper than a quotient; the loops below
  // correct a guess one off.
  let h = Math.floor(whole * 1e-8);
  let l = whole - h * 1e8 + adjust;
  while (l < 0) {
    h -= 1;
    l += 1e8;
  }
  while (l >= 1e8) {
    h += 1;
    l -= 1e8;
  }
  found.high = h;
  found.low = l | 0; // an int32: the remainders taken of it below stay integer operations
}

/**
 * Sets N, the integer nearest x · 10^q (10^14 ≤ N < 10^17); false when x · 10^q lies exactly
 * halfway between two integers, or (q < 0) is not decided here.
 */
function nearestN(x: number, xHigh: number, xLow: number, q: number): boolean {
  if (q < 0) return nearestQuotient(x, -q);
  const p = x * POWERS[q]!;
  // x · 10^q = p + error exactly; |error| ≤ half a unit in the last place of p.
  const error = xHigh * POWERS_HIGH[q]! - p + xHigh * POWERS_LOW[q]! + xLow * POWERS_HIGH[q]! + xLow * POWERS_LOW[q]!;
  const whole = Math.floor(p);
  const fraction = p - whole;
  if (fraction === 0) {
    // p is an integer and the error may be several units (p's last place is up to 16 below 10^17).
    const below = Math.floor(error);
    const rest = error - below; // rounds monotonically: a wrong side can only read as a tie
    if (rest === 0.5) return false;
    const adjust = rest > 0.5 ? below + 1 : below;
    found.beyond = Math.sign(error - adjust);
    found.deltaError = error;
    found.deltaWhole = -adjust;
    found.deltaScale = 1;
    setN(whole, adjust);
    return true;
  }
  // p has a fraction, so its last place is at most ½ and |error| ≤ ¼: N is whole or whole + 1.
  // fraction − ½ and fraction − 1 are exact, and a rounded sum keeps the sign of the exact one.
  const above = fraction - 0.5 + error;
  if (above === 0) return false;
  found.beyond = above > 0 ? Math.sign(fraction - 1 + error) : Math.sign(fraction + error);
  found.deltaScale = 0; // not kept: a 17-digit N never has a fraction left (p ≥ 10^16 > 2^53)
  setN(whole, above > 0 ? 1 : 0);
  return true;
}

/** N for q = -s < 0, where x ≥ 10^17 is an integer and so is its 17-digit quotient x / 10^s. */
function nearestQuotient(x: number, s: number): boolean {
  const power = POWERS[s]!;
  const quotient = x / power;
  if (quotient < SAFE_LIMIT) return false; // a quotient with a fraction: 17 digits need none
  const quotientHigh = highHalf(quotient);
  const quotientLow = quotient - quotientHigh;
  const product = quotient * power;
  const productError = quotientHigh * POWERS_HIGH[s]! - product + quotientHigh * POWERS_LOW[s]! + quotientLow * POWERS_HIGH[s]! + quotientLow * POWERS_LOW[s]!;
  // x = quotient · 10^s + remainder, all integers and the remainder exact.
  const remainder = x - product - productError;
  // N = quotient + k, k the integer nearest remainder / 10^s; the halfway points (k ± ½) · 10^s
  // are integers, so the comparisons with them are exact.
  let k = Math.round(remainder / power);
  if (remainder < (k - 0.5) * power) k -= 1;
  else if (remainder > (k + 0.5) * power) k += 1;
  if (remainder === (k - 0.5) * power || remainder === (k + 0.5) * power) return false;
  found.beyond = Math.sign(remainder - k * power);
  found.deltaError = 0;
  found.deltaWhole = remainder - k * power;
  found.deltaScale = power;
  setN(quotient, k);
  return true;
}

/** 2^e for e = -80 … 80, at index e + 80, made by exact halvings and doublings. */
const POWERS_OF_TWO = Array.from({ length: 161 }, (_, i) => {
  let value = 1;
  for (let e = i - 80; e > 0; e--) value *= 2;
  for (let e = i - 80; e < 0; e++) value /= 2;
  return value;
});

/**
 * Whether the decimal N = N17 − offset (offset an integer) reads back as x: whether x · 10^q − N,
 * that is delta + offset, is within half a unit in the last place of x (`halfUnit`, at the scale of
 * delta), an end counting when x's last bit is 0 (reading rounds a tie to even). The sum of
 * delta's double and integer is kept exact as two doubles (Knuth's two-sum), so the comparison is.
 */
function readsBack(offset: number, halfUnit: number, even: boolean): boolean {
  const whole = found.deltaWhole + offset * found.deltaScale;
  const sum = found.deltaError + whole;
  const wholePart = sum - found.deltaError;
  const rest = found.deltaError - (sum - wholePart) + (whole - wholePart);
  const negative = sum < 0;
  const magnitude = negative ? -sum : sum;
  if (magnitude !== halfUnit) return magnitude < halfUnit;
  const restOfMagnitude = negative ? -rest : rest;
  return restOfMagnitude < 0 || (restOfMagnitude === 0 && even);
}

/** Four ASCII digits, "0000" to "9999", each as the little-endian 32-bit word of its bytes. */
const QUADS = Uint32Array.from({ length: 10000 }, (_, group) => {
  const text = String(group).padStart(4, "0");
  return text.charCodeAt(0) | (text.charCodeAt(1) << 8) | (text.charCodeAt(2) << 16) | (text.charCodeAt(3) << 24);
});

/**
 * Writes the `count` digits of `value` (an integer below 10^9), zero-padded, to end just before
 * `end`: four at a time, as one 32-bit store each.
 */
function writeDigitsBefore(view: DataView, end: number, value: number, count: number): void {
  // As int32, the divisions by constants compile to multiplications.
  let v = value | 0;
  for (; count >= 4; count -= 4) {
    const rest = (v / 10000) | 0;
    end -= 4;
    view.setUint32(end, QUADS[v - rest * 10000]!, true);
    v = rest;
  }
  for (; count > 0; count -= 1) {
    const rest = (v / 10) | 0;
    view.setUint8(--end, ZERO + v - rest * 10);
    v = rest;
  }
}

function digitCount(value: number): number {
  let count = 1;
  for (let limit = 10; value >= limit && count < 16; limit *= 10) count += 1;
  return count;
}

/** A non-negative safe integer, as String(value). */
function writeWhole(view: DataView, at: number, value: number): number {
  if (value < 1e8) {
    const count = digitCount(value);
    writeDigitsBefore(view, at + count, value, count);
    return at + count;
  }
  const h = Math.floor(value / 1e8);
  const count = digitCount(h);
  writeDigitsBefore(view, at + count, h, count);
  writeDigitsBefore(view, at + count + 8, value - h * 1e8, 8);
  return at + count + 8;
}

function writeAscii(view: DataView, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
  return at + text.length;
}

/** The `count` digits of N, less trailing zeros; returns the offset after them. */
function writeSignificant(view: DataView, at: number, count: number): number {
  writeDigitsBefore(view, at + count, found.low, 8);
  writeDigitsBefore(view, at + count - 8, found.high, count - 8);
  while (count > 1 && view.getUint8(at + count - 1) === ZERO) count -= 1;
  return at + count;
}

/**
 * The `count` significant digits of N, less trailing zeros, placed around the decimal point:
 * x = 0.d1d2… · 10^point, with -6 < point ≤ 21 here (no exponent).
 */
function writeDigits(view: DataView, at: number, count: number, point: number): number {
  if (point >= count) {
    // An integer: its digits, then zeros.
    const end = writeSignificant(view, at, count);
    for (let i = end; i < at + point; i++) view.setUint8(i, ZERO);
    return at + point;
  }
  if (point <= 0) {
    view.setUint8(at++, ZERO);
    view.setUint8(at++, DOT);
    for (let i = point; i < 0; i++) view.setUint8(at++, ZERO);
    return writeSignificant(view, at, count);
  }
  // The digits go one place on; the integer part then moves back, making room for the point.
  const first = at + 1;
  count = writeSignificant(view, first, count) - first;
  for (let i = 0; i < point; i++) view.setUint8(at + i, view.getUint8(first + i));
  view.setUint8(at + point, DOT);
  return first + count;
}

/**
 * A positive x in [10^-6, 10^21), not a safe integer nor a power of two, with binary exponent
 * `binaryExponent` and its last bit zero or not (`even`); false where the fast path cannot decide.
 */
function writeShortest(view: DataView, at: number, x: number, binaryExponent: number, even: boolean): number | false {
  const xHigh = highHalf(x);
  const xLow = x - xHigh;
  // 10^exponent ≤ x < 10^(exponent + 1), guessed from x's binary exponent; a guess one off (near
  // a power of ten) is corrected from the number of digits of N.
  let exponent = Math.floor(binaryExponent * LOG10_OF_2);
  if (x >= DECADES[exponent + 8]!) exponent += 1;
  let q = 16 - exponent;
  for (let tries = 0; ; tries++) {
    if (tries === 2 || q > MAX_EXACT_POWER || !nearestN(x, xHigh, xLow, q)) return false;
    if (found.high >= 1e9) exponent += 1;
    else if (found.high < 1e8) exponent -= 1;
    else break;
    q = 16 - exponent;
  }
  if (found.deltaScale === 0) return false;
  // Half a unit in the last place of x, on the scale of delta: times 10^q, or for q < 0 times
  // 10^q · found.deltaScale = 1.
  const halfUnit = POWERS_OF_TWO[binaryExponent - 53 + 80]! * (q >= 0 ? POWERS[q]! : 1);
  const high17 = found.high;
  const low17 = found.low;
  // N17 rounded to 15 and 16 digits: the digits dropped and the way N17 itself was rounded decide
  // (an exact tie falls back). `offset` is N17 − N at N17's scale.
  const last2 = low17 % 100;
  const last = last2 % 10;
  if ((last2 === 50 || last === 5) && found.beyond === 0) return false;
  // Sixteen digits first: if none reads back, neither does any shorter decimal (with a zero
  // appended it would be a 16-digit one), and more than half the results of arithmetic need 17.
  const offset16 = last > 5 || (last === 5 && found.beyond > 0) ? last - 10 : last;
  if (!readsBack(offset16, halfUnit, even)) {
    found.high = high17;
    found.low = low17;
    return writeDigits(view, at, 17, exponent + 1);
  }
  const offset15 = last2 > 50 || (last2 === 50 && found.beyond > 0) ? last2 - 100 : last2;
  if (readsBack(offset15, halfUnit, even)) {
    setN(high17 * 1e6, (low17 - offset15) / 100);
    return found.high < 1e7 && writeDigits(view, at, 15, exponent + 1); // not 10^15: one digit shorter still
  }
  setN(high17 * 1e7, (low17 - offset16) / 10);
  return found.high < 1e8 && writeDigits(view, at, 16, exponent + 1);
}

/** The longest text writeNumber gives: "-1.2345678901234567e-123" is 24 characters. */
export const MAX_NUMBER_BYTES = 25;

/**
 * Writes String(x) for a finite x at `at` of the bytes `view` shows (which has MAX_NUMBER_BYTES
 * free there) and returns the offset after it.
 */
export function writeNumber(view: DataView, at: number, x: number): number {
  if (Number.isSafeInteger(x)) {
    if (x >= 0) return writeWhole(view, at, x); // -0 too: String(-0) is "0"
    view.setUint8(at, MINUS);
    return writeWhole(view, at + 1, -x);
  }
  if (x < 0) {
    view.setUint8(at, MINUS);
    return writeNumber(view, at + 1, -x);
  }
  if (x >= SMALLEST_FAST && x < LARGEST_FAST) {
    bitsOfDouble[0] = x;
    const upper = wordsOfDouble[UPPER_WORD]!;
    const lower = wordsOfDouble[LOWER_WORD]!;
    const isPowerOfTwo = (upper & 0xfffff) === 0 && lower === 0;
    const end = !isPowerOfTwo && writeShortest(view, at, x, (upper >>> 20) - 1023, (lower & 1) === 0);
    if (end !== false) return end;
  }
  return writeAscii(view, at, String(x));
}
