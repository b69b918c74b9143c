// The events of a Chrome trace, one at a time, from a file of any size: the JSON is scanned as it
// streams in, and only one event's text is held and parsed (JSON.parse) at a time. Two layouts
// exist: an object with a `traceEvents` array (Kineto, the JAX profiler) and a bare array of events
// (torch 1.13's legacy profiler). A UTF-8 byte-order mark is skipped. Small top-level values named
// in `keep` (torch's `deviceProperties`) are parsed too.
import { BYTE_ORDER_MARK } from "./csv-input.js";

export interface TraceEventSource {
  /** "object": `{ "traceEvents": [...] }`; "array": a bare array of events. */
  layout: "object" | "array";
  events: number;
  /** Top-level values whose key was asked for in `keep`. */
  kept: Record<string, unknown>;
}

/** Where an event is, for messages: its index and the line its text starts on. */
export interface EventPlace {
  index: number;
  line: number;
}

/** Why a file is not a trace this scanner can read, as a clause ("it is empty"); the caller names the file. */
export class TraceSyntaxError extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Text being collected across chunks: an event, a top-level key or a kept value. */
interface Capture {
  kind: "event" | "key" | "value";
  pieces: string[];
  /** Start of the captured text in the current chunk. */
  from: number;
  /** The nesting depth outside the captured value: it ends when the depth returns to this. */
  depth: number;
  line: number;
}

export async function scanTraceEvents(
  chunks: AsyncIterable<string>, onEvent: (event: unknown, place: EventPlace) => void, keep: readonly string[] = [],
): Promise<TraceEventSource> {
  let layout: "object" | "array" | undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  /** The depth at which event objects are elements, once inside the events array. */
  let eventsDepth = -1;
  let expectKey = false;
  let awaitingValue = false;
  let lastKey = "";
  let capture: Capture | undefined;
  let events = 0;
  let first = true;
  const kept: Record<string, unknown> = {};

  const finish = (text: string, c: Capture) => {
    if (c.kind === "key") {
      lastKey = JSON.parse(text) as string;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const what = c.kind === "event" ? `event ${events} (line ${c.line})` : `"${lastKey}" (line ${c.line})`;
      throw new TraceSyntaxError(`${what} is not valid JSON (${(error as Error).message})`);
    }
    if (c.kind === "value") kept[lastKey] = value;
    else onEvent(value, { index: events++, line: c.line });
  };

  for await (let chunk of chunks) {
    if (first && chunk.length > 0) {
      if (chunk.startsWith(BYTE_ORDER_MARK)) chunk = chunk.slice(1);
      first = false;
    }
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (capture && capture.kind !== "event" && depth === capture.depth) {
            finish(capture.pieces.join("") + chunk.slice(capture.from, i + 1), capture);
            capture = undefined;
          }
        }
        continue;
      }
      if (c === NEWLINE) {
        line += 1;
        continue;
      }
      if (isSpace(c)) continue;
      if (layout === undefined) {
        if (c === OPEN_BRACE) layout = "object";
        else if (c === OPEN_BRACKET) {
          layout = "array";
          eventsDepth = 1;
        } else throw new TraceSyntaxError(`it starts with "${chunk[i]}", not with "{" or "[" (not JSON)`);
        depth = 1;
        expectKey = layout === "object";
        continue;
      }
      if (depth === 0) throw new TraceSyntaxError(`it has text after its end (line ${line})`);
      const atTop = layout === "object" && depth === 1;
      if (depth === eventsDepth && !capture && c !== COMMA && c !== CLOSE_BRACKET) {
        if (c !== OPEN_BRACE) throw new TraceSyntaxError(`event ${events} (line ${line}) is not an object`);
        capture = { kind: "event", pieces: [], from: i, depth, line };
      } else if (atTop && awaitingValue && !capture) {
        awaitingValue = false;
        if (lastKey === "traceEvents" && c === OPEN_BRACKET) eventsDepth = 2;
        else if (keep.includes(lastKey) && (c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE)) capture = { kind: "value", pieces: [], from: i, depth, line };
      } else if (atTop && expectKey && c === QUOTE) {
        capture = { kind: "key", pieces: [], from: i, depth, line };
        expectKey = false;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth -= 1;
        if (capture && depth === capture.depth) {
          finish(capture.pieces.join("") + chunk.slice(capture.from, i + 1), capture);
          capture = undefined;
        }
        if (depth === eventsDepth - 1) eventsDepth = -1;
      } else if (atTop && c === COMMA) expectKey = true;
      else if (atTop && c === COLON) awaitingValue = true;
    }
    if (capture) {
      capture.pieces.push(chunk.slice(capture.from));
      capture.from = 0;
    }
  }
  if (layout === undefined) throw new TraceSyntaxError("it is empty");
  if (depth !== 0 || inString) throw new TraceSyntaxError(`it ends before its JSON is complete (line ${line}; a truncated file?)`);
  return { layout, events, kept };
}
