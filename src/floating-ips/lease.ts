/**
 * A lease (`--for 2h`): the floating IP is released by itself when it ends.
 * Everything lives on the floating IP as Neutron tags, so it survives a
 * restart and needs no database:
 *   fipbot-lease:<expiry, ISO to the second, UTC>
 *   fipbot-owner:<Slack user id>        who is reminded and told
 *   fipbot-port:<port id, or none>       the attachment the lease was set on
 *   fipbot-reminded                      the reminder went out (not again, even after a restart)
 * The attachment, not the revision, tells "changed since" at expiry: Neutron's
 * L3 agent bumps the revision when it moves a new IP from DOWN to ACTIVE, so
 * the revision of an IP attached at allocation moves without anyone touching it.
 */
import type { FloatingIp } from '../openstack/schemas/neutron.js';

/** The one place for a lease's bounds and the reminder's lead. */
export const LEASE_LIMITS = Object.freeze({
  minMs: 10 * 60_000,
  maxMs: 30 * 24 * 60 * 60_000,
  /** The owner is reminded this long before the end. */
  remindBeforeMs: 15 * 60_000,
  /** Extend adds this much (or the lease's own length if shorter). */
  extendByMs: 60 * 60_000,
});

const LEASE_PREFIX = 'fipbot-lease:';
const OWNER_PREFIX = 'fipbot-owner:';
const PORT_PREFIX = 'fipbot-port:';
export const REMINDED_TAG = 'fipbot-reminded';
const NO_PORT = 'none';

export interface Lease {
  /** Epoch ms, to the second. */
  expiresAt: number;
  /** The Slack user who set it; absent when the tag was removed by hand. */
  owner: string | undefined;
  /** The port the IP was attached to when the lease was set (null: attached to nothing). */
  portId: string | null;
  /** The lease tag exactly as written: Extend changes it only if it is still this one. */
  tag: string;
  /** The owner was reminded of this lease already. */
  reminded: boolean;
}

const UNITS: Record<string, number> = { m: 60_000, h: 60 * 60_000, d: 24 * 60 * 60_000 };

/** `30m`, `2h`, `3d` (also `90min`, `1.5h` is refused: whole numbers only). */
export function parseLeaseDuration(text: string): { ok: true; ms: number } | { ok: false; problem: string } {
  const match = /^(\d{1,4})\s*(m|min|mins|minutes?|h|hours?|d|days?)$/i.exec(text.trim());
  if (!match) return { ok: false, problem: `--for takes a duration such as 30m, 2h or 3d; "${text.slice(0, 20)}" is not one.` };
  const ms = Number(match[1]) * UNITS[match[2]!.toLowerCase()[0]!]!;
  if (ms < LEASE_LIMITS.minMs || ms > LEASE_LIMITS.maxMs) {
    return { ok: false, problem: `--for must be between ${spoken(LEASE_LIMITS.minMs)} and ${spoken(LEASE_LIMITS.maxMs)}.` };
  }
  return { ok: true, ms };
}

/** The tags that set a lease ending at `expiresAt` (rounded down to the second). */
export function leaseTags(lease: { expiresAt: number; owner: string; portId: string | null }): string[] {
  return [leaseTag(lease.expiresAt), `${OWNER_PREFIX}${lease.owner}`, `${PORT_PREFIX}${lease.portId ?? NO_PORT}`];
}

export function leaseTag(expiresAt: number): string {
  return `${LEASE_PREFIX}${new Date(Math.floor(expiresAt / 1000) * 1000).toISOString().replace('.000Z', 'Z')}`;
}

/** Tags other than fipbot's lease tags, kept when a lease is written or extended. */
export function otherTags(tags: readonly string[]): string[] {
  return tags.filter((tag) => tag !== REMINDED_TAG && ![LEASE_PREFIX, OWNER_PREFIX, PORT_PREFIX].some((prefix) => tag.startsWith(prefix)));
}

/** The lease on these tags, if any (an unreadable expiry is no lease). */
export function leaseOf(tags: readonly string[]): Lease | undefined {
  const tag = tags.find((t) => t.startsWith(LEASE_PREFIX));
  if (!tag) return undefined;
  const expiresAt = Date.parse(tag.slice(LEASE_PREFIX.length));
  if (Number.isNaN(expiresAt)) return undefined;
  const owner = tags.find((t) => t.startsWith(OWNER_PREFIX))?.slice(OWNER_PREFIX.length);
  const port = tags.find((t) => t.startsWith(PORT_PREFIX))?.slice(PORT_PREFIX.length);
  return {
    expiresAt,
    owner: owner || undefined,
    portId: port === undefined || port === NO_PORT ? null : port,
    tag,
    reminded: tags.includes(REMINDED_TAG),
  };
}

/** Still as the lease left it: attached where it was (re-attached or detached by hand means no). */
export function unchangedSinceLease(fip: Pick<FloatingIp, 'portId'>, lease: Lease): boolean {
  return (fip.portId ?? null) === lease.portId;
}

/** "2 hours", "1 h 20 min" style lengths. `short` for rows. */
export function spoken(ms: number, options: { short?: boolean } = {}): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (options.short) {
    const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', mins && !days ? `${mins} min` : ''].filter(Boolean);
    return parts.length > 0 ? parts.join(' ') : 'less than a minute';
  }
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [days ? unit(days, 'day') : '', hours ? unit(hours, 'hour') : '', mins && !days ? unit(mins, 'minute') : ''];
  const words = parts.filter(Boolean);
  return words.length > 0 ? words.join(' ') : 'less than a minute';
}

/** "at 15:30 UTC, in 2 hours" (a date when not today, UTC). */
export function whenLeaseEnds(expiresAt: number, now: number): string {
  const end = new Date(expiresAt);
  const time = end.toISOString().slice(11, 16);
  const sameDay = end.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  const day = sameDay ? '' : ` on ${end.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })}`;
  return `at ${time} UTC${day}, in ${spoken(expiresAt - now)}`;
}

/** A row's note: "lease ends in 1 h 20 min" (or "lease ended" while the job has yet to act). */
export function leaseRowNote(expiresAt: number, now: number): string {
  return expiresAt <= now ? 'lease ended' : `lease ends in ${spoken(expiresAt - now, { short: true })}`;
}
