// What `roofline check` writes for CI systems: a Markdown summary, JUnit XML, GitHub annotations,
// and github-action-benchmark's JSON (customSmallerIsBetter) for charting history.
import type { CheckResult } from "./evaluate.js";
import { stripControlCharacters } from "../views/control-characters.js";

const counts = (results: readonly CheckResult[]) => ({
  pass: results.filter((r) => r.status === "pass").length,
  fail: results.filter((r) => r.status === "fail").length,
  insufficient: results.filter((r) => r.status === "insufficient").length,
});

/**
 * Text inside a Markdown table cell or line: raw HTML becomes entities, characters with a Markdown
 * meaning (emphasis, code, links, table pipes) are backslash-escaped, and a newline, which would end
 * the table row, becomes a space.
 */
export function markdownText(text: string): string {
  return stripControlCharacters(text)
    .replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!)
    .replace(/[\\`*_[\]~|]/g, (c) => `\\${c}`)
    .replace(/\s*\n\s*/g, " ");
}

export function markdownSummary(results: readonly CheckResult[], header: string): string {
  const c = counts(results);
  const icon = { pass: "✅", fail: "❌", insufficient: "⚠️" } as const;
  const verdict = c.fail > 0 || c.insufficient > 0 ? "❌ failed" : "✅ passed";
  const lines = [
    `## roofline check: ${verdict}`,
    "",
    markdownText(header),
    "",
    `${c.pass} passed, ${c.fail} failed, ${c.insufficient} with insufficient data.`,
    "",
    "| | kind | expectation | subject | result |",
    "|---|---|---|---|---|",
    // Failures first: they are what a reviewer needs.
    ...[...results].sort((a, b) => Number(a.status === "pass") - Number(b.status === "pass"))
      .map((r) => `| ${icon[r.status]} | ${r.kind} | ${markdownText(r.name)} | ${markdownText(r.subject)} | ${markdownText(r.message)} |`),
  ];
  return `${lines.join("\n")}\n`;
}

/** Characters XML 1.0 forbids anywhere: C0 controls other than tab, newline and return, U+FFFE, U+FFFF and unpaired surrogates. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for XML attributes and content: escape sequences and forbidden characters removed, markup
 * characters escaped, and tab, newline and return written as references so that attribute values
 * keep them.
 */
export function xmlText(text: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" };
  return stripControlCharacters(text).replace(NOT_XML, "").replace(/[&<>"'\t\n\r]/g, (c) => entities[c]!);
}

export function junitXml(results: readonly CheckResult[]): string {
  const kinds = ["predicted", "measured", "calibration"] as const;
  const suites = kinds.map((kind) => {
    const list = results.filter((r) => r.kind === kind);
    const c = counts(list);
    const cases = list.map((r) => {
      const body = r.status === "fail" ? `<failure message="${xmlText(r.message)}" type="budget">${xmlText(`${r.subject}: ${r.message}`)}</failure>`
        : r.status === "insufficient" ? `<failure message="${xmlText(`insufficient data: ${r.message}`)}" type="insufficient-data">${xmlText(r.message)}</failure>` : "";
      return `    <testcase classname="roofline.${kind}.${xmlText(r.name)}" name="${xmlText(r.subject)}" time="0">${body}</testcase>`;
    });
    return `  <testsuite name="${kind}" tests="${list.length}" failures="${c.fail + c.insufficient}" errors="0" skipped="0">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const c = counts(results);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="roofline check" tests="${results.length}" failures="${c.fail + c.insufficient}" errors="0">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** GitHub workflow commands: one ::error (or ::warning) line per failed expectation. */
export function githubAnnotations(results: readonly CheckResult[]): string {
  const escape = (text: string) => stripControlCharacters(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const property = (text: string) => escape(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
  return results
    .filter((r) => r.status !== "pass")
    .map((r) => `::${r.status === "fail" ? "error" : "warning"} title=${property(`roofline check: ${r.name}`)}::${escape(`${r.subject}: ${r.message}`)}`)
    .join("\n");
}

/** github-action-benchmark's custom format: [{ name, unit, value, extra }]. */
export function benchmarkJson(results: readonly CheckResult[]): { name: string; unit: string; value: number; extra: string }[] {
  return results
    .filter((r) => r.value !== null && Number.isFinite(r.value))
    .map((r) => ({ name: `${r.kind}: ${r.subject}`, unit: r.unit || "ratio", value: r.value!, extra: `${r.status}: ${r.message}` }));
}
