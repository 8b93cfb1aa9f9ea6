/**
 * The requests of the contract suite: the calls fipbot makes and the
 * refusals it relies on, sent raw to a cloud. Run against the real cloud and
 * the demo cloud, their observations must be equal.
 */
import { randomUUID } from 'node:crypto';
import { keystoneV3Url } from '../../../src/openstack/identity.js';
import { LEAK_FIELDS } from '../../../src/floating-ips/unattached.js';
import type { CloudUnderTest } from './cloud-under-test.js';
import { type Observation, observe, raw, type RawResponse } from './contract.js';

interface Fip {
  floatingip: { id: string; revision_number: number };
}

export async function observeContract(cloud: CloudUnderTest): Promise<Record<string, Observation>> {
  const out: Record<string, Observation> = {};
  const note = (name: string, response: RawResponse) => {
    out[name] = observe(response);
    return response;
  };
  const { bot, extra } = cloud;
  const scope = await bot.client.scope();
  const [publicNet] = await bot.neutron.listNetworks({ name: 'public' });
  const [privateNet] = await bot.neutron.listNetworks({ name: 'private' });
  const portOf = async (instance: string, networkId?: string) => {
    const found = await bot.nova.findServer(instance);
    if (found.kind !== 'found') throw new Error(`no ${instance}`);
    const ports = await bot.neutron.listPorts({ deviceIds: [found.server.id] });
    return (networkId ? ports.find((port) => port.networkId === networkId) : ports[0])!;
  };
  const created: string[] = [];
  const create = async (name: string, networkId: string) => {
    const response = note(
      name,
      await raw(cloud, 'network', 'POST', '/floatingips', { body: { floatingip: { floating_network_id: networkId } } }),
    );
    if (response.status === 201) created.push((response.body as Fip).floatingip.id);
    return response;
  };

  try {
    // Keystone
    const wrongPassword = await cloud.bot.transport.request({
      service: 'identity',
      method: 'POST',
      url: `${keystoneV3Url(bot.cloud.auth.authUrl)}/auth/tokens`,
      body: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'no-such-user-for-contract', domain: { id: 'default' }, password: 'wrong' } },
          },
          scope: { project: { name: 'no-such-project', domain: { id: 'default' } } },
        },
      },
    });
    note('keystone: wrong credentials', { status: wrongPassword.status, body: wrongPassword.body, text: wrongPassword.text });
    note('neutron: request without a token', await raw(cloud, 'network', 'GET', '/floatingips', { anonymous: true }));

    // Reads fipbot makes
    note('neutron: external networks', await raw(cloud, 'network', 'GET', '/networks?router:external=true&name=public'));
    note('neutron: a network by id', await raw(cloud, 'network', 'GET', `/networks?id=${privateNet!.id}`));
    note('neutron: subnets by network', await raw(cloud, 'network', 'GET', `/subnets?network_id=${privateNet!.id}`));
    note('neutron: router by name', await raw(cloud, 'network', 'GET', '/routers?name=router1'));
    const web1Port = await portOf('web-1');
    note('neutron: ports of a server', await raw(cloud, 'network', 'GET', `/ports?device_id=${web1Port.deviceId}`));
    note(
      'neutron: router interface ports',
      await raw(cloud, 'network', 'GET', `/ports?device_owner=network:router_interface&network_id=${privateNet!.id}`),
    );
    note('neutron: quota details', await raw(cloud, 'network', 'GET', `/quotas/${scope.projectId}/details`));
    note('nova: exact name search', await raw(cloud, 'compute', 'GET', `/servers?name=${encodeURIComponent('^web\\-1$')}`));
    note(
      'nova: exact name search with details (an ambiguous name)',
      await raw(cloud, 'compute', 'GET', `/servers/detail?name=${encodeURIComponent('^web\\-1$')}`),
    );
    note('nova: prefix search with a limit', await raw(cloud, 'compute', 'GET', `/servers?name=${encodeURIComponent('^web\\-1')}&limit=1`));
    note('nova: a server that does not exist', await raw(cloud, 'compute', 'GET', `/servers/${randomUUID()}`));
    note('neutron: a floating IP that does not exist', await raw(cloud, 'network', 'GET', `/floatingips/${randomUUID()}`));

    // Changes and the refusals fipbot explains
    const first = await create('neutron: allocate from public', publicNet!.id);
    const fip = (first.body as Fip).floatingip;
    note(
      "neutron: list the project's floating IPs",
      await raw(
        cloud,
        'network',
        'GET',
        `/floatingips?project_id=${scope.projectId}&floating_ip_address=${(first.body as { floatingip: { floating_ip_address: string } }).floatingip.floating_ip_address}`,
      ),
    );
    // The leak report's listing: only the attributes it shows (fields=), with the timestamps.
    note(
      "neutron: list the project's floating IPs, the leak report's fields only",
      await raw(
        cloud,
        'network',
        'GET',
        `/floatingips?project_id=${scope.projectId}&floating_ip_address=${(first.body as { floatingip: { floating_ip_address: string } }).floatingip.floating_ip_address}&${LEAK_FIELDS.map((field) => `fields=${field}`).join('&')}`,
      ),
    );
    // Sorting by time is refused (standard attributes filter but do not sort); by address it works.
    note(
      'neutron: floating IPs sorted by updated_at',
      await raw(cloud, 'network', 'GET', '/floatingips?sort_key=updated_at&sort_dir=asc&limit=2'),
    );
    note(
      'neutron: floating IPs of a pool, DOWN, sorted by address, one short page',
      await raw(
        cloud,
        'network',
        'GET',
        `/floatingips?floating_network_id=${publicNet!.id}&status=DOWN&sort_key=floating_ip_address&sort_dir=asc&limit=2`,
      ),
    );
    // A pool's free addresses: admin only; the bot's credentials get the bare 404.
    note(
      'neutron: ip availability of the pool, as the bot',
      await raw(cloud, 'network', 'GET', `/network-ip-availabilities/${publicNet!.id}`),
    );
    note(
      'neutron: ip availability of the pool, as the admin',
      await raw(cloud, 'network', 'GET', `/network-ip-availabilities/${publicNet!.id}`, { asAdmin: true }),
    );
    note(
      'neutron: ip availability of a network that does not exist, as the admin',
      await raw(cloud, 'network', 'GET', `/network-ip-availabilities/${randomUUID()}`, { asAdmin: true }),
    );
    const onPublic = await portOf('test_instance');
    note(
      'neutron: associate with a port on the public network',
      await raw(cloud, 'network', 'PUT', `/floatingips/${fip.id}`, { body: { floatingip: { port_id: onPublic.id } } }),
    );
    const isolated = await portOf(extra.stranded.name, extra.isolated.id);
    note(
      'neutron: associate with a port on a subnet without router',
      await raw(cloud, 'network', 'PUT', `/floatingips/${fip.id}`, { body: { floatingip: { port_id: isolated.id } } }),
    );
    const v6 = await portOf(extra.v6only.name);
    note(
      'neutron: associate with an IPv6-only port',
      await raw(cloud, 'network', 'PUT', `/floatingips/${fip.id}`, { body: { floatingip: { port_id: v6.id } } }),
    );
    note(
      'neutron: associate with a stale If-Match',
      await raw(cloud, 'network', 'PUT', `/floatingips/${fip.id}`, {
        body: { floatingip: { port_id: web1Port.id } },
        headers: { 'if-match': `revision_number=${fip.revision_number + 7}` },
      }),
    );
    note(
      'neutron: associate with web-1',
      await raw(cloud, 'network', 'PUT', `/floatingips/${fip.id}`, {
        body: { floatingip: { port_id: web1Port.id, fixed_ip_address: web1Port.fixedIps[0]!.ipAddress } },
        headers: { 'if-match': `revision_number=${fip.revision_number}` },
      }),
    );
    const second = (await create('neutron: allocate a second one', publicNet!.id)).body as Fip;
    note(
      'neutron: a second floating IP on the same fixed IP',
      await raw(cloud, 'network', 'PUT', `/floatingips/${second.floatingip.id}`, { body: { floatingip: { port_id: web1Port.id } } }),
    );
    note(
      'neutron: disassociate',
      await raw(cloud, 'network', 'PUT', `/floatingips/${fip.id}`, { body: { floatingip: { port_id: null } } }),
    );
    note(
      'neutron: allocate on a network that is not external',
      await raw(cloud, 'network', 'POST', '/floatingips', { body: { floatingip: { floating_network_id: privateNet!.id } } }),
    );
    // Tags (standard-attr-tag): a lease lives on the floating IP as a tag, and who it was allocated for.
    note('neutron: has standard-attr-tag', await raw(cloud, 'network', 'GET', '/extensions/standard-attr-tag'));
    note('neutron: lacks an extension', await raw(cloud, 'network', 'GET', '/extensions/no-such-extension'));
    const tagsOf = `/floatingips/${fip.id}/tags`;
    const leaseTag = 'fipbot-lease:2030-01-01T00:00:00Z';
    note('neutron: add a tag', await raw(cloud, 'network', 'PUT', `${tagsOf}/${leaseTag}`));
    note('neutron: add a tag it has', await raw(cloud, 'network', 'PUT', `${tagsOf}/${leaseTag}`));
    note('neutron: list by tag', await raw(cloud, 'network', 'GET', `/floatingips?tags=${leaseTag}&fields=id&fields=tags`));
    note('neutron: a tagged floating IP', await raw(cloud, 'network', 'GET', `/floatingips/${fip.id}?fields=tags&fields=revision_number`));
    note('neutron: replace the tags', await raw(cloud, 'network', 'PUT', tagsOf, { body: { tags: [leaseTag, 'fipbot-owner:U1'] } }));
    note('neutron: replace the tags with a non-list', await raw(cloud, 'network', 'PUT', tagsOf, { body: { tags: 'x' } }));
    note('neutron: a tag over 255 characters', await raw(cloud, 'network', 'PUT', `${tagsOf}/${'a'.repeat(256)}`));
    note(
      'neutron: a tag with If-Match',
      await raw(cloud, 'network', 'PUT', `${tagsOf}/x1`, { headers: { 'if-match': `revision_number=${fip.revision_number}` } }),
    );
    note('neutron: remove a tag', await raw(cloud, 'network', 'DELETE', `${tagsOf}/fipbot-owner:U1`));
    note('neutron: remove a tag it lacks', await raw(cloud, 'network', 'DELETE', `${tagsOf}/fipbot-owner:U1`));
    note('neutron: tag a floating IP that does not exist', await raw(cloud, 'network', 'PUT', `/floatingips/${randomUUID()}/tags/x`));
    note('neutron: delete', await raw(cloud, 'network', 'DELETE', `/floatingips/${fip.id}`));
    note('neutron: delete again', await raw(cloud, 'network', 'DELETE', `/floatingips/${fip.id}`));

    // Pool exhausted: pool-b has two addresses left after its router's gateway.
    await create('neutron: allocate from pool-b (1)', extra.poolB.id);
    await create('neutron: allocate from pool-b (2)', extra.poolB.id);
    await create('neutron: allocate from an exhausted pool', extra.poolB.id);

    // Quota: the project may hold no more than it holds now.
    const quota = await bot.neutron.getQuotaDetails(scope.projectId);
    const restore = await cloud.builder.floatingIpQuota(quota.floatingIps.used);
    try {
      await create('neutron: allocate over quota', publicNet!.id);
    } finally {
      await restore();
    }
  } finally {
    for (const id of created) await bot.neutron.deleteFloatingIp(id).catch(() => undefined);
  }
  return out;
}
