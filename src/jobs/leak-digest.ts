/**
 * The scheduled leak report (FIPBOT_REPORT_CHANNEL, _SCHEDULE, _TIMEZONE):
 * at each slot of the schedule the `/fip leaks` message, with its checkboxes
 * and Reclaim buttons, is posted in the channel. Every replica wakes; the one
 * that claims the slot (in the shared store) posts, so it is posted once. A
 * slot missed while no replica ran, or while the cloud failed, is posted up
 * to reportLateMs after its time, never later. No leaks: the report's one
 * line "nothing is leaking" is posted, so the channel knows the job ran.
 */
import type { Timing } from '../config/timing.js';
import { leakReport } from '../operations/leaks/index.js';
import { leakReportMessage } from '../slack/blocks/leaks.js';
import { slackError } from '../slack/deliver.js';
import { PeriodicJob, type JobDeps } from './job.js';
import { nextSlotAfter, type Schedule, type Slot, slotAtOrBefore } from './schedule.js';

export interface DigestSettings {
  channel: string;
  schedule: Schedule;
  timeZone: string;
}

type Attempt = 'posted' | 'taken' | 'cloud_failed' | 'slack_failed';

export class LeakDigest extends PeriodicJob {
  protected readonly name = 'leak digest';
  /** The last slot this replica is done with (posted it, saw it taken, or gave up). */
  private done: string | undefined;

  constructor(
    deps: JobDeps,
    private readonly settings: DigestSettings,
    private readonly timing: Timing['jobs'],
  ) {
    super(deps);
  }

  /** At once: a slot missed while fipbot was down may still be due. */
  protected firstWake(now: number): number {
    return now;
  }

  protected afterError(now: number): number {
    return now + this.timing.reportRetryMs;
  }

  protected async wake(now: number): Promise<number> {
    const { schedule, timeZone } = this.settings;
    const next = nextSlotAfter(schedule, timeZone, now).at;
    const due = slotAtOrBefore(schedule, timeZone, now);
    if (!due || due.key === this.done || now - due.at >= this.timing.reportLateMs) return next;
    const attempt = await this.post(due);
    this.deps.metrics?.jobs.inc({ job: 'digest', outcome: attempt });
    const retryAt = now + this.timing.reportRetryMs;
    if (attempt === 'cloud_failed' && retryAt < due.at + this.timing.reportLateMs) return Math.min(next, retryAt);
    this.done = due.key;
    return next;
  }

  private async post(slot: Slot): Promise<Attempt> {
    const { channel } = this.settings;
    const claim = `digest:${channel}:${slot.key}`;
    // Held past the late window: no replica can take the same slot again.
    if (!(await this.deps.store.claim(claim, this.timing.reportLateMs))) return 'taken';
    const log = this.deps.logger.child({ job: 'digest', channel, slot: slot.key });
    const report = await leakReport(this.deps.service);
    if (!report.ok) {
      // Given back, so this replica or another tries again while the slot is due.
      await this.deps.store.release(claim);
      log.warn('could not make the leak report; trying again later', { failure: report.failure.code });
      return 'cloud_failed';
    }
    const message = leakReportMessage(report.value.report, report.value.projectName);
    try {
      await this.deps.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never });
    } catch (error) {
      const code = slackError(error);
      log.error('could not post the leak report', {
        slackError: code,
        ...(code === 'not_in_channel' ? { hint: 'invite fipbot to FIPBOT_REPORT_CHANNEL' } : {}),
      });
      return 'slack_failed';
    }
    log.info('posted the leak report', { leaks: report.value.report.leaks.length });
    return 'posted';
  }
}
