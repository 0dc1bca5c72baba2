/** A source of the current time in milliseconds, such as `performance.now` or a test clock. */
export type Clock = () => number;

/**
 * Spaces request starts evenly to stay under a per-minute limit, and delays every start during a
 * pause that a 429 response requests. It does not wait itself: the caller reads
 * {@link Pacer.delayMs}, sleeps that long, and calls {@link Pacer.recordStart} when it starts.
 */
export interface Pacer {
  /** Milliseconds until the next request may start: 0 when it may start now. */
  delayMs(): number;
  /** Records that a request starts now, which moves the next allowed start one interval on. */
  recordStart(): void;
  /** Delays every start until `delayMs` from now. A shorter pause never ends a longer one. */
  pause(delayMs: number): void;
}

/**
 * Creates a {@link Pacer} for `requestsPerMinute` starts a minute, one every
 * `60000 / requestsPerMinute` ms rounded up to a whole millisecond, so that no 60-second window
 * contains more starts than the limit. `Infinity` turns the spacing off, while pauses still apply.
 */
export function createPacer(requestsPerMinute: number, now: Clock = defaultClock): Pacer {
  // Whole milliseconds keep the sum of intervals exact: 7 a minute in float steps of 8571.43 ms
  // can put the 8th start a fraction of a millisecond before the window of the 1st one ends.
  const intervalMs = requestsPerMinute === Infinity ? 0 : Math.ceil(60_000 / requestsPerMinute);
  let nextStartAt = -Infinity;
  let pausedUntil = -Infinity;

  return {
    delayMs: () => Math.max(0, nextStartAt - now(), pausedUntil - now()),
    recordStart: () => {
      nextStartAt = now() + intervalMs;
    },
    pause: (delayMs) => {
      pausedUntil = Math.max(pausedUntil, now() + delayMs);
    },
  };
}

function defaultClock(): number {
  return performance.now();
}
