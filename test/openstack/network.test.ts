import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NeutronOptions } from '../../src/openstack/network.js';
import { NeutronApi } from '../../src/openstack/network.js';
import { ROUTER_INTERFACE_OWNERS } from '../../src/openstack/schemas/neutron.js';
import { FakeCloud, NEUTRON, PROJECT_ID } from '../support/cloud.js';
import { loadSample, sampleJson, sampleReply } from '../support/samples.js';
import { type RecordedRequest, json } from '../support/scripted-server.js';

let c: FakeCloud;
beforeEach(async () => {
  c = await FakeCloud.start();
});
afterEach(async () => {
  await c.close();
});

function neutron(options: Partial<NeutronOptions> = {}): NeutronApi {
  return new NeutronApi(c.connect().client, options);
}

function sent(method: string, path: string): RecordedRequest[] {
  return c.server.requestsTo(method, `${NEUTRON}${path}`);
}

/** A floating IP as Neutron lists it, based on the recorded one. */
function floatingIp(id: string): Record<string, unknown> {
  const recorded = sampleJson<{ floatingips: Array<Record<string, unknown>> }>('neutron_get_floatingips_200.txt').floatingips[0]!;
  return { ...recorded, id, floating_ip_address: `192.168.100.${id.length + 10}` };
}

/** A page of floating IPs with a next link carrying `next` as marker (hosts in links may be internal names). */
function page(ids: string[], next?: string) {
  return json(200, {
    floatingips: ids.map(floatingIp),
    ...(next ? { floatingips_links: [{ rel: 'next', href: `http://neutron.internal:9696/v2.0/floatingips?limit=2&marker=${next}` }] } : {}),
  });
}

const ID_1 = 'a947d2ce-3d8e-413b-8985-0e2f18961cbe';
const FIP_PATH = `/floatingips/${ID_1}`;

describe('pagination', () => {
  it('Listing floating IPs follows floatingips_links next markers until the last page.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, page(['f1', 'f2'], 'f2'), page(['f3', 'f4'], 'f4'), page(['f5']));
    const ips = await neutron({ pageSize: 2 }).listFloatingIps({ projectId: PROJECT_ID });
    expect(ips.map((ip) => ip.id)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    const queries = sent('GET', '/floatingips').map((request) => Object.fromEntries(request.query));
    expect(queries).toEqual([
      { project_id: PROJECT_ID, limit: '2' },
      { project_id: PROJECT_ID, limit: '2', marker: 'f2' },
      { project_id: PROJECT_ID, limit: '2', marker: 'f4' },
    ]);
  });

  it('Listing stops when a server hands back the marker it was just given, instead of looping forever.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, page(['f1', 'f2'], 'f2'), page(['f2'], 'f2'), page(['never']));
    const ips = await neutron({ pageSize: 2 }).listFloatingIps({ projectId: PROJECT_ID });
    expect(ips.map((ip) => ip.id)).toEqual(['f1', 'f2', 'f2']);
    expect(sent('GET', '/floatingips')).toHaveLength(2);
  });

  it('Listing stops at a page that links a previous page only.', async () => {
    c.server.queue(
      'GET',
      `${NEUTRON}/floatingips`,
      json(200, {
        floatingips: [floatingIp('f1')],
        floatingips_links: [{ rel: 'previous', href: 'http://x/v2.0/floatingips?marker=f1&page_reverse=True' }],
      }),
    );
    expect(await neutron().listFloatingIps()).toHaveLength(1);
    expect(sent('GET', '/floatingips')).toHaveLength(1);
  });

  it('The limit option fetches one page of that size even when a next link exists.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, page(['f1', 'f2'], 'f2'), page(['f3']));
    const ips = await neutron({ pageSize: 500 }).listFloatingIps({ limit: 2 });
    expect(ips.map((ip) => ip.id)).toEqual(['f1', 'f2']);
    expect(sent('GET', '/floatingips').map((request) => request.query.get('limit'))).toEqual(['2']);
    expect(c.server.unusedReplies()).toEqual([`GET ${NEUTRON}/floatingips x1`]);
  });

  it('Listing networks follows networks_links too.', async () => {
    const network = sampleJson<{ networks: Array<Record<string, unknown>> }>('neutron_get_networks_external_200.txt').networks[0]!;
    c.server.queue(
      'GET',
      `${NEUTRON}/networks`,
      json(200, { networks: [network], networks_links: [{ rel: 'next', href: `http://x/v2.0/networks?marker=${String(network.id)}` }] }),
      json(200, { networks: [{ ...network, id: 'n2', name: 'public-2' }] }),
    );
    const networks = await neutron().listExternalNetworks();
    expect(networks.map((n) => n.name)).toEqual(['public', 'public-2']);
    expect(sent('GET', '/networks')[1]!.query.get('marker')).toBe(network.id);
  });
});

describe('filters', () => {
  it('A long id filter is split into requests of idsPerRequest ids, without duplicates, each id a repeated parameter.', async () => {
    c.server.always('GET', `${NEUTRON}/networks`, (request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ networks: request.query.getAll('id').map((id) => ({ id, name: `net-${id}` })) }));
    });
    const networks = await neutron({ idsPerRequest: 2 }).listNetworks({ ids: ['n1', 'n2', 'n3', 'n1', 'n4', 'n5'] });
    expect(networks.map((network) => network.id).sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(sent('GET', '/networks').map((request) => request.query.getAll('id'))).toEqual(
      expect.arrayContaining([['n1', 'n2'], ['n3', 'n4'], ['n5']]),
    );
    expect(sent('GET', '/networks')).toHaveLength(3);
  });

  it('An empty id list sends no request at all.', async () => {
    expect(await neutron().listPorts({ ids: [] })).toEqual([]);
    expect(await neutron().listSubnets({ ids: [] })).toEqual([]);
    expect(c.server.requests.filter((request) => request.method === 'GET')).toHaveLength(0);
  });

  it('Array filters are repeated parameters: port ids of floating IPs and router interface owners of ports.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, json(200, { floatingips: [] }));
    c.server.queue('GET', `${NEUTRON}/ports`, json(200, { ports: [] }));
    const api = neutron();
    await api.listFloatingIps({ portId: ['p1', 'p2'], networkId: 'net-1', address: '192.168.100.189' });
    await api.listPorts({ deviceOwners: ROUTER_INTERFACE_OWNERS, networkIds: ['n1', 'n2'] });
    const fipQuery = sent('GET', '/floatingips')[0]!.query;
    expect(fipQuery.getAll('port_id')).toEqual(['p1', 'p2']);
    expect(fipQuery.get('floating_network_id')).toBe('net-1');
    expect(fipQuery.get('floating_ip_address')).toBe('192.168.100.189');
    const portQuery = sent('GET', '/ports')[0]!.query;
    expect(portQuery.getAll('device_owner')).toEqual([
      'network:router_interface',
      'network:router_interface_distributed',
      'network:ha_router_replicated_interface',
    ]);
    expect(portQuery.getAll('network_id')).toEqual(['n1', 'n2']);
  });

  it('Pools are asked for as router:external=true networks.', async () => {
    c.server.queue('GET', `${NEUTRON}/networks`, sampleReply('neutron_get_networks_external_200.txt'));
    await neutron().listExternalNetworks();
    expect(sent('GET', '/networks')[0]!.query.get('router:external')).toBe('true');
  });
});

describe('floating IP changes', () => {
  it('updateFloatingIp with portId null sends an explicit "port_id": null to detach.', async () => {
    c.server.queue('PUT', `${NEUTRON}${FIP_PATH}`, sampleReply('neutron_put_floatingip_disassoc_200.txt'));
    const result = await neutron().updateFloatingIp(ID_1, { portId: null });
    const [request] = sent('PUT', FIP_PATH);
    expect(request!.body).toBe('{"floatingip":{"port_id":null}}');
    expect(request!.headers['if-match']).toBeUndefined();
    expect(result.value.portId).toBeNull();
    expect(result.value.revision).toBe(2);
    expect(result.requestId).toBe('req-19dfbd91-939a-4cc2-abcd-25f03147e603');
  });

  it('updateFloatingIp sends If-Match: revision_number=N when asked to.', async () => {
    c.server.queue('PUT', `${NEUTRON}${FIP_PATH}`, sampleReply('neutron_put_floatingip_assoc_private_port_200.txt'));
    const result = await neutron().updateFloatingIp(
      ID_1,
      { portId: '90f4e379-6542-4f9a-8436-46f1f053bff1', fixedIpAddress: '10.0.0.210' },
      { ifRevision: 0 },
    );
    const [request] = sent('PUT', FIP_PATH);
    expect(request!.headers['if-match']).toBe('revision_number=0');
    expect(JSON.parse(request!.body)).toStrictEqual({
      floatingip: { port_id: '90f4e379-6542-4f9a-8436-46f1f053bff1', fixed_ip_address: '10.0.0.210' },
    });
    expect(result.value).toMatchObject({
      portId: '90f4e379-6542-4f9a-8436-46f1f053bff1',
      fixedIpAddress: '10.0.0.210',
      routerId: 'e5c3fe41-0ce4-474c-92ba-b18ecc95f413',
      portDetails: {
        deviceId: 'b2dc15f6-4505-4cc6-806c-336033c03bbb',
        deviceOwner: 'compute:nova',
        networkId: '6d862214-90b0-4081-a465-3b5cf513a004',
        name: '',
      },
    });
  });

  it('updateFloatingIp leaves port_id out when only the description changes, so the association stays.', async () => {
    c.server.queue('PUT', `${NEUTRON}${FIP_PATH}`, sampleReply('neutron_put_floatingip_assoc_private_port_200.txt'));
    await neutron().updateFloatingIp(ID_1, { description: 'web' });
    expect(sent('PUT', FIP_PATH)[0]!.body).toBe('{"floatingip":{"description":"web"}}');
  });

  it('createFloatingIp sends only the given fields, like the recorded request, and maps the 201.', async () => {
    const recorded = loadSample('neutron_post_floatingips_201.txt');
    c.server.queue('POST', `${NEUTRON}/floatingips`, sampleReply('neutron_post_floatingips_201.txt'));
    const result = await neutron().createFloatingIp({ networkId: '211a2480-a8c2-4390-bdd8-8bf0d717eb87' });
    expect(JSON.parse(sent('POST', '/floatingips')[0]!.body)).toStrictEqual(JSON.parse(recorded.request.body));
    expect(result.value).toMatchObject({
      id: 'eed67619-beef-4801-adbf-0e1d918f6dfc',
      address: '192.168.100.207',
      portId: null,
      status: 'DOWN',
    });
    expect(result.requestId).toBe(recorded.header('X-Openstack-Request-Id'));
  });

  it('createFloatingIp with a port sends port, fixed address and description in the one POST.', async () => {
    c.server.queue('POST', `${NEUTRON}/floatingips`, sampleReply('neutron_post_floatingips_201.txt'));
    await neutron().createFloatingIp({ networkId: 'net', portId: 'port', fixedIpAddress: '10.0.0.5', description: '' });
    expect(JSON.parse(sent('POST', '/floatingips')[0]!.body)).toStrictEqual({
      floatingip: { floating_network_id: 'net', port_id: 'port', fixed_ip_address: '10.0.0.5', description: '' },
    });
  });

  it('deleteFloatingIp accepts the recorded 204 and sends If-Match when asked to.', async () => {
    const id = 'eed67619-beef-4801-adbf-0e1d918f6dfc';
    c.server.queue('DELETE', `${NEUTRON}/floatingips/${id}`, sampleReply('neutron_delete_floatingip_204.txt'));
    const result = await neutron().deleteFloatingIp(id, { ifRevision: 3 });
    expect(sent('DELETE', `/floatingips/${id}`)[0]!.headers['if-match']).toBe('revision_number=3');
    expect(result).toEqual({
      value: { attempts: 1 },
      requestId: loadSample('neutron_delete_floatingip_204.txt').header('X-Openstack-Request-Id'),
    });
  });

  it('getFloatingIp escapes the id into the path.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips/a%2Fb`, json(200, { floatingip: floatingIp('a/b') }));
    expect((await neutron().getFloatingIp('a/b')).id).toBe('a/b');
  });
});

describe('recorded Neutron responses parse into the domain shapes', () => {
  it('The recorded floating IP list maps to the unattached IP.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, sampleReply('neutron_get_floatingips_200.txt'));
    const [ip, ...rest] = await neutron().listFloatingIps();
    expect(rest).toEqual([]);
    expect(ip).toEqual({
      id: ID_1,
      address: '192.168.100.189',
      networkId: '211a2480-a8c2-4390-bdd8-8bf0d717eb87',
      portId: null,
      fixedIpAddress: null,
      routerId: null,
      status: 'DOWN',
      description: '',
      revision: 0,
      portDetails: null,
      tags: [],
      createdAt: '2026-11-28T02:00:39Z',
      updatedAt: '2026-11-28T02:00:39Z',
      projectId: PROJECT_ID,
    });
  });

  it('The recorded external networks map to the pool with its subnets.', async () => {
    c.server.queue('GET', `${NEUTRON}/networks`, sampleReply('neutron_get_networks_external_200.txt'));
    expect(await neutron().listExternalNetworks()).toEqual([
      {
        id: '211a2480-a8c2-4390-bdd8-8bf0d717eb87',
        name: 'public',
        external: true,
        shared: true,
        subnetIds: ['80397c4a-52e7-4f0b-8f74-66e1b5eda43e', 'c8f28d1e-6b7a-45c7-8d59-f85dc1e70cbe'],
        status: 'ACTIVE',
        projectId: '5a501c5955e54cf0b5fafd3a6f2170ac',
      },
    ]);
  });

  it('The recorded subnets map to IPv4 and IPv6 subnets with CIDR and gateway.', async () => {
    c.server.queue('GET', `${NEUTRON}/subnets`, sampleReply('neutron_get_subnets_200.txt'));
    const subnets = await neutron().listSubnets();
    expect(subnets.map((subnet) => [subnet.name, subnet.ipVersion, subnet.cidr, subnet.gatewayIp, subnet.networkId])).toEqual([
      ['public-subnet', 4, '192.168.100.0/24', '192.168.100.1', '211a2480-a8c2-4390-bdd8-8bf0d717eb87'],
      ['private-subnet', 4, '10.0.0.0/24', '10.0.0.1', '6d862214-90b0-4081-a465-3b5cf513a004'],
      ['public-subnet-v6', 6, '2001:db8::/64', '2001:db8::1', '211a2480-a8c2-4390-bdd8-8bf0d717eb87'],
    ]);
  });

  it('The recorded router maps to its gateway network id and external fixed IPs.', async () => {
    c.server.queue('GET', `${NEUTRON}/routers`, sampleReply('neutron_get_routers_200.txt'));
    const [router] = await neutron().listRouters({ projectId: PROJECT_ID });
    expect(sent('GET', '/routers')[0]!.query.get('project_id')).toBe(PROJECT_ID);
    expect(router).toEqual({
      id: 'e5c3fe41-0ce4-474c-92ba-b18ecc95f413',
      name: 'router1',
      status: 'ACTIVE',
      gateway: {
        networkId: '211a2480-a8c2-4390-bdd8-8bf0d717eb87',
        fixedIps: [
          { subnetId: '80397c4a-52e7-4f0b-8f74-66e1b5eda43e', ipAddress: '192.168.100.24' },
          { subnetId: 'c8f28d1e-6b7a-45c7-8d59-f85dc1e70cbe', ipAddress: '2001:db8::30b' },
        ],
      },
      projectId: PROJECT_ID,
    });
  });

  it('The recorded ports by device map to the instance port with its fixed IPs.', async () => {
    c.server.queue('GET', `${NEUTRON}/ports`, sampleReply('neutron_get_ports_by_device_web1_200.txt'));
    const ports = await neutron().listPorts({ deviceIds: ['b2dc15f6-4505-4cc6-806c-336033c03bbb'] });
    expect(sent('GET', '/ports')[0]!.query.getAll('device_id')).toEqual(['b2dc15f6-4505-4cc6-806c-336033c03bbb']);
    expect(ports).toEqual([
      {
        id: '90f4e379-6542-4f9a-8436-46f1f053bff1',
        name: '',
        networkId: '6d862214-90b0-4081-a465-3b5cf513a004',
        deviceId: 'b2dc15f6-4505-4cc6-806c-336033c03bbb',
        deviceOwner: 'compute:nova',
        fixedIps: [{ subnetId: 'ab4fc6d9-3d83-4cfa-aee4-eb8d9d6b99b0', ipAddress: '10.0.0.210' }],
        status: 'ACTIVE',
        projectId: PROJECT_ID,
      },
    ]);
  });

  it('Quota details map to the floating IP limit and use.', async () => {
    c.server.queue(
      'GET',
      `${NEUTRON}/quotas/${PROJECT_ID}/details`,
      json(200, { quota: { floatingip: { limit: 2, used: 1, reserved: 0 }, network: { limit: 100, used: 1, reserved: 0 } } }),
    );
    expect(await neutron().getQuotaDetails(PROJECT_ID)).toEqual({ floatingIps: { limit: 2, used: 1 } });
  });
});
