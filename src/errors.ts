// Errors caused by what the user gave us (a file, a flag, a name). The CLI prints their message
// alone, without a stack, and exits with status 2.
export class InputError extends Error {
  override name = "InputError";
}

/** Formats zod issues as `file: field.path: message` lines. */
export function describeIssues(
  where: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  const lines = issues.map((issue) => {
    const field = issue.path
      .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
      .join("");
    return `  ${field || "(top level)"}: ${issue.message}`;
  });
  return `${where}: invalid\n${lines.join("\n")}`;
}
