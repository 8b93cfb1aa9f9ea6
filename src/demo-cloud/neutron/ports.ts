/** /v2.0/ports: lists for clients (by device_id above all), create/delete for test set-up. */
import type { CloudContext } from '../context.js';
import { httpBadRequest, NeutronError, neutronNotFound, policyNotAuthorized } from '../errors.js';
import { canonicalIp } from '../ip.js';
import { describeValue } from '../json.js';
import type { AuthContext, Port } from '../model.js';
import { DEVICE_OWNER } from '../model.js';
import type { FixedIpRequest, Store } from '../store.js';
import { indexedCandidates, listCollection, TAG_FILTERS } from './query.js';
import type { CollectionSpec } from './query.js';
import { neutronJson, neutronNoContent, owningProject, resourceBody, showResponse } from './respond.js';
import type { NeutronRouteSink } from './respond.js';
import { enforceRevision } from './revisions.js';
import { portView } from './views.js';
import { canSeeNetwork, canSeePort } from './visibility.js';
import type { JsonObject } from '../json.js';

const ATTRIBUTES = new Set([
  'id',
  'name',
  'network_id',
  'tenant_id',
  'project_id',
  'mac_address',
  'admin_state_up',
  'status',
  'device_id',
  'device_owner',
  'description',
  'binding:vnic_type',
  'port_security_enabled',
  'security_groups',
  'created_at',
  'updated_at',
  'revision_number',
]);

/** fixed_ips=ip_address=X / subnet_id=Y: a port matches when one fixed IP satisfies a value. */
function fixedIpsFilter(view: JsonObject, values: string[]): boolean {
  const fixedIps = Array.isArray(view['fixed_ips']) ? (view['fixed_ips'] as JsonObject[]) : [];
  return values.every((value) => {
    const [key = '', wanted = ''] = value.split('=', 2);
    const normalised = key === 'ip_address' ? (canonicalIp(wanted) ?? wanted) : wanted;
    return fixedIps.some((ip) => ip[key] === normalised);
  });
}

export function visiblePort(store: Store, auth: AuthContext, id: string): Port {
  const port = store.ports.get(id);
  if (!port || !canSeePort(auth, store, port)) throw neutronNotFound.port(id);
  return port;
}

function fixedIpRequests(value: unknown): FixedIpRequest[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw httpBadRequest(`Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: '${describeValue(value)}'.`);
  return value.map((entry: unknown) => {
    const item = (entry ?? {}) as { subnet_id?: unknown; ip_address?: unknown };
    return {
      ...(typeof item.subnet_id === 'string' ? { subnetId: item.subnet_id } : {}),
      ...(typeof item.ip_address === 'string' ? { ipAddress: item.ip_address } : {}),
    };
  });
}

/** Ports that belong to Neutron's own machinery and must be removed through their owner. */
const SERVICE_OWNERS = new Set<string>([
  DEVICE_OWNER.routerInterface,
  DEVICE_OWNER.routerGateway,
  DEVICE_OWNER.floatingIp,
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
]);

export function registerPortRoutes(routes: NeutronRouteSink, ctx: CloudContext): void {
  const store = ctx.store;

  routes.add('GET', '/v2.0/ports', (req, _params, auth) => {
    const spec: CollectionSpec<Port> = {
      collection: 'ports',
      attributes: ATTRIBUTES,
      booleanAttributes: new Set(['admin_state_up', 'port_security_enabled']),
      candidates: (filters) =>
        indexedCandidates(
          filters,
          {
            id: (id) => {
              const port = store.ports.get(id);
              return port ? [port] : [];
            },
            device_id: (deviceId) => store.portsOfDevice(deviceId),
            network_id: (networkId) => store.portsOnNetwork(networkId),
          },
          () => store.ports.values(),
        ),
      visible: (port) => canSeePort(auth, store, port),
      view: portView,
      byId: (id) => store.ports.get(id),
      notFound: neutronNotFound.port,
      specialFilters: { ...TAG_FILTERS, fixed_ips: fixedIpsFilter },
      accessors: {
        id: (port) => port.id,
        name: (port) => port.name,
        network_id: (port) => port.networkId,
        tenant_id: (port) => port.projectId,
        project_id: (port) => port.projectId,
        device_id: (port) => port.deviceId,
        device_owner: (port) => port.deviceOwner,
        status: (port) => port.status,
        mac_address: (port) => port.macAddress,
      },
    };
    return neutronJson(200, listCollection(req, spec), 'compact');
  });

  routes.add('GET', '/v2.0/ports/{id}', (req, params, auth) =>
    showResponse(req, 'port', portView(visiblePort(store, auth, params['id'] ?? '')), 'compact'),
  );

  routes.add('POST', '/v2.0/ports', (req, _params, auth) => {
    const payload = resourceBody(
      req,
      'port',
      new Set(['network_id', 'fixed_ips', 'device_id', 'device_owner', 'name', 'description', 'admin_state_up', 'project_id', 'tenant_id']),
    );
    const networkId = payload['network_id'];
    if (typeof networkId !== 'string') throw httpBadRequest("Failed to parse request. Required attribute 'network_id' not specified");
    const network = store.networks.get(networkId);
    if (!network || !canSeeNetwork(auth, network)) throw neutronNotFound.network(networkId);
    if (!auth.isAdmin && network.projectId !== auth.projectId && !network.shared) {
      throw policyNotAuthorized('(rule:create_port and rule:create_port:network)');
    }
    const deviceOwner = typeof payload['device_owner'] === 'string' ? payload['device_owner'] : '';
    if (!auth.isAdmin && deviceOwner.startsWith('network:')) {
      throw policyNotAuthorized('(rule:create_port and rule:create_port:device_owner)');
    }
    const fixedIps = fixedIpRequests(payload['fixed_ips']);
    const port = store.createPort({
      networkId,
      projectId: owningProject(payload, auth),
      name: typeof payload['name'] === 'string' ? payload['name'] : '',
      deviceId: typeof payload['device_id'] === 'string' ? payload['device_id'] : '',
      deviceOwner,
      status: 'DOWN',
      ...(fixedIps ? { fixedIps } : {}),
    });
    if (typeof payload['description'] === 'string') port.description = payload['description'];
    return neutronJson(201, { port: portView(port) }, 'compact');
  });

  routes.add('DELETE', '/v2.0/ports/{id}', (req, params, auth) => {
    const port = visiblePort(store, auth, params['id'] ?? '');
    if (!auth.isAdmin && port.projectId !== auth.projectId) throw policyNotAuthorized('rule:delete_port');
    if (SERVICE_OWNERS.has(port.deviceOwner)) {
      throw new NeutronError(
        409,
        'ServicePortInUse',
        `Port ${port.id} cannot be deleted directly via the port API: has device owner ${port.deviceOwner}.`,
      );
    }
    enforceRevision(req, port);
    store.deletePort(port.id);
    return neutronNoContent();
  });
}
