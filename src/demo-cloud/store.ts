/**
 * The demo cloud's in-memory state: identity, Neutron and Nova records plus
 * the indexes that keep filtered lists fast at benchmark scale (10,000
 * servers, 2,000 floating IPs): ports by device and by network, floating IPs
 * by port, servers kept in Nova's default order. Every mutation goes through
 * a method here so indexes and IP allocations never drift.
 */
import { ipAllocationErrors, NeutronError } from './errors.js';
import { macAddressFor, newUuid } from './ids.js';
import { cidrContains, formatIp, parseCidr, parseIp } from './ip.js';
import type {
  ApplicationCredential,
  Domain,
  FixedIp,
  Flavor,
  FloatingIp,
  Image,
  Network,
  Port,
  Project,
  QuotaLimits,
  Role,
  Router,
  Server,
  Subnet,
  User,
} from './model.js';
import { DEFAULT_QUOTAS, DEVICE_OWNER, ROUTER_INTERFACE_OWNERS } from './model.js';

/** Neutron timestamps: seconds precision, UTC, "Z". */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

interface SubnetAllocations {
  version: 4 | 6;
  pools: Array<{ start: bigint; end: bigint }>;
  used: Set<bigint>;
  /** Addresses still free inside the pools; 0 means exhausted without scanning. */
  freeInPools: bigint;
  cursor: bigint;
}

/** A requested fixed IP, as in a port's or floating IP's create body. */
export interface FixedIpRequest {
  subnetId?: string;
  ipAddress?: string;
}

export interface NewPort {
  id?: string;
  name?: string;
  networkId: string;
  projectId: string;
  deviceId?: string;
  deviceOwner?: string;
  status?: string;
  fixedIps?: FixedIpRequest[];
  /** Only IPv4 (floating IP ports): real Neutron also takes an IPv6 address, which nobody sees. */
  ipv4Only?: boolean;
}

function addToIndex(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(id);
}

function removeFromIndex(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

function compareServers(a: Server, b: Server): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class Store {
  readonly domains = new Map<string, Domain>();
  readonly projects = new Map<string, Project>();
  readonly roles = new Map<string, Role>();
  readonly users = new Map<string, User>();
  readonly applicationCredentials = new Map<string, ApplicationCredential>();
  readonly networks = new Map<string, Network>();
  readonly subnets = new Map<string, Subnet>();
  readonly ports = new Map<string, Port>();
  readonly routers = new Map<string, Router>();
  readonly floatingIps = new Map<string, FloatingIp>();
  readonly servers = new Map<string, Server>();
  readonly images = new Map<string, Image>();
  readonly flavors = new Map<string, Flavor>();
  /** Per-project quota overrides; missing resources fall back to DEFAULT_QUOTAS. */
  readonly quotas = new Map<string, QuotaLimits>();

  private readonly portsByDevice = new Map<string, Set<string>>();
  private readonly portsByNetwork = new Map<string, Set<string>>();
  private readonly floatingIpsByPort = new Map<string, Set<string>>();
  private readonly floatingIpCountByProject = new Map<string, number>();
  private readonly allocations = new Map<string, SubnetAllocations>();
  /** Servers ascending by (created, id): Nova lists them in reverse of this order. */
  private readonly serverOrder: Server[] = [];

  /** Replaceable so seeding can give resources distinct, ordered creation times. */
  constructor(public clock: () => Date = () => new Date()) {}

  now(): string {
    return isoSeconds(this.clock());
  }

  // ---- identity -----------------------------------------------------------

  findProjectByName(name: string, domainId: string): Project | undefined {
    for (const project of this.projects.values()) {
      if (project.name === name && project.domainId === domainId) return project;
    }
    return undefined;
  }

  findUserByName(name: string, domainId: string): User | undefined {
    for (const user of this.users.values()) {
      if (user.name === name && user.domainId === domainId) return user;
    }
    return undefined;
  }

  findDomain(ref: { id?: string; name?: string }): Domain | undefined {
    if (ref.id !== undefined) return this.domains.get(ref.id);
    for (const domain of this.domains.values()) if (domain.name === ref.name) return domain;
    return undefined;
  }

  quotaLimit(projectId: string, resource: string): number {
    return this.quotas.get(projectId)?.[resource] ?? DEFAULT_QUOTAS[resource] ?? -1;
  }

  setQuota(projectId: string, resource: string, limit: number): void {
    const current = this.quotas.get(projectId) ?? {};
    current[resource] = limit;
    this.quotas.set(projectId, current);
  }

  // ---- networks and subnets -----------------------------------------------

  addNetwork(network: Network): Network {
    this.networks.set(network.id, network);
    return network;
  }

  removeNetwork(id: string): void {
    const network = this.networks.get(id);
    if (!network) return;
    for (const subnetId of [...network.subnetIds]) this.removeSubnet(subnetId);
    this.networks.delete(id);
  }

  addSubnet(subnet: Subnet): Subnet {
    const cidr = parseCidr(subnet.cidr);
    if (!cidr) throw new Error(`bad cidr ${subnet.cidr}`);
    const pools = subnet.allocationPools.map((pool) => ({
      start: parseIp(pool.start)?.value ?? 0n,
      end: parseIp(pool.end)?.value ?? 0n,
    }));
    const freeInPools = pools.reduce((sum, pool) => sum + (pool.end - pool.start + 1n), 0n);
    this.allocations.set(subnet.id, {
      version: subnet.ipVersion,
      pools,
      used: new Set(),
      freeInPools,
      cursor: pools[0]?.start ?? 0n,
    });
    this.subnets.set(subnet.id, subnet);
    const network = this.networks.get(subnet.networkId);
    if (network) {
      network.subnetIds.push(subnet.id);
      // A subnet revises its network (models_v2.Subnet.revises_on_change).
      this.touch(network);
    }
    return subnet;
  }

  removeSubnet(id: string): void {
    const subnet = this.subnets.get(id);
    if (!subnet) return;
    const network = this.networks.get(subnet.networkId);
    if (network) {
      network.subnetIds = network.subnetIds.filter((subnetId) => subnetId !== id);
      this.touch(network);
    }
    this.subnets.delete(id);
    this.allocations.delete(id);
  }

  /** Addresses in a subnet's allocation pools, and those allocated in it (Neutron's network-ip-availability). */
  subnetUsage(subnetId: string): { total: bigint; used: number } | undefined {
    const allocations = this.allocations.get(subnetId);
    if (!allocations) return undefined;
    return { total: allocations.pools.reduce((sum, pool) => sum + (pool.end - pool.start + 1n), 0n), used: allocations.used.size };
  }

  subnetsOf(networkId: string): Subnet[] {
    const network = this.networks.get(networkId);
    if (!network) return [];
    return network.subnetIds.map((id) => this.subnets.get(id)).filter((s): s is Subnet => s !== undefined);
  }

  /** Addresses still free in a subnet's allocation pools. */
  freeAddresses(subnetId: string): bigint {
    return this.allocations.get(subnetId)?.freeInPools ?? 0n;
  }

  hasAllocations(subnetId: string): boolean {
    return (this.allocations.get(subnetId)?.used.size ?? 0) > 0;
  }

  private inPools(alloc: SubnetAllocations, value: bigint): boolean {
    return alloc.pools.some((pool) => value >= pool.start && value <= pool.end);
  }

  private markUsed(subnetId: string, value: bigint): void {
    const alloc = this.allocations.get(subnetId);
    if (!alloc || alloc.used.has(value)) return;
    alloc.used.add(value);
    if (this.inPools(alloc, value)) alloc.freeInPools -= 1n;
  }

  private release(fixedIp: FixedIp): void {
    const alloc = this.allocations.get(fixedIp.subnetId);
    const address = parseIp(fixedIp.ipAddress);
    if (!alloc || !address || !alloc.used.delete(address.value)) return;
    if (this.inPools(alloc, address.value)) alloc.freeInPools += 1n;
  }

  /** Next free pool address, scanning from a moving cursor (amortised O(1)), or undefined. */
  private nextFree(subnetId: string): string | undefined {
    const alloc = this.allocations.get(subnetId);
    if (!alloc || alloc.freeInPools <= 0n) return undefined;
    const count = alloc.pools.length;
    let startIndex = alloc.pools.findIndex((pool) => alloc.cursor >= pool.start && alloc.cursor <= pool.end);
    if (startIndex < 0) {
      startIndex = 0;
      alloc.cursor = alloc.pools[0]?.start ?? 0n;
    }
    // Visit the cursor's pool from the cursor, the other pools whole, then the
    // cursor's pool again up to the cursor (the wrap-around).
    for (let step = 0; step <= count; step++) {
      const pool = alloc.pools[(startIndex + step) % count];
      if (!pool) break;
      const from = step === 0 ? alloc.cursor : pool.start;
      const to = step === count ? alloc.cursor - 1n : pool.end;
      for (let candidate = from; candidate <= to; candidate++) {
        if (!alloc.used.has(candidate)) {
          alloc.cursor = candidate + 1n;
          return formatIp({ version: alloc.version, value: candidate });
        }
      }
    }
    return undefined;
  }

  /**
   * Neutron's IPAM in short: explicit addresses must sit in one of the
   * network's subnets (or the named one) and be free; without a request a port
   * gets one address from the first IPv4 subnet with room and one from the
   * first IPv6 subnet with room; no IPv4 room at all -> IpAddressGenerationFailure.
   */
  private allocateFixedIps(spec: NewPort): FixedIp[] {
    const subnets = this.subnetsOf(spec.networkId);
    const isRouterPort = spec.deviceOwner !== undefined && ROUTER_INTERFACE_OWNERS.has(spec.deviceOwner);
    const result: FixedIp[] = [];
    const take = (subnet: Subnet, address: string): void => {
      const value = parseIp(address)?.value ?? 0n;
      this.markUsed(subnet.id, value);
      result.push({ subnetId: subnet.id, ipAddress: address });
    };
    const requests = spec.fixedIps;
    if (requests && requests.length > 0) {
      const planned: Array<{ subnet: Subnet; address?: string }> = [];
      for (const request of requests) {
        if (request.ipAddress !== undefined) {
          const address = parseIp(request.ipAddress);
          if (!address) throw ipAllocationErrors.invalidForNetwork(request.ipAddress);
          const canonical = formatIp(address);
          const subnet =
            request.subnetId !== undefined
              ? subnets.find((s) => s.id === request.subnetId)
              : subnets.find((s) => {
                  const cidr = parseCidr(s.cidr);
                  return cidr !== undefined && cidrContains(cidr, address);
                });
          if (!subnet) {
            if (request.subnetId !== undefined && !this.subnets.has(request.subnetId)) {
              throw new NeutronError(404, 'SubnetNotFound', `Subnet ${request.subnetId} could not be found.`);
            }
            throw request.subnetId !== undefined
              ? ipAllocationErrors.invalidForSubnet(canonical)
              : ipAllocationErrors.invalidForNetwork(canonical);
          }
          const cidr = parseCidr(subnet.cidr);
          if (!cidr || !cidrContains(cidr, address)) throw ipAllocationErrors.invalidForSubnet(canonical);
          const alloc = this.allocations.get(subnet.id);
          const isGateway = subnet.gatewayIp === canonical && !isRouterPort;
          if (alloc?.used.has(address.value) || isGateway || planned.some((p) => p.address === canonical)) {
            throw ipAllocationErrors.inUse(spec.networkId, canonical);
          }
          planned.push({ subnet, address: canonical });
        } else if (request.subnetId !== undefined) {
          const subnet = subnets.find((s) => s.id === request.subnetId);
          if (!subnet) throw new NeutronError(404, 'SubnetNotFound', `Subnet ${request.subnetId} could not be found.`);
          planned.push({ subnet });
        }
      }
      // Validate everything before touching the allocation table: failures allocate nothing.
      for (const plan of planned) {
        if (plan.address === undefined && this.freeAddresses(plan.subnet.id) <= 0n) {
          throw ipAllocationErrors.exhausted(spec.networkId);
        }
      }
      for (const plan of planned) {
        const address = plan.address ?? this.nextFree(plan.subnet.id);
        if (address === undefined) throw ipAllocationErrors.exhausted(spec.networkId);
        take(plan.subnet, address);
      }
      return result;
    }
    const v4 = subnets.filter((s) => s.ipVersion === 4);
    const v6 = spec.ipv4Only ? [] : subnets.filter((s) => s.ipVersion === 6);
    if (v4.length > 0) {
      const subnet = v4.find((s) => this.freeAddresses(s.id) > 0n);
      if (!subnet) throw ipAllocationErrors.exhausted(spec.networkId);
      const address = this.nextFree(subnet.id);
      if (address === undefined) throw ipAllocationErrors.exhausted(spec.networkId);
      take(subnet, address);
    }
    const v6Subnet = v6.find((s) => this.freeAddresses(s.id) > 0n);
    if (v6Subnet) {
      const address = this.nextFree(v6Subnet.id);
      if (address !== undefined) take(v6Subnet, address);
    } else if (v6.length > 0 && v4.length === 0) {
      throw ipAllocationErrors.exhausted(spec.networkId);
    }
    return result;
  }

  // ---- ports --------------------------------------------------------------

  createPort(spec: NewPort): Port {
    if (!this.networks.has(spec.networkId)) {
      throw new NeutronError(404, 'NetworkNotFound', `Network ${spec.networkId} could not be found.`);
    }
    const fixedIps = this.allocateFixedIps(spec);
    const id = spec.id ?? newUuid();
    const now = this.now();
    const port: Port = {
      id,
      name: spec.name ?? '',
      networkId: spec.networkId,
      projectId: spec.projectId,
      macAddress: macAddressFor(id),
      adminStateUp: true,
      status: spec.status ?? 'DOWN',
      deviceId: spec.deviceId ?? '',
      deviceOwner: spec.deviceOwner ?? '',
      fixedIps,
      description: '',
      tags: [],
      createdAt: now,
      updatedAt: now,
      revisionNumber: 0,
    };
    this.ports.set(id, port);
    addToIndex(this.portsByNetwork, port.networkId, id);
    if (port.deviceId !== '') addToIndex(this.portsByDevice, port.deviceId, id);
    return port;
  }

  /** Deleting a port detaches its floating IPs, as Neutron's disassociate_floatingips does. */
  deletePort(id: string): void {
    const port = this.ports.get(id);
    if (!port) return;
    for (const fip of this.floatingIpsOnPort(id)) this.associate(fip, null, null, null);
    for (const fixedIp of port.fixedIps) this.release(fixedIp);
    removeFromIndex(this.portsByNetwork, port.networkId, id);
    if (port.deviceId !== '') removeFromIndex(this.portsByDevice, port.deviceId, id);
    this.ports.delete(id);
  }

  setPortDevice(port: Port, deviceId: string, deviceOwner: string, status: string): void {
    if (port.deviceId !== '') removeFromIndex(this.portsByDevice, port.deviceId, port.id);
    port.deviceId = deviceId;
    port.deviceOwner = deviceOwner;
    port.status = status;
    port.updatedAt = this.now();
    port.revisionNumber += 1;
    if (deviceId !== '') addToIndex(this.portsByDevice, deviceId, port.id);
  }

  portsOfDevice(deviceId: string): Port[] {
    const ids = this.portsByDevice.get(deviceId);
    if (!ids) return [];
    return [...ids].map((id) => this.ports.get(id)).filter((p): p is Port => p !== undefined);
  }

  portsOnNetwork(networkId: string): Port[] {
    const ids = this.portsByNetwork.get(networkId);
    if (!ids) return [];
    return [...ids].map((id) => this.ports.get(id)).filter((p): p is Port => p !== undefined);
  }

  portIdsOfDevice(deviceId: string): ReadonlySet<string> {
    return this.portsByDevice.get(deviceId) ?? new Set();
  }

  portIdsOnNetwork(networkId: string): ReadonlySet<string> {
    return this.portsByNetwork.get(networkId) ?? new Set();
  }

  // ---- routers ------------------------------------------------------------

  addRouter(router: Router): Router {
    this.routers.set(router.id, router);
    return router;
  }

  gatewayPortOf(routerId: string): Port | undefined {
    return this.portsOfDevice(routerId).find((p) => p.deviceOwner === DEVICE_OWNER.routerGateway);
  }

  interfacePortsOf(routerId: string): Port[] {
    return this.portsOfDevice(routerId).filter((p) => ROUTER_INTERFACE_OWNERS.has(p.deviceOwner));
  }

  /** Sets (or clears, with null) the router's gateway: a gateway port on the external network. */
  setRouterGateway(router: Router, networkId: string | null, fixedIps?: FixedIpRequest[]): void {
    const current = this.gatewayPortOf(router.id);
    if (current && current.networkId === networkId) return;
    // Allocate the new gateway first so a full pool leaves the old gateway alone.
    let created: Port | undefined;
    if (networkId !== null) {
      created = this.createPort({
        networkId,
        // Real Neutron leaves the gateway port's project empty: it belongs to no tenant.
        projectId: '',
        deviceId: router.id,
        deviceOwner: DEVICE_OWNER.routerGateway,
        status: 'DOWN',
        ...(fixedIps ? { fixedIps } : {}),
      });
    }
    if (current) this.deletePort(current.id);
    router.gatewayNetworkId = created ? networkId : null;
    this.touch(router);
  }

  removeRouter(id: string): void {
    const gateway = this.gatewayPortOf(id);
    if (gateway) this.deletePort(gateway.id);
    this.routers.delete(id);
  }

  // ---- floating IPs -------------------------------------------------------

  addFloatingIp(fip: FloatingIp): FloatingIp {
    this.floatingIps.set(fip.id, fip);
    if (fip.portId !== null) addToIndex(this.floatingIpsByPort, fip.portId, fip.id);
    this.floatingIpCountByProject.set(fip.projectId, this.countFloatingIps(fip.projectId) + 1);
    return fip;
  }

  floatingIpsOnPort(portId: string): FloatingIp[] {
    const ids = this.floatingIpsByPort.get(portId);
    if (!ids) return [];
    return [...ids].map((id) => this.floatingIps.get(id)).filter((f): f is FloatingIp => f !== undefined);
  }

  floatingIpIdsOnPort(portId: string): ReadonlySet<string> {
    return this.floatingIpsByPort.get(portId) ?? new Set();
  }

  /**
   * Changes a floating IP's association; returns whether anything changed.
   * A change bumps the revision unless the caller bumps it itself ({touch: false}).
   */
  associate(
    fip: FloatingIp,
    portId: string | null,
    fixedIpAddress: string | null,
    routerId: string | null,
    options: { touch: boolean } = { touch: true },
  ): boolean {
    if (fip.portId === portId && fip.fixedIpAddress === fixedIpAddress && fip.routerId === routerId) return false;
    if (fip.portId !== null) removeFromIndex(this.floatingIpsByPort, fip.portId, fip.id);
    fip.portId = portId;
    fip.fixedIpAddress = fixedIpAddress;
    fip.routerId = routerId;
    if (portId !== null) addToIndex(this.floatingIpsByPort, portId, fip.id);
    if (options.touch) this.touch(fip);
    return true;
  }

  deleteFloatingIp(id: string): void {
    const fip = this.floatingIps.get(id);
    if (!fip) return;
    if (fip.portId !== null) removeFromIndex(this.floatingIpsByPort, fip.portId, id);
    this.floatingIps.delete(id);
    this.floatingIpCountByProject.set(fip.projectId, this.countFloatingIps(fip.projectId) - 1);
    this.deletePort(fip.floatingPortId);
  }

  countFloatingIps(projectId: string): number {
    return this.floatingIpCountByProject.get(projectId) ?? 0;
  }

  // ---- servers ------------------------------------------------------------

  addServer(server: Server): Server {
    this.servers.set(server.id, server);
    // Binary insertion keeps Nova's (created_at, id) order without sorting per request.
    let low = 0;
    let high = this.serverOrder.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const probe = this.serverOrder[mid];
      if (probe && compareServers(probe, server) < 0) low = mid + 1;
      else high = mid;
    }
    this.serverOrder.splice(low, 0, server);
    return server;
  }

  removeServer(id: string): void {
    const server = this.servers.get(id);
    if (!server) return;
    this.servers.delete(id);
    const index = this.serverOrder.indexOf(server);
    if (index >= 0) this.serverOrder.splice(index, 1);
  }

  /** Servers newest first (created_at desc, id desc): Nova's default list order. */
  *serversNewestFirst(): Generator<Server> {
    for (let i = this.serverOrder.length - 1; i >= 0; i--) {
      const server = this.serverOrder[i];
      if (server) yield server;
    }
  }

  // ---- helpers --------------------------------------------------------------

  /** Bumps updated_at and revision_number, as Neutron does on every committed change. */
  touch(resource: { updatedAt: string; revisionNumber: number }): void {
    resource.updatedAt = this.now();
    resource.revisionNumber += 1;
  }
}
