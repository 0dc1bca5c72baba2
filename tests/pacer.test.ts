import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPacer } from "../src/pacer.ts";

/** A clock that moves only when the test advances it. */
function manualClock() {
  let now = 0;

  return {
    now: () => now,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
  };
}

/**
 * Drives a pacer as the batch does for `durationMs` of clock time: it starts a request whenever
 * the pacer allows one, else advances the clock by the delay, cut to `stepMs` so that the clock
 * also stops at odd times. Returns the start times.
 */
function simulateStarts(requestsPerMinute: number, durationMs: number, stepMs: number) {
  const clock = manualClock();
  const pacer = createPacer(requestsPerMinute, clock.now);
  const starts: number[] = [];
  while (clock.now() < durationMs) {
    const delayMs = pacer.delayMs();
    if (delayMs === 0) {
      starts.push(clock.now());
      pacer.recordStart();
    } else {
      clock.advance(Math.min(delayMs, stepMs));
    }
  }

  return starts;
}

/** Counts the most starts that fall in any window of `windowMs`, which begins at a start. */
function maxStartsInWindow(starts: number[], windowMs: number): number {
  let max = 0;
  for (let first = 0; first < starts.length; first++) {
    const from = starts[first] ?? 0;
    const inWindow = starts.filter((time) => time >= from && time < from + windowMs).length;
    max = Math.max(max, inWindow);
  }

  return max;
}

describe("pacer", () => {
  for (const [requestsPerMinute, stepMs] of [
    [100, 7],
    [100, 1_000],
    [7, 13],
  ] as const) {
    test(`${requestsPerMinute} a minute fills every minute`, () => {
      const starts = simulateStarts(requestsPerMinute, 5 * 60_000, stepMs);

      assert.equal(maxStartsInWindow(starts, 60_000), requestsPerMinute);
      assert.ok(starts.length >= 5 * requestsPerMinute - 1, `${starts.length} starts in 5 min`);
    });
  }

  test("first start is immediate", () => {
    const clock = manualClock();
    const pacer = createPacer(100, clock.now);

    assert.equal(pacer.delayMs(), 0);
    pacer.recordStart();
    assert.equal(pacer.delayMs(), 600);
    clock.advance(250);
    assert.equal(pacer.delayMs(), 350);
  });

  test("Infinity turns spacing off", () => {
    const pacer = createPacer(Infinity, manualClock().now);
    for (let index = 0; index < 1_000; index++) {
      assert.equal(pacer.delayMs(), 0);
      pacer.recordStart();
    }
  });

  test("pause holds every start", () => {
    const clock = manualClock();
    const pacer = createPacer(Infinity, clock.now);
    pacer.pause(2_000);

    assert.equal(pacer.delayMs(), 2_000);
    clock.advance(1_999);
    assert.equal(pacer.delayMs(), 1);
    clock.advance(1);
    assert.equal(pacer.delayMs(), 0);
  });

  test("shorter pause keeps longer one", () => {
    const clock = manualClock();
    const pacer = createPacer(100, clock.now);
    pacer.pause(5_000);
    clock.advance(1_000);
    pacer.pause(500);

    assert.equal(pacer.delayMs(), 4_000);
  });

  test("spacing continues after a pause", () => {
    const clock = manualClock();
    const pacer = createPacer(100, clock.now);
    pacer.recordStart();
    pacer.pause(3_000);
    clock.advance(3_000);

    assert.equal(pacer.delayMs(), 0);
    pacer.recordStart();
    assert.equal(pacer.delayMs(), 600);
  });
});
