// "Did you mean …": the known names closest to a mistyped one, for errors about unknown models,
// chips, commands and fields.

/** Levenshtein distance: the fewest insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Case, dashes, dots, underscores and spaces do not tell names apart: "griffin7b" is "griffin-7b". */
const squash = (name: string) => name.toLowerCase().replace(/[-_.\s]+/g, "");

/**
 * Up to `count` known names close to `typed`: the one it spells with other punctuation alone when
 * there is one; else those that contain it first ("h100" → h100-sxm, h100-pcie), then those within
 * a third of its length in edits, nearest first.
 */
export function closestNames(typed: string, known: readonly string[], count = 3): string[] {
  const input = squash(typed);
  if (input === "") return [];
  const same = known.filter((name) => squash(name) === input);
  if (same.length > 0) return same.slice(0, count);
  const allowed = Math.max(1, Math.floor(input.length / 3));
  return known
    .map((name) => ({ name, contains: squash(name).includes(input), distance: editDistance(input, squash(name)) }))
    .filter((c) => c.contains || c.distance <= allowed)
    .sort((a, b) => Number(b.contains) - Number(a.contains) || a.distance - b.distance)
    .slice(0, count)
    .map((c) => c.name);
}

/** " (did you mean a, b or c?)", or "" when nothing is close. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const names = closestNames(typed, known);
  if (names.length === 0) return "";
  const listed = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)!}`;
  return `; did you mean ${listed}?`;
}
