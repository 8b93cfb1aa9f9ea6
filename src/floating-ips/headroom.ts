/**
 * Room before an allocation: the project's floating-IP quota (used, limit),
 * the pool's free addresses where the credentials may read them (admin only
 * by Neutron's default policy), and the project's unattached IPs of that pool
 * that could be used instead. Each part is best effort: a part the cloud will
 * not tell is said so, never a reason to refuse.
 */
import { OpenStackApiError } from '../openstack/errors.js';
import type { UseCaseContext } from './context.js';
import { stop } from './failures.js';
import { LEAK_FIELDS, oldestFirst } from './unattached.js';
import type { Headroom } from './views.js';

/** Unattached IPs offered for reuse, oldest first, out of one page of this many. */
const MAX_REUSABLE = 2;
const REUSE_PAGE = 10;

export async function readHeadroom(ctx: UseCaseContext, poolId: string): Promise<Headroom> {
  const scope = await ctx.inventory.scope();
  const [quota, poolFree, reusable] = await Promise.all([
    ctx.neutron.getQuotaDetails(scope.projectId).then(
      (details) => details.floatingIps,
      () => undefined,
    ),
    ctx.neutron.getIpAvailability(poolId).then(
      (availability) =>
        availability.subnets
          .filter((subnet) => subnet.ipVersion === 4)
          .reduce((sum, subnet) => sum + Math.max(0, subnet.total - subnet.used), 0),
      // Neutron hides the resource from non-admins (404), or refuses it (403) where the policy says so.
      (error: unknown) =>
        error instanceof OpenStackApiError && (error.status === 404 || error.status === 403)
          ? ('not_visible' as const)
          : ('unknown' as const),
    ),
    // One short page, not the project's whole list, so that a create costs the same in a project of ten IPs or
    // ten thousand: DOWN ones of the pool (DOWN includes IPs on a stopped instance, left out here), the oldest
    // of that page first (Neutron cannot sort by time).
    ctx.neutron
      .listFloatingIps({
        projectId: scope.projectId,
        networkId: poolId,
        status: 'DOWN',
        limit: REUSE_PAGE,
        fields: LEAK_FIELDS,
      })
      .then(
        (fips) =>
          fips
            .filter((fip) => fip.portId === null)
            .map((fip) => ({ id: fip.id, address: fip.address, since: fip.updatedAt ?? fip.createdAt }))
            .sort(oldestFirst)
            .slice(0, MAX_REUSABLE),
        () => [],
      ),
  ]);
  return { ...(quota ? { quota } : {}), poolFree, reusable, asOf: new Date(ctx.now()).toISOString() };
}

/** A new floating IP the quota has no room for: refused before anything is sent (-1 is no limit). */
export function refuseOverQuota(headroom: Headroom): void {
  const quota = headroom.quota;
  if (quota && quota.limit >= 0 && quota.used >= quota.limit) stop({ code: 'quota_exceeded', used: quota.used, limit: quota.limit });
}
