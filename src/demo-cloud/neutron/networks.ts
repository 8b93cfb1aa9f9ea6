/** /v2.0/networks and /v2.0/subnets: lists for clients, create/delete for test set-up. */
import type { CloudContext } from '../context.js';
import { httpBadRequest, NeutronError, neutronNotFound, policyNotAuthorized } from '../errors.js';
import { newUuid } from '../ids.js';
import { describeValue } from '../json.js';
import { defaultPool, formatCidr, formatIp, parseCidr, parseIp } from '../ip.js';
import type { AuthContext, Network, Subnet } from '../model.js';
import type { Store } from '../store.js';
import { indexedCandidates, listCollection, TAG_FILTERS } from './query.js';
import { neutronJson, neutronNoContent, owningProject, resourceBody, showResponse } from './respond.js';
import type { NeutronRouteSink } from './respond.js';
import { enforceRevision } from './revisions.js';
import { networkView, subnetView } from './views.js';
import { canSeeNetwork, canSeeSubnet } from './visibility.js';

const NETWORK_ATTRIBUTES = new Set([
  'id',
  'name',
  'tenant_id',
  'project_id',
  'admin_state_up',
  'mtu',
  'status',
  'shared',
  'router:external',
  'description',
  'port_security_enabled',
  'is_default',
  'subnets',
  'created_at',
  'updated_at',
  'revision_number',
]);
const NETWORK_BOOLEANS = new Set(['admin_state_up', 'shared', 'router:external', 'port_security_enabled', 'is_default']);

const SUBNET_ATTRIBUTES = new Set([
  'id',
  'name',
  'tenant_id',
  'project_id',
  'network_id',
  'ip_version',
  'subnetpool_id',
  'enable_dhcp',
  'ipv6_ra_mode',
  'ipv6_address_mode',
  'gateway_ip',
  'cidr',
  'description',
  'created_at',
  'updated_at',
  'revision_number',
]);

function byIdIndex<T>(map: ReadonlyMap<string, T>): (id: string) => T[] {
  return (id) => {
    const item = map.get(id);
    return item ? [item] : [];
  };
}

export function visibleNetwork(store: Store, auth: AuthContext, id: string): Network {
  const network = store.networks.get(id);
  if (!network || !canSeeNetwork(auth, network)) throw neutronNotFound.network(id);
  return network;
}

export function visibleSubnet(store: Store, auth: AuthContext, id: string): Subnet {
  const subnet = store.subnets.get(id);
  if (!subnet || !canSeeSubnet(auth, store, subnet)) throw neutronNotFound.subnet(id);
  return subnet;
}

function requireOwner(auth: AuthContext, resource: { projectId: string }, rule: string): void {
  if (!auth.isAdmin && resource.projectId !== auth.projectId) throw policyNotAuthorized(rule);
}

function booleanField(payload: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = payload[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new NeutronError(
    400,
    'HTTPBadRequest',
    `Invalid input for ${key}. Reason: '${describeValue(value)}' is not a valid boolean value.`,
  );
}

function stringField(payload: Record<string, unknown>, key: string, fallback: string): string {
  const value = payload[key];
  return typeof value === 'string' ? value : fallback;
}

function createSubnet(store: Store, auth: AuthContext, payload: Record<string, unknown>): Subnet {
  const networkId = stringField(payload, 'network_id', '');
  if (networkId === '') throw httpBadRequest("Failed to parse request. Required attribute 'network_id' not specified");
  const network = visibleNetwork(store, auth, networkId);
  requireOwner(auth, network, '(rule:create_subnet and rule:create_subnet:network_owner)');
  const cidr = parseCidr(stringField(payload, 'cidr', ''));
  if (!cidr) throw httpBadRequest(`Invalid input for cidr. Reason: '${describeValue(payload['cidr'])}' is not a valid IP subnet.`);
  const ipVersion = payload['ip_version'] ?? cidr.version;
  if (ipVersion !== cidr.version) {
    throw new NeutronError(
      400,
      'InvalidInput',
      `Invalid input for operation: Cidr ${formatCidr(cidr)} does not match ip_version ${describeValue(ipVersion)}.`,
    );
  }
  const gatewayInput = payload['gateway_ip'];
  const gateway =
    gatewayInput === null
      ? null
      : typeof gatewayInput === 'string'
        ? (parseIp(gatewayInput) ?? null)
        : { version: cidr.version, value: cidr.network + 1n };
  const requestedPools = payload['allocation_pools'];
  const pools = Array.isArray(requestedPools)
    ? requestedPools.map((pool: unknown) => {
        const p = pool as { start?: unknown; end?: unknown };
        return { start: String(p.start), end: String(p.end) };
      })
    : [
        (() => {
          const pool = defaultPool(cidr, gateway?.value);
          return {
            start: formatIp({ version: cidr.version, value: pool.start }),
            end: formatIp({ version: cidr.version, value: pool.end }),
          };
        })(),
      ];
  const now = store.now();
  return store.addSubnet({
    id: newUuid(),
    name: stringField(payload, 'name', ''),
    projectId: owningProject(payload, auth),
    networkId,
    ipVersion: cidr.version,
    cidr: formatCidr(cidr),
    gatewayIp: gateway ? formatIp(gateway) : null,
    allocationPools: pools,
    enableDhcp: booleanField(payload, 'enable_dhcp', true),
    ipv6RaMode: typeof payload['ipv6_ra_mode'] === 'string' ? payload['ipv6_ra_mode'] : null,
    ipv6AddressMode: typeof payload['ipv6_address_mode'] === 'string' ? payload['ipv6_address_mode'] : null,
    dnsNameservers: Array.isArray(payload['dns_nameservers']) ? payload['dns_nameservers'].map(String) : [],
    description: stringField(payload, 'description', ''),
    tags: [],
    createdAt: now,
    updatedAt: now,
    revisionNumber: 0,
  });
}

export function registerNetworkRoutes(routes: NeutronRouteSink, ctx: CloudContext): void {
  const store = ctx.store;

  routes.add('GET', '/v2.0/networks', (req, _params, auth) => {
    const body = listCollection(req, {
      collection: 'networks',
      attributes: NETWORK_ATTRIBUTES,
      booleanAttributes: NETWORK_BOOLEANS,
      candidates: (filters) => indexedCandidates(filters, { id: byIdIndex(store.networks) }, () => store.networks.values()),
      visible: (network) => canSeeNetwork(auth, network),
      view: networkView,
      byId: (id) => store.networks.get(id),
      notFound: neutronNotFound.network,
      specialFilters: TAG_FILTERS,
    });
    return neutronJson(200, body, 'compact');
  });

  routes.add('GET', '/v2.0/networks/{id}', (req, params, auth) =>
    showResponse(req, 'network', networkView(visibleNetwork(store, auth, params['id'] ?? '')), 'compact'),
  );

  routes.add('POST', '/v2.0/networks', (req, _params, auth) => {
    const payload = resourceBody(
      req,
      'network',
      new Set(['name', 'shared', 'router:external', 'admin_state_up', 'description', 'mtu', 'project_id', 'tenant_id', 'is_default']),
    );
    const shared = booleanField(payload, 'shared', false);
    const external = booleanField(payload, 'router:external', false);
    if (!auth.isAdmin && shared) throw policyNotAuthorized('(rule:create_network and rule:create_network:shared)');
    if (!auth.isAdmin && external) throw policyNotAuthorized('(rule:create_network and rule:create_network:router:external)');
    const now = store.now();
    const network = store.addNetwork({
      id: newUuid(),
      name: stringField(payload, 'name', ''),
      projectId: owningProject(payload, auth),
      shared,
      external,
      isDefault: booleanField(payload, 'is_default', false),
      mtu: typeof payload['mtu'] === 'number' ? payload['mtu'] : 1500,
      subnetIds: [],
      description: stringField(payload, 'description', ''),
      tags: [],
      createdAt: now,
      updatedAt: now,
      revisionNumber: 0,
    });
    return neutronJson(201, { network: networkView(network) }, 'compact');
  });

  routes.add('DELETE', '/v2.0/networks/{id}', (req, params, auth) => {
    const network = visibleNetwork(store, auth, params['id'] ?? '');
    requireOwner(auth, network, 'rule:delete_network');
    // DHCP ports go with the network; anything else keeps it in use.
    const ports = store.portsOnNetwork(network.id);
    if (ports.some((port) => port.deviceOwner !== 'network:dhcp')) {
      throw new NeutronError(
        409,
        'NetworkInUse',
        `Unable to complete operation on network ${network.id}. There are one or more ports still in use on the network.`,
      );
    }
    enforceRevision(req, network);
    for (const port of ports) store.deletePort(port.id);
    store.removeNetwork(network.id);
    return neutronNoContent();
  });

  routes.add('GET', '/v2.0/subnets', (req, _params, auth) => {
    const body = listCollection(req, {
      collection: 'subnets',
      attributes: SUBNET_ATTRIBUTES,
      booleanAttributes: new Set(['enable_dhcp']),
      candidates: (filters) =>
        indexedCandidates(filters, { id: byIdIndex(store.subnets), network_id: (networkId) => store.subnetsOf(networkId) }, () =>
          store.subnets.values(),
        ),
      visible: (subnet) => canSeeSubnet(auth, store, subnet),
      view: subnetView,
      byId: (id) => store.subnets.get(id),
      notFound: neutronNotFound.subnet,
      specialFilters: TAG_FILTERS,
    });
    return neutronJson(200, body, 'compact');
  });

  routes.add('GET', '/v2.0/subnets/{id}', (req, params, auth) =>
    showResponse(req, 'subnet', subnetView(visibleSubnet(store, auth, params['id'] ?? '')), 'compact'),
  );

  routes.add('POST', '/v2.0/subnets', (req, _params, auth) => {
    const payload = resourceBody(
      req,
      'subnet',
      new Set([
        'network_id',
        'cidr',
        'ip_version',
        'name',
        'gateway_ip',
        'allocation_pools',
        'enable_dhcp',
        'ipv6_ra_mode',
        'ipv6_address_mode',
        'dns_nameservers',
        'description',
        'project_id',
        'tenant_id',
      ]),
    );
    return neutronJson(201, { subnet: subnetView(createSubnet(store, auth, payload)) }, 'compact');
  });

  routes.add('DELETE', '/v2.0/subnets/{id}', (req, params, auth) => {
    const subnet = visibleSubnet(store, auth, params['id'] ?? '');
    requireOwner(auth, subnet, 'rule:delete_subnet');
    const users = store.portsOnNetwork(subnet.networkId).filter((port) => port.fixedIps.some((ip) => ip.subnetId === subnet.id));
    if (users.some((port) => port.deviceOwner !== 'network:dhcp')) {
      throw new NeutronError(
        409,
        'SubnetInUse',
        `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`,
      );
    }
    enforceRevision(req, subnet);
    for (const port of users) store.deletePort(port.id);
    store.removeSubnet(subnet.id);
    return neutronNoContent();
  });
}
