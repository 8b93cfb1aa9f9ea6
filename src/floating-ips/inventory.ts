/**
 * Turns what a person typed (an instance name, an IP address, a pool name)
 * into OpenStack resources, and loads the topology the reachability rule
 * needs. Rarely-changing data (pools, networks, subnets, server names) is
 * cached briefly; routers and their interfaces, which decide reachability,
 * are always read fresh.
 */
import { PRODUCTION_TIMING } from '../config/timing.js';
import { looksLikeUuid } from '../openstack/compute.js';
import { OpenStackApiError } from '../openstack/errors.js';
import { type FloatingIp, type Network, type Port, ROUTER_INTERFACE_OWNERS, type Subnet } from '../openstack/schemas/neutron.js';
import type { ServerSummary } from '../openstack/schemas/nova.js';
import { Cached } from './cache.js';
import { type Attachment, type Named, stop } from './failures.js';
import { byName } from './names.js';
import type { CloudPorts, ProjectScope } from './ports.js';
import { named, type Topology } from './reachability.js';

export interface InventoryOptions {
  /** Pools, networks and subnets change rarely; a minute of staleness costs at most a wrong name. */
  topologyTtlMs: number;
  serverNamesTtlMs: number;
  /** Below this many unknown servers, fetch them one by one rather than listing every server. */
  maxIndividualServerLookups: number;
  now: () => number;
}

const DEFAULT_OPTIONS: InventoryOptions = {
  topologyTtlMs: PRODUCTION_TIMING.caches.topologyTtlMs,
  serverNamesTtlMs: PRODUCTION_TIMING.caches.serverNamesTtlMs,
  maxIndividualServerLookups: 3,
  now: () => Date.now(),
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4Address(text: string): boolean {
  return IPV4.test(text);
}

export type PoolChoice = 'requested' | 'only_pool' | 'router_gateway';

const TAG_EXTENSION = 'standard-attr-tag';

export class Inventory {
  readonly options: InventoryOptions;
  readonly pools: Cached<Network[]>;
  private readonly networks: Cached<Map<string, Network>>;
  private readonly subnets: Cached<Map<string, Subnet>>;
  /** Whether the cloud takes tags on floating IPs (standard-attr-tag): leases and the allocation tag need them. */
  readonly tagsSupported: Cached<boolean>;
  private readonly serverNames = new Map<string, { name: string; at: number }>();

  constructor(
    private readonly deps: CloudPorts,
    options: Partial<InventoryOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    const { topologyTtlMs: ttl, now } = this.options;
    this.pools = new Cached(() => deps.neutron.listExternalNetworks(), ttl, now);
    this.networks = new Cached(async () => byId(await deps.neutron.listNetworks()), ttl, now);
    this.subnets = new Cached(async () => byId(await deps.neutron.listSubnets()), ttl, now);
    this.tagsSupported = new Cached(() => deps.neutron.hasExtension(TAG_EXTENSION), ttl, now);
  }

  scope(): Promise<ProjectScope> {
    return this.deps.scope();
  }

  /** By id or exact name (id and name are all the callers need); stops with instance_not_found / instance_ambiguous. */
  async findInstance(query: string): Promise<ServerSummary> {
    const trimmed = query.trim();
    if (!trimmed) stop({ code: 'invalid_input', field: 'instance', problem: 'empty' });
    const lookup = await this.deps.nova.findServer(trimmed);
    if (lookup.kind === 'not_found') stop({ code: 'instance_not_found', query: trimmed });
    if (lookup.kind === 'ambiguous') {
      stop({
        code: 'instance_ambiguous',
        query: trimmed,
        matches: lookup.matches.map((server) => ({
          id: server.id,
          name: server.name,
          status: server.status,
          addresses: server.addresses.map((entry) => entry.address),
        })),
      });
    }
    this.rememberServer(lookup.server);
    return lookup.server;
  }

  /** A floating IP of our project, by address or id; tells "not found" from "another project's". */
  async findFloatingIp(input: string): Promise<FloatingIp> {
    const text = input.trim();
    const scope = await this.deps.scope();
    if (looksLikeUuid(text)) {
      const fip = await this.getFloatingIpOrUndefined(text);
      if (fip && (fip.projectId === scope.projectId || fip.projectId === '')) return fip;
      if (fip) stop({ code: 'floating_ip_other_project', address: fip.address, projectId: fip.projectId });
      stop({ code: 'floating_ip_not_found', address: text, project: scope.projectName ?? scope.projectId });
    }
    if (!isIpv4Address(text)) stop({ code: 'invalid_address', input: text });
    const [mine] = await this.deps.neutron.listFloatingIps({ address: text, projectId: scope.projectId });
    if (mine) return mine;
    // Only an admin token sees other projects' IPs; for anyone else this finds nothing.
    const [other] = scope.isAdmin ? await this.deps.neutron.listFloatingIps({ address: text }) : [];
    if (other) stop({ code: 'floating_ip_other_project', address: text, projectId: other.projectId });
    stop({ code: 'floating_ip_not_found', address: text, project: scope.projectName ?? scope.projectId });
  }

  private async getFloatingIpOrUndefined(id: string): Promise<FloatingIp | undefined> {
    try {
      return await this.deps.neutron.getFloatingIp(id);
    } catch (error) {
      if (error instanceof OpenStackApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** A pool by name or id (exact first, then case-insensitive). */
  async resolvePool(query: string): Promise<Network> {
    const text = query.trim();
    const pools = await this.pools.get();
    const match =
      pools.find((pool) => pool.id === text || pool.name === text) ??
      single(pools.filter((pool) => pool.name.toLowerCase() === text.toLowerCase()));
    if (match) return match;
    const networks = await this.networks.get();
    const network = [...networks.values()].find((candidate) => candidate.id === text || candidate.name === text);
    const choices = pools.map((pool) => named(pool, pool.id)).sort(byName);
    if (network) stop({ code: 'not_a_pool', network: named(network, network.id), pools: choices });
    stop({ code: 'pool_not_found', query: text, pools: choices });
  }

  /**
   * The only pool; else the one our routers use as gateway; else ambiguous, the choices ranked by how
   * many of our IPv4 subnets a router connects to each (the pool most instances can use comes first).
   */
  async defaultPool(): Promise<{ pool: Network; choice: PoolChoice }> {
    const pools = await this.pools.get();
    if (pools.length === 0) stop({ code: 'no_pools' });
    if (pools.length === 1) return { pool: pools[0]!, choice: 'only_pool' };
    const scope = await this.deps.scope();
    const [routers, interfaces] = await Promise.all([
      this.deps.neutron.listRouters({ projectId: scope.projectId }),
      this.deps.neutron.listPorts({ deviceOwners: ROUTER_INTERFACE_OWNERS }),
    ]);
    const gatewayOf = new Map(routers.flatMap((router) => (router.gateway ? [[router.id, router.gateway.networkId] as const] : [])));
    const subnetsReached = new Map<string, Set<string>>([...new Set(gatewayOf.values())].map((id) => [id, new Set<string>()]));
    for (const port of interfaces) {
      const pool = gatewayOf.get(port.deviceId);
      for (const fixed of pool ? port.fixedIps : []) if (isIpv4Address(fixed.ipAddress)) subnetsReached.get(pool!)!.add(fixed.subnetId);
    }
    const used = pools.filter((pool) => subnetsReached.has(pool.id));
    if (used.length === 1) return { pool: used[0]!, choice: 'router_gateway' };
    const reach = (pool: Named) => subnetsReached.get(pool.id)?.size ?? 0;
    const ranked = (used.length > 1 ? used : pools).map((pool) => named(pool, pool.id));
    stop({ code: 'pool_ambiguous', pools: ranked.sort((a, b) => reach(b) - reach(a) || byName(a, b)) });
  }

  async poolOf(networkId: string): Promise<Named> {
    const pools = await this.pools.get();
    return named(
      pools.find((pool) => pool.id === networkId),
      networkId,
    );
  }

  async portsOf(serverId: string): Promise<Port[]> {
    return this.deps.neutron.listPorts({ deviceIds: [serverId] });
  }

  /**
   * Networks and subnets (cached), routers and router interfaces (fresh).
   * `mustKnow` lists network and subnet ids the caller is about to look up:
   * if the cache lacks one, it is stale, and is reloaded once.
   */
  async topology(mustKnow: { networkIds?: string[]; subnetIds?: string[] } = {}): Promise<Topology> {
    // All in one round trip: a cache that expired reloads beside the fresh reads, not after them.
    const [scope, routers, routerInterfaces, cachedNetworks, cachedSubnets] = await Promise.all([
      this.deps.scope(),
      this.deps.neutron.listRouters(),
      this.deps.neutron.listPorts({ deviceOwners: ROUTER_INTERFACE_OWNERS }),
      this.networks.get(),
      this.subnets.get(),
    ]);
    let [networks, subnets] = [cachedNetworks, cachedSubnets];
    const interfaceNetworkIds = routerInterfaces.map((port) => port.networkId);
    if ([...(mustKnow.networkIds ?? []), ...interfaceNetworkIds].some((id) => !networks.has(id))) {
      this.networks.invalidate();
      networks = await this.networks.get();
    }
    if ((mustKnow.subnetIds ?? []).some((id) => !subnets.has(id))) {
      this.subnets.invalidate();
      subnets = await this.subnets.get();
    }
    return { projectId: scope.projectId, networks, subnets, routers: byId(routers), routerInterfaces };
  }

  /** Where a floating IP is attached, with the instance named; null when free. */
  async attachmentOf(fip: FloatingIp): Promise<Attachment | null> {
    const [attachment] = await this.attachmentsOf([fip]);
    return attachment ?? null;
  }

  /** Attachments for many IPs in a bounded number of requests (no call per row). */
  /**
   * `names`: all (default) resolves every instance name, listing all servers if many are unknown;
   * cached uses what is known plus a few lookups (typeahead must stay fast); none skips Nova.
   */
  async attachmentsOf(fips: readonly FloatingIp[], options: { names?: 'all' | 'cached' | 'none' } = {}): Promise<Array<Attachment | null>> {
    const attached = fips.filter((fip) => fip.portId !== null);
    // port_details is an extension (fip-port-details); without it, read the ports in one request.
    const missing = attached.filter((fip) => fip.portDetails === null).map((fip) => fip.portId!);
    const ports = missing.length ? byId(await this.deps.neutron.listPorts({ ids: missing })) : new Map<string, Port>();
    const devices = new Map<string, { deviceId: string; deviceOwner: string }>();
    for (const fip of attached) {
      const port = fip.portDetails ?? ports.get(fip.portId!);
      devices.set(fip.id, { deviceId: port?.deviceId ?? '', deviceOwner: port?.deviceOwner ?? '' });
    }
    const serverIds = [...devices.values()]
      .filter((device) => device.deviceOwner.startsWith('compute:') && device.deviceId)
      .map((device) => device.deviceId);
    const mode = options.names ?? 'all';
    const names = mode === 'none' ? new Map<string, string>() : await this.serverNamesFor(serverIds, { allowListing: mode === 'all' });
    return fips.map((fip) => {
      if (fip.portId === null) return null;
      const device = devices.get(fip.id)!;
      const isServer = device.deviceOwner.startsWith('compute:') && device.deviceId !== '';
      return {
        portId: fip.portId,
        fixedIp: fip.fixedIpAddress,
        instance: isServer ? { id: device.deviceId, name: names.get(device.deviceId) ?? device.deviceId } : null,
        deviceOwner: device.deviceOwner,
      };
    });
  }

  /**
   * Names for server ids: from the cache when known and fresh; a few unknown
   * ones one by one; many unknown ones with one listing of all servers.
   */
  async serverNamesFor(ids: readonly string[], options: { allowListing?: boolean } = {}): Promise<ReadonlyMap<string, string>> {
    const now = this.options.now();
    const isFresh = (id: string) => {
      const entry = this.serverNames.get(id);
      return entry !== undefined && now - entry.at < this.options.serverNamesTtlMs;
    };
    const unknown = [...new Set(ids)].filter((id) => !isFresh(id));
    if (unknown.length > this.options.maxIndividualServerLookups && options.allowListing !== false) {
      const all = await this.deps.nova.listServerNames();
      // A full listing is the truth: forgetting the rest keeps deleted servers from piling up.
      this.serverNames.clear();
      for (const server of all) this.rememberServer(server, now);
    } else if (unknown.length > 0 && unknown.length <= this.options.maxIndividualServerLookups) {
      const servers = await Promise.all(unknown.map((id) => this.deps.nova.getServer(id)));
      for (const server of servers) if (server) this.rememberServer(server, now);
    }
    return new Map(
      ids.flatMap((id) => {
        const entry = this.serverNames.get(id);
        return entry ? [[id, entry.name] as const] : [];
      }),
    );
  }

  private rememberServer(server: { id: string; name: string }, at = this.options.now()): void {
    this.serverNames.set(server.id, { name: server.name, at });
  }
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

function single<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
