// Writing to the terminal like a Unix tool: text loses the control sequences user strings may
// carry, and a reader that goes away (`| head`, `| true`) ends the command quietly, with the exit
// status it already had, instead of an EPIPE stack trace.
import { stripControlCharacters } from "./control-characters.js";

let installed = false;

/** Ends the process quietly when stdout's or stderr's reader has closed the pipe. */
export function endQuietlyWhenReaderLeaves(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit();
      throw error;
    });
  }
}

const line = (text: string) => stripControlCharacters(text.endsWith("\n") ? text : `${text}\n`);

/** A command's result on stdout. */
export function printResult(text: string): void {
  process.stdout.write(line(text));
}

/** A note (`wrote FILE`), a warning or an error on stderr. */
export function printNote(text: string): void {
  process.stderr.write(line(text));
}
