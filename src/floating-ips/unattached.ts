/**
 * The project's unattached floating IPs: only `port_id` null counts (status
 * DOWN also means an attachment to a stopped instance). One listing with only
 * the attributes a report shows, in large pages; oldest first.
 */
import { allocatedByTag } from './allocation-tag.js';
import type { UseCaseContext } from './context.js';
import { compareAddresses, named } from './reachability.js';
import type { Leak } from './views.js';
import type { FloatingIp } from '../openstack/schemas/neutron.js';

/** Neutron's `fields=` for the report: the schema's required attributes and what the report shows. */
export const LEAK_FIELDS = [
  'id',
  'floating_ip_address',
  'floating_network_id',
  'port_id',
  'fixed_ip_address',
  'description',
  'tags',
  'created_at',
  'updated_at',
  'revision_number',
  'project_id',
] as const;

/** Pages of the report's listing: four round trips for 10,000 IPs, not twenty (a Neutron capping pages lower still pages). */
export const LEAK_PAGE_SIZE = 2_500;

/** Every floating IP of the project (of one pool, when given; only the report's attributes), and how each reads as a leak. */
export async function readProjectIps(
  ctx: UseCaseContext,
  poolId?: string,
): Promise<{ floatingIps: FloatingIp[]; leakOf: (fip: FloatingIp) => Leak }> {
  const scope = await ctx.inventory.scope();
  const [floatingIps, pools] = await Promise.all([
    ctx.neutron.listFloatingIps({
      projectId: scope.projectId,
      ...(poolId ? { networkId: poolId } : {}),
      fields: LEAK_FIELDS,
      pageSize: LEAK_PAGE_SIZE,
    }),
    ctx.inventory.pools.get(),
  ]);
  const poolById = new Map(pools.map((pool) => [pool.id, pool]));
  const leakOf = (fip: FloatingIp): Leak => ({
    id: fip.id,
    address: fip.address,
    pool: named(poolById.get(fip.networkId), fip.networkId),
    revision: fip.revision,
    since: fip.updatedAt ?? fip.createdAt,
    description: fip.description,
    ...(allocatedByTag(fip.tags) ? { allocatedBy: allocatedByTag(fip.tags)! } : {}),
  });
  return { floatingIps, leakOf };
}

/** Oldest first; without a timestamp last (nothing says how old), then by address. */
export function oldestFirst(a: Pick<Leak, 'since' | 'address'>, b: Pick<Leak, 'since' | 'address'>): number {
  if (a.since !== b.since) {
    if (a.since === undefined) return 1;
    if (b.since === undefined) return -1;
    return Date.parse(a.since) - Date.parse(b.since) || a.since.localeCompare(b.since);
  }
  return compareAddresses(a.address, b.address);
}
