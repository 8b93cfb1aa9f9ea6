import { describe, expect, it } from 'vitest';
import { reachablePools, targetsFor } from '../../src/floating-ips/reachability.js';
import { network, port, router, routerInterface, seedTopology, subnet } from '../support/topology.js';

const verdicts = (targets: ReturnType<typeof targetsFor>) => targets.map((t) => [t.address, t.verdict.kind]);

describe("Neutron's association rule, applied before calling Neutron", () => {
  it('finds an address on a private subnet reachable through a router with an interface there and its gateway on the pool', () => {
    const targets = targetsFor([port('p1', 'private', [['private-subnet', '10.0.0.5']])], seedTopology(), 'public');
    expect(targets).toHaveLength(1);
    expect(targets[0]!.verdict).toEqual({ kind: 'reachable', router: { id: 'router1', name: 'router1' } });
    expect(targets[0]!.network.name).toBe('private');
    expect(targets[0]!.subnet.name).toBe('private-subnet');
  });

  it('marks an address directly on the external network as already routable, and an IPv6 address as not eligible', () => {
    const targets = targetsFor(
      [
        port('p1', 'public', [
          ['public-subnet', '192.168.100.178'],
          ['public-subnet-v6', '2001:db8::2c7'],
        ]),
      ],
      seedTopology(),
      'public',
    );
    expect(verdicts(targets)).toEqual([
      ['192.168.100.178', 'on_external_network'],
      ['2001:db8::2c7', 'ipv6'],
    ]);
  });

  it('treats an address on another external network as routable already, whatever the pool', () => {
    const targets = targetsFor([port('p1', 'public-b', [['x', '203.0.113.5']])], seedTopology(), 'public');
    expect(verdicts(targets)).toEqual([['203.0.113.5', 'on_external_network']]);
  });

  it('says no router when no router has an interface on the subnet of a network of our own project', () => {
    const topo = seedTopology({ networks: [network('isolated')], subnets: [subnet('isolated-subnet', 'isolated', '10.9.0.0/24')] });
    const targets = targetsFor([port('p1', 'isolated', [['isolated-subnet', '10.9.0.5']])], topo, 'public');
    expect(verdicts(targets)).toEqual([['10.9.0.5', 'no_router']]);
  });

  it('applies the rule per pool: a router whose gateway is on another pool does not make the subnet reachable (Horizon would say it does)', () => {
    const targets = targetsFor([port('p1', 'private', [['private-subnet', '10.0.0.5']])], seedTopology(), 'public-b');
    expect(targets[0]!.verdict).toEqual({
      kind: 'gateway_to_other_pool',
      routes: [{ router: { id: 'router1', name: 'router1' }, pool: { id: 'public', name: 'public' } }],
    });
  });

  it('says router without gateway when the subnet is served only by a router with no external gateway', () => {
    const topo = seedTopology({
      networks: [network('backend')],
      subnets: [subnet('backend-subnet', 'backend', '10.1.0.0/24')],
      routers: [router('router-nogw', null)],
      routerInterfaces: [routerInterface('router-nogw', 'backend', 'backend-subnet', '10.1.0.1')],
    });
    const targets = targetsFor([port('p1', 'backend', [['backend-subnet', '10.1.0.9']])], topo, 'public');
    expect(targets[0]!.verdict).toEqual({ kind: 'router_without_gateway', routers: [{ id: 'router-nogw', name: 'router-nogw' }] });
  });

  it('accepts distributed and HA router interfaces like plain ones', () => {
    for (const owner of ['network:router_interface_distributed', 'network:ha_router_replicated_interface']) {
      const topo = seedTopology({
        networks: [network('dvr-net')],
        subnets: [subnet('dvr-subnet', 'dvr-net', '10.2.0.0/24')],
        routers: [router('dvr', 'public')],
        routerInterfaces: [routerInterface('dvr', 'dvr-net', 'dvr-subnet', '10.2.0.1', owner)],
      });
      expect(targetsFor([port('p1', 'dvr-net', [['dvr-subnet', '10.2.0.7']])], topo, 'public')[0]!.verdict.kind).toBe('reachable');
    }
  });

  it('checks the subnet, not the network: an interface on a sibling subnet of the same network does not count', () => {
    const topo = seedTopology({ subnets: [subnet('private-subnet-2', 'private', '10.0.1.0/24')] });
    const targets = targetsFor([port('p1', 'private', [['private-subnet-2', '10.0.1.5']])], topo, 'public');
    expect(targets[0]!.verdict.kind).toBe('no_router');
  });

  it('answers unknown, not unreachable, for a shared network of another project whose routers we cannot see', () => {
    const topo = seedTopology({
      networks: [network('shared-net', { shared: true, projectId: 'admin-project' })],
      subnets: [subnet('shared-subnet', 'shared-net', '10.5.0.0/24')],
    });
    const targets = targetsFor([port('p1', 'shared-net', [['shared-subnet', '10.5.0.5']])], topo, 'public');
    expect(targets[0]!.verdict.kind).toBe('unknown');
  });

  it('answers unknown when a router interface is visible but its router is not', () => {
    const topo = seedTopology({
      networks: [network('n2')],
      subnets: [subnet('s2', 'n2', '10.3.0.0/24')],
      routerInterfaces: [routerInterface('invisible-router', 'n2', 's2', '10.3.0.1')],
    });
    expect(targetsFor([port('p1', 'n2', [['s2', '10.3.0.5']])], topo, 'public')[0]!.verdict.kind).toBe('unknown');
  });

  it('orders targets the same way every time: IPv4 first, then network name, then address', () => {
    const topo = seedTopology({ networks: [network('alpha')], subnets: [subnet('alpha-subnet', 'alpha', '10.7.0.0/24')] });
    const ports = [
      port('p-private', 'private', [
        ['private-subnet', '10.0.0.20'],
        ['private-subnet', '10.0.0.3'],
      ]),
      port('p-alpha', 'alpha', [['alpha-subnet', '10.7.0.9']]),
      port('p-v6', 'public', [['public-subnet-v6', '2001:db8::5']]),
    ];
    const expected = ['10.7.0.9', '10.0.0.3', '10.0.0.20', '2001:db8::5'];
    expect(targetsFor(ports, topo, 'public').map((t) => t.address)).toEqual(expected);
    expect(targetsFor([...ports].reverse(), topo, 'public').map((t) => t.address)).toEqual(expected);
  });

  it('lists the pools an instance can reach', () => {
    const topo = seedTopology({
      networks: [network('backend')],
      subnets: [subnet('backend-subnet', 'backend', '10.1.0.0/24')],
      routers: [router('router2', 'public-b')],
      routerInterfaces: [routerInterface('router2', 'backend', 'backend-subnet', '10.1.0.1')],
    });
    const pools = [topo.networks.get('public')!, topo.networks.get('public-b')!];
    const twoNics = [port('a', 'private', [['private-subnet', '10.0.0.5']]), port('b', 'backend', [['backend-subnet', '10.1.0.5']])];
    expect(reachablePools(twoNics, topo, pools).map((p) => p.id)).toEqual(['public', 'public-b']);
    expect(reachablePools([twoNics[1]!], topo, pools).map((p) => p.id)).toEqual(['public-b']);
  });
});
