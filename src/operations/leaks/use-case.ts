/** The project's unattached floating IPs, oldest first: what costs money while nobody uses it. */
import type { UseCaseContext } from '../../floating-ips/context.js';
import type { Outcome } from '../../floating-ips/failures.js';
import { readProjectIps, sortOldestFirst } from '../../floating-ips/unattached.js';
import type { LeakReport } from '../../floating-ips/views.js';

export function findLeaks(ctx: UseCaseContext): Promise<Outcome<LeakReport>> {
  return ctx.run({}, async () => {
    const asOf = new Date(ctx.now()).toISOString();
    const { floatingIps, leakOf } = await readProjectIps(ctx);
    return {
      leaks: sortOldestFirst(floatingIps.filter((fip) => fip.portId === null).map(leakOf)),
      asOf,
    };
  });
}
