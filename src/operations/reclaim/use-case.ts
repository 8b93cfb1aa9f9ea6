/**
 * Release unattached floating IPs together: the ones a person ticked in the
 * leak report (each guarded by the revision they saw), or all of them, oldest
 * first, up to one confirmation's worth. One that was attached or changed in
 * the meantime is skipped and named, never released behind someone's back.
 */
import { revisionGuard, type UseCaseContext } from '../../floating-ips/context.js';
import { FailureSignal, type Outcome } from '../../floating-ips/failures.js';
import type { Leak, ReclaimPlan, ReclaimResult } from '../../floating-ips/views.js';
import { hasErrorType, isRetriedConflict, mayHaveApplied, OpenStackApiError, OpenStackConflictError } from '../../openstack/errors.js';
import { readProjectIps, sortOldestFirst } from '../../floating-ips/unattached.js';

/** IPs one confirmation lists and one reclaim releases: each is named, and each is a DELETE. */
export const MAX_RECLAIM = 50;

export type ReclaimRequest = { all: true } | { ips: Array<{ ip: string; revision?: number }> };

export function prepareReclaim(ctx: UseCaseContext, request: ReclaimRequest): Promise<Outcome<ReclaimPlan>> {
  return ctx.run({}, async () => {
    const { floatingIps, leakOf } = await readProjectIps(ctx);
    const item = (leak: Leak, revision = leak.revision) => ({
      id: leak.id,
      address: leak.address,
      revision,
      pool: leak.pool,
      since: leak.since,
    });
    if ('all' in request) {
      const free = sortOldestFirst(floatingIps.filter((fip) => fip.portId === null).map(leakOf));
      return { floatingIps: free.slice(0, MAX_RECLAIM).map((leak) => item(leak)), left: [], more: Math.max(0, free.length - MAX_RECLAIM) };
    }
    const plan: ReclaimPlan = { floatingIps: [], left: [], more: 0 };
    const seen = new Set<string>();
    for (const wanted of request.ips) {
      const fip = floatingIps.find((candidate) => candidate.id === wanted.ip || candidate.address === wanted.ip);
      if (!fip) plan.left.push({ address: wanted.ip, reason: 'not_found' });
      else if (seen.has(fip.id)) continue;
      else if (fip.portId !== null) plan.left.push({ address: fip.address, reason: 'attached' });
      else if (plan.floatingIps.length < MAX_RECLAIM) plan.floatingIps.push(item(leakOf(fip), wanted.revision ?? fip.revision));
      else plan.more += 1;
      if (fip) seen.add(fip.id);
    }
    return plan;
  });
}

/**
 * One DELETE per IP, each with If-Match on the revision in the plan. A refusal skips that IP; an outage
 * stops the run (the rest are named as not sent); a first DELETE that fails changes nothing and is the failure.
 */
export function executeReclaim(ctx: UseCaseContext, plan: ReclaimPlan): Promise<Outcome<ReclaimResult>> {
  return ctx.run({}, async (progress) => {
    const result: ReclaimResult = { plan, released: [], skipped: [], requestId: undefined, recovered: false };
    let stopped = false;
    for (const fip of plan.floatingIps) {
      if (stopped) {
        result.skipped.push({ address: fip.address, reason: 'not_sent' });
        continue;
      }
      try {
        await ctx.verifyUnchanged(fip, null);
        progress.sent = true;
        const deleted = await ctx.neutron.deleteFloatingIp(fip.id, revisionGuard(fip));
        result.released.push(fip.address);
        result.requestId ??= deleted.requestId;
      } catch (error) {
        const outcome = await settle(ctx, fip, error);
        if (outcome === 'released') {
          result.released.push(fip.address);
          result.recovered = true;
        } else if (outcome !== 'stop' && outcome !== 'stop_unchanged') result.skipped.push({ address: fip.address, reason: outcome });
        else if (result.released.length === 0 && result.skipped.length === 0) {
          // The first DELETE failed: that failure is the answer. Read back and still there: nothing changed.
          if (outcome === 'stop_unchanged') progress.sent = false;
          throw error;
        } else {
          stopped = true;
          result.skipped.push({ address: fip.address, reason: 'not_sent' });
        }
      }
    }
    progress.done = true;
    return result;
  });
}

/** What a failed DELETE means for this IP: released after all, skipped (and why), or stop here. */
async function settle(
  ctx: UseCaseContext,
  fip: ReclaimPlan['floatingIps'][number],
  error: unknown,
): Promise<'released' | 'changed' | 'attached' | 'gone' | 'stop' | 'stop_unchanged'> {
  // A retried DELETE answered 404: our first attempt got through.
  if (hasErrorType(error, 'FloatingIPNotFound')) return error.attempts > 1 ? 'released' : 'gone';
  if (error instanceof FailureSignal && error.failure.code === 'changed_concurrently') return 'changed';
  if (error instanceof OpenStackConflictError || isRetriedConflict(error) || mayHaveApplied(error)) {
    const now = await ctx.readQuietly(fip.id);
    if (now === null) return error instanceof OpenStackConflictError && !isRetriedConflict(error) ? 'gone' : 'released';
    if (now === undefined) return 'stop';
    if (now.portId !== null) return 'attached';
    return error instanceof OpenStackConflictError ? 'changed' : 'stop_unchanged';
  }
  if (error instanceof OpenStackApiError && error.status === 404) return 'gone';
  return 'stop';
}
