// The hidden temporary files an output is written to before it is renamed into place. While any
// exists, SIGINT, SIGTERM and SIGHUP remove them before the process ends by that signal, and so
// does an exit on any other path. The handlers are installed only while a write is under way: a
// handler defers the signal to the event loop, which a long computation would keep busy.
import fs from "node:fs";

const pending = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function removePending(): void {
  for (const file of pending) fs.rmSync(file, { force: true });
  pending.clear();
}

/** Removes the temporary files, then ends the process by the same signal (status 128 + n). */
function onSignal(signal: NodeJS.Signals): void {
  removePending();
  stopWatching();
  process.kill(process.pid, signal);
}

function startWatching(): void {
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on("exit", removePending);
}

function stopWatching(): void {
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  process.removeListener("exit", removePending);
}

/** Registers a temporary file before it is created. */
export function holdTemporary(file: string): void {
  if (pending.size === 0) startWatching();
  pending.add(file);
}

/** Forgets a temporary file that was renamed into place, or removes one that will not be. */
export function releaseTemporary(file: string, { remove }: { remove: boolean }): void {
  if (remove) fs.rmSync(file, { force: true });
  pending.delete(file);
  if (pending.size === 0) stopWatching();
}
