/**
 * Turns a SeedSpec into state, through the same operations the API uses
 * (port allocation, the association rule, server boot), so a seed that
 * breaks Neutron's rules fails loudly instead of producing an impossible
 * cloud. Seeded ids derive from names; creation times are spread one second
 * apart in seed order so Nova's newest-first order is deterministic.
 */
import { stableHexId, stableUuid } from './ids.js';
import { defaultPool, formatIp, parseCidr, parseIp } from './ip.js';
import type { AuthContext, Router } from './model.js';
import { DEVICE_OWNER } from './model.js';
import { createFloatingIp } from './neutron/floating-ip-service.js';
import type { SeedSpec, SeedSubnet } from './seed.js';
import { bootServer } from './server-lifecycle.js';
import type { Store } from './store.js';

const ROLE_NAMES = ['admin', 'member', 'reader'];

function requireId(map: ReadonlyMap<string, string>, name: string, what: string): string {
  const id = map.get(name);
  if (id === undefined) throw new Error(`seed: unknown ${what} "${name}"`);
  return id;
}

function countItems(spec: SeedSpec): number {
  return spec.images.length + spec.networks.length + spec.routers.length + spec.servers.length + spec.floatingIps.length + 10;
}

export function applySeed(store: Store, spec: SeedSpec): void {
  const realClock = store.clock;
  let tick = 0;
  const start = realClock().getTime() - countItems(spec) * 1000;
  store.clock = () => new Date(start + tick * 1000);
  try {
    build(store, spec, () => tick++);
  } finally {
    store.clock = realClock;
  }
}

function build(store: Store, spec: SeedSpec, advance: () => void): void {
  store.domains.set(spec.domain.id, { ...spec.domain });
  for (const name of ROLE_NAMES) store.roles.set(name, { id: stableHexId('role', name), name });

  const projectIds = new Map<string, string>();
  for (const name of spec.projects) {
    const id = stableHexId('project', name);
    projectIds.set(name, id);
    store.projects.set(id, { id, name, domainId: spec.domain.id });
  }
  const userIds = new Map<string, string>();
  for (const user of spec.users) {
    const id = stableHexId('user', user.name);
    const projectId = requireId(projectIds, user.project, 'project');
    userIds.set(user.name, id);
    store.users.set(id, {
      id,
      name: user.name,
      domainId: spec.domain.id,
      password: user.password,
      defaultProjectId: projectId,
      roles: new Map([[projectId, [...user.roles]]]),
    });
  }
  for (const credential of spec.applicationCredentials) {
    const user = store.users.get(requireId(userIds, credential.user, 'user'));
    if (!user) continue;
    store.applicationCredentials.set(credential.id, {
      id: credential.id,
      name: credential.name,
      secret: credential.secret,
      userId: user.id,
      projectId: user.defaultProjectId,
      roles: user.roles.get(user.defaultProjectId) ?? [],
    });
  }
  for (const [project, limits] of Object.entries(spec.quotas ?? {})) {
    const projectId = requireId(projectIds, project, 'project');
    for (const [resource, limit] of Object.entries(limits)) store.setQuota(projectId, resource, limit);
  }

  for (const image of spec.images) {
    advance();
    const now = store.now();
    const id = stableUuid('image', image.name);
    store.images.set(id, {
      id,
      name: image.name,
      status: 'active',
      sizeBytes: image.sizeBytes,
      minRamMb: 0,
      minDiskGb: 0,
      properties: {},
      createdAt: now,
      updatedAt: now,
    });
  }
  for (const flavor of spec.flavors) {
    const id = stableUuid('flavor', flavor.name);
    store.flavors.set(id, {
      id,
      name: flavor.name,
      vcpus: flavor.vcpus,
      ramMb: flavor.ramMb,
      diskGb: flavor.diskGb,
      ephemeralGb: 0,
      swapMb: 0,
      rxtxFactor: 1,
      isPublic: true,
      disabled: false,
      description: null,
    });
  }

  const networkIds = new Map<string, string>();
  const subnetIds = new Map<string, string>();
  for (const network of spec.networks) {
    advance();
    const id = stableUuid('network', network.name);
    const projectId = requireId(projectIds, network.project, 'project');
    networkIds.set(network.name, id);
    const now = store.now();
    store.addNetwork({
      id,
      name: network.name,
      projectId,
      shared: network.shared ?? false,
      external: network.external ?? false,
      isDefault: false,
      mtu: 1500,
      subnetIds: [],
      description: '',
      tags: [],
      createdAt: now,
      updatedAt: now,
      revisionNumber: 0,
    });
    for (const subnet of network.subnets) {
      subnetIds.set(subnet.name, addSeedSubnet(store, id, projectId, subnet));
    }
    const firstSubnet = network.subnets[0];
    if (network.dhcpPort !== undefined && firstSubnet) {
      store.createPort({
        id: stableUuid('port', `dhcp:${network.name}`),
        networkId: id,
        projectId,
        deviceId: `dhcp${stableHexId('dhcp-host', 'agent')}-${id}`,
        deviceOwner: DEVICE_OWNER.dhcp,
        status: 'ACTIVE',
        fixedIps: [{ subnetId: requireId(subnetIds, firstSubnet.name, 'subnet'), ipAddress: network.dhcpPort }],
      });
    }
  }

  for (const spec_ of spec.routers) {
    advance();
    const now = store.now();
    const router: Router = {
      id: stableUuid('router', spec_.name),
      name: spec_.name,
      projectId: requireId(projectIds, spec_.project, 'project'),
      status: 'ACTIVE',
      adminStateUp: true,
      gatewayNetworkId: null,
      enableSnat: true,
      description: '',
      tags: [],
      createdAt: now,
      updatedAt: now,
      revisionNumber: 0,
    };
    store.addRouter(router);
    if (spec_.gateway !== undefined) store.setRouterGateway(router, requireId(networkIds, spec_.gateway, 'network'));
    for (const subnetName of spec_.interfaces) {
      const subnet = store.subnets.get(requireId(subnetIds, subnetName, 'subnet'));
      if (!subnet) continue;
      store.createPort({
        id: stableUuid('port', `${spec_.name}:${subnetName}`),
        networkId: subnet.networkId,
        projectId: router.projectId,
        deviceId: router.id,
        deviceOwner: DEVICE_OWNER.routerInterface,
        status: 'ACTIVE',
        fixedIps: subnet.gatewayIp !== null ? [{ subnetId: subnet.id, ipAddress: subnet.gatewayIp }] : [{ subnetId: subnet.id }],
      });
      store.touch(router);
    }
  }

  const serverIds = new Map<string, string>();
  for (const server of spec.servers) {
    advance();
    const id = stableUuid('server', server.name);
    serverIds.set(server.name, id);
    bootServer(store, {
      id,
      name: server.name,
      projectId: requireId(projectIds, server.project, 'project'),
      userId: requireId(userIds, server.user, 'user'),
      nics: server.nics.map((nic) => ({
        networkId: requireId(networkIds, nic.network, 'network'),
        ...(nic.fixedIps ? { fixedIps: nic.fixedIps.map((ipAddress) => ({ ipAddress })) } : {}),
      })),
      portIds: server.nics.map((_, index) => stableUuid('port', `${server.name}:${index}`)),
    });
  }

  const admin: AuthContext = { userId: '', projectId: '', roles: ['admin'], isAdmin: true };
  for (const fip of spec.floatingIps) {
    advance();
    let portId: string | undefined;
    if (fip.attachTo) {
      const serverId = requireId(serverIds, fip.attachTo.server, 'server');
      portId = store.portsOfDevice(serverId)[0]?.id;
    }
    createFloatingIp(store, admin, {
      id: stableUuid('floatingip', fip.address),
      floatingNetworkId: requireId(networkIds, fip.network, 'network'),
      projectId: requireId(projectIds, fip.project, 'project'),
      floatingIpAddress: fip.address,
      description: fip.description ?? '',
      body: {
        port_id: portId ?? null,
        ...(fip.attachTo?.fixedIp !== undefined ? { fixed_ip_address: fip.attachTo.fixedIp } : {}),
      },
    });
  }
}

function addSeedSubnet(store: Store, networkId: string, projectId: string, subnet: SeedSubnet): string {
  const cidr = parseCidr(subnet.cidr);
  if (!cidr) throw new Error(`seed: bad cidr ${subnet.cidr}`);
  const gateway = subnet.gateway === null ? undefined : subnet.gateway !== undefined ? parseIp(subnet.gateway)?.value : cidr.network + 1n;
  const pools = subnet.pools
    ? subnet.pools.map(([start, end]) => ({ start, end }))
    : [
        (() => {
          const pool = defaultPool(cidr, gateway);
          return {
            start: formatIp({ version: cidr.version, value: pool.start }),
            end: formatIp({ version: cidr.version, value: pool.end }),
          };
        })(),
      ];
  const id = stableUuid('subnet', subnet.name);
  const now = store.now();
  store.addSubnet({
    id,
    name: subnet.name,
    projectId,
    networkId,
    ipVersion: cidr.version,
    cidr: subnet.cidr,
    gatewayIp: gateway === undefined ? null : formatIp({ version: cidr.version, value: gateway }),
    allocationPools: pools,
    enableDhcp: subnet.dhcp ?? true,
    ipv6RaMode: null,
    ipv6AddressMode: null,
    dnsNameservers: [],
    description: '',
    tags: [],
    createdAt: now,
    updatedAt: now,
    revisionNumber: 0,
  });
  return id;
}
