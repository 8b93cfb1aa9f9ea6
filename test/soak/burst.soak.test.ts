/**
 * Bursts of 200 mixed operations against the demo cloud (reliability/burst.ts):
 * ten people allocating, attaching, moving, detaching, releasing and listing
 * at once, confirming every change, some with a double click. First on a
 * healthy cloud, where every operation must succeed and the end state must
 * be exactly what the results said; then with faults armed before a third of
 * the clicks, where every answer must be true (a refusal changed nothing, an
 * unknown outcome left the IP in one of its two valid states) and the end
 * state must still be exactly the cloud's listing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { connectDemo } from '../support/demo.js';
import { type Harness, limitProblems, startHarness } from '../slack/e2e/harness.js';
import { type BurstUser, type Operation, runBurst } from '../reliability/burst.js';
import { acks } from '../reliability/support.js';

const USERS: BurstUser[] = Array.from({ length: 10 }, (_, i) => ({
  id: `U0BURST${String(i).padStart(2, '0')}`,
  instances: [1, 2, 3].map((n) => `app-${String(i * 4 + n).padStart(2, '0')}`),
}));

describe('200 mixed operations from 10 people at once on a healthy cloud', () => {
  let h: Harness;
  let side: CloudConnection;
  beforeAll(async () => {
    h = await startHarness();
    side = connectDemo(h.demo);
  });
  afterAll(async () => {
    await side.close();
    await h.close();
  });

  it('all succeed, double clicks included, and leave exactly the floating IPs the results announced', async () => {
    const started = performance.now();
    const report = await runBurst(h, side, {
      operations: 200,
      users: USERS,
      seed: 7,
      pool: 'public',
      doubleClickRate: 0.25,
      maxIpsPerUser: 3,
    });
    console.log(
      `burst: ${JSON.stringify(report.operations)}, ${report.doubleClicks} double clicks, ${report.left.size} IPs left, ${Math.round(performance.now() - started)} ms`,
    );
    expect(report.problems).toEqual([]);
    expect(report.refused).toBe(0);
    expect(report.unknown).toBe(0);
    expect(Object.values(report.operations).reduce((a, b) => a + b, 0)).toBe(200);
    for (const operation of ['create', 'attach', 'attach new', 'move', 'detach', 'release', 'list'])
      expect(report.operations[operation], operation).toBeGreaterThan(5);
    expect(report.doubleClicks).toBeGreaterThan(20);
    expect(acks.filter((ack) => !ack.withinDeadline)).toEqual([]);
    expect(limitProblems(h.sim).problems).toEqual([]);
  });
});

describe('200 mixed operations from 10 people at once while OpenStack fails now and then', () => {
  let h: Harness;
  let side: CloudConnection;
  beforeAll(async () => {
    h = await startHarness({ timing: { openstack: { timeoutMs: 1_000, lateAllocationChecksMs: [500, 1_000] } } });
    side = connectDemo(h.demo);
  });
  afterAll(async () => {
    await side.close();
    await h.close();
  });

  const ROUTES: Record<Exclude<Operation, 'list'>, { method: string; path: string }> = {
    create: { method: 'POST', path: '/v2.0/floatingips' },
    'attach new': { method: 'POST', path: '/v2.0/floatingips' },
    attach: { method: 'PUT', path: '/v2.0/floatingips/*' },
    move: { method: 'PUT', path: '/v2.0/floatingips/*' },
    detach: { method: 'PUT', path: '/v2.0/floatingips/*' },
    release: { method: 'DELETE', path: '/v2.0/floatingips/*' },
  };

  it('tell the truth about every change, and leave exactly what the cloud lists', async () => {
    const started = performance.now();
    const report = await runBurst(h, side, {
      operations: 200,
      users: USERS,
      seed: 11,
      pool: 'public',
      doubleClickRate: 0.2,
      maxIpsPerUser: 3,
      fault: (random, operation) => {
        if (operation === 'list' || random() > 0.35) return undefined;
        const route = ROUTES[operation];
        const faults = h.demo.faults;
        switch (Math.floor(random() * 6)) {
          case 0:
            faults.failNext(route, { status: 503 });
            return 'Neutron 503 once';
          case 1:
            faults.failNext(route, { status: 500 });
            return 'Neutron 500 once';
          case 2:
            faults.dropConnections(route, { count: 1 });
            return 'connection reset once';
          case 3:
            faults.setRouteLatency(route, 1_500);
            return 'slower than the timeout';
          case 4:
            faults.expireAllTokens();
            return 'tokens revoked';
          default:
            faults.expireAllTokens();
            faults.failNext({ method: 'POST', path: '/identity/v3/auth/tokens' }, { status: 503, count: 3 });
            return 'Keystone down';
        }
      },
      clearFault: () => h.demo.faults.reset(),
    });
    console.log(
      `burst with faults: ${JSON.stringify(report.operations)}, faults ${JSON.stringify(report.faults)}, ${report.refused} refused, ${report.unknown} unknown (${report.landedLate} landed late), ${report.doubleClicks} double clicks, ${Math.round(performance.now() - started)} ms`,
    );
    expect(report.problems).toEqual([]);
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
    expect(report.refused + report.unknown).toBeGreaterThan(5);
    expect(acks.filter((ack) => !ack.withinDeadline)).toEqual([]);
  });
});
