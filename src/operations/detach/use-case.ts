/** Detach a floating IP (checked against the instance when one is named), guarded by the revision seen. */
import { revisionGuard, type UseCaseContext } from '../../floating-ips/context.js';
import { type Outcome, stop } from '../../floating-ips/failures.js';
import { named } from '../../floating-ips/reachability.js';
import type { DetachPlan, DetachResult } from '../../floating-ips/views.js';

export interface DetachRequest {
  ip: string;
  /** When given, the IP must be attached to this instance. */
  instance?: string;
}

export function prepareDetach(ctx: UseCaseContext, request: DetachRequest): Promise<Outcome<DetachPlan>> {
  return ctx.run({ address: request.ip }, async () => {
    const [fip, server] = await Promise.all([
      ctx.inventory.findFloatingIp(request.ip),
      request.instance ? ctx.inventory.findInstance(request.instance) : Promise.resolve(null),
    ]);
    const from = await ctx.attachmentTolerant(fip);
    if (!from) stop({ code: 'not_attached', address: fip.address });
    if (server && from.instance?.id !== server.id) {
      stop({ code: 'attached_elsewhere', address: fip.address, expected: named(server, server.id), actual: from });
    }
    return { floatingIp: await ctx.identity(fip), from };
  });
}

export function executeDetach(ctx: UseCaseContext, plan: DetachPlan): Promise<Outcome<DetachResult>> {
  const fip = plan.floatingIp;
  return ctx.run({ address: fip.address }, async (progress) => {
    await ctx.verifyUnchanged(fip, plan.from.portId);
    try {
      progress.sent = true;
      const updated = await ctx.neutron.updateFloatingIp(fip.id, { portId: null }, revisionGuard(fip));
      progress.done = true;
      return { plan, floatingIp: await ctx.view(updated.value), requestId: updated.requestId, recovered: false };
    } catch (error) {
      const now = await ctx.readBackAfter(error, fip);
      if (now && now.portId === null) return { plan, floatingIp: await ctx.view(now), requestId: undefined, recovered: true };
      throw error;
    }
  });
}
