/**
 * Whether the cloud serves fipbot: every OpenStack exchange (the bot's own
 * traffic, and the readiness probe's) says "answered" or "failed". The bot
 * is not ready once the cloud has failed without a single answer for longer
 * than the grace (FIPBOT_NOT_READY_AFTER_MS), so that one blip does not pull
 * it out of a load balancer; the first answer makes it ready again.
 */

export interface CloudHealthReport {
  ok: boolean;
  detail: string;
}

export class CloudHealth {
  /** When the failures began (none since the last answer: undefined), and the latest one's reason. */
  private failingSince: number | undefined;
  private lastFailure = '';
  /** The start-up check got no answer: not ready, grace or not, until the cloud answers once. */
  private unansweredSinceStart = false;

  constructor(private readonly options: { graceMs: number; now: () => number }) {}

  /** Any answer from the cloud counts, refusals included: it is up and talking. */
  answered(): void {
    this.failingSince = undefined;
    this.unansweredSinceStart = false;
  }

  /** An outage: unreachable, timed out, or 5xx (after the transport's retries). */
  failed(reason: string): void {
    this.failingSince ??= this.options.now();
    this.lastFailure = reason;
  }

  /**
   * fipbot started while the cloud did not answer: the grace is for a blip of a cloud that worked, and this
   * one never has yet. Ready from its first answer on. `reason` serves when no exchange has said why.
   */
  failedAtStart(reason: string): void {
    this.failingSince ??= this.options.now();
    this.lastFailure ||= reason;
    this.unansweredSinceStart = true;
  }

  report(): CloudHealthReport {
    if (this.failingSince === undefined) return { ok: true, detail: 'answering' };
    if (this.unansweredSinceStart) return { ok: false, detail: `no answer since fipbot started: ${this.lastFailure}` };
    const seconds = Math.round((this.options.now() - this.failingSince) / 1000);
    const failing = `failing for ${seconds} s: ${this.lastFailure}`;
    return this.options.now() - this.failingSince >= this.options.graceMs ? { ok: false, detail: failing } : { ok: true, detail: failing };
  }
}

/** Statuses that mean the service is down or overloaded, not that it refused this request. */
export function isOutageStatus(status: number | undefined): boolean {
  return status === undefined || status === 0 || status >= 500;
}
