/** Release a floating IP back to its pool (detaching it, when attached), guarded by the revision seen. */
import { revisionGuard, type UseCaseContext } from '../../floating-ips/context.js';
import type { Outcome } from '../../floating-ips/failures.js';
import type { ReleasePlan, ReleaseResult } from '../../floating-ips/views.js';
import { hasErrorType, mayHaveApplied } from '../../openstack/errors.js';

export function prepareRelease(ctx: UseCaseContext, ip: string): Promise<Outcome<ReleasePlan>> {
  return ctx.run({ address: ip }, async () => {
    const fip = await ctx.inventory.findFloatingIp(ip);
    return { floatingIp: await ctx.identity(fip), attachedTo: await ctx.attachmentTolerant(fip) };
  });
}

export function executeRelease(ctx: UseCaseContext, plan: ReleasePlan): Promise<Outcome<ReleaseResult>> {
  const fip = plan.floatingIp;
  return ctx.run({ address: fip.address }, async (progress) => {
    await ctx.verifyUnchanged(fip, plan.attachedTo?.portId ?? null);
    try {
      progress.sent = true;
      const deleted = await ctx.neutron.deleteFloatingIp(fip.id, revisionGuard(fip));
      progress.done = true;
      return { plan, requestId: deleted.requestId, recovered: false };
    } catch (error) {
      // A retried DELETE answered 404: our first attempt got through.
      if (hasErrorType(error, 'FloatingIPNotFound') && error.attempts > 1) return { plan, requestId: error.requestId, recovered: true };
      if (mayHaveApplied(error) && (await ctx.readQuietly(fip.id)) === null) return { plan, requestId: undefined, recovered: true };
      throw error;
    }
  });
}
