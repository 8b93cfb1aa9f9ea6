/**
 * The project's unattached floating IPs, oldest first: what costs money while
 * nobody uses it. Only `port_id` null counts (status DOWN also means an
 * attachment to a stopped instance). Reads only the attributes the report shows.
 */
import type { UseCaseContext } from '../../floating-ips/context.js';
import type { Outcome } from '../../floating-ips/failures.js';
import { compareAddresses, named } from '../../floating-ips/reachability.js';
import type { Leak, LeakReport } from '../../floating-ips/views.js';
import type { FloatingIp } from '../../openstack/schemas/neutron.js';

/** Neutron's `fields=` for the report: the schema's required attributes and what the report shows. */
export const LEAK_FIELDS = [
  'id',
  'floating_ip_address',
  'floating_network_id',
  'port_id',
  'fixed_ip_address',
  'description',
  'created_at',
  'updated_at',
  'revision_number',
  'project_id',
] as const;

/** Pages of the report's listing: four round trips for 10,000 IPs, not twenty (a Neutron capping pages lower still pages). */
export const LEAK_PAGE_SIZE = 2_500;

export function findLeaks(ctx: UseCaseContext): Promise<Outcome<LeakReport>> {
  return ctx.run({}, async () => {
    const asOf = new Date(ctx.now()).toISOString();
    const { floatingIps, leakOf } = await readProjectIps(ctx);
    return {
      leaks: floatingIps
        .filter((fip) => fip.portId === null)
        .map(leakOf)
        .sort(oldestFirst),
      asOf,
    };
  });
}

/** Every floating IP of the project (only the report's attributes), and how each reads as a leak. */
export async function readProjectIps(ctx: UseCaseContext): Promise<{ floatingIps: FloatingIp[]; leakOf: (fip: FloatingIp) => Leak }> {
  const scope = await ctx.inventory.scope();
  const [floatingIps, pools] = await Promise.all([
    ctx.neutron.listFloatingIps({ projectId: scope.projectId, fields: LEAK_FIELDS, pageSize: LEAK_PAGE_SIZE }),
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
  });
  return { floatingIps, leakOf };
}

/** Oldest first; without a timestamp last (nothing says how old), then by address. */
export function oldestFirst(a: Leak, b: Leak): number {
  if (a.since !== b.since) {
    if (a.since === undefined) return 1;
    if (b.since === undefined) return -1;
    return Date.parse(a.since) - Date.parse(b.since) || a.since.localeCompare(b.since);
  }
  return compareAddresses(a.address, b.address);
}
