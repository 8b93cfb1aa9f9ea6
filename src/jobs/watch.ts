/**
 * The watch (FIPBOT_WATCH_CHANNEL, FIPBOT_WATCH_INTERVAL_MS): each interval
 * one replica lists the project's floating IPs (only the attributes it
 * compares, in large pages, as the leak report does), compares them with its
 * previous poll, and posts what was allocated, attached, detached or released
 * outside fipbot, grouped in one message.
 *
 * One poller across replicas: a claim per interval slot. The replica that
 * polled the last slot claims the next at its start; the others try half an
 * interval later, so the poller stays put and another takes over only when
 * it stops. A poller compares only with a poll of the slot just before; any
 * other first poll (at start, after taking over) is a baseline and posts
 * nothing. fipbot's own changes are left out: new IPs carrying fipbot's
 * description stamp, and addresses fipbot marked (own-changes.ts).
 */
import { allocatedBy } from '../slack/allocation-stamp.js';
import { watchMessage } from '../slack/blocks/watch.js';
import { slackError } from '../slack/deliver.js';
import { readProjectIps } from '../floating-ips/unattached.js';
import { PeriodicJob, type JobDeps } from './job.js';
import type { OwnChanges } from './own-changes.js';
import { type Change, changesBetween, type Seen, seen } from './watch-diff.js';

export interface WatchSettings {
  channel: string;
  intervalMs: number;
}

export class ChangeWatch extends PeriodicJob {
  protected readonly name = 'watch';
  private previous: Map<string, Seen> | undefined;
  /** The last interval slot this replica held (polled, or tried to). */
  private heldSlot = Number.NEGATIVE_INFINITY;

  constructor(
    deps: JobDeps,
    private readonly settings: WatchSettings,
    private readonly ownChanges: OwnChanges,
  ) {
    super(deps);
  }

  protected firstWake(now: number): number {
    return this.nextWake(now);
  }

  protected afterError(now: number): number {
    return this.nextWake(now);
  }

  protected async wake(now: number): Promise<number> {
    const slot = Math.floor(now / this.settings.intervalMs);
    if (slot > this.heldSlot && (await this.deps.store.claim(`watch:${this.settings.channel}:${slot}`, 2 * this.settings.intervalMs))) {
      const compareWith = this.heldSlot === slot - 1 ? this.previous : undefined;
      this.heldSlot = slot;
      await this.poll(compareWith);
    }
    // From the time it woke: a poll that ran past the slot's end is still this slot's, and the poller stays the poller.
    return this.nextWake(now);
  }

  /** The poller: the next slot's start. The others: half an interval into a slot, once the poller had its turn. */
  private nextWake(now: number): number {
    const interval = this.settings.intervalMs;
    const slot = Math.floor(now / interval);
    if (this.heldSlot >= slot) return (slot + 1) * interval;
    const midway = slot * interval + interval / 2;
    return midway > now ? midway : midway + interval;
  }

  private async poll(compareWith: Map<string, Seen> | undefined): Promise<void> {
    const log = this.deps.logger.child({ job: 'watch', channel: this.settings.channel });
    const service = this.deps.service;
    const read = await service.context.run({}, async () => {
      const { floatingIps, leakOf } = await readProjectIps(service.context);
      return new Map(floatingIps.map((fip) => [fip.id, seen(fip, leakOf(fip).pool.name)]));
    });
    if (!read.ok) {
      // The last good poll stays the comparison: what changed meanwhile is reported at the next one that works.
      this.previous = compareWith;
      log.warn('could not list the floating IPs; the watch tries again next interval', { failure: read.failure.code });
      this.deps.metrics?.jobs.inc({ job: 'watch', outcome: 'cloud_failed' });
      return;
    }
    this.previous = read.value;
    if (!compareWith) {
      log.debug('watch baseline taken', { floatingIps: read.value.size });
      this.deps.metrics?.jobs.inc({ job: 'watch', outcome: 'baseline' });
      return;
    }
    const outside = await this.madeElsewhere(changesBetween(compareWith, read.value));
    if (outside.length === 0) return void this.deps.metrics?.jobs.inc({ job: 'watch', outcome: 'quiet' });
    const message = watchMessage(outside);
    try {
      await this.deps.client.chat.postMessage({ channel: this.settings.channel, text: message.text, blocks: message.blocks as never });
      log.info('posted changes made outside fipbot', { changes: outside.length });
      this.deps.metrics?.jobs.inc({ job: 'watch', outcome: 'posted' });
    } catch (error) {
      const code = slackError(error);
      log.error('could not post the changes made outside fipbot', {
        slackError: code,
        ...(code === 'not_in_channel' ? { hint: 'invite fipbot to FIPBOT_WATCH_CHANNEL' } : {}),
      });
      this.deps.metrics?.jobs.inc({ job: 'watch', outcome: 'slack_failed' });
    }
  }

  /** Leaves out fipbot's own: a new IP with its description stamp, or an address it marked while changing it. */
  private async madeElsewhere(changes: Change[]): Promise<Change[]> {
    const own = await Promise.all(
      changes.map(
        async (change) =>
          (change.kind === 'allocated' && allocatedBy(change.ip.description) !== undefined) ||
          // A store that cannot answer: reported rather than hidden.
          (await this.ownChanges.isMarked(change.ip.address).catch(() => false)),
      ),
    );
    return changes.filter((_, i) => !own[i]);
  }
}
