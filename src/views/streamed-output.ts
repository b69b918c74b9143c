// Outputs written while they are computed (a sweep of millions of rows), with the guarantees of
// atomic-write.ts: a file is streamed into a hidden temporary file beside it and renamed into
// place once complete; a failure, or SIGINT, SIGTERM or SIGHUP, removes the temporary file (and
// any folder made for it) and leaves the destination as it was. Devices and pipes
// (`-o /dev/stdout`) are written directly. Each chunk is written before the next is computed, so
// the command never holds more than one chunk.
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { isSpecial, temporaryFor } from "./atomic-write.js";
import { reasonOf, type NamedFile } from "./output-paths.js";
import { holdTemporary, releaseTemporary } from "./temporary-files.js";

/** Writes one chunk; resolves once it is written, after which its bytes may be reused. */
export type ChunkSink = (bytes: Uint8Array) => Promise<void>;

/** What writes the output, a chunk at a time, into the sink it is given. */
export type Producer = (sink: ChunkSink) => Promise<void>;

/**
 * Chunks on stdout. A reader that goes away (`| head`) ends the process quietly from the
 * stream's error handler (standard-streams.ts), so a failed write is never answered.
 */
export const stdoutSink: ChunkSink = (bytes) =>
  new Promise((resolve) => {
    process.stdout.write(bytes, (error) => {
      if (!error) resolve();
    });
  });

/**
 * Writes chunks into an open file. A regular file is written on the calling thread: a chunk is a
 * megabyte, so a write a chunk costs little, and the command keeps to one core (an asynchronous
 * write copies the chunk on a thread of libuv's pool while the next one is computed). After each
 * chunk the event loop takes a turn, so that SIGINT or SIGTERM is answered within a chunk. A pipe
 * or a device may block a write for as long as its reader waits, so it is written asynchronously,
 * leaving the process free to answer a signal meanwhile.
 */
function sinkOn(fd: number): (bytes: Uint8Array) => Promise<void> {
  if (fs.fstatSync(fd).isFile()) {
    return async (bytes) => {
      for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at, bytes.length - at);
      await new Promise((resolve) => setImmediate(resolve));
    };
  }
  return async (bytes) => {
    for (let at = 0; at < bytes.length;) {
      at += await new Promise<number>((resolve, reject) =>
        fs.write(fd, bytes, at, bytes.length - at, null, (error, written) => {
          // A pipe whose reader went away (`-o /dev/stdout | head`) ends the command quietly, as stdout does.
          if (error?.code === "EPIPE") process.exit();
          return error ? reject(error) : resolve(written);
        }));
    }
  };
}

/** Streams what `produce` writes into the file `output` names, whole or not at all. */
export async function streamToFile(output: NamedFile, produce: Producer): Promise<void> {
  const cannotWrite = (error: unknown) => new InputError(`${output.flag} ${output.file}: cannot write it (${reasonOf(error)})`);
  // Errors of the file system name the output; errors of the computation pass through as they are.
  const fileStep = async <T>(step: () => Promise<T> | T): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      throw cannotWrite(error);
    }
  };
  if (isSpecial(output.file)) {
    const fd = await fileStep(() => fs.openSync(output.file, "w"));
    try {
      const write = await fileStep(() => sinkOn(fd));
      await produce((bytes) => fileStep(() => write(bytes)));
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const temporary = temporaryFor(output.file);
  let madeFolder: string | undefined;
  let handle: number | undefined;
  holdTemporary(temporary);
  try {
    madeFolder = await fileStep(() => fs.mkdirSync(path.dirname(path.resolve(output.file)), { recursive: true }));
    const fd = (handle = await fileStep(() => fs.openSync(temporary, "w")));
    const write = await fileStep(() => sinkOn(fd));
    await produce((bytes) => fileStep(() => write(bytes)));
    await fileStep(() => fs.closeSync(fd));
    handle = undefined;
    await fileStep(() => fs.renameSync(temporary, output.file));
    releaseTemporary(temporary, { remove: false });
  } catch (error) {
    if (handle !== undefined) fs.closeSync(handle);
    releaseTemporary(temporary, { remove: true });
    // A folder made for this output holds nothing else.
    if (madeFolder) fs.rmSync(madeFolder, { recursive: true, force: true });
    throw error;
  }
}
