// Outputs written while they are computed (a sweep of millions of rows), with the guarantees of
// atomic-write.ts: a file is streamed into a hidden temporary file beside it and renamed into
// place once complete; a failure, or SIGINT, SIGTERM or SIGHUP, removes the temporary file (and
// any folder made for it) and leaves the destination as it was. Devices and pipes
// (`-o /dev/stdout`) are written directly. Each chunk is written before the next is computed, so
// the command never holds more than one chunk, and never uses more than one core.
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

async function writeWhole(handle: fs.promises.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
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
    const handle = await fileStep(() => fs.promises.open(output.file, "w"));
    try {
      await produce((bytes) => fileStep(() => writeWhole(handle, bytes)));
    } finally {
      await handle.close();
    }
    return;
  }
  const temporary = temporaryFor(output.file);
  let madeFolder: string | undefined;
  let handle: fs.promises.FileHandle | undefined;
  holdTemporary(temporary);
  try {
    madeFolder = await fileStep(() => fs.mkdirSync(path.dirname(path.resolve(output.file)), { recursive: true }));
    const file = (handle = await fileStep(() => fs.promises.open(temporary, "w")));
    await produce((bytes) => fileStep(() => writeWhole(file, bytes)));
    await fileStep(() => file.close());
    handle = undefined;
    await fileStep(() => fs.renameSync(temporary, output.file));
    releaseTemporary(temporary, { remove: false });
  } catch (error) {
    await handle?.close().catch(() => undefined);
    releaseTemporary(temporary, { remove: true });
    // A folder made for this output holds nothing else.
    if (madeFolder) fs.rmSync(madeFolder, { recursive: true, force: true });
    throw error;
  }
}
