/**
 * Neutron (network API v2.0): the resources floating IPs depend on.
 *
 * Status codes worth knowing (the floating-IP service maps them):
 *  - POST /floatingips: 201; 409 OverQuota, IpAddressGenerationFailure (pool
 *    exhausted), IpAddressInUse; 404 ExternalGatewayForFloatingIPNotFound
 *    when created with a port; 400 BadRequest.
 *  - PUT /floatingips/{id}: 200; 404 ExternalGatewayForFloatingIPNotFound,
 *    FloatingIPNotFound, PortNotFound; 409 FloatingIPPortAlreadyAssociated;
 *    400 BadRequest (IPv6 / several IPv4 / other project's port);
 *    412 when the If-Match revision no longer matches.
 *  - DELETE /floatingips/{id}: 204; 404 FloatingIPNotFound; 412 as above.
 *  - PUT /floatingips/{id}/tags/{tag}: 201 (a tag it has: 201, nothing
 *    changes); PUT .../tags {"tags": [...]}: 200, replaces all; DELETE
 *    .../tags/{tag}: 204, 404 TagNotFound. A change to the tags bumps the
 *    revision; If-Match on these URLs is a 500, so they cannot be guarded.
 */
import { z } from 'zod';
import type { OpenStackClient, Query } from './client.js';
import {
  extensionSchema,
  type FloatingIp,
  floatingIpBodySchema,
  floatingIpListSchema,
  type Network,
  networkListSchema,
  type Port,
  portListSchema,
  type QuotaDetails,
  quotaDetailsSchema,
  ipAvailabilitySchema,
  type IpAvailability,
  type Router,
  routerListSchema,
  type Subnet,
  subnetListSchema,
} from './schemas/neutron.js';
import { nextMarker } from './schemas/links.js';
import { OpenStackApiError } from './errors.js';

export interface FloatingIpFilter {
  projectId?: string;
  networkId?: string;
  portId?: string | string[];
  address?: string;
  fixedIpAddress?: string;
  description?: string;
  routerId?: string;
  /** Only IPs carrying every one of these tags (Neutron's `tags=`, exact names). */
  tags?: readonly string[];
  /** Fetch one page of at most this many (typeahead); omitted = every page. */
  limit?: number;
  /** Only these attributes (Neutron's `fields=`): a report over thousands reads less. The schema's required ones must be among them. */
  fields?: readonly string[];
  /** Every page, this many at a time (default: the adapter's page size): fewer round trips for a report over thousands. */
  pageSize?: number;
  /** Neutron's status (DOWN: not in use, or on a stopped instance). */
  status?: string;
  /** Neutron's sort_key / sort_dir: with `limit`, the first few of an order (the oldest unattached). */
  sort?: { key: string; direction: 'asc' | 'desc' };
}

export interface CreateFloatingIp {
  networkId: string;
  address?: string;
  subnetId?: string;
  /** With a port, Neutron allocates and associates in one transaction: a refusal allocates nothing. */
  portId?: string;
  fixedIpAddress?: string;
  description?: string;
}

export interface UpdateFloatingIp {
  /** null detaches; undefined leaves the association alone. */
  portId?: string | null;
  fixedIpAddress?: string;
  description?: string;
}

export interface Conditional {
  /** Send If-Match: revision_number=N so Neutron refuses (412) if the IP changed since we read it. */
  ifRevision?: number;
}

/** A change OpenStack made, with the request id operators grep for. */
export interface Mutation<T> {
  value: T;
  requestId: string | undefined;
}

export interface NeutronOptions {
  /** Page size for listings; Neutron returns a next link when a page is full. */
  pageSize: number;
  /** Ids per request when filtering by many ids (keeps URLs short). */
  idsPerRequest: number;
}

const DEFAULT_NEUTRON_OPTIONS: NeutronOptions = { pageSize: 500, idsPerRequest: 40 };

type ListSchema = z.ZodType<Record<string, unknown>>;

export class NeutronApi {
  private readonly options: NeutronOptions;

  constructor(
    private readonly client: OpenStackClient,
    options: Partial<NeutronOptions> = {},
  ) {
    this.options = { ...DEFAULT_NEUTRON_OPTIONS, ...options };
  }

  listFloatingIps(filter: FloatingIpFilter = {}): Promise<FloatingIp[]> {
    const query: Query = {
      project_id: filter.projectId,
      floating_network_id: filter.networkId,
      port_id: filter.portId,
      floating_ip_address: filter.address,
      fixed_ip_address: filter.fixedIpAddress,
      description: filter.description,
      router_id: filter.routerId,
      tags: filter.tags && filter.tags.length > 0 ? filter.tags.join(',') : undefined,
      status: filter.status,
      sort_key: filter.sort?.key,
      sort_dir: filter.sort?.direction,
      fields: filter.fields,
    };
    return this.list('/floatingips', floatingIpListSchema, 'floatingips', 'floatingips_links', query, filter.limit, filter.pageSize);
  }

  async getFloatingIp(id: string): Promise<FloatingIp> {
    const result = await this.client.call(
      'network',
      { method: 'GET', path: `/floatingips/${encodeURIComponent(id)}` },
      floatingIpBodySchema,
    );
    return result.data.floatingip;
  }

  async createFloatingIp(request: CreateFloatingIp): Promise<Mutation<FloatingIp>> {
    const body = {
      floatingip: {
        floating_network_id: request.networkId,
        ...(request.address ? { floating_ip_address: request.address } : {}),
        ...(request.subnetId ? { subnet_id: request.subnetId } : {}),
        ...(request.portId ? { port_id: request.portId } : {}),
        ...(request.fixedIpAddress ? { fixed_ip_address: request.fixedIpAddress } : {}),
        ...(request.description !== undefined ? { description: request.description } : {}),
      },
    };
    const result = await this.client.call('network', { method: 'POST', path: '/floatingips', body }, floatingIpBodySchema);
    return { value: result.data.floatingip, requestId: result.requestId };
  }

  async updateFloatingIp(id: string, changes: UpdateFloatingIp, conditional: Conditional = {}): Promise<Mutation<FloatingIp>> {
    const floatingip: Record<string, unknown> = {};
    // Detaching needs an explicit null: omitting port_id in a non-empty body keeps the association.
    if (changes.portId !== undefined) floatingip.port_id = changes.portId;
    if (changes.fixedIpAddress !== undefined) floatingip.fixed_ip_address = changes.fixedIpAddress;
    if (changes.description !== undefined) floatingip.description = changes.description;
    const result = await this.client.call(
      'network',
      { method: 'PUT', path: `/floatingips/${encodeURIComponent(id)}`, body: { floatingip }, headers: ifMatch(conditional) },
      floatingIpBodySchema,
    );
    return { value: result.data.floatingip, requestId: result.requestId };
  }

  async deleteFloatingIp(id: string, conditional: Conditional = {}): Promise<Mutation<{ attempts: number }>> {
    const result = await this.client.callNoContent('network', {
      method: 'DELETE',
      path: `/floatingips/${encodeURIComponent(id)}`,
      headers: ifMatch(conditional),
    });
    return { value: { attempts: result.attempts }, requestId: result.requestId };
  }

  /** Adds one tag (standard-attr-tag); a tag the IP already has changes nothing. */
  async addFloatingIpTag(id: string, tag: string): Promise<Mutation<undefined>> {
    const result = await this.client.callNoContent('network', { method: 'PUT', path: `${tagsPath(id)}/${encodeURIComponent(tag)}` });
    return { value: undefined, requestId: result.requestId };
  }

  async removeFloatingIpTag(id: string, tag: string): Promise<Mutation<undefined>> {
    const result = await this.client.callNoContent('network', { method: 'DELETE', path: `${tagsPath(id)}/${encodeURIComponent(tag)}` });
    return { value: undefined, requestId: result.requestId };
  }

  /** Replaces every tag of the IP in one request (Neutron answers with the tags it now has). */
  async replaceFloatingIpTags(id: string, tags: readonly string[]): Promise<Mutation<string[]>> {
    const result = await this.client.call('network', { method: 'PUT', path: tagsPath(id), body: { tags } }, tagsBodySchema);
    return { value: result.data.tags, requestId: result.requestId };
  }

  listNetworks(filter: { ids?: string[]; external?: boolean; name?: string } = {}): Promise<Network[]> {
    return this.listByIds(filter.ids, (ids) =>
      this.list('/networks', networkListSchema, 'networks', 'networks_links', {
        id: ids,
        'router:external': filter.external,
        name: filter.name,
      }),
    );
  }

  /** Floating-IP pools: the networks with router:external=true. */
  listExternalNetworks(): Promise<Network[]> {
    return this.listNetworks({ external: true });
  }

  listSubnets(filter: { ids?: string[]; networkIds?: string[] } = {}): Promise<Subnet[]> {
    return this.listByIds(filter.ids, (ids) =>
      this.list('/subnets', subnetListSchema, 'subnets', 'subnets_links', { id: ids, network_id: filter.networkIds }),
    );
  }

  listPorts(
    filter: { ids?: string[]; deviceIds?: string[]; deviceOwners?: readonly string[]; networkIds?: string[]; projectId?: string } = {},
  ): Promise<Port[]> {
    return this.listByIds(filter.ids, (ids) =>
      this.list('/ports', portListSchema, 'ports', 'ports_links', {
        id: ids,
        device_id: filter.deviceIds,
        device_owner: filter.deviceOwners,
        network_id: filter.networkIds,
        project_id: filter.projectId,
      }),
    );
  }

  listRouters(filter: { projectId?: string } = {}): Promise<Router[]> {
    return this.list('/routers', routerListSchema, 'routers', 'routers_links', { project_id: filter.projectId });
  }

  /** Whether Neutron has an extension (GET /extensions/{alias}: 200, or 404 when it has not). */
  async hasExtension(alias: string): Promise<boolean> {
    try {
      await this.client.call('network', { method: 'GET', path: `/extensions/${encodeURIComponent(alias)}` }, extensionSchema);
      return true;
    } catch (error) {
      if (error instanceof OpenStackApiError && error.status === 404) return false;
      throw error;
    }
  }

  async getIpAvailability(networkId: string): Promise<IpAvailability> {
    const result = await this.client.call(
      'network',
      { method: 'GET', path: `/network-ip-availabilities/${encodeURIComponent(networkId)}` },
      ipAvailabilitySchema,
    );
    return result.data;
  }

  async getQuotaDetails(projectId: string): Promise<QuotaDetails> {
    const result = await this.client.call(
      'network',
      { method: 'GET', path: `/quotas/${encodeURIComponent(projectId)}/details` },
      quotaDetailsSchema,
    );
    return result.data;
  }

  /** Follows Neutron's `<resource>_links` next markers until the last page. */
  private async list<S extends ListSchema, K extends keyof z.output<S> & string>(
    path: string,
    schema: S,
    key: K,
    linksKey: string,
    query: Query,
    onePageLimit?: number,
    pageSize?: number,
  ): Promise<z.output<S>[K]> {
    const items: unknown[] = [];
    const limit = onePageLimit ?? pageSize ?? this.options.pageSize;
    let marker: string | undefined;
    for (;;) {
      const result = await this.client.call('network', { method: 'GET', path, query: { ...query, limit, marker } }, schema);
      const page = result.data[key] as unknown[];
      items.push(...page);
      const next = nextMarker(result.data[linksKey] as Array<{ rel: string; href: string }> | undefined);
      // A full page with a next link means more; pagination switched off server-side returns everything at once.
      // A server repeating its marker would loop forever: stop instead.
      if (onePageLimit !== undefined || !next || next === marker || page.length === 0) break;
      marker = next;
    }
    return items as z.output<S>[K];
  }

  /** Splits a long id filter into several requests; an empty id list needs no request at all. */
  private async listByIds<T>(ids: string[] | undefined, fetch: (ids: string[] | undefined) => Promise<T[]>): Promise<T[]> {
    if (ids === undefined) return fetch(undefined);
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += this.options.idsPerRequest) chunks.push(unique.slice(i, i + this.options.idsPerRequest));
    const pages = await Promise.all(chunks.map((chunk) => fetch(chunk)));
    return pages.flat();
  }
}

function tagsPath(floatingIpId: string): string {
  return `/floatingips/${encodeURIComponent(floatingIpId)}/tags`;
}

const tagsBodySchema = z.object({ tags: z.array(z.string()) });

function ifMatch(conditional: Conditional): Record<string, string> {
  return conditional.ifRevision === undefined ? {} : { 'if-match': `revision_number=${conditional.ifRevision}` };
}
