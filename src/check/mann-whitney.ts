// The Mann-Whitney U test (Wilcoxon rank-sum), the textbook way: exact null distribution for
// small samples without ties, normal approximation with tie and continuity corrections otherwise.
// It asks whether one set of timings is stochastically larger than another without assuming
// they are normal, which timings rarely are.

export interface MannWhitneyResult {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counting one half. */
  u: number;
  /** P(U ≥ observed) under the null: the first sample is larger (slower). */
  pGreater: number;
  /** Two-sided p-value. */
  pTwoSided: number;
  method: "exact" | "normal";
}

/** Largest n1 · n2 for which the exact distribution is enumerated. */
const EXACT_LIMIT = 400;

/** Ranks 1…N, ties averaged. */
function ranks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const result = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) result[order[k]![1]] = rank;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks: result, tieSizes };
}

/** counts[u] = number of arrangements of n1 x's among n1 + n2 values giving U = u (no ties). */
export function exactUDistribution(n1: number, n2: number): number[] {
  // f(n1, n2, u) = f(n1 − 1, n2, u − n2) + f(n1, n2 − 1, u): the largest value is an x (beating all
  // n2 y's) or a y.
  const table = new Map<string, number[]>();
  const f = (a: number, b: number): number[] => {
    const key = `${a},${b}`;
    const cached = table.get(key);
    if (cached) return cached;
    let result: number[];
    if (a === 0 || b === 0) result = [1];
    else {
      const withX = f(a - 1, b);
      const withY = f(a, b - 1);
      result = new Array<number>(a * b + 1).fill(0);
      withX.forEach((count, u) => (result[u + b]! += count));
      withY.forEach((count, u) => (result[u]! += count));
    }
    table.set(key, result);
    return result;
  };
  return f(n1, n2);
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 via erf, |error| < 1.5e-7.
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error("Mann-Whitney needs two non-empty samples");
  const { ranks: r, tieSizes } = ranks([...x, ...y]);
  const rankSumX = r.slice(0, n1).reduce((s, v) => s + v, 0);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  if (tieSizes.length === 0 && n1 * n2 <= EXACT_LIMIT) {
    const counts = exactUDistribution(n1, n2);
    const total = counts.reduce((s, c) => s + c, 0);
    const atLeast = counts.slice(Math.ceil(u)).reduce((s, c) => s + c, 0) / total;
    const atMost = counts.slice(0, Math.floor(u) + 1).reduce((s, c) => s + c, 0) / total;
    return { u, pGreater: atLeast, pTwoSided: Math.min(1, 2 * Math.min(atLeast, atMost)), method: "exact" };
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const tieTerm = tieSizes.reduce((s, t) => s + t * t * t - t, 0) / (n * (n - 1));
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm);
  if (variance === 0) return { u, pGreater: 1, pTwoSided: 1, method: "normal" };
  const sd = Math.sqrt(variance);
  const pGreater = 1 - normalCdf((u - mean - 0.5) / sd);
  const pLess = normalCdf((u - mean + 0.5) / sd);
  return { u, pGreater, pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)), method: "normal" };
}
