/** The project's floating IPs, filtered, with where each is attached (instance names, unless Nova is down). */
import { compareAddresses } from '../../floating-ips/reachability.js';
import type { UseCaseContext } from '../../floating-ips/context.js';
import type { Outcome } from '../../floating-ips/failures.js';
import { type FloatingIpList, type ListFilter, matchesFilter } from '../../floating-ips/views.js';

export function listFloatingIps(ctx: UseCaseContext, filter: ListFilter = 'all'): Promise<Outcome<FloatingIpList>> {
  return ctx.run({}, async () => {
    const scope = await ctx.inventory.scope();
    const fips = (await ctx.neutron.listFloatingIps({ projectId: scope.projectId })).filter((fip) => matchesFilter(fip, filter));
    const { attachments, namesUnavailable } = await ctx.attachmentsTolerant(fips);
    const views = await Promise.all(fips.map((fip, index) => ctx.view(fip, attachments[index] ?? null)));
    return { filter, floatingIps: views.sort((a, b) => compareAddresses(a.address, b.address)), namesUnavailable };
  });
}
