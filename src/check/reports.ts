// What `roofline check` writes for CI systems: a Markdown summary, JUnit XML, GitHub annotations,
// and github-action-benchmark's JSON (customSmallerIsBetter) for charting history.
import type { CheckResult } from "./evaluate.js";

const counts = (results: readonly CheckResult[]) => ({
  pass: results.filter((r) => r.status === "pass").length,
  fail: results.filter((r) => r.status === "fail").length,
  insufficient: results.filter((r) => r.status === "insufficient").length,
});

const markdownCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdownSummary(results: readonly CheckResult[], header: string): string {
  const c = counts(results);
  const icon = { pass: "✅", fail: "❌", insufficient: "⚠️" } as const;
  const verdict = c.fail > 0 || c.insufficient > 0 ? "❌ failed" : "✅ passed";
  const lines = [
    `## roofline check: ${verdict}`,
    "",
    `${header}`,
    "",
    `${c.pass} passed, ${c.fail} failed, ${c.insufficient} with insufficient data.`,
    "",
    "| | kind | expectation | subject | result |",
    "|---|---|---|---|---|",
    // Failures first: they are what a reviewer needs.
    ...[...results].sort((a, b) => Number(a.status === "pass") - Number(b.status === "pass"))
      .map((r) => `| ${icon[r.status]} | ${r.kind} | ${markdownCell(r.name)} | ${markdownCell(r.subject)} | ${markdownCell(r.message)} |`),
  ];
  return `${lines.join("\n")}\n`;
}

const xml = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[ch]!);

export function junitXml(results: readonly CheckResult[]): string {
  const kinds = ["predicted", "measured", "calibration"] as const;
  const suites = kinds.map((kind) => {
    const list = results.filter((r) => r.kind === kind);
    const c = counts(list);
    const cases = list.map((r) => {
      const body = r.status === "fail" ? `<failure message="${xml(r.message)}" type="budget">${xml(`${r.subject}: ${r.message}`)}</failure>`
        : r.status === "insufficient" ? `<failure message="${xml(`insufficient data: ${r.message}`)}" type="insufficient-data">${xml(r.message)}</failure>` : "";
      return `    <testcase classname="roofline.${kind}.${xml(r.name)}" name="${xml(r.subject)}" time="0">${body}</testcase>`;
    });
    return `  <testsuite name="${kind}" tests="${list.length}" failures="${c.fail + c.insufficient}" errors="0" skipped="0">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const c = counts(results);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="roofline check" tests="${results.length}" failures="${c.fail + c.insufficient}" errors="0">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** GitHub workflow commands: one ::error (or ::warning) line per failed expectation. */
export function githubAnnotations(results: readonly CheckResult[]): string {
  const escape = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
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
