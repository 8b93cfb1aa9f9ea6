/** /v2.0/quotas/{project_id}[/details]: limits, usage, and the admin's PUT to shrink them for tests. */
import type { CloudContext } from '../context.js';
import { httpBadRequest, policyNotAuthorized } from '../errors.js';
import { describeValue } from '../json.js';
import { DEFAULT_QUOTAS } from '../model.js';
import type { Store } from '../store.js';
import { neutronJson, resourceBody } from './respond.js';
import type { NeutronRouteSink } from './respond.js';

function limits(store: Store, projectId: string): Record<string, number> {
  return Object.fromEntries(Object.keys(DEFAULT_QUOTAS).map((resource) => [resource, store.quotaLimit(projectId, resource)]));
}

function usage(store: Store, projectId: string): Record<string, number> {
  const count = (items: Iterable<{ projectId: string }>): number => {
    let n = 0;
    for (const item of items) if (item.projectId === projectId) n++;
    return n;
  };
  return {
    network: count(store.networks.values()),
    subnet: count(store.subnets.values()),
    subnetpool: 0,
    port: count(store.ports.values()),
    router: count(store.routers.values()),
    floatingip: store.countFloatingIps(projectId),
    rbac_policy: 0,
    // Every project has its default security group with its four default rules.
    security_group: 1,
    security_group_rule: 4,
  };
}

export function registerQuotaRoutes(routes: NeutronRouteSink, ctx: CloudContext): void {
  const store = ctx.store;

  routes.add('GET', '/v2.0/quotas/{project_id}', (_req, params, auth) => {
    const projectId = params['project_id'] ?? '';
    if (!auth.isAdmin && projectId !== auth.projectId) throw policyNotAuthorized('rule:get_quota');
    return neutronJson(200, { quota: limits(store, projectId) }, 'python');
  });

  routes.add('GET', '/v2.0/quotas/{project_id}/details', (_req, params, auth) => {
    const projectId = params['project_id'] ?? '';
    if (!auth.isAdmin && projectId !== auth.projectId) throw policyNotAuthorized('rule:get_quota');
    const limit = limits(store, projectId);
    const used = usage(store, projectId);
    const quota = Object.fromEntries(
      Object.keys(limit).map((resource) => [resource, { limit: limit[resource] ?? -1, used: used[resource] ?? 0, reserved: 0 }]),
    );
    return neutronJson(200, { quota }, 'python');
  });

  routes.add('PUT', '/v2.0/quotas/{project_id}', (req, params, auth) => {
    if (!auth.isAdmin) throw policyNotAuthorized('rule:update_quota');
    const projectId = params['project_id'] ?? '';
    const payload = resourceBody(req, 'quota', new Set(Object.keys(DEFAULT_QUOTAS)));
    for (const [resource, value] of Object.entries(payload)) {
      const limit = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      if (!Number.isInteger(limit) || limit < -1) {
        throw httpBadRequest(`Invalid input for ${resource}. Reason: '${describeValue(value)}' is not an integer.`);
      }
      store.setQuota(projectId, resource, limit);
    }
    return neutronJson(200, { quota: limits(store, projectId) }, 'python');
  });
}
