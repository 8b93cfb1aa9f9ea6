/** /v2.0/floatingips: list, show, create, update (associate / move / detach) and delete. */
import type { CloudContext } from '../context.js';
import { httpBadRequest, neutronNotFound, policyNotAuthorized } from '../errors.js';
import { looksLikeUuid } from '../ids.js';
import { describeValue } from '../json.js';
import type { AuthContext, FloatingIp } from '../model.js';
import { createFloatingIp, updateFloatingIp } from './floating-ip-service.js';
import { indexedCandidates, listCollection, projectFields, TAG_FILTERS } from './query.js';
import type { CollectionSpec } from './query.js';
import { neutronJson, neutronNoContent, owningProject, resourceBody } from './respond.js';
import type { NeutronRouteSink } from './respond.js';
import { enforceRevision } from './revisions.js';
import { floatingIpView } from './views.js';
import { canSeeFloatingIp } from './visibility.js';

const ATTRIBUTES = new Set([
  'id',
  'tenant_id',
  'project_id',
  'floating_ip_address',
  'floating_network_id',
  'router_id',
  'port_id',
  'fixed_ip_address',
  'status',
  'description',
  'created_at',
  'updated_at',
  'revision_number',
]);

const CREATE_FIELDS = new Set([
  'floating_network_id',
  'floating_ip_address',
  'subnet_id',
  'port_id',
  'fixed_ip_address',
  'description',
  'project_id',
  'tenant_id',
]);
const UPDATE_FIELDS = new Set(['port_id', 'fixed_ip_address', 'description']);
const READ_ONLY_ON_UPDATE = new Set([
  'id',
  'floating_ip_address',
  'floating_network_id',
  'router_id',
  'status',
  'tenant_id',
  'project_id',
  'subnet_id',
]);

function collectionSpec(ctx: CloudContext, auth: AuthContext): CollectionSpec<FloatingIp> {
  const store = ctx.store;
  return {
    collection: 'floatingips',
    attributes: ATTRIBUTES,
    candidates: (filters) =>
      indexedCandidates(
        filters,
        {
          id: (id) => {
            const fip = store.floatingIps.get(id);
            return fip ? [fip] : [];
          },
          port_id: (portId) => store.floatingIpsOnPort(portId),
        },
        () => store.floatingIps.values(),
      ),
    visible: (fip) => canSeeFloatingIp(auth, fip),
    view: (fip) => floatingIpView(store, fip),
    byId: (id) => store.floatingIps.get(id),
    notFound: neutronNotFound.floatingIp,
    specialFilters: TAG_FILTERS,
    accessors: {
      id: (fip) => fip.id,
      tenant_id: (fip) => fip.projectId,
      project_id: (fip) => fip.projectId,
      floating_ip_address: (fip) => fip.floatingIpAddress,
      floating_network_id: (fip) => fip.floatingNetworkId,
      router_id: (fip) => fip.routerId,
      port_id: (fip) => fip.portId,
      fixed_ip_address: (fip) => fip.fixedIpAddress,
      status: (fip) => fip.status,
      description: (fip) => fip.description,
    },
  };
}

function findVisible(ctx: CloudContext, auth: AuthContext, id: string): FloatingIp {
  const fip = ctx.store.floatingIps.get(id);
  if (!fip || !canSeeFloatingIp(auth, fip)) throw neutronNotFound.floatingIp(id);
  return fip;
}

function optionalString(payload: Record<string, unknown>, key: string): string | undefined {
  const value = payload[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw httpBadRequest(`Invalid input for ${key}. Reason: '${describeValue(value)}' is not a valid string.`);
  return value;
}

export function registerFloatingIpRoutes(routes: NeutronRouteSink, ctx: CloudContext): void {
  routes.add('GET', '/v2.0/floatingips', (req, _params, auth) =>
    neutronJson(200, listCollection(req, collectionSpec(ctx, auth)), 'python'),
  );

  routes.add('GET', '/v2.0/floatingips/{id}', (req, params, auth) => {
    const fip = findVisible(ctx, auth, params['id'] ?? '');
    const fields = req.query.getAll('fields').filter((f) => f !== '');
    return neutronJson(200, { floatingip: projectFields(floatingIpView(ctx.store, fip), fields) }, 'python');
  });

  routes.add('POST', '/v2.0/floatingips', (req, _params, auth) => {
    const payload = resourceBody(req, 'floatingip', CREATE_FIELDS);
    const networkId = payload['floating_network_id'];
    if (networkId === undefined) {
      throw httpBadRequest("Failed to parse request. Required attribute 'floating_network_id' not specified");
    }
    if (typeof networkId !== 'string' || !looksLikeUuid(networkId)) {
      throw httpBadRequest(`Invalid input for floating_network_id. Reason: '${describeValue(networkId)}' is not a valid UUID.`);
    }
    const address = optionalString(payload, 'floating_ip_address');
    if (address !== undefined && !auth.isAdmin) {
      // Default policy: choosing the address is admin-only.
      throw policyNotAuthorized('(rule:create_floatingip and rule:create_floatingip:floating_ip_address)');
    }
    const subnetId = optionalString(payload, 'subnet_id');
    const description = optionalString(payload, 'description');
    const fip = createFloatingIp(ctx.store, auth, {
      floatingNetworkId: networkId,
      projectId: owningProject(payload, auth),
      ...(subnetId !== undefined ? { subnetId } : {}),
      ...(address !== undefined ? { floatingIpAddress: address } : {}),
      ...(description !== undefined ? { description } : {}),
      // The API layer fills create defaults, so port_id is always present on create.
      body: { port_id: null, ...payload },
    });
    return neutronJson(201, { floatingip: floatingIpView(ctx.store, fip, 'create') }, 'python');
  });

  routes.add('PUT', '/v2.0/floatingips/{id}', (req, params, auth) => {
    // Body validation (and the If-Match syntax) comes before the lookup, as in Neutron's hook order.
    const payload = resourceBody(req, 'floatingip', UPDATE_FIELDS, READ_ONLY_ON_UPDATE);
    const fip = findVisible(ctx, auth, params['id'] ?? '');
    updateFloatingIp(ctx.store, auth, fip, payload, () => enforceRevision(req, fip));
    return neutronJson(200, { floatingip: floatingIpView(ctx.store, fip) }, 'python');
  });

  routes.add('DELETE', '/v2.0/floatingips/{id}', (req, params, auth) => {
    const fip = findVisible(ctx, auth, params['id'] ?? '');
    enforceRevision(req, fip);
    ctx.store.deleteFloatingIp(fip.id);
    return neutronNoContent();
  });
}
