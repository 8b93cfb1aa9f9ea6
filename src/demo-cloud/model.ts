/**
 * The records the demo cloud keeps. They are plain data; store.ts owns every
 * mutation so its indexes stay consistent. Field names follow OpenStack's
 * vocabulary (camelCase) so views can map them one to one.
 */

export interface Domain {
  id: string;
  name: string;
}

export interface Project {
  id: string;
  name: string;
  domainId: string;
}

export interface Role {
  id: string;
  name: string;
}

export interface User {
  id: string;
  name: string;
  domainId: string;
  password: string;
  defaultProjectId: string;
  /** Role names per project id (implied roles already expanded, as Keystone lists them). */
  roles: Map<string, string[]>;
}

export interface ApplicationCredential {
  id: string;
  name: string;
  secret: string;
  userId: string;
  projectId: string;
  roles: string[];
}

/** Timestamps and revision every Neutron resource carries (standard attributes). */
export interface StandardAttributes {
  description: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  revisionNumber: number;
}

export interface Network extends StandardAttributes {
  id: string;
  name: string;
  projectId: string;
  shared: boolean;
  external: boolean;
  isDefault: boolean;
  mtu: number;
  subnetIds: string[];
}

export interface AllocationPool {
  start: string;
  end: string;
}

export interface Subnet extends StandardAttributes {
  id: string;
  name: string;
  projectId: string;
  networkId: string;
  ipVersion: 4 | 6;
  cidr: string;
  gatewayIp: string | null;
  allocationPools: AllocationPool[];
  enableDhcp: boolean;
  ipv6RaMode: string | null;
  ipv6AddressMode: string | null;
  dnsNameservers: string[];
}

export interface FixedIp {
  subnetId: string;
  ipAddress: string;
}

export interface Port extends StandardAttributes {
  id: string;
  name: string;
  networkId: string;
  projectId: string;
  macAddress: string;
  adminStateUp: boolean;
  status: string;
  deviceId: string;
  deviceOwner: string;
  fixedIps: FixedIp[];
}

export interface Router extends StandardAttributes {
  id: string;
  name: string;
  projectId: string;
  status: string;
  adminStateUp: boolean;
  /** The external network the gateway port sits on; the port itself is in the ports table. */
  gatewayNetworkId: string | null;
  enableSnat: boolean;
}

export interface FloatingIp extends StandardAttributes {
  id: string;
  projectId: string;
  floatingIpAddress: string;
  floatingNetworkId: string;
  /** The hidden network:floatingip port holding the external address. */
  floatingPortId: string;
  routerId: string | null;
  portId: string | null;
  fixedIpAddress: string | null;
  status: string;
}

export interface Server {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  launchedAt: string;
  imageId: string;
  flavorId: string;
  /** Ports Nova created for this server (deleted with it); pre-existing ports are only unbound. */
  ownedPortIds: string[];
}

/** A Glance image as Nova's image proxy shows it (the demo cloud has no Glance of its own). */
export interface Image {
  id: string;
  name: string;
  /** Glance's status: active, queued, saving, ... */
  status: string;
  sizeBytes: number;
  minRamMb: number;
  minDiskGb: number;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  ephemeralGb: number;
  swapMb: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
}

export interface QuotaLimits {
  [resource: string]: number;
}

export const DEVICE_OWNER = {
  compute: 'compute:nova',
  dhcp: 'network:dhcp',
  routerInterface: 'network:router_interface',
  routerGateway: 'network:router_gateway',
  floatingIp: 'network:floatingip',
} as const;

/** neutron_lib.constants.ROUTER_INTERFACE_OWNERS: the ports that join a router to a subnet. */
export const ROUTER_INTERFACE_OWNERS: ReadonlySet<string> = new Set([
  'network:router_interface',
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
]);

export const DEFAULT_QUOTAS: Readonly<QuotaLimits> = {
  network: 100,
  subnet: 100,
  subnetpool: -1,
  port: 500,
  router: 10,
  floatingip: 50,
  rbac_policy: 10,
  security_group: 10,
  security_group_rule: 100,
};

/** Who is calling, from a validated token: what policy checks need. */
export interface AuthContext {
  userId: string;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
}
