// The exact sign test on paired ratios. When A and B were timed in alternation, round by round,
// each round's ratio B/A has the machine's drift divided out; the question "is B's median ratio
// above the limit?" is then a count of rounds above it, binomial(n, 1/2) under the null.

export interface SignTestResult {
  /** Rounds whose ratio is above the limit. */
  above: number;
  rounds: number;
  /** P(at least `above` of `rounds` fair coin flips): small when B is really slower than the limit. */
  pGreater: number;
}

/** log C(n, k), by summing logs: exact enough for the few hundred rounds a harness takes. */
function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

export function signTest(ratios: readonly number[], limit: number): SignTestResult {
  const rounds = ratios.length;
  const above = ratios.filter((r) => r > limit).length;
  let pGreater = 0;
  for (let k = above; k <= rounds; k++) pGreater += Math.exp(logChoose(rounds, k) - rounds * Math.LN2);
  return { above, rounds, pGreater: Math.min(1, pGreater) };
}
