/**
 * What fipbot's periodic jobs share: a loop on an injected clock that runs
 * one wake at a time and reschedules itself, and stops cleanly (the timer
 * cleared, a wake in progress finished).
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { Metrics } from '../ops/metrics.js';
import type { FloatingIpService } from '../operations/service.js';
import type { InteractionStore } from '../slack/state/interaction-store.js';
import type { Clock } from './clock.js';

export interface JobDeps {
  service: FloatingIpService;
  /** Claims here decide which replica runs a slot (Redis with several replicas). */
  store: InteractionStore;
  client: Pick<WebClient, 'chat'>;
  logger: Logger;
  clock: Clock;
  metrics?: Metrics;
}

export abstract class PeriodicJob {
  private timer: unknown;
  private wakeAt = 0;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(protected readonly deps: JobDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleAt(this.firstWake(this.deps.clock.now()));
  }

  /** Clears the timer and waits for a wake in progress. Safe twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimer(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Resolves when the wake in progress, if any, has finished (tests move a fake clock, then wait for this). */
  settled(): Promise<void> {
    return this.running;
  }

  /** When to wake first. */
  protected abstract firstWake(now: number): number;
  /** One wake's work; returns when to wake next. A throw (the shared store down) is logged, and the job wakes at afterError. */
  protected abstract wake(now: number): Promise<number>;
  /** When to wake after a wake threw: never at once, which would spin. */
  protected abstract afterError(now: number): number;
  protected abstract readonly name: string;

  private scheduleAt(at: number): void {
    if (this.stopped) return;
    this.wakeAt = at;
    this.timer = this.deps.clock.setTimer(() => {
      this.timer = undefined;
      this.running = this.runWake();
    }, at - this.deps.clock.now());
  }

  private async runWake(): Promise<void> {
    const now = this.deps.clock.now();
    // The system clock sleeps at most an hour at a time (clock.ts): woken early, sleep on.
    if (now < this.wakeAt) return this.scheduleAt(this.wakeAt);
    let next: number;
    try {
      next = await this.wake(now);
    } catch (error) {
      this.deps.logger.error(`${this.name} failed`, { error });
      next = this.afterError(this.deps.clock.now());
    }
    this.scheduleAt(next);
  }
}
