/**
 * Neutron's association rule, applied before we ask Neutron, so the bot can
 * refuse with a reason instead of relaying a 404.
 *
 * A floating IP from pool P can be associated with fixed IPv4 address A of a
 * port when some router has BOTH an interface port on A's subnet AND its
 * gateway on P's network (neutron/db/l3_db.py, _get_router_for_floatingip).
 * This is stricter than Horizon, which accepts a gateway on ANY external
 * network and so offers targets that fail for the chosen pool.
 *
 * What we cannot see we do not guess: a non-admin user does not see the
 * routers of other projects, so a subnet whose router is invisible is
 * "unknown" and Neutron gets the final word.
 */
import type { Network, Port, Router, Subnet } from '../openstack/schemas/neutron.js';
import type { Named, Target, TargetVerdict } from './failures.js';
import { compareNames } from './names.js';

export interface Topology {
  projectId: string;
  networks: ReadonlyMap<string, Network>;
  subnets: ReadonlyMap<string, Subnet>;
  routers: ReadonlyMap<string, Router>;
  /** Router interface ports visible to us (any of Neutron's interface device owners). */
  routerInterfaces: readonly Port[];
}

export function named(resource: { id: string; name: string } | undefined, fallbackId: string): Named {
  return resource ? { id: resource.id, name: resource.name || resource.id } : { id: fallbackId, name: fallbackId };
}

export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** Every fixed address of the instance's ports with its verdict for `poolId`, in a stable order. */
export function targetsFor(ports: readonly Port[], topology: Topology, poolId: string): Target[] {
  const targets: Target[] = [];
  for (const port of ports) {
    for (const fixedIp of port.fixedIps) {
      const network = topology.networks.get(port.networkId);
      const subnet = topology.subnets.get(fixedIp.subnetId);
      targets.push({
        portId: port.id,
        address: fixedIp.ipAddress,
        ipVersion: isIpv6(fixedIp.ipAddress) ? 6 : 4,
        network: named(network, port.networkId),
        subnet: named(subnet, fixedIp.subnetId),
        verdict: verdictFor(port, fixedIp.subnetId, fixedIp.ipAddress, topology, poolId),
      });
    }
  }
  return targets.sort(compareTargets);
}

function verdictFor(port: Port, subnetId: string, address: string, topology: Topology, poolId: string): TargetVerdict {
  if (isIpv6(address)) return { kind: 'ipv6' };
  const network = topology.networks.get(port.networkId);
  // Routers reach external networks through gateway ports, never interfaces: an
  // instance sitting on one already has a routable address.
  if (port.networkId === poolId || network?.external) return { kind: 'on_external_network' };

  const routerIds = new Set(
    topology.routerInterfaces.filter((rif) => rif.fixedIps.some((ip) => ip.subnetId === subnetId)).map((rif) => rif.deviceId),
  );
  const visible = [...routerIds].map((id) => topology.routers.get(id)).filter((router): router is Router => router !== undefined);
  const through = visible.find((router) => router.gateway?.networkId === poolId);
  if (through) return { kind: 'reachable', router: named(through, through.id) };

  const someInvisible = visible.length < routerIds.size;
  // Without an interface port in sight, a network of another project may still have a router we cannot see.
  const foreignNetwork = network === undefined || (network.projectId !== topology.projectId && network.projectId !== '');
  if (someInvisible || (routerIds.size === 0 && foreignNetwork)) return { kind: 'unknown' };
  if (routerIds.size === 0) return { kind: 'no_router' };

  const withGateway = visible.filter((router) => router.gateway !== null);
  if (withGateway.length > 0) {
    return {
      kind: 'gateway_to_other_pool',
      routes: withGateway.map((router) => ({
        router: named(router, router.id),
        pool: named(topology.networks.get(router.gateway!.networkId), router.gateway!.networkId),
      })),
    };
  }
  return { kind: 'router_without_gateway', routers: visible.map((router) => named(router, router.id)) };
}

/** IPv4 before IPv6, then network name, then numeric address order: the same instance always lists the same way. */
function compareTargets(a: Target, b: Target): number {
  return a.ipVersion - b.ipVersion || compareNames(a.network.name, b.network.name) || compareAddresses(a.address, b.address);
}

/** Numeric order for IPv4 addresses (10.0.0.9 before 10.0.0.10); text order otherwise. */
export function compareAddresses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  }
  return a.localeCompare(b);
}

/** Pools for which at least one of the targets is reachable, computed per pool. */
export function reachablePools(ports: readonly Port[], topology: Topology, pools: readonly Network[]): Network[] {
  return pools.filter((pool) => targetsFor(ports, topology, pool.id).some((target) => target.verdict.kind === 'reachable'));
}
