/**
 * The lease keeper: ends what `--for` started. Each interval (and exactly
 * at the next reminder or expiry it knows of) it lists the project's
 * floating IPs with their tags (Neutron cannot filter tags by prefix) and,
 * for each lease:
 *  - from 15 minutes before the end: a direct message to the owner with
 *    Extend and Release now, once (a claim per IP and lease, then the
 *    `fipbot-reminded` tag, so a restart does not send it again);
 *  - at the end: the IP released, guarded by the revision read then
 *    (If-Match), if it is still attached where the lease left it; otherwise
 *    it is left alone, its lease tags removed, and the owner told.
 * Exactly once across replicas: a claim per IP and lease in the shared store.
 * Everything else is on the tags, so a new replica or a restart picks it up.
 */
import { type Lease, LEASE_LIMITS, leaseOf, otherTags, REMINDED_TAG, unchangedSinceLease } from '../floating-ips/lease.js';
import { LEAK_FIELDS } from '../floating-ips/unattached.js';
import { hasErrorType, OpenStackApiError } from '../openstack/errors.js';
import type { FloatingIp } from '../openstack/schemas/neutron.js';
import type { Audit } from '../slack/audit.js';
import { leaseLeftAloneMessage, leaseReleasedMessage, leaseReminderMessage } from '../slack/blocks/lease.js';
import type { Message } from '../slack/blocks/messages.js';
import { slackError } from '../slack/deliver.js';
import { PeriodicJob, type JobDeps } from './job.js';
import type { OwnChanges } from './own-changes.js';

export const LEASE_FIELDS = [...LEAK_FIELDS, 'tags', 'revision_number'] as const;

export interface LeaseKeeperSettings {
  /** How often it looks at the leases when none is due sooner. */
  intervalMs: number;
  /** How long a claim on a reminder or an expiry lasts: past any retry of a slow cloud. */
  claimMs: number;
}

export class LeaseKeeper extends PeriodicJob {
  protected readonly name = 'lease keeper';

  constructor(
    deps: JobDeps,
    private readonly settings: LeaseKeeperSettings,
    private readonly extras: { audit: Audit; ownChanges?: OwnChanges },
  ) {
    super(deps);
  }

  /** An interval after start: a lease due meanwhile is found then (everything is on the tags). */
  protected firstWake(now: number): number {
    return now + this.settings.intervalMs;
  }

  protected afterError(now: number): number {
    return now + this.settings.intervalMs;
  }

  protected async wake(now: number): Promise<number> {
    const service = this.deps.service;
    const scope = await service.context.inventory.scope();
    let floatingIps: FloatingIp[];
    try {
      floatingIps = await service.context.neutron.listFloatingIps({ projectId: scope.projectId, fields: LEASE_FIELDS });
    } catch (error) {
      this.log().warn('could not list the floating IPs; leases are looked at again next interval', { error });
      this.deps.metrics?.jobs.inc({ job: 'lease', outcome: 'cloud_failed' });
      return now + this.settings.intervalMs;
    }
    let next = now + this.settings.intervalMs;
    for (const fip of floatingIps) {
      const lease = leaseOf(fip.tags);
      if (!lease) continue;
      const remindAt = lease.expiresAt - LEASE_LIMITS.remindBeforeMs;
      if (now >= lease.expiresAt) await this.end(fip, lease);
      else if (now >= remindAt && !lease.reminded) await this.remind(fip, lease, now);
      // Woken exactly when the next reminder or end is due, not an interval later.
      for (const at of [remindAt, lease.expiresAt]) if (at > now) next = Math.min(next, at);
    }
    return next;
  }

  private async remind(fip: FloatingIp, lease: Lease, now: number): Promise<void> {
    if (!(await this.deps.store.claim(`lease-remind:${fip.id}:${lease.tag}`, this.settings.claimMs))) return;
    if (lease.owner) await this.tell(lease.owner, leaseReminderMessage(fip.address, fip.id, lease, now), 'reminded');
    // On the IP too, so neither a restart without Redis nor a new replica sends it again.
    await this.deps.service.context.neutron
      .addFloatingIpTag(fip.id, REMINDED_TAG)
      .catch((error: unknown) => this.log().warn('could not tag a lease as reminded', { error, ip: fip.address }));
  }

  private async end(fip: FloatingIp, lease: Lease): Promise<void> {
    const key = `lease-end:${fip.id}:${lease.tag}`;
    if (!(await this.deps.store.claim(key, this.settings.claimMs))) return;
    const neutron = this.deps.service.context.neutron;
    if (!unchangedSinceLease(fip, lease)) return this.leaveAlone(fip, lease);
    await this.extras.ownChanges?.mark([fip.address]).catch(() => undefined);
    try {
      const deleted = await neutron.deleteFloatingIp(fip.id, fip.revision !== undefined ? { ifRevision: fip.revision } : {});
      await this.audit(fip, lease, 'done', deleted.requestId);
      this.deps.metrics?.jobs.inc({ job: 'lease', outcome: 'released' });
      if (lease.owner) await this.tell(lease.owner, leaseReleasedMessage(fip.address), 'released');
    } catch (error) {
      // Released meanwhile (by hand, or another fipbot): nothing left to do.
      if (hasErrorType(error, 'FloatingIPNotFound')) return;
      // Changed between the listing and the delete: as good as changed since the lease.
      if (error instanceof OpenStackApiError && error.status === 412) return this.leaveAlone(fip, lease);
      // The cloud failed: the claim goes, so the next wake tries again.
      await this.deps.store.release(key);
      await this.audit(fip, lease, 'failed', error instanceof OpenStackApiError ? error.requestId : undefined);
      this.log().warn('could not release a floating IP whose lease ended; trying again next wake', { error, ip: fip.address });
      this.deps.metrics?.jobs.inc({ job: 'lease', outcome: 'cloud_failed' });
    }
  }

  /** The lease tags go (the lease is over either way), the IP stays, the owner hears why. */
  private async leaveAlone(fip: FloatingIp, lease: Lease): Promise<void> {
    this.deps.metrics?.jobs.inc({ job: 'lease', outcome: 'left_alone' });
    await this.deps.service.context.neutron
      .replaceFloatingIpTags(fip.id, otherTags(fip.tags))
      .catch((error: unknown) => this.log().warn('could not remove the tags of an ended lease', { error, ip: fip.address }));
    if (lease.owner) await this.tell(lease.owner, leaseLeftAloneMessage(fip.address), 'left alone');
  }

  private async audit(fip: FloatingIp, lease: Lease, outcome: 'done' | 'failed', requestId: string | undefined): Promise<void> {
    await this.extras.audit.record({
      team: '',
      user: lease.owner ?? 'fipbot',
      action: 'release',
      ip: fip.address,
      outcome,
      ...(requestId ? { requestId } : {}),
      via: 'lease',
    });
  }

  /** A direct message: chat.postMessage to the user id opens the conversation with the bot. */
  private async tell(userId: string, message: Message, what: string): Promise<void> {
    try {
      await this.deps.client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks as never });
    } catch (error) {
      this.log().error(`could not tell the owner of a lease it was ${what}`, { slackError: slackError(error), user: userId });
    }
  }

  private log() {
    return this.deps.logger.child({ job: 'lease' });
  }
}
