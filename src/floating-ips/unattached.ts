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

/**
 * Oldest first: by when each became unattached, those without a readable
 * time last (nothing says how old), then by address. Each time and address
 * is read once, not at every comparison (10,000 IPs allocated in the same
 * second would otherwise parse two addresses per comparison).
 */
export function sortOldestFirst<T extends Pick<Leak, 'since' | 'address'>>(items: readonly T[]): T[] {
  const keyed = items.map((item) => ({ item, at: timeKey(item.since), address: addressKey(item.address) }));
  keyed.sort((a, b) => {
    if (a.at !== b.at) return a.at < b.at ? -1 : 1;
    if (a.address !== undefined && b.address !== undefined) return a.address - b.address;
    return compareAddresses(a.item.address, b.item.address);
  });
  return keyed.map(({ item }) => item);
}

/** Epoch ms; without a readable time, after every other (nothing says how old). */
function timeKey(since: string | undefined): number {
  const at = since === undefined ? NaN : Date.parse(since);
  return Number.isNaN(at) ? Infinity : at;
}

/** An IPv4 address as one number, for sorting; undefined for anything else. */
function addressKey(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? numbers.reduce((sum, n) => sum * 256 + n, 0) : undefined;
}
