/**
 * /v2.0/routers: lists for clients; create, gateway changes, interfaces and
 * delete for test set-up, with Neutron's refusals where a change would strand
 * floating IPs.
 */
import type { CloudContext } from '../context.js';
import { badRequest, httpBadRequest, NeutronError, neutronNotFound, policyNotAuthorized } from '../errors.js';
import { newUuid } from '../ids.js';
import { isJsonObject } from '../json.js';
import type { AuthContext, Router } from '../model.js';
import { DEVICE_OWNER } from '../model.js';
import type { Store } from '../store.js';
import { visibleSubnet } from './networks.js';
import { indexedCandidates, listCollection, TAG_FILTERS } from './query.js';
import { neutronJson, neutronNoContent, owningProject, resourceBody, showResponse } from './respond.js';
import type { NeutronRouteSink } from './respond.js';
import { enforceRevision } from './revisions.js';
import { routerView } from './views.js';
import { canSeeNetwork, canSeeRouter } from './visibility.js';
import { parseJsonBody } from '../http.js';

const ATTRIBUTES = new Set([
  'id',
  'name',
  'tenant_id',
  'project_id',
  'admin_state_up',
  'status',
  'description',
  'flavor_id',
  'created_at',
  'updated_at',
  'revision_number',
]);

function visibleRouter(store: Store, auth: AuthContext, id: string): Router {
  const router = store.routers.get(id);
  if (!router || !canSeeRouter(auth, router)) throw neutronNotFound.router(id);
  return router;
}

/** Validates external_gateway_info and returns the network id (null clears the gateway). */
function gatewayNetwork(store: Store, auth: AuthContext, info: unknown): string | null {
  if (info === null || (isJsonObject(info) && Object.keys(info).length === 0)) return null;
  if (!isJsonObject(info) || typeof info['network_id'] !== 'string') {
    throw httpBadRequest(
      "Invalid input for external_gateway_info. Reason: Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: set().",
    );
  }
  const networkId = info['network_id'];
  const network = store.networks.get(networkId);
  if (!network || !canSeeNetwork(auth, network)) throw neutronNotFound.network(networkId);
  if (!network.external) throw badRequest('router', `Network ${networkId} is not an external network`);
  return networkId;
}

function floatingIpsThrough(store: Store, routerId: string): boolean {
  for (const fip of store.floatingIps.values()) if (fip.routerId === routerId) return true;
  return false;
}

function interfaceInfo(
  router: Router,
  port: { id: string; networkId: string; fixedIps: Array<{ subnetId: string }> },
): Record<string, unknown> {
  const subnetIds = port.fixedIps.map((ip) => ip.subnetId);
  return {
    network_id: port.networkId,
    tenant_id: router.projectId,
    subnet_id: subnetIds[0] ?? null,
    subnet_ids: subnetIds,
    port_id: port.id,
    id: router.id,
    project_id: router.projectId,
  };
}

export function registerRouterRoutes(routes: NeutronRouteSink, ctx: CloudContext): void {
  const store = ctx.store;

  routes.add('GET', '/v2.0/routers', (req, _params, auth) => {
    const body = listCollection(req, {
      collection: 'routers',
      attributes: ATTRIBUTES,
      booleanAttributes: new Set(['admin_state_up']),
      candidates: (filters) =>
        indexedCandidates(
          filters,
          {
            id: (id) => {
              const router = store.routers.get(id);
              return router ? [router] : [];
            },
          },
          () => store.routers.values(),
        ),
      visible: (router) => canSeeRouter(auth, router),
      view: (router) => routerView(store, router),
      byId: (id) => store.routers.get(id),
      notFound: neutronNotFound.router,
      specialFilters: TAG_FILTERS,
    });
    return neutronJson(200, body, 'python');
  });

  routes.add('GET', '/v2.0/routers/{id}', (req, params, auth) =>
    showResponse(req, 'router', routerView(store, visibleRouter(store, auth, params['id'] ?? '')), 'python'),
  );

  routes.add('POST', '/v2.0/routers', (req, _params, auth) => {
    const payload = resourceBody(
      req,
      'router',
      new Set(['name', 'external_gateway_info', 'admin_state_up', 'description', 'project_id', 'tenant_id']),
    );
    const networkId = payload['external_gateway_info'] === undefined ? null : gatewayNetwork(store, auth, payload['external_gateway_info']);
    const now = store.now();
    const router: Router = {
      id: newUuid(),
      name: typeof payload['name'] === 'string' ? payload['name'] : '',
      projectId: owningProject(payload, auth),
      status: 'ACTIVE',
      adminStateUp: true,
      gatewayNetworkId: null,
      enableSnat: true,
      description: typeof payload['description'] === 'string' ? payload['description'] : '',
      tags: [],
      createdAt: now,
      updatedAt: now,
      revisionNumber: 0,
    };
    if (networkId !== null) store.setRouterGateway(router, networkId);
    router.revisionNumber = 0;
    store.addRouter(router);
    return neutronJson(201, { router: routerView(store, router) }, 'python');
  });

  routes.add('PUT', '/v2.0/routers/{id}', (req, params, auth) => {
    const payload = resourceBody(req, 'router', new Set(['name', 'description', 'external_gateway_info', 'admin_state_up']));
    const router = visibleRouter(store, auth, params['id'] ?? '');
    let gateway: { networkId: string | null } | undefined;
    if ('external_gateway_info' in payload) {
      const networkId = gatewayNetwork(store, auth, payload['external_gateway_info']);
      const current = router.gatewayNetworkId;
      if (current !== null && networkId !== current && floatingIpsThrough(store, router.id)) {
        throw new NeutronError(
          409,
          'RouterExternalGatewayInUseByFloatingIp',
          `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${current} is required by one or more floating IPs.`,
        );
      }
      gateway = { networkId };
    }
    enforceRevision(req, router);
    if (gateway) store.setRouterGateway(router, gateway.networkId);
    if (typeof payload['name'] === 'string') router.name = payload['name'];
    if (typeof payload['description'] === 'string') router.description = payload['description'];
    store.touch(router);
    return neutronJson(200, { router: routerView(store, router) }, 'python');
  });

  routes.add('DELETE', '/v2.0/routers/{id}', (req, params, auth) => {
    const router = visibleRouter(store, auth, params['id'] ?? '');
    if (store.interfacePortsOf(router.id).length > 0) {
      throw new NeutronError(409, 'RouterInUse', `Router ${router.id} still has ports`);
    }
    enforceRevision(req, router);
    store.removeRouter(router.id);
    return neutronNoContent();
  });

  routes.add('PUT', '/v2.0/routers/{id}/add_router_interface', (req, params, auth) => {
    const router = visibleRouter(store, auth, params['id'] ?? '');
    const body = parseJsonBody(req);
    const subnetId = isJsonObject(body) ? body['subnet_id'] : undefined;
    if (typeof subnetId !== 'string') throw badRequest('router', 'Either subnet_id or port_id must be specified');
    const subnet = visibleSubnet(store, auth, subnetId);
    if (!auth.isAdmin && subnet.projectId !== auth.projectId) throw policyNotAuthorized('rule:add_router_interface');
    if (store.interfacePortsOf(router.id).some((port) => port.fixedIps.some((ip) => ip.subnetId === subnetId))) {
      throw badRequest('router', `Router already has a port on subnet ${subnetId}`);
    }
    if (subnet.gatewayIp === null) throw badRequest('router', 'Subnet for router interface must have a gateway IP');
    enforceRevision(req, router);
    const port = store.createPort({
      networkId: subnet.networkId,
      projectId: router.projectId,
      deviceId: router.id,
      deviceOwner: DEVICE_OWNER.routerInterface,
      status: 'DOWN',
      fixedIps: [{ subnetId, ipAddress: subnet.gatewayIp }],
    });
    store.touch(router);
    return neutronJson(200, interfaceInfo(router, port), 'python');
  });

  routes.add('PUT', '/v2.0/routers/{id}/remove_router_interface', (req, params, auth) => {
    const router = visibleRouter(store, auth, params['id'] ?? '');
    const body = parseJsonBody(req);
    const subnetId = isJsonObject(body) ? body['subnet_id'] : undefined;
    if (typeof subnetId !== 'string') throw badRequest('router', 'Either subnet_id or port_id must be specified');
    const port = store.interfacePortsOf(router.id).find((p) => p.fixedIps.some((ip) => ip.subnetId === subnetId));
    if (!port) {
      throw new NeutronError(404, 'RouterInterfaceNotFoundForSubnet', `Router ${router.id} has no interface on subnet ${subnetId}`);
    }
    const stranded = [...store.floatingIps.values()].some((fip) => {
      if (fip.routerId !== router.id || fip.portId === null) return false;
      return store.ports.get(fip.portId)?.fixedIps.some((ip) => ip.subnetId === subnetId && ip.ipAddress === fip.fixedIpAddress) ?? false;
    });
    if (stranded) {
      throw new NeutronError(
        409,
        'RouterInterfaceInUseByFloatingIP',
        `Router interface for subnet ${subnetId} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`,
      );
    }
    enforceRevision(req, router);
    const info = interfaceInfo(router, port);
    store.deletePort(port.id);
    store.touch(router);
    return neutronJson(200, info, 'python');
  });
}
