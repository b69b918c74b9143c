// Text from users (model names, kernel ids, file names, messages quoting them) can carry terminal
// control sequences that retitle the window, clear the screen or hide what follows. Before such
// text reaches a terminal, every escape sequence goes whole and every other control character
// goes, except newline and tab.

/**
 * CSI (ESC [ or the 8-bit CSI, parameters, intermediates, one final byte); the string commands
 * OSC, DCS, SOS, PM and APC up to their terminator (BEL, ESC \ or ST); any other ESC sequence
 * (intermediates, then one final byte). The string bodies exclude ESC, so matching stays linear.
 */
const ESCAPE_SEQUENCE = new RegExp(
  [
    "[\\u001b][\\[][0-?]*[ -/]*[@-~]",
    "[\\u009b][0-?]*[ -/]*[@-~]",
    "(?:[\\u001b][\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)",
    "[\\u001b][ -/]*[0-~]",
  ].join("|"),
  "g",
);

/** C0 except tab (U+0009) and newline (U+000A), DEL, and C1. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const HAS_CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The text without escape sequences and control characters, newlines and tabs kept. */
export function stripControlCharacters(text: string): string {
  if (!HAS_CONTROL_CHARACTER.test(text)) return text; // the common case, and long outputs
  return text.replace(ESCAPE_SEQUENCE, "").replace(CONTROL_CHARACTER, "");
}
