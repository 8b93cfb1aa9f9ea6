/**
 * What the floating-IP use cases need from the world, as small interfaces:
 * Neutron, Nova and the project the bot acts in. The OpenStack adapter
 * (openstack/network.ts, compute.ts, client.ts) implements them over HTTP;
 * tests may hand in the demo cloud's adapter or simple fakes. Failures come
 * back as the adapter's typed errors (openstack/errors.ts).
 */
import type { ServerLookup } from '../openstack/compute.js';
import type { Conditional, CreateFloatingIp, FloatingIpFilter, Mutation, UpdateFloatingIp } from '../openstack/network.js';
import type { FloatingIp, IpAvailability, Network, Port, QuotaDetails, Router, Subnet } from '../openstack/schemas/neutron.js';
import type { ServerDetail, ServerSummary } from '../openstack/schemas/nova.js';

export interface NetworkPort {
  listFloatingIps(filter?: FloatingIpFilter): Promise<FloatingIp[]>;
  getFloatingIp(id: string): Promise<FloatingIp>;
  createFloatingIp(request: CreateFloatingIp): Promise<Mutation<FloatingIp>>;
  updateFloatingIp(id: string, changes: UpdateFloatingIp, conditional?: Conditional): Promise<Mutation<FloatingIp>>;
  deleteFloatingIp(id: string, conditional?: Conditional): Promise<Mutation<{ attempts: number }>>;
  /** Replaces every tag of the IP (standard-attr-tag): how a lease is written. */
  replaceFloatingIpTags(id: string, tags: readonly string[]): Promise<Mutation<string[]>>;
  /** Adds one tag (a tag it has changes nothing). */
  addFloatingIpTag(id: string, tag: string): Promise<Mutation<undefined>>;
  /** Whether Neutron has the extension (standard-attr-tag: fipbot tags what it allocates). */
  hasExtension(alias: string): Promise<boolean>;
  getQuotaDetails(projectId: string): Promise<QuotaDetails>;
  /** Admin only by default: others get 404 (or 403 where the policy says so). */
  getIpAvailability(networkId: string): Promise<IpAvailability>;
  listExternalNetworks(): Promise<Network[]>;
  listNetworks(): Promise<Network[]>;
  listSubnets(): Promise<Subnet[]>;
  listRouters(filter?: { projectId?: string }): Promise<Router[]>;
  listPorts(filter: { ids?: string[]; deviceIds?: string[]; deviceOwners?: readonly string[]; projectId?: string }): Promise<Port[]>;
}

export interface ComputePort {
  /** By id or exact name. */
  findServer(nameOrId: string): Promise<ServerLookup>;
  getServer(id: string): Promise<ServerDetail | undefined>;
  searchServersByPrefix(prefix: string, limit: number): Promise<ServerSummary[]>;
  listServerNames(): Promise<ServerSummary[]>;
}

/** The project the bot's token is scoped to. */
export interface ProjectScope {
  projectId: string;
  projectName: string | undefined;
  isAdmin: boolean;
}

export interface CloudPorts {
  neutron: NetworkPort;
  nova: ComputePort;
  scope: () => Promise<ProjectScope>;
}
