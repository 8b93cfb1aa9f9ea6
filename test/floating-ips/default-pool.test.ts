/**
 * Which pool when none is named: the only one; else the one the project's
 * routers use as gateway; else a question whose choices come ranked by how
 * many of the project's IPv4 subnets a router connects to each pool.
 */
import { describe, expect, it } from 'vitest';
import { FailureSignal } from '../../src/floating-ips/failures.js';
import { Inventory } from '../../src/floating-ips/inventory.js';
import type { ProjectScope } from '../../src/openstack/client.js';
import type { NovaApi } from '../../src/openstack/compute.js';
import type { NeutronApi } from '../../src/openstack/network.js';

const SCOPE: ProjectScope = { projectId: 'p1', projectName: 'demo', userId: 'u1', userName: 'demo', isAdmin: false };
const pool = (name: string) => ({ id: `${name}-id`, name, external: true, shared: true });
const router = (id: string, gateway: string | null) => ({
  id,
  name: id,
  status: 'ACTIVE',
  gateway: gateway ? { networkId: `${gateway}-id`, fixedIps: [] } : null,
});
const routerInterface = (routerId: string, subnetId: string, address: string) => ({
  id: `${routerId}-${subnetId}`,
  deviceId: routerId,
  deviceOwner: 'network:router_interface',
  fixedIps: [{ subnetId, ipAddress: address }],
});

function inventoryWith(pools: unknown[], routers: unknown[], interfaces: unknown[]): Inventory {
  const neutron = {
    listExternalNetworks: () => Promise.resolve(pools),
    listRouters: () => Promise.resolve(routers),
    listPorts: () => Promise.resolve(interfaces),
  } as unknown as NeutronApi;
  return new Inventory({ neutron, nova: {} as NovaApi, scope: () => Promise.resolve(SCOPE) });
}

async function choicesOf(inventory: Inventory): Promise<string[]> {
  const error = await inventory.defaultPool().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FailureSignal) || error.failure.code !== 'pool_ambiguous')
    throw new Error(`expected pool_ambiguous, got ${String(error)}`);
  return error.failure.pools.map((p) => p.name);
}

describe('the default pool', () => {
  it('ranks the choices by the IPv4 subnets the routers connect to each pool, not by the order Neutron lists them', async () => {
    const inventory = inventoryWith(
      [pool('alpha'), pool('beta'), pool('gamma')],
      [router('r1', 'alpha'), router('r2', 'beta'), router('r3', 'beta')],
      [
        routerInterface('r1', 'v6-subnet', 'fd00::1'),
        routerInterface('r1', 'a-subnet', '10.0.0.1'),
        routerInterface('r2', 'b-subnet', '10.1.0.1'),
        routerInterface('r3', 'c-subnet', '10.2.0.1'),
      ],
    );
    // gamma is no router's gateway: offering it would offer a pool no instance can use.
    expect(await choicesOf(inventory)).toEqual(['beta', 'alpha']);
  });

  it('orders pools the routers reach equally by name, numbers in their order', async () => {
    const inventory = inventoryWith(
      [pool('ext-10'), pool('ext-2')],
      [router('r1', 'ext-10'), router('r2', 'ext-2')],
      [routerInterface('r1', 'a', '10.0.0.1'), routerInterface('r2', 'b', '10.1.0.1')],
    );
    expect(await choicesOf(inventory)).toEqual(['ext-2', 'ext-10']);
  });

  it('takes the one pool the routers use without asking', async () => {
    const inventory = inventoryWith([pool('alpha'), pool('beta')], [router('r1', 'beta'), router('r2', null)], []);
    const chosen = await inventory.defaultPool();
    expect([chosen.pool.name, chosen.choice]).toEqual(['beta', 'router_gateway']);
  });
});
