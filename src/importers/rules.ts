// Mapping kernel names to the cost model's ops: a small rules file of regular expressions, tried
// in order. A rule names an op (e.g. "down-projection", optionally in one block) or a whole
// kernel class ("linear" covers every matmul). The defaults recognise the harness's own kernels
// and the usual library names; a user's rules come first. Patterns are RE2 (src/patterns.ts).
import { z } from "zod";
import { readValidatedJson } from "../json-file.js";
import { compileUserPattern, type UserPattern } from "../patterns.js";

export const Rule = z.object({
  pattern: z.string().min(1),
  flags: z.string().regex(/^[imsu]*$/).optional(),
  /** An op name of the cost model (`roofline --json` ops[].name). */
  op: z.string().optional(),
  block: z.enum(["recurrent", "local-attention", "global-attention", "mamba", "mamba2", "mlp", "other"]).optional(),
  /** A kernel class (`ops[].kernel`), e.g. linear, attention, scan, rmsnorm. */
  kernel: z.string().optional(),
}).strict().refine((r) => r.op !== undefined || r.kernel !== undefined, "a rule needs an op or a kernel");

export const RulesFile = z.object({ rules: z.array(Rule).min(1) }).strict();
export type Rule = z.infer<typeof Rule>;

/** PyTorch operators that move no data of their own: views, allocations and wrappers. */
const CPU_DISPATCH_OPERATORS = [
  "linear", "matmul", "t", "transpose", "permute", "view", "reshape", "_reshape_alias", "_unsafe_view", "as_strided", "expand",
  "unsqueeze", "squeeze", "slice", "select", "narrow", "detach", "alias", "resolve_conj", "resolve_neg", "empty", "empty_like",
  "empty_strided", "contiguous", "flatten", "unflatten", "split", "chunk", "lift_fresh",
];

/** A rule with its pattern compiled once. */
export type CompiledRule = Rule & { matcher: UserPattern };

const compile = (rule: Rule, where: string): CompiledRule => ({ ...rule, matcher: compileUserPattern(rule.pattern, where, rule.flags) });

export const DEFAULT_RULES: readonly CompiledRule[] = ([
  // CPU traces (no GPU): operators that only view, allocate or call the operator doing the work
  // (aten::linear calls aten::addmm). Their own time is dispatch, which GPU traces do not count either.
  { pattern: `^aten::(${CPU_DISPATCH_OPERATORS.join("|")})$`, kernel: "ignore" },
  { pattern: "linear_scan_kernel|linear_scan|rg_?lru_scan", flags: "i", kernel: "scan" },
  { pattern: "flash|fmha|attention|sdpa|softmax_warp", flags: "i", kernel: "attention" },
  { pattern: "gemm|cutlass|cublas|matmul|xmma|sm\\d+_xmma|addmm|dot_general|convolution|^aten::b?mm$|baddbmm", flags: "i", kernel: "linear" },
  { pattern: "rms_?norm|layer_?norm|norm_kernel", flags: "i", kernel: "rmsnorm" },
  { pattern: "conv1d|depthwise|conv_depthwise", flags: "i", kernel: "conv1d" },
  { pattern: "rotary|rope", flags: "i", kernel: "rope" },
  { pattern: "embedding|index_select|indexSelect|gather", flags: "i", kernel: "embedding" },
  { pattern: "cross_entropy|nll_loss|log_softmax", flags: "i", kernel: "cross-entropy" },
  { pattern: "adam|multi_tensor_apply", flags: "i", kernel: "adam" },
  { pattern: "gelu", flags: "i", kernel: "gelu-and-product" },
  { pattern: "silu", flags: "i", kernel: "silu-and-product" },
] satisfies Rule[]).map((rule, i) => compile(rule, `default rule ${i}:`));

export function readRules(file: string | undefined): readonly CompiledRule[] {
  if (file === undefined) return DEFAULT_RULES;
  const { rules } = readValidatedJson(file, RulesFile, "rules");
  return [...rules.map((rule, i) => compile(rule, `${file}: rules[${i}].pattern:`)), ...DEFAULT_RULES];
}

/** A rule's target as a group label: "op down-projection (mlp)" or "kernel linear". */
export const targetOf = (rule: Rule) => (rule.op !== undefined ? `op ${rule.op}${rule.block ? ` (${rule.block})` : ""}` : `kernel ${rule.kernel}`);

export function matchRule(name: string, rules: readonly CompiledRule[]): CompiledRule | undefined {
  return rules.find((rule) => rule.matcher.test(name));
}
