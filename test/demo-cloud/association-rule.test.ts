/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { clientFor, login, sample, substitute } from './support.js';

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

const net = (name: string): string => cloud.state.network(name).id;
const portOf = (server: string, index = 0): string => cloud.state.portsOf(server)[index]!.id;

async function freeIp(pool = 'public'): Promise<{ id: string; floating_ip_address: string }> {
  const reply = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: net(pool) } });
  expect(reply.status, reply.text).toBe(201);
  return reply.json.floatingip;
}

async function attach(fipId: string, body: Record<string, unknown>) {
  return api.neutron('PUT', `/v2.0/floatingips/${fipId}`, { floatingip: body });
}

function neutronError(reply: { json: any }): { type: string; message: string; detail: string } {
  return reply.json.NeutronError;
}

describe('Neutron association rule: the refusals', () => {
  it('refuses a server on the external network with exactly the real ExternalGatewayForFloatingIPNotFound body', async () => {
    const fip = await freeIp();
    const port = cloud.state.portsOf('test_instance')[0]!;
    const reply = await attach(fip.id, { port_id: port.id });
    const real = sample('neutron_put_floatingip_assoc_public_port_404.txt');
    expect(reply.status).toBe(404);
    expect(reply.text).toBe(
      substitute(real.body, {
        '211a2480-a8c2-4390-bdd8-8bf0d717eb87': net('public'),
        '80397c4a-52e7-4f0b-8f74-66e1b5eda43e': port.fixedIps[0]!.subnetId,
        '2f3757ad-ca63-4785-a40a-993b752747f6': port.id,
      }),
    );
  });

  it('refuses a subnet with no router at all (404, same type)', async () => {
    const fip = await freeIp();
    const reply = await attach(fip.id, { port_id: portOf('batch-1') });
    expect(reply.status).toBe(404);
    expect(neutronError(reply).type).toBe('ExternalGatewayForFloatingIPNotFound');
  });

  it("refuses a pool the subnet's router has no gateway on, and accepts the pool it has", async () => {
    const backendPort = cloud.state.portsOf('db-1')[1]!;
    const fromPublic = await freeIp('public');
    const refused = await attach(fromPublic.id, { port_id: backendPort.id });
    expect(refused.status).toBe(404);
    expect(neutronError(refused).message).toBe(
      `External network ${net('public')} is not reachable from subnet ${backendPort.fixedIps[0]!.subnetId}.  Therefore, cannot associate Port ${backendPort.id} with a Floating IP.`,
    );
    const fromB = await freeIp('public-b');
    const accepted = await attach(fromB.id, { port_id: backendPort.id });
    expect(accepted.status).toBe(200);
    expect(accepted.json.floatingip.router_id).toBe(cloud.state.router('router2').id);
  });

  it("refuses an IPv6 fixed address with Neutron's message", async () => {
    const fip = await freeIp();
    const reply = await attach(fip.id, { port_id: portOf('test_instance'), fixed_ip_address: '2001:db8::2c7' });
    expect(reply.status).toBe(400);
    expect(neutronError(reply)).toEqual({
      type: 'BadRequest',
      message: 'Bad floatingip request: Cannot process floating IP association with 2001:db8::2c7, since that is not an IPv4 address.',
      detail: '',
    });
  });

  it('refuses a port without any IPv4 address', async () => {
    const fip = await freeIp();
    const port = portOf('v6-1');
    const reply = await attach(fip.id, { port_id: port });
    expect(reply.status).toBe(400);
    expect(neutronError(reply).message).toBe(
      `Bad floatingip request: Cannot add floating IP to port ${port} that has no fixed IPv4 addresses.`,
    );
  });

  it('refuses a port with several IPv4 addresses unless fixed_ip_address picks one', async () => {
    const created = await admin.neutron('POST', '/v2.0/ports', {
      port: {
        network_id: net('private'),
        project_id: cloud.state.projectId('demo'),
        fixed_ips: [{ ip_address: '10.0.0.200' }, { ip_address: '10.0.0.201' }],
      },
    });
    expect(created.status, created.text).toBe(201);
    const port = created.json.port.id as string;
    const fip = await freeIp();
    const refused = await attach(fip.id, { port_id: port });
    expect(refused.status).toBe(400);
    expect(neutronError(refused).message).toBe(
      `Bad floatingip request: Port ${port} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP.`,
    );
    const accepted = await attach(fip.id, { port_id: port, fixed_ip_address: '10.0.0.201' });
    expect(accepted.status).toBe(200);
    expect(accepted.json.floatingip.fixed_ip_address).toBe('10.0.0.201');
  });

  it('refuses a fixed address the port does not have', async () => {
    const fip = await freeIp();
    const port = portOf('web-1');
    const reply = await attach(fip.id, { port_id: port, fixed_ip_address: '10.0.0.99' });
    expect(reply.status).toBe(400);
    expect(neutronError(reply).message).toBe(`Bad floatingip request: Port ${port} does not have fixed ip 10.0.0.99.`);
  });

  it('refuses a fixed address without a port', async () => {
    const fip = await freeIp();
    const reply = await attach(fip.id, { fixed_ip_address: '10.0.0.4' });
    expect(reply.status).toBe(400);
    expect(neutronError(reply).message).toBe('Bad floatingip request: fixed_ip_address cannot be specified without a port_id.');
  });

  it("refuses a DHCP port with Neutron's (uninterpolated) message", async () => {
    const fip = await freeIp();
    const dhcp = (await admin.neutron('GET', `/v2.0/ports?device_owner=network:dhcp&network_id=${net('private')}`)).json.ports[0];
    // Give demo's project the port's view: demo owns the private network, so it sees the DHCP port.
    const reply = await attach(fip.id, { port_id: dhcp.id });
    expect(reply.status).toBe(400);
    expect(neutronError(reply).message).toBe('Bad floatingip request: Port %(id)s is unable to be assigned a floating IP.');
  });

  it("answers another project's port with PortNotFound, and an unknown one too", async () => {
    const fip = await freeIp();
    const foreign = portOf('ops-console');
    const reply = await attach(fip.id, { port_id: foreign });
    expect(reply.status).toBe(404);
    expect(neutronError(reply)).toEqual({ type: 'PortNotFound', message: `Port ${foreign} could not be found.`, detail: '' });
    const unknown = await attach(fip.id, { port_id: '00000000-0000-4000-8000-000000000000' });
    expect(neutronError(unknown).type).toBe('PortNotFound');
  });

  it('refuses a second floating IP from the same pool on the same fixed IP with FloatingIPPortAlreadyAssociated', async () => {
    const fip = await freeIp();
    const port = cloud.state.portsOf('web-2')[0]!;
    const reply = await attach(fip.id, { port_id: port.id });
    expect(reply.status).toBe(409);
    expect(neutronError(reply)).toEqual({
      type: 'FloatingIPPortAlreadyAssociated',
      message: `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${port.id} using fixed IP ${port.fixedIps[0]!.ipAddress}, as that fixed IP already has a floating IP on external network ${net('public')}.`,
      detail: '',
    });
  });

  it('allocates nothing when a create-and-associate POST is refused', async () => {
    const floatingPorts = async (): Promise<number> =>
      (await admin.neutron('GET', '/v2.0/ports?device_owner=network:floatingip')).json.ports.length;
    const before = { fips: cloud.state.floatingIps().length, ports: await floatingPorts() };
    const reply = await api.neutron('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: net('public'), port_id: portOf('test_instance') },
    });
    expect(reply.status).toBe(404);
    expect(cloud.state.floatingIps()).toHaveLength(before.fips);
    expect(await floatingPorts()).toBe(before.ports);
    const quota = await api.neutron('GET', `/v2.0/quotas/${cloud.state.projectId('demo')}/details`);
    expect(quota.json.quota.floatingip.used).toBe(2);
  });

  it('lets the admin associate across projects', async () => {
    const fip = await freeIp();
    const opsPort = await admin.neutron('POST', '/v2.0/ports', { port: { network_id: net('ops'), device_owner: 'compute:nova' } });
    expect(opsPort.status, opsPort.text).toBe(201);
    const reply = await admin.neutron('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: opsPort.json.port.id } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.floatingip.router_id).toBe(cloud.state.router('ops-router').id);
  });
});

describe('Neutron allocation refusals', () => {
  it('answers an exhausted quota with exactly the real OverQuota body', async () => {
    cloud.state.setQuota('demo', 'floatingip', 2);
    const reply = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: net('public') } });
    expect(reply.status).toBe(409);
    expect(reply.text).toBe(sample('neutron_post_floatingips_409_quota.txt').body);
  });

  it('answers an exhausted pool with exactly the real IpAddressGenerationFailure body', async () => {
    for (let i = 0; i < 4; i++) await freeIp('public-b');
    const reply = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: net('public-b') } });
    expect(reply.status).toBe(409);
    expect(reply.text).toBe(
      substitute(sample('neutron_post_floatingips_409_pool_exhausted.txt').body, {
        '843e2d16-dfaf-496f-8393-a96375c7c99a': net('public-b'),
      }),
    );
  });

  it('lets only the admin choose the address, and refuses a taken one with IpAddressInUse', async () => {
    const member = await api.neutron('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: net('public'), floating_ip_address: '192.168.100.150' },
    });
    expect(member.status).toBe(403);
    expect(neutronError(member).type).toBe('PolicyNotAuthorized');
    const chosen = await admin.neutron('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: net('public'), floating_ip_address: '192.168.100.150', project_id: cloud.state.projectId('demo') },
    });
    expect(chosen.status).toBe(201);
    expect(chosen.json.floatingip.floating_ip_address).toBe('192.168.100.150');
    const taken = await admin.neutron('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: net('public'), floating_ip_address: '192.168.100.178' },
    });
    expect(taken.status).toBe(409);
    expect(neutronError(taken)).toEqual({
      type: 'IpAddressInUse',
      message: `Unable to complete operation for network ${net('public')}. The IP address 192.168.100.178 is in use.`,
      detail: '',
    });
  });

  it('refuses a network that is not external with 400 and an unknown one with NetworkNotFound', async () => {
    const internal = await api.neutron('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: net('private') } });
    expect(internal.status).toBe(400);
    expect(neutronError(internal).message).toBe(`Bad floatingip request: Network ${net('private')} is not a valid external network.`);
    const unknown = await api.neutron('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(404);
    expect(neutronError(unknown)).toEqual({
      type: 'NetworkNotFound',
      message: 'Network 00000000-0000-4000-8000-000000000000 could not be found.',
      detail: '',
    });
  });
});
