/** Small builders for Neutron domain objects, for pure tests of the reachability rule and the explanations. */
import type { Network, Port, Router, Subnet } from '../../src/openstack/schemas/neutron.js';
import type { Topology } from '../../src/floating-ips/reachability.js';

export const PROJECT = 'project-mine';

export function network(id: string, options: Partial<Network> = {}): Network {
  return { id, name: id, external: false, shared: false, subnetIds: [], status: 'ACTIVE', projectId: PROJECT, ...options };
}

export function subnet(id: string, networkId: string, cidr: string, options: Partial<Subnet> = {}): Subnet {
  return { id, name: id, networkId, ipVersion: cidr.includes(':') ? 6 : 4, cidr, gatewayIp: null, projectId: PROJECT, ...options };
}

export function port(
  id: string,
  networkId: string,
  fixedIps: Array<[subnetId: string, address: string]>,
  options: Partial<Port> = {},
): Port {
  return {
    id,
    name: '',
    networkId,
    deviceId: 'server-1',
    deviceOwner: 'compute:nova',
    fixedIps: fixedIps.map(([subnetId, ipAddress]) => ({ subnetId, ipAddress })),
    status: 'ACTIVE',
    projectId: PROJECT,
    ...options,
  };
}

export function router(id: string, gatewayNetworkId: string | null, options: Partial<Router> = {}): Router {
  return {
    id,
    name: id,
    status: 'ACTIVE',
    gateway: gatewayNetworkId ? { networkId: gatewayNetworkId, fixedIps: [] } : null,
    projectId: PROJECT,
    ...options,
  };
}

/** A router interface port on a subnet. */
export function routerInterface(
  routerId: string,
  networkId: string,
  subnetId: string,
  address: string,
  owner = 'network:router_interface',
): Port {
  return port(`rif-${routerId}-${subnetId}`, networkId, [[subnetId, address]], { deviceId: routerId, deviceOwner: owner });
}

export function topology(parts: { networks?: Network[]; subnets?: Subnet[]; routers?: Router[]; routerInterfaces?: Port[] }): Topology {
  return {
    projectId: PROJECT,
    networks: new Map((parts.networks ?? []).map((n) => [n.id, n])),
    subnets: new Map((parts.subnets ?? []).map((s) => [s.id, s])),
    routers: new Map((parts.routers ?? []).map((r) => [r.id, r])),
    routerInterfaces: parts.routerInterfaces ?? [],
  };
}

/** The seed topology: public (external) with v4+v6 subnets, private routed by router1, and a second pool public-b. */
export function seedTopology(
  extra: { routers?: Router[]; routerInterfaces?: Port[]; networks?: Network[]; subnets?: Subnet[] } = {},
): Topology {
  return topology({
    networks: [
      network('public', { external: true, shared: true, projectId: 'admin-project' }),
      network('public-b', { external: true, shared: true, projectId: 'admin-project' }),
      network('private'),
      ...(extra.networks ?? []),
    ],
    subnets: [
      subnet('public-subnet', 'public', '192.168.100.0/24'),
      subnet('public-subnet-v6', 'public', '2001:db8::/64'),
      subnet('private-subnet', 'private', '10.0.0.0/24'),
      ...(extra.subnets ?? []),
    ],
    routers: [router('router1', 'public'), ...(extra.routers ?? [])],
    routerInterfaces: [routerInterface('router1', 'private', 'private-subnet', '10.0.0.1'), ...(extra.routerInterfaces ?? [])],
  });
}
