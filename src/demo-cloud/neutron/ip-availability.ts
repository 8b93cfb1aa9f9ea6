/**
 * /v2.0/network-ip-availabilities/{network_id}: admin only, as Neutron's
 * default policy has it. Anyone else gets the bare 404 the real Neutron
 * answers (not a 403: the resource is hidden, not refused).
 */
import type { CloudContext } from '../context.js';
import { NeutronError, neutronNotFound } from '../errors.js';
import { neutronJson } from './respond.js';
import type { NeutronRouteSink } from './respond.js';

export function registerIpAvailabilityRoutes(routes: NeutronRouteSink, ctx: CloudContext): void {
  const store = ctx.store;
  routes.add('GET', '/v2.0/network-ip-availabilities/{network_id}', (_req, params, auth) => {
    if (!auth.isAdmin) throw new NeutronError(404, 'HTTPNotFound', 'The resource could not be found.');
    const id = params['network_id'] ?? '';
    const network = store.networks.get(id);
    if (!network) throw neutronNotFound.network(id);
    const subnets = store.subnetsOf(id).map((subnet) => {
      const usage = store.subnetUsage(subnet.id) ?? { total: 0n, used: 0 };
      return {
        subnet_id: subnet.id,
        ip_version: subnet.ipVersion,
        cidr: subnet.cidr,
        subnet_name: subnet.name,
        used_ips: usage.used,
        total_ips: Number(usage.total),
      };
    });
    return neutronJson(
      200,
      {
        network_ip_availability: {
          network_id: network.id,
          network_name: network.name,
          tenant_id: network.projectId,
          project_id: network.projectId,
          subnet_ip_availability: subnets,
          used_ips: subnets.reduce((sum, s) => sum + s.used_ips, 0),
          total_ips: subnets.reduce((sum, s) => sum + s.total_ips, 0),
        },
      },
      'python',
    );
  });
}
