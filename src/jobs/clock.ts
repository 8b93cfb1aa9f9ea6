/**
 * Time for fipbot's periodic jobs, injected: production uses the system's
 * timers; tests pass a clock they move by hand, so a weekly digest or a
 * minute's poll costs no waiting.
 */
export interface Clock {
  now(): number;
  /** Calls `run` once, `ms` from now (a negative or zero delay: as soon as possible). */
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

/** Node's setTimeout holds at most 2^31-1 ms; jobs sleep at most an hour and look again (also the cure for a clock that jumped). */
export const MAX_SLEEP_MS = 60 * 60_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(run, ms) {
    const timer = setTimeout(run, Math.min(Math.max(0, ms), MAX_SLEEP_MS));
    // A job's timer never keeps the process alive: stop() is what ends it.
    timer.unref();
    return timer;
  },
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
