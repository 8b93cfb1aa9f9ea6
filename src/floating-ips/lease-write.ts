/** Tags fipbot writes on a floating IP: who it was allocated for and its lease, after the allocation; the lease again when the owner extends it. */
import type { UseCaseContext } from './context.js';
import { allocationTag } from './allocation-tag.js';
import { type Lease, LEASE_LIMITS, leaseOf, leaseTags, otherTags } from './lease.js';

/** The lease asked for: how long, and who set it. */
export interface LeaseRequest {
  ms: number;
  owner: string;
}

/** Where the lease stands after the allocation: written, or not (the IP then has no lease: the result says so). */
export interface LeaseWritten {
  expiresAt: number;
  /** Its length, counted from the allocation. */
  ms: number;
  written: boolean;
}

/**
 * Tags a new IP in one request: who it was allocated for and, with `--for`,
 * its lease counted from now. Never throws: the IP exists either way, and
 * its description still names the person. A cloud without tags gets no
 * request; its lease is then reported as not written.
 */
export async function tagNewIp(
  ctx: UseCaseContext,
  fip: { id: string; portId: string | null },
  plan: { owner?: string; lease?: LeaseRequest },
): Promise<{ lease?: LeaseWritten }> {
  const lease = plan.lease;
  const expiresAt = lease ? Math.floor((ctx.now() + lease.ms) / 1000) * 1000 : 0;
  const tags = [
    ...(plan.owner ? [allocationTag(plan.owner)] : []),
    ...(lease ? leaseTags({ expiresAt, owner: lease.owner, portId: fip.portId }) : []),
  ];
  const written = tags.length > 0 && (await writeTags(ctx, fip.id, tags));
  return lease ? { lease: { expiresAt, ms: lease.ms, written } } : {};
}

async function writeTags(ctx: UseCaseContext, id: string, tags: string[]): Promise<boolean> {
  try {
    if (!(await ctx.inventory.tagsSupported.get())) return false;
    // A new IP has no tags of its own: one replace writes them all at once.
    await ctx.neutron.replaceFloatingIpTags(id, tags);
    return true;
  } catch {
    return false;
  }
}

export type Extended =
  | { ok: true; address: string; lease: Lease }
  | { ok: false; why: 'gone' | 'changed'; address?: string }
  | { ok: false; why: 'not_owner'; address: string; owner: string | undefined };

/**
 * Moves the lease's end `byMs` later if the IP still carries the lease the
 * owner was shown (`shownTag`) and `userId` is its owner. Tags cannot be
 * guarded by If-Match (Neutron answers 500), so this reads, compares and
 * replaces; two taps at once both land on the same new end.
 */
export async function extendLease(
  ctx: UseCaseContext,
  request: { floatingIpId: string; shownTag: string; userId: string; byMs: number },
): Promise<Extended> {
  const { floatingIpId, shownTag } = request;
  let fip;
  try {
    fip = await ctx.neutron.getFloatingIp(floatingIpId);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return { ok: false, why: 'gone' };
    throw error;
  }
  const lease = leaseOf(fip.tags);
  if (!lease || lease.tag !== shownTag) return { ok: false, why: 'changed', address: fip.address };
  if (lease.owner !== request.userId) return { ok: false, why: 'not_owner', address: fip.address, owner: lease.owner };
  // The reminder tag goes: the new end gets its own reminder.
  // Never further off than the longest lease one could ask for now.
  const expiresAt = Math.min(lease.expiresAt + request.byMs, Math.floor((ctx.now() + LEASE_LIMITS.maxMs) / 1000) * 1000);
  const next = { expiresAt, owner: request.userId, portId: lease.portId };
  await ctx.neutron.replaceFloatingIpTags(fip.id, [...otherTags(fip.tags), ...leaseTags(next)]);
  return { ok: true, address: fip.address, lease: leaseOf(leaseTags(next))! };
}
