import { formatDuration } from "./timeline.ts";

/** Minimum time between two progress lines, so that a fast batch does not flood the terminal. */
const MIN_INTERVAL_MS = 250;

/** Counts of a batch shown in the progress line. */
export interface Progress {
  /** Sets the number of tasks, when it is known. */
  setTotal(total: number): void;
  /** Records one settled task and shows the line if the last one is old enough. */
  record(fulfilled: boolean): void;
  /** Shows the final line. */
  finish(): void;
}

/**
 * Creates a progress line that `show` writes over the previous one: settled tasks of the total
 * when it is known, succeeded and failed tasks, the rate in tasks a second, and the estimated time
 * left (ETA) at that rate.
 *
 * @param show writes the line; `final` is true for the last one.
 * @param now clock in milliseconds; tests pass a controlled one.
 */
export function createProgress(
  show: (line: string, final: boolean) => void,
  now: () => number = Date.now,
): Progress {
  const startedAt = now();
  let shownAt = -Infinity;
  let total: number | undefined;
  let done = 0;
  let failed = 0;

  function format(): string {
    const settled = done + failed;
    const elapsedMs = now() - startedAt;
    const perSecond = elapsedMs > 0 ? (settled * 1000) / elapsedMs : 0;
    const noun = (total ?? settled) === 1 ? "task" : "tasks";
    const count = total === undefined ? `${settled} ${noun}` : `${settled}/${total} ${noun}`;
    let line = `${count}: ${done} succeeded, ${failed} failed, ${perSecond.toFixed(1)}/s`;
    if (total !== undefined && perSecond > 0 && settled < total) {
      line += `, ETA ${formatDuration(((total - settled) / perSecond) * 1000)}`;
    }

    return line;
  }

  return {
    setTotal: (count) => {
      total = count;
    },
    record: (fulfilled) => {
      if (fulfilled) {
        done++;
      } else {
        failed++;
      }

      if (now() - shownAt >= MIN_INTERVAL_MS) {
        shownAt = now();
        show(format(), false);
      }
    },
    finish: () => show(format(), true),
  };
}
