/** Writing a lease onto a floating IP: after the allocation it belongs to, and again when the owner extends it. */
import type { UseCaseContext } from './context.js';
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

/** Tags the new IP with its lease, counted from now. Never throws: the IP exists either way. */
export async function writeLease(
  ctx: UseCaseContext,
  fip: { id: string; portId: string | null },
  lease: LeaseRequest,
): Promise<LeaseWritten> {
  const expiresAt = Math.floor((ctx.now() + lease.ms) / 1000) * 1000;
  try {
    // A new IP has no tags of its own: one replace writes the three at once.
    await ctx.neutron.replaceFloatingIpTags(fip.id, leaseTags({ expiresAt, owner: lease.owner, portId: fip.portId }));
    return { expiresAt, ms: lease.ms, written: true };
  } catch {
    return { expiresAt, ms: lease.ms, written: false };
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
