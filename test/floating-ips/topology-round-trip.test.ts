/**
 * Inventory.topology() reads routers and router interfaces fresh every time,
 * and networks and subnets from a one-minute cache. When that cache has
 * expired, the reload goes out beside the fresh reads, in the same round
 * trip, not after them (found by npm run bench: an attach more than a
 * minute after the previous operation, the usual case, paid one extra
 * OpenStack round trip before its confirmation).
 */
import { describe, expect, it } from 'vitest';
import { Inventory } from '../../src/floating-ips/inventory.js';
import type { ProjectScope } from '../../src/openstack/client.js';
import type { NovaApi } from '../../src/openstack/compute.js';
import type { NeutronApi } from '../../src/openstack/network.js';

const SCOPE: ProjectScope = { projectId: 'p1', projectName: 'demo', userId: 'u1', userName: 'demo', isAdmin: false };

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A Neutron whose router listing answers only when told; every call is noted as it is made. */
function fakeNeutron() {
  const calls: string[] = [];
  let routers = deferred<[]>();
  const neutron = {
    listRouters: () => (calls.push('routers'), routers.promise),
    listPorts: () => (calls.push('router interfaces'), Promise.resolve([])),
    listNetworks: () => (calls.push('networks'), Promise.resolve([])),
    listSubnets: () => (calls.push('subnets'), Promise.resolve([])),
    listExternalNetworks: () => Promise.resolve([]),
  } as unknown as NeutronApi;
  return {
    neutron,
    calls,
    answerRouters: () => {
      routers.resolve([]);
      routers = deferred<[]>();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Inventory.topology', () => {
  it('loads expired networks and subnets while the routers are still being read', async () => {
    const fake = fakeNeutron();
    const inventory = new Inventory({ neutron: fake.neutron, nova: {} as NovaApi, scope: () => Promise.resolve(SCOPE) });
    const topology = inventory.topology();
    await tick();
    // Routers have not answered yet, and every read is already out.
    expect([...fake.calls].sort()).toEqual(['networks', 'router interfaces', 'routers', 'subnets']);
    fake.answerRouters();
    expect((await topology).projectId).toBe('p1');
  });

  it('reads only routers and router interfaces while the cache is fresh', async () => {
    const fake = fakeNeutron();
    const inventory = new Inventory({ neutron: fake.neutron, nova: {} as NovaApi, scope: () => Promise.resolve(SCOPE) });
    const first = inventory.topology();
    await tick();
    fake.answerRouters();
    await first;
    fake.calls.length = 0;
    const second = inventory.topology();
    await tick();
    fake.answerRouters();
    await second;
    expect([...fake.calls].sort()).toEqual(['router interfaces', 'routers']);
  });
});
