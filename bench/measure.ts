/** Median time per call of two functions timed side by side, and their ratio. */
export interface Comparison {
  baselineMs: number;
  subjectMs: number;
  /** `subjectMs / baselineMs`. */
  ratio: number;
}

/** How many calls a comparison makes. */
export interface ComparisonPlan {
  /** Calls of each function before timing starts. */
  warmupCalls: number;
  /** Rounds, each timing `callsPerRound` calls of one function, then of the other. */
  rounds: number;
  callsPerRound: number;
}

/**
 * Times `baseline` and `subject` side by side: each round times a run of sequential calls of
 * both, and the order alternates between rounds, so that a slower phase of the machine affects
 * both. Returns the median over the rounds of the time per call.
 */
export async function compare(
  baseline: () => Promise<unknown>,
  subject: () => Promise<unknown>,
  plan: ComparisonPlan,
): Promise<Comparison> {
  for (let call = 0; call < plan.warmupCalls; call++) {
    await baseline();
    await subject();
  }

  const baselineTimes: number[] = [];
  const subjectTimes: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? [baseline, subject] : [subject, baseline];
    for (const run of order) {
      const startedAt = performance.now();
      for (let call = 0; call < plan.callsPerRound; call++) {
        await run();
      }

      const perCall = (performance.now() - startedAt) / plan.callsPerRound;
      (run === baseline ? baselineTimes : subjectTimes).push(perCall);
    }
  }

  const baselineMs = median(baselineTimes);
  const subjectMs = median(subjectTimes);

  return { baselineMs, subjectMs, ratio: subjectMs / baselineMs };
}

/** Returns the median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((first, second) => first - second);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}
