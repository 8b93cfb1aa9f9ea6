/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { clientFor, login, sample, shapeOf, substitute } from './support.js';

let cloud: DemoCloud;
let api: ReturnType<typeof clientFor>;
let admin: ReturnType<typeof clientFor>;

beforeAll(async () => {
  cloud = await startDemoCloud();
  api = clientFor(cloud, await login(cloud));
  admin = clientFor(cloud, await login(cloud, 'admin'));
});
afterAll(async () => {
  await cloud.close();
});

const names = (reply: { json: { servers: Array<{ name: string }> } }): string[] => reply.json.servers.map((s) => s.name);

describe('Nova server search by name', () => {
  it('treats name as an unanchored regular expression, so web-1 also finds web-10', async () => {
    const reply = await api.nova('GET', '/servers?name=web-1');
    expect(reply.status).toBe(200);
    expect(names(reply).sort()).toEqual(['web-1', 'web-10']);
    expect(shapeOf({ servers: [reply.json.servers[0]] })).toEqual(shapeOf(sample('nova_get_servers_by_name_web1_200.txt').json()));
  });

  it('lets a dot match any character and an anchored, escaped pattern match exactly', async () => {
    expect(names(await api.nova('GET', '/servers?name=web.2'))).toEqual(['web-2']);
    expect(names(await api.nova('GET', `/servers?name=${encodeURIComponent('^web\\-1$')}`))).toEqual(['web-1']);
  });

  it("matches case-insensitively, as MySQL's collation does", async () => {
    expect(names(await api.nova('GET', '/servers?name=TEST_INSTANCE'))).toEqual(['test_instance']);
  });

  it('escapes | the way Nova does on MySQL, so it is no alternation', async () => {
    expect(names(await api.nova('GET', `/servers?name=${encodeURIComponent('web-1|db-1')}`))).toEqual([]);
  });

  it('answers no match with exactly the real empty list', async () => {
    const reply = await api.nova('GET', '/servers?name=no-such-server');
    expect(reply.text).toBe(sample('nova_get_servers_by_name_nomatch_200.txt').body);
    expect(reply.headers.get('openstack-api-version')).toBe('compute 2.1');
    expect(reply.headers.get('x-openstack-nova-api-version')).toBe('2.1');
    expect(reply.headers.get('x-compute-request-id')).toBe(reply.headers.get('x-openstack-request-id'));
  });

  it('fails with a 500 for an expression MySQL cannot compile, as the real Nova does', async () => {
    const reply = await api.nova('GET', `/servers?name=${encodeURIComponent('web-(')}`);
    expect(reply.status).toBe(500);
    expect(reply.json.computeFault.code).toBe(500);
    expect(reply.json.computeFault.message).toContain('Unexpected API Error');
  });
});

describe('Nova server details', () => {
  it('shows a server shaped like the real one and answers an unknown id with the real 404 body', async () => {
    const web2 = cloud.state.server('web-2');
    const reply = await api.nova('GET', `/servers/${web2.id}`);
    expect(reply.status).toBe(200);
    expect(shapeOf(reply.json)).toEqual(shapeOf(sample('nova_get_server_show_web1_200.txt').json()));
    const id = '4f7c003e-b5ad-476e-94f6-9e3303e5c446';
    const missing = await api.nova('GET', `/servers/${id}`);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe(sample('nova_get_server_404.txt').body);
    expect(missing.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  });

  it('derives addresses from the ports and floating IPs, grouped by network name', async () => {
    const web2 = cloud.state.server('web-2');
    const port = cloud.state.portsOf('web-2')[0]!;
    const reply = await api.nova('GET', `/servers/${web2.id}`);
    expect(reply.json.server.addresses).toEqual({
      private: [
        { version: 4, addr: port.fixedIps[0]!.ipAddress, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': port.macAddress },
        { version: 4, addr: '192.168.100.202', 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': port.macAddress },
      ],
    });
    const testInstance = await api.nova('GET', `/servers/${cloud.state.server('test_instance').id}`);
    expect(testInstance.json.server.addresses.public.map((a: { version: number; addr: string }) => [a.version, a.addr])).toEqual([
      [4, '192.168.100.178'],
      [6, '2001:db8::2c7'],
    ]);
    const db1 = await api.nova('GET', `/servers/${cloud.state.server('db-1').id}`);
    expect(Object.keys(db1.json.server.addresses)).toEqual(['private', 'backend']);
  });

  it('lists details newest first, shaped like the real list', async () => {
    const reply = await api.nova('GET', '/servers/detail?name=web');
    expect(names(reply)).toEqual(['web-10', 'web-2', 'web-1']);
    const real = sample('nova_get_servers_detail_200.txt').json();
    expect(shapeOf({ servers: [reply.json.servers[0]] })).toEqual(shapeOf({ servers: [real.servers[0]] }));
  });

  it('answers microversion latest with 2.93 and the later fields', async () => {
    const reply = await api.nova('GET', '/servers/detail?name=test_instance', undefined, { 'OpenStack-API-Version': 'compute latest' });
    expect(reply.headers.get('openstack-api-version')).toBe('compute 2.93');
    const real = sample('nova_get_servers_detail_mv_latest_200.txt').json();
    expect(shapeOf({ servers: [reply.json.servers[0]] })).toEqual(shapeOf({ servers: [real.servers[1]] }));
    expect(reply.json.servers[0]['OS-EXT-SRV-ATTR:hostname']).toBe('test-instance');
    const tooNew = await api.nova('GET', '/servers', undefined, { 'OpenStack-API-Version': 'compute 2.999' });
    expect(tooNew.status).toBe(406);
  });

  it("keeps other projects' servers out of a member's lists and shows", async () => {
    const ops = cloud.state.server('ops-console').id;
    expect(names(await api.nova('GET', '/servers?name=ops'))).toEqual([]);
    expect((await api.nova('GET', `/servers/${ops}`)).status).toBe(404);
    expect(names(await admin.nova('GET', '/servers?name=ops&all_tenants=1'))).toEqual(['ops-console']);
  });
});

describe('Nova paging', () => {
  it('pages with limit and marker and links the next page like Nova', async () => {
    const first = await api.nova('GET', '/servers?name=app-&limit=15');
    expect(first.json.servers).toHaveLength(15);
    const last = first.json.servers[14].id as string;
    expect(first.json.servers_links).toEqual([
      { rel: 'next', href: `${cloud.baseUrl}/compute/v2.1/servers?limit=15&name=app-&marker=${last}` },
    ]);
    const token = await login(cloud);
    const rest: string[] = [];
    let href: string | undefined = first.json.servers_links[0].href;
    while (href) {
      const page = await fetch(href, { headers: { 'X-Auth-Token': token } }).then((r) => r.json() as Promise<any>);
      rest.push(...page.servers.map((s: { name: string }) => s.name));
      href = page.servers_links?.[0]?.href;
    }
    expect(first.json.servers.length + rest.length).toBe(40);
    expect(new Set([...names(first), ...rest]).size).toBe(40);
  });

  it('refuses an unknown marker with 400', async () => {
    const reply = await api.nova('GET', '/servers?marker=00000000-0000-4000-8000-000000000000');
    expect(reply.status).toBe(400);
    expect(reply.json.badRequest.message).toBe('marker [00000000-0000-4000-8000-000000000000] not found');
  });
});

describe('Nova boot and delete for test set-up', () => {
  it('boots a server with its port at once and deletes it with its port, detaching the floating IP', async () => {
    const privateId = cloud.state.network('private').id;
    const boot = await api.nova('POST', '/servers', { server: { name: 'temp-1', networks: [{ uuid: privateId }] } });
    expect(boot.status).toBe(202);
    const id = boot.json.server.id as string;
    const shown = await api.nova('GET', `/servers/${id}`);
    expect(shown.json.server.status).toBe('ACTIVE');
    const ports = await api.neutron('GET', `/v2.0/ports?device_id=${id}`);
    expect(ports.json.ports).toHaveLength(1);
    const fip = await api.neutron('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: cloud.state.network('public').id, port_id: ports.json.ports[0].id },
    });
    expect(fip.status).toBe(201);
    expect((await api.nova('DELETE', `/servers/${id}`)).status).toBe(204);
    expect((await api.neutron('GET', `/v2.0/ports?device_id=${id}`)).json.ports).toEqual([]);
    const after = await api.neutron('GET', `/v2.0/floatingips/${fip.json.floatingip.id}`);
    expect(after.json.floatingip.port_id).toBeNull();
    expect((await api.nova('GET', `/servers/${id}`)).status).toBe(404);
    await api.neutron('DELETE', `/v2.0/floatingips/${fip.json.floatingip.id}`);
  });

  it('boots on an existing port and only unbinds it on delete', async () => {
    const port = await api.neutron('POST', '/v2.0/ports', { port: { network_id: cloud.state.network('backend').id } });
    const boot = await api.nova('POST', '/servers', { server: { name: 'temp-2', networks: [{ port: port.json.port.id }] } });
    expect(boot.status).toBe(202);
    await api.nova('DELETE', `/servers/${boot.json.server.id}`);
    const after = await api.neutron('GET', `/v2.0/ports/${port.json.port.id}`);
    expect(after.json.port.device_id).toBe('');
    await api.neutron('DELETE', `/v2.0/ports/${port.json.port.id}`);
  });

  it('substitutes ids consistently for 404 bodies of any server', async () => {
    const id = '00000000-0000-4000-8000-00000000abcd';
    const reply = await api.nova('GET', `/servers/${id}`);
    expect(reply.text).toBe(substitute(sample('nova_get_server_404.txt').body, { '4f7c003e-b5ad-476e-94f6-9e3303e5c446': id }));
  });
});
