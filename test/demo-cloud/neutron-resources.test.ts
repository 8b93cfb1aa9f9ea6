/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { clientFor, login, sample, shapeOf } from './support.js';

let cloud: DemoCloud;
let api: ReturnType<typeof clientFor>;
let admin: ReturnType<typeof clientFor>;

beforeEach(async () => {
  cloud = await startDemoCloud();
  api = clientFor(cloud, await login(cloud));
  admin = clientFor(cloud, await login(cloud, 'admin'));
});
afterEach(async () => {
  await cloud.close();
});

const names = (items: Array<{ name: string }>): string[] => items.map((item) => item.name).sort();

describe('Neutron networks, subnets, ports and routers', () => {
  it('lists the external networks (pools) shaped like the real answer', async () => {
    const reply = await api.neutron('GET', '/v2.0/networks?router:external=true');
    expect(reply.status).toBe(200);
    expect(names(reply.json.networks)).toEqual(['public', 'public-b']);
    const publicNet = reply.json.networks.find((n: { name: string }) => n.name === 'public');
    expect(shapeOf({ networks: [publicNet] })).toEqual(shapeOf(sample('neutron_get_networks_external_200.txt').json()));
    // Neutron serialises networks compactly, unlike floating IPs.
    expect(reply.text.startsWith('{"networks":[{"id":')).toBe(true);
  });

  it('filters networks by name, shared, and repeated ids', async () => {
    expect(names((await api.neutron('GET', '/v2.0/networks?name=private')).json.networks)).toEqual(['private']);
    expect(names((await api.neutron('GET', '/v2.0/networks?shared=true')).json.networks)).toEqual(['public']);
    const ids = [cloud.state.network('backend').id, cloud.state.network('isolated').id];
    expect(names((await api.neutron('GET', `/v2.0/networks?id=${ids[0]}&id=${ids[1]}`)).json.networks)).toEqual(['backend', 'isolated']);
    const one = await api.neutron('GET', `/v2.0/networks/${ids[0]}`);
    expect(one.json.network.name).toBe('backend');
  });

  it('filters subnets by network and IP version, shaped like the real ones', async () => {
    const publicId = cloud.state.network('public').id;
    const reply = await api.neutron('GET', `/v2.0/subnets?network_id=${publicId}&ip_version=4`);
    expect(names(reply.json.subnets)).toEqual(['public-subnet']);
    const realFirst = sample('neutron_get_subnets_200.txt').json().subnets[0];
    expect(shapeOf(reply.json.subnets[0])).toEqual(shapeOf(realFirst));
    expect(reply.json.subnets[0]).toMatchObject({
      cidr: '192.168.100.0/24',
      gateway_ip: '192.168.100.1',
      allocation_pools: [{ start: '192.168.100.10', end: '192.168.100.250' }],
    });
    const v6 = await api.neutron('GET', `/v2.0/subnets?network_id=${publicId}&ip_version=6`);
    expect(v6.json.subnets[0].allocation_pools).toEqual([{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }]);
  });

  it("lists a server's ports by device_id (repeated = OR) shaped like the real ones", async () => {
    const testInstance = cloud.state.server('test_instance').id;
    const reply = await api.neutron('GET', `/v2.0/ports?device_id=${testInstance}`);
    expect(shapeOf(reply.json)).toEqual(shapeOf(sample('neutron_get_ports_by_device_test_instance_200.txt').json()));
    expect(reply.json.ports[0].fixed_ips.map((ip: { ip_address: string }) => ip.ip_address)).toEqual(['192.168.100.178', '2001:db8::2c7']);
    const db1 = cloud.state.server('db-1').id;
    const both = await api.neutron('GET', `/v2.0/ports?device_id=${testInstance}&device_id=${db1}`);
    expect(both.json.ports).toHaveLength(3);
    const byOwner = await api.neutron(
      'GET',
      `/v2.0/ports?device_id=${db1}&device_owner=compute:nova&network_id=${cloud.state.network('backend').id}`,
    );
    expect(byOwner.json.ports).toHaveLength(1);
    const byIp = await api.neutron('GET', '/v2.0/ports?fixed_ips=ip_address%3D192.168.100.178');
    expect(byIp.json.ports[0].device_id).toBe(testInstance);
  });

  it('shows the member its routers with their gateways, shaped like the real list', async () => {
    const reply = await api.neutron('GET', '/v2.0/routers');
    expect(names(reply.json.routers)).toEqual(['router1', 'router2']);
    const router1 = reply.json.routers.find((r: { name: string }) => r.name === 'router1');
    expect(shapeOf({ routers: [router1] })).toEqual(shapeOf(sample('neutron_get_routers_200.txt').json()));
    expect(router1.external_gateway_info.network_id).toBe(cloud.state.network('public').id);
    expect(router1.external_gateway_info.external_fixed_ips).toHaveLength(2);
  });

  it('reports floating IP quota, usage and reservations', async () => {
    const projectId = cloud.state.projectId('demo');
    const reply = await api.neutron('GET', `/v2.0/quotas/${projectId}/details`);
    expect(reply.status).toBe(200);
    expect(reply.json.quota.floatingip).toEqual({ limit: 50, used: 2, reserved: 0 });
  });

  it('lets the admin set a quota with the real PUT shape and refuses a member', async () => {
    const projectId = cloud.state.projectId('demo');
    const reply = await admin.neutron('PUT', `/v2.0/quotas/${projectId}`, { quota: { floatingip: 2 } });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(sample('neutron_put_quotas_floatingip_2_admin.txt').body);
    const member = await api.neutron('PUT', `/v2.0/quotas/${projectId}`, { quota: { floatingip: 100 } });
    expect(member.status).toBe(403);
  });
});

describe('Neutron project scoping', () => {
  it("shows a member its own resources plus shared and external networks, but not other projects' routers, ports or floating IPs", async () => {
    expect(names((await api.neutron('GET', '/v2.0/networks')).json.networks)).toEqual([
      'backend',
      'isolated',
      'private',
      'public',
      'public-b',
      'v6-only',
    ]);
    expect(names((await api.neutron('GET', '/v2.0/subnets')).json.subnets)).not.toContain('ops-subnet');
    const opsFip = cloud.state.floatingIp('192.168.100.240')!;
    expect((await api.neutron('GET', `/v2.0/floatingips/${opsFip.id}`)).status).toBe(404);
    expect((await api.neutron('PUT', `/v2.0/floatingips/${opsFip.id}`, { floatingip: { port_id: null } })).status).toBe(404);
    expect((await api.neutron('DELETE', `/v2.0/floatingips/${opsFip.id}`)).status).toBe(404);
    expect((await api.neutron('GET', `/v2.0/routers/${cloud.state.router('ops-router').id}`)).status).toBe(404);
    const opsPort = cloud.state.portsOf('ops-console')[0]!.id;
    expect((await api.neutron('GET', `/v2.0/ports/${opsPort}`)).json.NeutronError.type).toBe('PortNotFound');
    const gatewayPorts = await api.neutron('GET', '/v2.0/ports?device_owner=network:router_gateway');
    expect(gatewayPorts.json.ports).toEqual([]);
  });

  it("shows the admin every project's resources", async () => {
    expect((await admin.neutron('GET', '/v2.0/floatingips')).json.floatingips).toHaveLength(3);
    expect(names((await admin.neutron('GET', '/v2.0/routers')).json.routers)).toEqual(['ops-router', 'router1', 'router2']);
    const byProject = await admin.neutron('GET', `/v2.0/floatingips?project_id=${cloud.state.projectId('admin')}`);
    expect(byProject.json.floatingips.map((f: { floating_ip_address: string }) => f.floating_ip_address)).toEqual(['192.168.100.240']);
  });
});

describe('Neutron topology set-up through the API', () => {
  it('builds a network, subnet and router with the real request shapes, after which association works', async () => {
    const network = await api.neutron('POST', '/v2.0/networks', { network: { name: 'extra' } });
    expect(network.status).toBe(201);
    const subnet = await api.neutron('POST', '/v2.0/subnets', {
      subnet: { network_id: network.json.network.id, cidr: '10.77.0.0/24', ip_version: 4, name: 'extra-subnet' },
    });
    expect(subnet.status, subnet.text).toBe(201);
    expect(subnet.json.subnet).toMatchObject({ gateway_ip: '10.77.0.1', allocation_pools: [{ start: '10.77.0.2', end: '10.77.0.254' }] });
    const port = await api.neutron('POST', '/v2.0/ports', { port: { network_id: network.json.network.id } });
    expect(port.json.port.fixed_ips[0].ip_address).toBe('10.77.0.2');
    const fip = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: cloud.state.network('public').id } });
    const refused = await api.neutron('PUT', `/v2.0/floatingips/${fip.json.floatingip.id}`, { floatingip: { port_id: port.json.port.id } });
    expect(refused.status).toBe(404);

    const router = await api.neutron('POST', '/v2.0/routers', {
      router: { name: 'extra-router', external_gateway_info: { network_id: cloud.state.network('public').id } },
    });
    expect(router.status, router.text).toBe(201);
    const routerId = router.json.router.id as string;
    const added = await api.neutron('PUT', `/v2.0/routers/${routerId}/add_router_interface`, { subnet_id: subnet.json.subnet.id });
    expect(added.status, added.text).toBe(200);
    expect(added.json).toMatchObject({ id: routerId, subnet_id: subnet.json.subnet.id });
    const accepted = await api.neutron('PUT', `/v2.0/floatingips/${fip.json.floatingip.id}`, {
      floatingip: { port_id: port.json.port.id },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json.floatingip.router_id).toBe(routerId);

    // Neutron refuses to strand the floating IP.
    const remove = await api.neutron('PUT', `/v2.0/routers/${routerId}/remove_router_interface`, { subnet_id: subnet.json.subnet.id });
    expect(remove.status).toBe(409);
    expect(remove.json.NeutronError.type).toBe('RouterInterfaceInUseByFloatingIP');
    const clearGateway = await api.neutron('PUT', `/v2.0/routers/${routerId}`, { router: { external_gateway_info: {} } });
    expect(clearGateway.status).toBe(409);
    expect(clearGateway.json.NeutronError.type).toBe('RouterExternalGatewayInUseByFloatingIp');
  });

  it('lets only the admin create external or shared networks', async () => {
    const member = await api.neutron('POST', '/v2.0/networks', { network: { name: 'mine', 'router:external': true } });
    expect(member.status).toBe(403);
    expect(member.json.NeutronError.type).toBe('PolicyNotAuthorized');
    const made = await admin.neutron('POST', '/v2.0/networks', { network: { name: 'pool-c', 'router:external': true, shared: true } });
    expect(made.status).toBe(201);
    const subnet = await admin.neutron('POST', '/v2.0/subnets', {
      subnet: { network_id: made.json.network.id, cidr: '198.51.100.0/30', ip_version: 4, gateway_ip: null, enable_dhcp: false },
    });
    expect(subnet.status, subnet.text).toBe(201);
    expect(subnet.json.subnet.allocation_pools).toEqual([{ start: '198.51.100.1', end: '198.51.100.2' }]);
    const pools = await api.neutron('GET', '/v2.0/networks?router:external=true');
    expect(names(pools.json.networks)).toContain('pool-c');
    expect((await admin.neutron('DELETE', `/v2.0/subnets/${subnet.json.subnet.id}`)).status).toBe(204);
    expect((await admin.neutron('DELETE', `/v2.0/networks/${made.json.network.id}`)).status).toBe(204);
  });

  it('refuses to delete a network that still has ports and a router that still has interfaces', async () => {
    const net = await api.neutron('DELETE', `/v2.0/networks/${cloud.state.network('private').id}`);
    expect(net.status).toBe(409);
    expect(net.json.NeutronError.type).toBe('NetworkInUse');
    const router = await api.neutron('DELETE', `/v2.0/routers/${cloud.state.router('router1').id}`);
    expect(router.status).toBe(409);
    expect(router.json.NeutronError).toEqual({
      type: 'RouterInUse',
      message: `Router ${cloud.state.router('router1').id} still has ports`,
      detail: '',
    });
  });

  it('detaches floating IPs when their port is deleted', async () => {
    const created = await api.neutron('POST', '/v2.0/ports', { port: { network_id: cloud.state.network('private').id } });
    const fip = await api.neutron('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: cloud.state.network('public').id, port_id: created.json.port.id },
    });
    expect(fip.status).toBe(201);
    expect((await api.neutron('DELETE', `/v2.0/ports/${created.json.port.id}`)).status).toBe(204);
    const after = await api.neutron('GET', `/v2.0/floatingips/${fip.json.floatingip.id}`);
    expect(after.json.floatingip).toMatchObject({ port_id: null, router_id: null, fixed_ip_address: null });
  });
});
