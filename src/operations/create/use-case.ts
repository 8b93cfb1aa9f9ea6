/** Allocate a floating IP: choose the pool and a unique description (nothing allocated yet), then allocate exactly that. */
import type { UseCaseContext } from '../../floating-ips/context.js';
import type { Outcome } from '../../floating-ips/failures.js';
import { readHeadroom, refuseOverQuota } from '../../floating-ips/headroom.js';
import type { PoolChoice } from '../../floating-ips/inventory.js';
import { named } from '../../floating-ips/reachability.js';
import type { AllocatePlan, Allocated } from '../../floating-ips/views.js';
import { type LeaseRequest, tagNewIp } from '../../floating-ips/lease-write.js';

export interface AllocateRequest {
  /** Pool name or id; omitted = the default pool. */
  pool?: string;
  /** Shown in Horizon and the CLI, e.g. "requested by @alice in #ops via fipbot". */
  description?: string;
  /** `--for`: released by itself this long after the allocation, `owner` reminded first. */
  lease?: LeaseRequest;
  /** The Slack user it is allocated for: written on the IP as its allocation tag. */
  owner?: string;
}

export function prepareAllocate(ctx: UseCaseContext, request: AllocateRequest = {}): Promise<Outcome<AllocatePlan>> {
  return ctx.run({}, async () => {
    const { pool, choice } = request.pool
      ? { pool: await ctx.inventory.resolvePool(request.pool), choice: 'requested' as PoolChoice }
      : await ctx.inventory.defaultPool();
    const headroom = await readHeadroom(ctx, pool.id);
    refuseOverQuota(headroom);
    return {
      pool: named(pool, pool.id),
      poolChoice: choice,
      description: ctx.uniqueDescription(request.description),
      headroom,
      ...(request.lease ? { lease: request.lease } : {}),
      ...(request.owner ? { owner: request.owner } : {}),
    };
  });
}

export function executeAllocate(ctx: UseCaseContext, plan: AllocatePlan): Promise<Outcome<Allocated>> {
  return ctx.run({}, async (progress) => {
    try {
      progress.sent = true;
      const created = await ctx.neutron.createFloatingIp({ networkId: plan.pool.id, description: plan.description });
      progress.done = true;
      const lease = await tagNewIp(ctx, created.value, plan);
      return {
        floatingIp: await ctx.view(created.value),
        poolChoice: plan.poolChoice,
        requestId: created.requestId,
        recovered: false,
        ...lease,
      };
    } catch (error) {
      const found = await ctx.findCreated(error, plan.description);
      if (!found) throw await ctx.creationFailure(error, plan.pool);
      const lease = await tagNewIp(ctx, found, plan);
      return { floatingIp: await ctx.view(found), poolChoice: plan.poolChoice, requestId: undefined, recovered: true, ...lease };
    }
  });
}
