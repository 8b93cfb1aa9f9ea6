/**
 * Reclaiming several IPs: each DELETE stands alone. A 503 on the first one is
 * the failure and nothing changed; an outage after some were released stops
 * the run and names the rest as not tried; a retried DELETE that finds the
 * IP gone counts as ours; a 412 whose IP was deleted by someone else is "gone".
 */
import { describe, expect, it } from 'vitest';
import { UseCaseContext } from '../../../src/floating-ips/context.js';
import type { CloudPorts } from '../../../src/floating-ips/ports.js';
import type { ReclaimPlan } from '../../../src/floating-ips/views.js';
import { executeReclaim } from '../../../src/operations/reclaim/use-case.js';
import { OpenStackApiError, OpenStackConflictError, OpenStackUnreachableError } from '../../../src/openstack/errors.js';

const context = (attempts = 1) => ({ service: 'network' as const, method: 'DELETE', path: '/v2.0/floatingips/x', attempts });
const pool = { id: 'pool', name: 'public' };
const plan: ReclaimPlan = {
  floatingIps: ['a', 'b', 'c'].map((id, i) => ({ id, address: `192.168.100.${i + 1}`, revision: 3, pool, since: undefined })),
  left: [],
  more: 0,
};

/** Neutron whose DELETEs answer from a script, and whose GETs say what is left. */
function ctxWith(deletes: Record<string, () => unknown>, remaining: Record<string, { portId: string | null } | null> = {}) {
  const sent: string[] = [];
  const neutron = {
    deleteFloatingIp: (id: string, conditional: { ifRevision?: number }) => {
      sent.push(`${id}@${conditional.ifRevision}`);
      const answer = deletes[id]?.();
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve({ value: { attempts: 1 }, requestId: `req-${id}` });
    },
    getFloatingIp: (id: string) => {
      const now = remaining[id];
      if (now === null || now === undefined)
        return Promise.reject(new OpenStackApiError(404, 'FloatingIPNotFound', 'gone', { ...context(), method: 'GET' }));
      return Promise.resolve({ id, portId: now.portId });
    },
  };
  const ports = {
    neutron,
    nova: {},
    scope: () => Promise.resolve({ projectId: 'p', projectName: 'demo', isAdmin: false }),
  } as unknown as CloudPorts;
  return { ctx: new UseCaseContext(ports), sent };
}

describe('executeReclaim', () => {
  it('sends each DELETE with If-Match on the revision in the plan, and reports every one', async () => {
    const { ctx, sent } = ctxWith({});
    const done = await executeReclaim(ctx, plan);
    expect(sent).toEqual(['a@3', 'b@3', 'c@3']);
    expect(done.ok && [done.value.released, done.value.skipped, done.value.requestId]).toEqual([
      ['192.168.100.1', '192.168.100.2', '192.168.100.3'],
      [],
      'req-a',
    ]);
  });

  it('fails as a whole when the first DELETE meets an outage: read back, still there, so nothing changed', async () => {
    const { ctx, sent } = ctxWith({ a: () => new OpenStackApiError(503, undefined, 'down', context()) }, { a: { portId: null } });
    const done = await executeReclaim(ctx, plan);
    expect(done.ok).toBe(false);
    expect(!done.ok && [done.failure.code, done.failure.changed]).toEqual(['service_unavailable', 'nothing']);
    expect(sent).toEqual(['a@3']);
  });

  it('stops at an outage after the first release, and names the rest as not tried', async () => {
    const { ctx, sent } = ctxWith(
      { b: () => new OpenStackUnreachableError('ECONNREFUSED', 'refused', context()) },
      { b: { portId: null }, c: { portId: null } },
    );
    const done = await executeReclaim(ctx, plan);
    expect(sent).toEqual(['a@3', 'b@3']);
    expect(done.ok && done.value.released).toEqual(['192.168.100.1']);
    expect(done.ok && done.value.skipped).toEqual([
      { address: '192.168.100.2', reason: 'not_sent' },
      { address: '192.168.100.3', reason: 'not_sent' },
    ]);
  });

  it('counts a retried DELETE answered 404 as released, and a first 412 on a deleted IP as gone', async () => {
    const { ctx } = ctxWith(
      {
        a: () => new OpenStackApiError(404, 'FloatingIPNotFound', 'not found', context(2)),
        b: () => new OpenStackConflictError(412, 'RevisionNumberConstraintFailed', 'changed', context()),
        c: () => new OpenStackConflictError(412, 'RevisionNumberConstraintFailed', 'changed', context()),
      },
      { b: null, c: { portId: 'port-1' } },
    );
    const done = await executeReclaim(ctx, plan);
    expect(done.ok && done.value.released).toEqual(['192.168.100.1']);
    expect(done.ok && done.value.recovered).toBe(true);
    expect(done.ok && done.value.skipped).toEqual([
      { address: '192.168.100.2', reason: 'gone' },
      { address: '192.168.100.3', reason: 'attached' },
    ]);
  });
});
