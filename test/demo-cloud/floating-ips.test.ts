/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { call, clientFor, login, sample, shapeOf } from './support.js';

let cloud: DemoCloud;
let api: ReturnType<typeof clientFor>;

beforeEach(async () => {
  cloud = await startDemoCloud();
  api = clientFor(cloud, await login(cloud));
});
afterEach(async () => {
  await cloud.close();
});

const publicId = (): string => cloud.state.network('public').id;
const portOf = (server: string): string => cloud.state.portsOf(server)[0]!.id;

async function allocate(extra: Record<string, unknown> = {}): Promise<any> {
  const reply = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: publicId(), ...extra } });
  expect(reply.status, reply.text).toBe(201);
  return reply.json.floatingip;
}

describe('Floating IP create, show and delete', () => {
  it('creates a floating IP with the keys, key order and values of the real 201', async () => {
    const reply = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: publicId() } });
    const real = sample('neutron_post_floatingips_201.txt');
    expect(reply.status).toBe(201);
    expect(reply.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    expect(shapeOf(reply.json)).toEqual(shapeOf(real.json()));
    const fip = reply.json.floatingip;
    expect(fip).toMatchObject({ status: 'DOWN', port_id: null, router_id: null, fixed_ip_address: null, revision_number: 0 });
    expect(fip.project_id).toBe(cloud.state.projectId('demo'));
    expect(fip.floating_ip_address).toMatch(/^192\.168\.100\.\d+$/);
  });

  it('shows an associated floating IP shaped like the real one, port_details included', async () => {
    const fip = cloud.state.floatingIp('192.168.100.202')!;
    const reply = await api.neutron('GET', `/v2.0/floatingips/${fip.id}`);
    expect(reply.status).toBe(200);
    expect(shapeOf(reply.json)).toEqual(shapeOf(sample('neutron_get_floatingip_show_associated_200.txt').json()));
    expect(reply.json.floatingip.port_details.device_id).toBe(cloud.state.server('web-2').id);
  });

  it('answers an unknown id with exactly the real FloatingIPNotFound body', async () => {
    const id = 'cbcb2e45-146d-42de-8fe3-0fc3a619aac4';
    const reply = await api.neutron('GET', `/v2.0/floatingips/${id}`);
    expect(reply.status).toBe(404);
    expect(reply.text).toBe(sample('neutron_get_floatingip_404.txt').body);
  });

  it('deletes with 204 and an empty body, detaching an attached IP', async () => {
    const fip = cloud.state.floatingIp('192.168.100.202')!;
    const port = fip.portId!;
    const reply = await api.neutron('DELETE', `/v2.0/floatingips/${fip.id}`);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(reply.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    expect((await api.neutron('GET', `/v2.0/floatingips?port_id=${port}`)).json.floatingips).toEqual([]);
    expect((await api.neutron('GET', `/v2.0/floatingips/${fip.id}`)).status).toBe(404);
  });

  it('allocates the requested subnet and keeps the description', async () => {
    const fip = await allocate({ subnet_id: cloud.state.subnet('public-subnet').id, description: 'for the demo' });
    expect(fip.description).toBe('for the demo');
  });

  it('refuses requests without a body, with unknown attributes, or without floating_network_id', async () => {
    expect((await api.neutron('POST', '/v2.0/floatingips', 'not json')).status).toBe(400);
    const unknown = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: publicId(), colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.NeutronError.type).toBe('HTTPBadRequest');
    const missing = await api.neutron('POST', '/v2.0/floatingips', { floatingip: {} });
    expect(missing.json.NeutronError.message).toBe("Failed to parse request. Required attribute 'floating_network_id' not specified");
  });

  it('rejects a token-less or bad-token request with exactly the real 401 body', async () => {
    const reply = await call(`${cloud.baseUrl}/network/v2.0/floatingips`, { token: 'gAAAAA-not-a-valid-token' });
    expect(reply.status).toBe(401);
    expect(reply.text).toBe(sample('neutron_get_floatingips_401.txt').body);
    expect(reply.headers.get('www-authenticate')).toBe(`Keystone uri="${cloud.baseUrl}/identity"`);
    expect((await call(`${cloud.baseUrl}/network/v2.0/floatingips`)).status).toBe(401);
  });
});

describe('Floating IP association', () => {
  it('associates with a private port like the real PUT: router_id, fixed IP, port_details and a revision bump', async () => {
    const fip = await allocate();
    const port = portOf('web-1');
    const reply = await api.neutron('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: port } });
    expect(reply.status).toBe(200);
    expect(shapeOf(reply.json)).toEqual(shapeOf(sample('neutron_put_floatingip_assoc_private_port_200.txt').json()));
    expect(reply.json.floatingip).toMatchObject({
      port_id: port,
      router_id: cloud.state.router('router1').id,
      fixed_ip_address: cloud.state.portsOf('web-1')[0]!.fixedIps[0]!.ipAddress,
      status: 'DOWN',
      revision_number: 1,
    });
  });

  it('disassociates with an explicit null port_id, shaped like the real answer', async () => {
    const fip = cloud.state.floatingIp('192.168.100.202')!;
    const reply = await api.neutron('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } });
    expect(reply.status).toBe(200);
    expect(shapeOf(reply.json)).toEqual(shapeOf(sample('neutron_put_floatingip_disassoc_200.txt').json()));
    expect(reply.json.floatingip).toMatchObject({ port_id: null, router_id: null, fixed_ip_address: null, port_details: null });
  });

  it('keeps the association when port_id is omitted from a non-empty update', async () => {
    const fip = cloud.state.floatingIp('192.168.100.202')!;
    const reply = await api.neutron('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { description: 'still here' } });
    expect(reply.status).toBe(200);
    expect(reply.json.floatingip.port_id).toBe(fip.portId);
    expect(reply.json.floatingip.description).toBe('still here');
  });

  it("disassociates on an empty update dict, following upstream's code path", async () => {
    const fip = cloud.state.floatingIp('192.168.100.202')!;
    const reply = await api.neutron('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: {} });
    expect(reply.status).toBe(200);
    expect(reply.json.floatingip.port_id).toBeNull();
  });

  it('moves an IP already attached elsewhere silently, as Neutron does', async () => {
    const fip = cloud.state.floatingIp('192.168.100.202')!;
    const from = fip.portId!;
    const to = portOf('web-1');
    const reply = await api.neutron('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: to } });
    expect(reply.status).toBe(200);
    expect(reply.json.floatingip.port_id).toBe(to);
    expect((await api.neutron('GET', `/v2.0/floatingips?port_id=${from}`)).json.floatingips).toEqual([]);
  });

  it('creates and associates in one POST', async () => {
    const fip = await allocate({ port_id: portOf('web-1') });
    expect(fip.router_id).toBe(cloud.state.router('router1').id);
    expect(fip.port_details.device_owner).toBe('compute:nova');
  });

  it('refuses read-only attributes in an update', async () => {
    const fip = cloud.state.floatingIp('192.168.100.201')!;
    const reply = await api.neutron('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { floating_network_id: publicId() } });
    expect(reply.status).toBe(400);
    expect(reply.json.NeutronError.message).toBe('Cannot update read-only attribute floating_network_id');
  });
});

describe('Floating IP lists', () => {
  it("lists the project's floating IPs shaped like the real list", async () => {
    const reply = await api.neutron('GET', '/v2.0/floatingips');
    expect(reply.status).toBe(200);
    const free = reply.json.floatingips.find((f: { port_id: string | null }) => f.port_id === null);
    expect(shapeOf({ floatingips: [free] })).toEqual(shapeOf(sample('neutron_get_floatingips_200.txt').json()));
    expect(reply.json.floatingips.map((f: { floating_ip_address: string }) => f.floating_ip_address).sort()).toEqual([
      '192.168.100.201',
      '192.168.100.202',
    ]);
  });

  it('filters on any field, treating a repeated parameter as OR', async () => {
    const one = await api.neutron('GET', '/v2.0/floatingips?floating_ip_address=192.168.100.202');
    expect(one.json.floatingips).toHaveLength(1);
    const both = await api.neutron('GET', '/v2.0/floatingips?floating_ip_address=192.168.100.202&floating_ip_address=192.168.100.201');
    expect(both.json.floatingips).toHaveLength(2);
    const byPort = await api.neutron('GET', `/v2.0/floatingips?port_id=${portOf('web-2')}`);
    expect(byPort.json.floatingips.map((f: { floating_ip_address: string }) => f.floating_ip_address)).toEqual(['192.168.100.202']);
    const byNetworkAndStatus = await api.neutron(
      'GET',
      `/v2.0/floatingips?floating_network_id=${publicId()}&status=DOWN&description=spare`,
    );
    expect(byNetworkAndStatus.json.floatingips).toHaveLength(1);
    const none = await api.neutron('GET', '/v2.0/floatingips?status=ACTIVE');
    expect(none.json.floatingips).toEqual([]);
  });

  it('returns only the requested fields', async () => {
    const reply = await api.neutron('GET', '/v2.0/floatingips?fields=id&fields=floating_ip_address');
    for (const fip of reply.json.floatingips) expect(Object.keys(fip)).toEqual(['id', 'floating_ip_address']);
  });

  it('sorts by sort_key and sort_dir and refuses unknown sort keys', async () => {
    const desc = await api.neutron('GET', '/v2.0/floatingips?sort_key=floating_ip_address&sort_dir=desc');
    expect(desc.json.floatingips.map((f: { floating_ip_address: string }) => f.floating_ip_address)).toEqual([
      '192.168.100.202',
      '192.168.100.201',
    ]);
    const bad = await api.neutron('GET', '/v2.0/floatingips?sort_key=colour&sort_dir=asc');
    expect(bad.status).toBe(400);
    expect(bad.json.NeutronError.message).toBe("['colour'] is invalid attribute for sort_keys");
  });

  it('paginates with limit and marker and builds floatingips_links exactly as Neutron does', async () => {
    for (let i = 0; i < 3; i++) await allocate();
    const all = (await api.neutron('GET', '/v2.0/floatingips?sort_key=id&sort_dir=asc')).json.floatingips.map((f: { id: string }) => f.id);
    expect(all).toHaveLength(5);
    const first = await api.neutron('GET', '/v2.0/floatingips?limit=2');
    expect(first.json.floatingips.map((f: { id: string }) => f.id)).toEqual(all.slice(0, 2));
    const base = `${cloud.baseUrl}/network/v2.0/floatingips`;
    expect(first.json.floatingips_links).toEqual([
      { rel: 'next', href: `${base}?limit=2&marker=${all[1]}` },
      { rel: 'previous', href: `${base}?limit=2&marker=${all[0]}&page_reverse=True` },
    ]);
    const second = await call(first.json.floatingips_links[0].href, { token: await login(cloud) });
    expect(second.json.floatingips.map((f: { id: string }) => f.id)).toEqual(all.slice(2, 4));
    const third = await api.neutron('GET', `/v2.0/floatingips?limit=2&marker=${all[3]}`);
    expect(third.json.floatingips.map((f: { id: string }) => f.id)).toEqual(all.slice(4));
    // A short page has no "next" link, only "previous".
    expect(third.json.floatingips_links.map((l: { rel: string }) => l.rel)).toEqual(['previous']);
    const back = await api.neutron('GET', `/v2.0/floatingips?limit=2&marker=${all[4]}&page_reverse=True`);
    expect(back.json.floatingips.map((f: { id: string }) => f.id)).toEqual(all.slice(2, 4));
  });

  it('keeps other parameters in the links and 404s an unknown marker', async () => {
    const reply = await api.neutron('GET', `/v2.0/floatingips?floating_network_id=${publicId()}&limit=1`);
    expect(reply.json.floatingips_links[0].href).toBe(
      `${cloud.baseUrl}/network/v2.0/floatingips?floating_network_id=${publicId()}&limit=1&marker=${reply.json.floatingips[0].id}`,
    );
    const unknown = await api.neutron('GET', '/v2.0/floatingips?limit=1&marker=cbcb2e45-146d-42de-8fe3-0fc3a619aac4');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe(sample('neutron_get_floatingip_404.txt').body);
  });

  it('refuses unknown filters and a malformed limit', async () => {
    const filter = await api.neutron('GET', '/v2.0/floatingips?colour=red');
    expect(filter.status).toBe(400);
    const limit = await api.neutron('GET', '/v2.0/floatingips?limit=many');
    expect(limit.status).toBe(400);
    expect(limit.json.NeutronError.message).toBe("Bad limit request: Limit must be an integer 0 or greater and not '%d'.");
  });
});
