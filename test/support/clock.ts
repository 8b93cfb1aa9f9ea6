/**
 * A clock for fipbot's periodic jobs that moves only when a test moves it:
 * a weekly digest or a minute's poll is reached at once. Timers due on the
 * way fire in order, each at its own time; the work they start (I/O) runs
 * in real time, and a test waits for it with the job's settled() (runUntil).
 */
import type { Clock } from '../../src/jobs/clock.js';

export class ManualClock implements Clock {
  private timers: Array<{ id: number; at: number; run: () => void }> = [];
  private nextId = 1;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimer(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.current + Math.max(0, ms), run });
    return id;
  }

  clearTimer(timer: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== timer);
  }

  /** Moves time forward by `ms`, firing each timer due on the way at its time. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(at: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.at <= at).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.run();
    }
    this.current = Math.max(this.current, at);
  }

  /**
   * Moves time to `at` and waits for the work the timers start; a job sets its
   * next timer only when its work is done, so this goes on until none is due.
   */
  async runUntil(at: number, settled: () => Promise<unknown>): Promise<void> {
    do {
      this.advanceTo(at);
      await settled();
    } while (this.timers.some((t) => t.at <= at));
  }

  /** Timers waiting (a stopped job leaves none). */
  pending(): number {
    return this.timers.length;
  }
}
