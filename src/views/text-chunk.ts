// Text built up as bytes and handed on a chunk at a time, for outputs written while they are
// computed. Numbers go in as digits (decimal-text.ts) and recurring strings as bytes encoded once,
// so that a row of a large output makes no string.
import { MAX_NUMBER_BYTES, writeNumber } from "./decimal-text.js";

/** Bytes gathered before a chunk is written: large enough that a write costs little per row. */
export const CHUNK_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, for text that recurs (a name, a key, a separator). */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

export class TextChunk {
  private bytes = new Uint8Array(CHUNK_BYTES + 4096);
  /** The same bytes, for numbers (written four digits at a time). */
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  /** Whether the chunk holds enough to be written. */
  get full(): boolean {
    return this.length >= CHUNK_BYTES;
  }

  /** Adds bytes (from `utf8`). */
  append(text: Uint8Array): void {
    this.reserve(text.length);
    this.appendReserved(text);
  }

  /** Adds a finite number as String(x) would write it. */
  number(x: number): void {
    this.reserve(MAX_NUMBER_BYTES);
    this.length = writeNumber(this.view, this.length, x);
  }

  /** `append` within room already reserved. */
  appendReserved(text: Uint8Array): void {
    const bytes = this.bytes;
    const at = this.length;
    // Pieces are mostly a few bytes long, for which a loop beats a call to set().
    if (text.length > 64) bytes.set(text, at);
    else for (let i = 0; i < text.length; i++) bytes[at + i] = text[i]!;
    this.length = at + text.length;
  }

  /** `number` within room already reserved (MAX_NUMBER_BYTES for it). */
  numberReserved(x: number): void {
    this.length = writeNumber(this.view, this.length, x);
  }

  /**
   * The bytes gathered so far, and an empty chunk after: they stay valid until the next addition,
   * so the caller writes them (and waits for the write) before adding more.
   */
  take(): Uint8Array {
    const taken = this.bytes.subarray(0, this.length);
    this.length = 0;
    return taken;
  }

  /**
   * Makes room for `count` more bytes; a row longer than the spare room grows the buffer. A writer
   * that reserves a row's worth once may then add its pieces with the unchecked methods below.
   */
  reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const larger = new Uint8Array(Math.max(2 * this.bytes.length, this.length + count));
    larger.set(this.bytes.subarray(0, this.length));
    this.bytes = larger;
    this.view = new DataView(larger.buffer);
  }
}
