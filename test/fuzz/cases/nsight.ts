// Nsight Compute CSVs (`ncu --csv --page raw`) and Nsight Systems kernel summaries (`nsys stats
// --report cuda_gpu_kern_sum`): missing headers and columns, unknown units, times, bytes and
// counts that are not positive or overflow, unterminated quotes.
import { ITEMS, type FuzzCase } from "../case.js";
import { inTurn, type Reader } from "../builders.js";
import { NCU_HEADER, ncuRows, ncuText, NSYS_HEADER, nsysRows, nsysText, TRACE_ARGS } from "../seeds.js";

const validate = (extra: string[] = []) => (f: string) => ["validate", "--measured", f, ...TRACE_ARGS, ...extra];
const READERS: readonly Reader[] = [
  { label: "validate", args: validate() },
  { label: "validate --json", args: validate(["--json"]) },
];

interface CsvOptions {
  item?: string;
  detail?: string | RegExp;
  expect?: "refused" | "answered";
  /** Flags after the reader's. */
  extra?: string[];
}

function csvCase(kind: string, file: string, label: string, content: string, i: number, options: CsvOptions = {}): FuzzCase {
  const reader = inTurn(READERS, i);
  return {
    name: `${kind}: ${label} (${reader.label})`, item: options.item ?? (kind === "ncu CSV" ? ITEMS.ncu : ITEMS.nsys),
    files: { [file]: content }, args: [...reader.args(file), ...(options.extra ?? [])], expect: options.expect ?? "refused", where: file,
    ...(options.detail !== undefined && { detail: options.detail }),
  };
}

/** The ncu seed with one cell of a launch row (1: the GEMM, 2: the norm; 0 is the units row) changed. */
function ncuCell(row: number, column: string, value: string): string {
  const rows = ncuRows();
  rows[row]![NCU_HEADER.indexOf(column)] = value;
  return ncuText(NCU_HEADER, rows);
}

const TIME = "gpu__time_duration.sum";

function ncuCases(): FuzzCase[] {
  const c = (label: string, content: string, i: number, options?: CsvOptions) => csvCase("ncu CSV", "n.csv", label, content, i, options);
  const rows = ncuRows();
  const twoHuge = [rows[0]!, ["0", "gemm_kernel", "0", "1", "1e308", "1"], ["1", "gemm_kernel", "0", "1", "1e308", "1"]];
  const lines = ncuText().trimEnd().split("\n");
  return [
    c(`${TIME} = -12.5`, ncuCell(1, TIME, "-12.5"), 0, { item: ITEMS.implausible, detail: TIME }),
    c(`${TIME} = 0`, ncuCell(1, TIME, "0"), 1, { item: ITEMS.implausible, detail: TIME }),
    c(`${TIME} = abc`, ncuCell(2, TIME, "abc"), 2, { detail: TIME }),
    c("dram__bytes.sum = -5", ncuCell(1, "dram__bytes.sum", "-5"), 4, { item: ITEMS.implausible, detail: "dram__bytes.sum" }),
    c("an FMA count of -3", ncuCell(1, "sm__sass_thread_inst_executed_op_ffma_pred_on.sum", "-3"), 5, { item: ITEMS.implausible, detail: "ffma" }),
    c("time in fortnights", ncuCell(0, TIME, "fortnight"), 6, { detail: "fortnight" }),
    c("two launches of 1e308 µs", ncuText(NCU_HEADER, twoHuge), 7, { item: ITEMS.implausible }),
    c("only the header", `${lines.slice(0, 2).join("\n")}\n`, 9, { item: ITEMS.emptyPlans }),
    c("only the units row", `${lines.slice(0, 3).join("\n")}\n`, 10, { item: ITEMS.emptyPlans }),
    c(`without ${TIME}`, ncuText(NCU_HEADER.filter((h) => h !== TIME), rows.map((r) => r.filter((_, j) => NCU_HEADER[j] !== TIME))), 11, { detail: TIME }),
    c("an empty file read with --format ncu", "", 12, { extra: ["--format", "ncu"] }),
    // The last cell opens a quote it never closes: the error must give the file's line (5), not the table's (4).
    c("an unterminated quote on line 5", [...lines.slice(0, 4), lines[4]!.slice(0, -1)].join("\n"), 13, { item: ITEMS.quotes, detail: /\b5\b/ }),
  ];
}

function nsysCell(row: number, column: string, value: string): string {
  const rows = nsysRows();
  rows[row]![NSYS_HEADER.indexOf(column)] = value;
  return nsysText(NSYS_HEADER, rows);
}

function nsysCases(): FuzzCase[] {
  const c = (label: string, content: string, i: number, options?: CsvOptions) => csvCase("nsys CSV", "s.csv", label, content, i, options);
  const lines = nsysText().trimEnd().split("\n");
  const total = "Total Time (ns)";
  const twoHuge = [["50", "1e308", "1", "1", "1", "1", "1", "0", "ampere_gemm_a"], ["50", "1e308", "1", "1", "1", "1", "1", "0", "ampere_gemm_b"]];
  return [
    c(`${total} = -412,000`, nsysCell(0, total, "-412,000"), 0, { item: ITEMS.implausible, detail: total }),
    c(`${total} = 0`, nsysCell(0, total, "0"), 1, { item: ITEMS.implausible, detail: total }),
    c("Instances = 0", nsysCell(1, "Instances", "0"), 2, { item: ITEMS.implausible, detail: "Instances" }),
    c("two GEMMs of 1e308 ns", nsysText(NSYS_HEADER, twoHuge), 5, { item: ITEMS.implausible }),
    c("time in fortnights", nsysText(NSYS_HEADER.map((h) => h.replace("(ns)", "(fortnights)")), nsysRows()), 6, { detail: "fortnights" }),
    c("without Instances", nsysText(NSYS_HEADER.filter((h) => h !== "Instances"), nsysRows().map((r) => r.filter((_, j) => NSYS_HEADER[j] !== "Instances"))), 7, { detail: "Instances" }),
    c("only the header", `${lines.slice(0, 3).join("\n")}\n`, 8, { item: ITEMS.emptyPlans }),
    c("the header variant Total Time (ns) [sum]", nsysText(NSYS_HEADER.map((h) => (h === total ? `${total} [sum]` : h)), nsysRows()), 9, { item: ITEMS.emptyPlans, expect: "answered" }),
    c("only the header variant Total Time (ns) [sum]", `${nsysText(NSYS_HEADER.map((h) => (h === total ? `${total} [sum]` : h)), []).trimEnd()}\n`, 10, { item: ITEMS.emptyPlans }),
    // The last cell opens a quote it never closes: the error must give the file's line (5), not the table's (3).
    c("an unterminated quote on line 5", [...lines.slice(0, 4), lines[4]!.slice(0, -1)].join("\n"), 11, { item: ITEMS.quotes, detail: /\b5\b/ }),
  ];
}

export function nsightCases(): FuzzCase[] {
  return [...ncuCases(), ...nsysCases()];
}
