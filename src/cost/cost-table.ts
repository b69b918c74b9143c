// Op costs in closed form. Within a piece of lengths, every number an op carries (FLOPs, bytes,
// shape entries) is a polynomial of degree at most 2 in the length and at most 1 in the batch:
// weights are read once per launch, activations, caches and states grow with the sequences, and
// causal attention's query-key pairs grow with the square of the prompt. So six evaluations of
// the cost model per piece (batches 1 and 2 at three lengths) fix every coefficient, and any
// (batch, length) of the piece is then a few multiply-adds per number. Pieces split where an op
// changes form: a one-token prompt (the scan runs as a single step), an empty cache, and the
// local attention window.
//
// The coefficients come from the cost model itself, never from a second copy of its formulas, and
// each piece is checked at further points when it is fitted: a cost that stops being polynomial
// (a new breakpoint, a cubic term) fails there instead of giving wrong numbers.
import type { ModelSpec } from "../models/schema.js";
import type { OpCost } from "./op.js";

/** The op costs of a phase at one point: `length` is the prompt (prefill, train) or the cached context (decode). */
export type OpsAt = (batch: number, length: number) => OpCost[];

/** Inclusive range of lengths; `last` may be infinite. */
export interface LengthPiece {
  first: number;
  last: number;
}

/** Per number: a_k = base_k + perSequence_k · batch (k = 0, 1, 2), and value = a0 + L·(a1 + L·a2). */
const COEFFICIENTS = 6;

/** An op's numbers, in the order their polynomials are stored: these six, then the shape's entries. */
const COST_FIELDS = 6;
const costNumbers = (op: OpCost): number[] => [op.matrixFlops, op.vectorFlops, op.bytes.weights, op.bytes.activations, op.bytes.kvCache, op.bytes.state];
const numbersOf = (op: OpCost, shapeKeys: readonly string[]): number[] => [...costNumbers(op), ...shapeKeys.map((key) => op.shape[key]!)];

/** What stays the same across a piece: everything of an op but its numbers. */
export interface OpTemplate {
  /** The op at the piece's first point (its numbers are not used). */
  op: OpCost;
  shapeKeys: string[];
  /** Where the op's numbers start among the piece's. */
  offset: number;
  /** Builds the shape from the piece's values. */
  shapeOf: (values: Float64Array, offset: number) => Record<string, number>;
  /** Writes the piece's values into a shape `shapeOf` built. */
  writeShape: (shape: Record<string, number>, values: Float64Array, offset: number) => void;
}

export interface FittedPiece extends LengthPiece {
  ops: OpTemplate[];
  /** COEFFICIENTS per number, the numbers of every op in order. */
  coefficients: Float64Array;
  /** The numbers that vary within the piece; the others (about two thirds) keep their value in `values`. */
  varying: Int32Array;
  /** Every number at the last point `evaluatePiece` evaluated: rewritten at each call. */
  values: Float64Array;
}

export interface CostTable {
  pieces: FittedPiece[];
}

/** The fields that name an op and say how it runs: equal at every point of a piece, or the piece is wrong. */
function identityOf(op: OpCost): string {
  return JSON.stringify([op.name, op.block, op.kind, op.kernel, op.count, "implementation" in op, op.implementation ?? null,
    "pass" in op, op.pass ?? null, "stage" in op, op.stage ?? null, Object.keys(op.shape)]);
}

/** Monomial coefficients of the polynomial of degree < n through (first + j, values[j]), j < n ≤ 3. */
function monomials(values: readonly number[], first: number): [number, number, number] {
  const [y0, y1, y2] = values as [number, number?, number?];
  if (y1 === undefined) return [y0, 0, 0];
  if (y2 === undefined) {
    const a1 = y1 - y0;
    return [y0 - first * a1, a1, 0];
  }
  const a2 = (y2 - 2 * y1 + y0) / 2;
  const a1 = y1 - y0 - a2 * (2 * first + 1);
  return [y0 - first * a1 - first * first * a2, a1, a2];
}

function polynomialAt(coefficients: Float64Array, number: number, batch: number, length: number): number {
  const at = number * COEFFICIENTS;
  const a0 = coefficients[at]! + coefficients[at + 1]! * batch;
  const a1 = coefficients[at + 2]! + coefficients[at + 3]! * batch;
  const a2 = coefficients[at + 4]! + coefficients[at + 5]! * batch;
  return a0 + length * (a1 + length * a2);
}

/** Every number of every op of the piece at (batch, length), into `piece.values`, in one pass. */
export function evaluatePiece(piece: FittedPiece, batch: number, length: number): Float64Array {
  const { coefficients, varying, values } = piece;
  for (let i = 0; i < varying.length; i++) values[varying[i]!] = polynomialAt(coefficients, varying[i]!, batch, length);
  return values;
}

/** Whether a number's polynomial has a term in the batch or the length. */
function varies(coefficients: Float64Array, number: number): boolean {
  for (let k = 1; k < COEFFICIENTS; k++) if (coefficients[number * COEFFICIENTS + k] !== 0) return true;
  return false;
}

/**
 * Functions that build `{ [keys[0]]: values[offset], [keys[1]]: values[offset + 1], … }` as one
 * object literal, and write new values into such an object, generated once per op: objects made
 * by one literal share their layout from the start, and stores to named keys are direct (adding
 * the keys one at a time cost about three times as much, 80 against 25 ns a shape). The keys are
 * the cost model's own shape names, written as JSON strings.
 */
function shapeFunctions(keys: readonly string[]): Pick<OpTemplate, "shapeOf" | "writeShape"> {
  // In a literal, "__proto__" would set the prototype instead of a key; no op's shape has it.
  if (keys.includes("__proto__")) throw new Error("cost table: a shape key named __proto__");
  const names = keys.map((key) => JSON.stringify(key));
  const build = names.map((name, k) => `${name}: values[offset + ${k}]`).join(", ");
  const write = names.map((name, k) => `shape[${name}] = values[offset + ${k}];`).join(" ");
  return {
    shapeOf: new Function("values", "offset", `return { ${build} };`) as OpTemplate["shapeOf"],
    writeShape: new Function("shape", "values", "offset", write) as OpTemplate["writeShape"],
  };
}

/** Relative difference beyond which a checked point says the piece is not one polynomial. */
const CHECK_TOLERANCE = 1e-9;

function fitPiece(opsAt: OpsAt, piece: LengthPiece): FittedPiece {
  const lengths = [0, 1, 2].map((j) => piece.first + j).filter((length) => length <= piece.last);
  const samples = [1, 2].map((batch) => lengths.map((length) => opsAt(batch, length)));
  let offset = 0;
  const ops = samples[0]![0]!.map((op): OpTemplate => {
    const shapeKeys = Object.keys(op.shape);
    const template = { op, shapeKeys, offset, ...shapeFunctions(shapeKeys) };
    offset += COST_FIELDS + shapeKeys.length;
    return template;
  });
  const coefficients = new Float64Array(offset * COEFFICIENTS);
  ops.forEach((template, i) => {
    // Per batch sampled, each number's polynomial in the length; then their line in the batch.
    const [one, two] = samples.map((atLengths) => {
      const values = atLengths.map((sample) => numbersOf(sample[i]!, template.shapeKeys));
      return values[0]!.map((_, n) => monomials(values.map((v) => v[n]!), piece.first));
    });
    one!.forEach((atOne, n) => {
      for (let k = 0; k < 3; k++) {
        coefficients[(template.offset + n) * COEFFICIENTS + 2 * k] = 2 * atOne[k]! - two![n]![k]!;
        coefficients[(template.offset + n) * COEFFICIENTS + 2 * k + 1] = two![n]![k]! - atOne[k]!;
      }
    });
  });
  const numbers = Array.from({ length: offset }, (_, n) => n);
  const values = Float64Array.from(numbers, (n) => coefficients[n * COEFFICIENTS]!); // the constants' values
  const fitted = { ...piece, ops, coefficients, varying: Int32Array.from(numbers.filter((n) => varies(coefficients, n))), values };
  for (const atLengths of samples) for (const sample of atLengths) requireSameOps(fitted, sample);
  checkPiece(opsAt, fitted);
  return fitted;
}

function requireSameOps(piece: FittedPiece, ops: readonly OpCost[]): void {
  const same = ops.length === piece.ops.length && ops.every((op, i) => identityOf(op) === identityOf(piece.ops[i]!.op));
  if (!same) throw new Error(`cost table: the ops change within lengths ${piece.first}–${piece.last}; the pieces miss a breakpoint`);
}

/** Compares the fitted piece with the cost model at points it was not fitted on. */
function checkPiece(opsAt: OpsAt, piece: FittedPiece): void {
  for (const length of [piece.first + 3, piece.first + 7].filter((l) => l <= piece.last)) {
    const direct = opsAt(3, length);
    requireSameOps(piece, direct);
    const values = evaluatePiece(piece, 3, length);
    piece.ops.forEach((template, i) => {
      numbersOf(direct[i]!, template.shapeKeys).forEach((expected, n) => {
        const fitted = values[template.offset + n]!;
        if (Math.abs(fitted - expected) > CHECK_TOLERANCE * Math.abs(expected)) {
          throw new Error(`cost table: "${template.op.name}" (number ${n}) is ${expected} at batch 3 and length ${length}, ` +
            `not the ${fitted} a polynomial of degree 2 fitted on lengths ${piece.first}–${piece.first + 2} gives; the pieces miss a breakpoint`);
        }
      });
    });
  }
}

export function costTable(opsAt: OpsAt, pieces: readonly LengthPiece[]): CostTable {
  return { pieces: pieces.map((piece) => fitPiece(opsAt, piece)) };
}

export function pieceAt(table: CostTable, length: number): FittedPiece {
  for (const piece of table.pieces) if (length >= piece.first && length <= piece.last) return piece;
  throw new RangeError(`cost table: length ${length} lies outside its pieces`);
}

/**
 * Writes an op's numbers from its piece's `values` into `op`, a record made from this template
 * (`opFrom`), in place: for records reused from point to point.
 */
export function writeCosts(template: OpTemplate, values: Float64Array, op: OpCost): void {
  const at = template.offset;
  op.matrixFlops = values[at]!;
  op.vectorFlops = values[at + 1]!;
  op.bytes.weights = values[at + 2]!;
  op.bytes.activations = values[at + 3]!;
  op.bytes.kvCache = values[at + 4]!;
  op.bytes.state = values[at + 5]!;
  template.writeShape(op.shape, values, at + COST_FIELDS);
}

/** An op from its piece's `values`, with the keys and values the cost model gives at that point. */
export function opFrom(template: OpTemplate, values: Float64Array): OpCost {
  const { op, offset: at } = template;
  const result: OpCost = {
    name: op.name, block: op.block, kind: op.kind, kernel: op.kernel, count: op.count,
    matrixFlops: values[at]!, vectorFlops: values[at + 1]!,
    bytes: { weights: values[at + 2]!, activations: values[at + 3]!, kvCache: values[at + 4]!, state: values[at + 5]! },
    shape: template.shapeOf(values, at + COST_FIELDS),
  };
  if ("implementation" in op) result.implementation = op.implementation;
  if ("pass" in op) result.pass = op.pass;
  if ("stage" in op) result.stage = op.stage;
  return result;
}

/** Every op at (batch, length): what the cost model gives there. */
export function costsAt(table: CostTable, batch: number, length: number): OpCost[] {
  const piece = pieceAt(table, length);
  const values = evaluatePiece(piece, batch, length);
  return piece.ops.map((template) => opFrom(template, values));
}

const windowOf = (spec: ModelSpec): number | undefined => (spec.pattern.includes("local-attention") ? spec.attention?.window : undefined);

/**
 * Prompt lengths (prefill, training): a single token, where the scan is one step whatever the
 * implementation; up to W + 1, where local attention's pairs grow with the square; beyond, where
 * every query sees W keys and they grow linearly. Mamba-2's SSD splits the same way at its chunk
 * size Q: quadratic within one chunk, linear in the number of chunks beyond.
 */
export function promptPieces(spec: ModelSpec): LengthPiece[] {
  const window = windowOf(spec);
  const chunk = spec.pattern.includes("mamba2") ? spec.mamba2?.chunkSize : undefined;
  // The last length of each piece but the last, after the single token.
  const ends = [...new Set([window === undefined ? [] : [window + 1], chunk === undefined ? [] : [chunk]].flat())]
    .filter((end) => end >= 2)
    .sort((x, y) => x - y);
  const pieces: LengthPiece[] = [{ first: 1, last: 1 }];
  let first = 2;
  for (const end of ends) {
    pieces.push({ first, last: end });
    first = end + 1;
  }
  pieces.push({ first, last: Infinity });
  return pieces;
}

/**
 * Cached context lengths (decode): an empty cache, which has no state to read; up to W, where a
 * local layer reads every cached key; beyond, where it reads W.
 */
export function contextPieces(spec: ModelSpec): LengthPiece[] {
  const window = windowOf(spec);
  if (window === undefined) return [{ first: 0, last: 0 }, { first: 1, last: Infinity }];
  return [{ first: 0, last: 0 }, { first: 1, last: window }, { first: window + 1, last: Infinity }];
}
