/**
 * Room before an allocation: the project's floating-IP quota (used, limit),
 * the pool's free addresses where the credentials may read them (admin only
 * by Neutron's default policy), and the project's unattached IPs of that pool
 * that could be used instead. Each part is best effort: a part the cloud will
 * not tell is said so, never a reason to refuse.
 */
import { OpenStackApiError } from '../openstack/errors.js';
import type { UseCaseContext } from './context.js';
import { type Outcome, stop } from './failures.js';
import { byName } from './names.js';
import { named } from './reachability.js';
import { LEAK_FIELDS, sortOldestFirst } from './unattached.js';
import type { Headroom, Room } from './views.js';

/** Unattached IPs offered for reuse, oldest first, out of one page of this many. */
const MAX_REUSABLE = 2;
const REUSE_PAGE = 10;
/** Pools whose free addresses the Home tab shows (one request each). */
const MAX_ROOM_POOLS = 3;

export async function readHeadroom(ctx: UseCaseContext, poolId: string): Promise<Headroom> {
  const scope = await ctx.inventory.scope();
  const [quota, poolFree, reusable] = await Promise.all([
    readQuota(ctx, scope.projectId),
    readPoolFree(ctx, poolId),
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
          sortOldestFirst(
            fips
              .filter((fip) => fip.portId === null)
              .map((fip) => ({ id: fip.id, address: fip.address, since: fip.updatedAt ?? fip.createdAt })),
          ).slice(0, MAX_REUSABLE),
        () => [],
      ),
  ]);
  return { ...(quota ? { quota } : {}), poolFree, reusable, asOf: new Date(ctx.now()).toISOString() };
}

/** The App Home's line: the quota and each pool's free addresses (the first few by name), without the reuse offer. */
export function readRoom(ctx: UseCaseContext): Promise<Outcome<Room>> {
  return ctx.run({}, async () => {
    const [scope, pools] = await Promise.all([ctx.inventory.scope(), ctx.inventory.pools.get()]);
    const shown = pools.map((pool) => named(pool, pool.id)).sort(byName);
    const [quota, ...free] = await Promise.all([
      readQuota(ctx, scope.projectId),
      ...shown.slice(0, MAX_ROOM_POOLS).map((pool) => readPoolFree(ctx, pool.id)),
    ]);
    return {
      ...(quota ? { quota } : {}),
      pools: free.map((poolFree, i) => ({ pool: shown[i]!, free: poolFree })),
      morePools: Math.max(0, shown.length - MAX_ROOM_POOLS),
    };
  });
}

function readQuota(ctx: UseCaseContext, projectId: string): Promise<Headroom['quota']> {
  return ctx.neutron.getQuotaDetails(projectId).then(
    (details) => details.floatingIps,
    () => undefined,
  );
}

function readPoolFree(ctx: UseCaseContext, poolId: string): Promise<Headroom['poolFree']> {
  return ctx.neutron.getIpAvailability(poolId).then(
    (availability) =>
      availability.subnets
        .filter((subnet) => subnet.ipVersion === 4)
        .reduce((sum, subnet) => sum + Math.max(0, subnet.total - subnet.used), 0),
    // Neutron hides the resource from non-admins (404), or refuses it (403) where the policy says so.
    (error: unknown) =>
      error instanceof OpenStackApiError && (error.status === 404 || error.status === 403)
        ? ('not_visible' as const)
        : ('unknown' as const),
  );
}

/** A new floating IP the quota has no room for: refused before anything is sent (-1 is no limit). */
export function refuseOverQuota(headroom: Headroom): void {
  const quota = headroom.quota;
  if (quota && quota.limit >= 0 && quota.used >= quota.limit) stop({ code: 'quota_exceeded', used: quota.used, limit: quota.limit });
}
