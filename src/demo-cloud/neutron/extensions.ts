/**
 * /v2.0/extensions/{alias}: the extensions the demo cloud implements as the
 * real Neutron does, each with Neutron's own words; any other alias is a 404.
 * The whole list (/v2.0/extensions) stays unserved: the real one names many
 * this cloud does not implement.
 */
import type { DemoResponse } from '../http.js';
import { neutronJson } from './respond.js';
import type { NeutronRouteSink } from './respond.js';

const IMPLEMENTED: Readonly<Record<string, { name: string; description: string; updated: string }>> = {
  'standard-attr-tag': {
    name: 'Tag support for resources with standard attribute: port, subnet, subnetpool, network, security_group, router, floatingip, policy, trunk, network_segment_range',
    description: 'Enables to set tag on resources with standard attribute.',
    updated: '2017-01-01T00:00:00-00:00',
  },
};

export function registerExtensionRoutes(routes: NeutronRouteSink): void {
  routes.add('GET', '/v2.0/extensions/{alias}', (_req, params) => {
    const alias = params['alias'] ?? '';
    const extension = IMPLEMENTED[alias];
    if (!extension) return notFoundPage(`Extension with alias ${alias} does not exist`);
    return neutronJson(200, { extension: { ...extension, alias, links: [] } }, 'python');
  });
}

/** webob's 404, as the real Neutron sends it for an unknown extension (JSON when asked for it, not a NeutronError body). */
function notFoundPage(detail: string): DemoResponse {
  const body = { message: `The resource could not be found.<br /><br />\n${detail}\n\n`, code: '404 Not Found', title: 'Not Found' };
  return neutronJson(404, body, 'python');
}
