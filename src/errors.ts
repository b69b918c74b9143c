// Errors caused by what the user gave us (a file, a flag, a name). The CLI prints their message
// alone, without a stack, and exits with status 2.
export class InputError extends Error {
  override name = "InputError";
}

/** Issues listed in one error; a file wrong everywhere would otherwise print a line per element. */
const ISSUES_SHOWN = 20;

/** Formats zod issues as `file: field.path: message` lines. */
export function describeIssues(
  where: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  const lines = issues.slice(0, ISSUES_SHOWN).map((issue) => {
    const field = issue.path
      .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
      .join("");
    return `  ${field || "(top level)"}: ${issue.message}`;
  });
  if (issues.length > ISSUES_SHOWN) lines.push(`  … and ${issues.length - ISSUES_SHOWN} more`);
  return `${where}: invalid\n${lines.join("\n")}`;
}
