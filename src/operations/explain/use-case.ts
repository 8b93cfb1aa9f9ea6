/** Why an instance can or cannot take a floating IP, pool by pool, and the floating IPs it has now. */
import type { UseCaseContext } from '../../floating-ips/context.js';
import { byName } from '../../floating-ips/names.js';
import type { Outcome } from '../../floating-ips/failures.js';
import { named, targetsFor } from '../../floating-ips/reachability.js';
import type { Diagnosis } from '../../floating-ips/views.js';

export function diagnose(ctx: UseCaseContext, instanceQuery: string): Promise<Outcome<Diagnosis>> {
  return ctx.run({}, async () => {
    const [server, topology, pools] = await Promise.all([
      ctx.inventory.findInstance(instanceQuery),
      ctx.inventory.topology(),
      ctx.inventory.pools.get(),
    ]);
    const { ports, topology: known } = await ctx.portsWithTopology(server, topology);
    const attached = ports.length ? await ctx.neutron.listFloatingIps({ portId: ports.map((port) => port.id) }) : [];
    const attachments = await ctx.inventory.attachmentsOf(attached);
    return {
      instance: named(server, server.id),
      pools: pools
        .map((pool) => {
          const targets = targetsFor(ports, known, pool.id);
          return { pool: named(pool, pool.id), reachable: targets.some((target) => target.verdict.kind === 'reachable'), targets };
        })
        .sort((a, b) => Number(b.reachable) - Number(a.reachable) || byName(a.pool, b.pool)),
      floatingIps: await Promise.all(attached.map((fip, index) => ctx.view(fip, attachments[index] ?? null))),
    };
  });
}
