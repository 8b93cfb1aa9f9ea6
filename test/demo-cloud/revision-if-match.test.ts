/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { call, login } from './support.js';
import type { Reply } from './support.js';

let cloud: DemoCloud;
let token: string;

beforeEach(async () => {
  cloud = await startDemoCloud();
  token = await login(cloud);
});
afterEach(async () => {
  await cloud.close();
});

/** A Neutron call with an optional If-Match header. */
function neutron(method: string, path: string, options: { body?: unknown; ifMatch?: string } = {}): Promise<Reply> {
  return call(`${cloud.baseUrl}/network${path}`, {
    method,
    token,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.ifMatch !== undefined ? { headers: { 'If-Match': options.ifMatch } } : {}),
  });
}

/** Exactly what the real Neutron (Zed) answered to a stale If-Match, measured on the test cloud. */
const refusal = (expected: number, current: number): string =>
  `{"NeutronError": {"type": "RevisionNumberConstraintFailed", "message": "Constrained to ${expected}, but current revision is ${current}", "detail": ""}}`;

const spare = () => cloud.state.floatingIp('192.168.100.201')!;
const portOf = (server: string): string => cloud.state.portsOf(server)[0]!.id;

describe('Neutron revision-if-match on floating IPs', () => {
  it('refuses a PUT with a stale If-Match with exactly the real 412 and changes nothing', async () => {
    const fip = spare();
    const before = (await neutron('GET', `/v2.0/floatingips/${fip.id}`)).json.floatingip;
    expect(before.revision_number).toBe(0);
    const reply = await neutron('PUT', `/v2.0/floatingips/${fip.id}`, {
      body: { floatingip: { port_id: portOf('web-1'), description: 'changed' } },
      ifMatch: 'revision_number=5',
    });
    expect(reply.status).toBe(412);
    expect(reply.text).toBe(
      '{"NeutronError": {"type": "RevisionNumberConstraintFailed", "message": "Constrained to 5, but current revision is 0", "detail": ""}}',
    );
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    const after = (await neutron('GET', `/v2.0/floatingips/${fip.id}`)).json.floatingip;
    expect(after).toEqual(before);
    expect((await neutron('GET', `/v2.0/floatingips?port_id=${portOf('web-1')}`)).json.floatingips).toEqual([]);
  });

  it('accepts a PUT whose If-Match matches, bumps the revision by one, and then refuses the old revision', async () => {
    const fip = spare();
    const reply = await neutron('PUT', `/v2.0/floatingips/${fip.id}`, {
      body: { floatingip: { port_id: portOf('web-1') } },
      ifMatch: 'revision_number=0',
    });
    expect(reply.status).toBe(200);
    expect(reply.json.floatingip).toMatchObject({ port_id: portOf('web-1'), revision_number: 1 });
    const again = await neutron('PUT', `/v2.0/floatingips/${fip.id}`, {
      body: { floatingip: { port_id: null } },
      ifMatch: 'revision_number=0',
    });
    expect(again.status).toBe(412);
    expect(again.text).toBe(refusal(0, 1));
    expect((await neutron('GET', `/v2.0/floatingips/${fip.id}`)).json.floatingip.port_id).toBe(portOf('web-1'));
  });

  it('refuses a DELETE with a stale If-Match and keeps the IP, then deletes with the matching revision', async () => {
    const fip = cloud.state.floatingIp('192.168.100.202')!;
    const revision = (await neutron('GET', `/v2.0/floatingips/${fip.id}`)).json.floatingip.revision_number as number;
    const stale = await neutron('DELETE', `/v2.0/floatingips/${fip.id}`, { ifMatch: `revision_number=${revision + 1}` });
    expect(stale.status).toBe(412);
    expect(stale.text).toBe(refusal(revision + 1, revision));
    const kept = await neutron('GET', `/v2.0/floatingips/${fip.id}`);
    expect(kept.status).toBe(200);
    expect(kept.json.floatingip.port_id).toBe(portOf('web-2'));
    const done = await neutron('DELETE', `/v2.0/floatingips/${fip.id}`, { ifMatch: `revision_number=${revision}` });
    expect(done.status).toBe(204);
    expect(done.text).toBe('');
    expect((await neutron('GET', `/v2.0/floatingips/${fip.id}`)).status).toBe(404);
  });

  it('lets the association rule answer before the revision check, as Neutron checks it before writing', async () => {
    const reply = await neutron('PUT', `/v2.0/floatingips/${spare().id}`, {
      body: { floatingip: { port_id: portOf('test_instance') } },
      ifMatch: 'revision_number=9',
    });
    expect(reply.status).toBe(404);
    expect(reply.json.NeutronError.type).toBe('ExternalGatewayForFloatingIPNotFound');
  });

  it('bumps revision_number on association, disassociation, a description change, and an update that changes nothing', async () => {
    const id = spare().id;
    const put = async (floatingip: unknown): Promise<any> => {
      const reply = await neutron('PUT', `/v2.0/floatingips/${id}`, { body: { floatingip } });
      expect(reply.status, reply.text).toBe(200);
      return reply.json.floatingip;
    };
    expect((await put({ port_id: portOf('web-1') })).revision_number).toBe(1);
    // The same port again: l3_db rewrites the association fields, which the revision plugin counts as a change.
    expect((await put({ port_id: portOf('web-1') })).revision_number).toBe(2);
    expect((await put({ description: 'renamed' })).revision_number).toBe(3);
    expect((await put({ description: 'renamed' })).revision_number).toBe(4);
    expect((await put({ port_id: null })).revision_number).toBe(5);
    // Refused updates bump nothing.
    expect((await neutron('PUT', `/v2.0/floatingips/${id}`, { body: { floatingip: { port_id: portOf('batch-1') } } })).status).toBe(404);
    expect((await neutron('GET', `/v2.0/floatingips/${id}`)).json.floatingip.revision_number).toBe(5);
  });
});

describe('Neutron If-Match parsing', () => {
  const put = (ifMatch: string, id = spare().id) =>
    neutron('PUT', `/v2.0/floatingips/${id}`, { body: { floatingip: { description: 'x' } }, ifMatch });

  it('reads a quoted tag like a bare one and ignores weak tags, * and other tags', async () => {
    expect((await put('"revision_number=5"')).text).toBe(refusal(5, 0));
    expect((await put('W/"revision_number=5"')).status).toBe(200);
    expect((await put('*')).status).toBe(200);
    expect((await put('"something-else"')).status).toBe(200);
    // Python's int(): leading zeros, a sign and underscores are fine.
    expect((await put('revision_number=+0_3')).status).toBe(200);
    expect((await neutron('GET', `/v2.0/floatingips/${spare().id}`)).json.floatingip.revision_number).toBe(4);
  });

  it('refuses a revision that is not an integer, and a comma list without quotes, which webob reads as one tag', async () => {
    const expected =
      '{"NeutronError": {"type": "BadRequest", "message": "Bad if-match request: Revision number etag must be in the format of revision_number=<int>.", "detail": ""}}';
    for (const value of ['revision_number=abc', 'revision_number=', 'revision_number=0, revision_number=1']) {
      const reply = await put(value);
      expect(reply.status, value).toBe(400);
      expect(reply.text, value).toBe(expected);
    }
  });

  it("refuses two quoted revision tags with Neutron's message (and its double period)", async () => {
    const reply = await put('"revision_number=0", "revision_number=1"');
    expect(reply.status).toBe(400);
    expect(reply.json.NeutronError).toEqual({
      type: 'BadRequest',
      message: 'Bad if-match request: Multiple revision_number etags are not supported..',
      detail: '',
    });
  });

  it('checks the header after the body and before looking the resource up', async () => {
    const unknown = 'cbcb2e45-146d-42de-8fe3-0fc3a619aac4';
    expect((await put('revision_number=x', unknown)).status).toBe(400);
    expect((await neutron('DELETE', `/v2.0/floatingips/${unknown}`, { ifMatch: 'revision_number=x' })).status).toBe(400);
    expect((await neutron('DELETE', `/v2.0/floatingips/${unknown}`, { ifMatch: 'revision_number=0' })).status).toBe(404);
    const badBody = await neutron('PUT', `/v2.0/floatingips/${spare().id}`, {
      body: { floatingip: { bogus: 1 } },
      ifMatch: 'revision_number=x',
    });
    expect(badBody.json.NeutronError.message).toBe("Unrecognized attribute(s) 'bogus'");
  });

  it("ignores a constraint on a read of one item but fails a list or create with Neutron's 500, allocating nothing", async () => {
    expect((await neutron('GET', `/v2.0/floatingips/${spare().id}`, { ifMatch: 'revision_number=7' })).status).toBe(200);
    const internal =
      '{"NeutronError": {"type": "HTTPInternalServerError", "message": "Request Failed: internal server error while processing your request.", "detail": ""}}';
    const list = await neutron('GET', '/v2.0/floatingips', { ifMatch: 'revision_number=7' });
    expect(list.status).toBe(500);
    expect(list.text).toBe(internal);
    const count = cloud.state.floatingIps('demo').length;
    const create = await neutron('POST', '/v2.0/floatingips', {
      body: { floatingip: { floating_network_id: cloud.state.network('public').id } },
      ifMatch: 'revision_number=0',
    });
    expect(create.status).toBe(500);
    expect(create.text).toBe(internal);
    expect(cloud.state.floatingIps('demo')).toHaveLength(count);
  });
});

describe('Neutron revision-if-match on ports, networks, subnets and routers', () => {
  it('refuses stale deletes of a port, a subnet and a network and keeps them', async () => {
    const network = (await neutron('POST', '/v2.0/networks', { body: { network: { name: 'scratch' } } })).json.network;
    const subnet = (
      await neutron('POST', '/v2.0/subnets', { body: { subnet: { network_id: network.id, cidr: '10.77.0.0/24', ip_version: 4 } } })
    ).json.subnet;
    const port = (await neutron('POST', '/v2.0/ports', { body: { port: { network_id: network.id } } })).json.port;
    // A new subnet revises its network (Subnet.revises_on_change), a port does not.
    expect((await neutron('GET', `/v2.0/networks/${network.id}`)).json.network.revision_number).toBe(1);

    const stalePort = await neutron('DELETE', `/v2.0/ports/${port.id}`, { ifMatch: 'revision_number=3' });
    expect(stalePort.text).toBe(refusal(3, 0));
    expect((await neutron('GET', `/v2.0/ports/${port.id}`)).status).toBe(200);
    expect((await neutron('DELETE', `/v2.0/ports/${port.id}`, { ifMatch: 'revision_number=0' })).status).toBe(204);

    expect((await neutron('DELETE', `/v2.0/subnets/${subnet.id}`, { ifMatch: 'revision_number=2' })).status).toBe(412);
    expect((await neutron('GET', `/v2.0/subnets/${subnet.id}`)).status).toBe(200);
    expect((await neutron('DELETE', `/v2.0/networks/${network.id}`, { ifMatch: 'revision_number=2' })).status).toBe(412);
    expect((await neutron('GET', `/v2.0/networks/${network.id}`)).json.network.subnets).toEqual([subnet.id]);
    expect((await neutron('DELETE', `/v2.0/networks/${network.id}`, { ifMatch: 'revision_number=1' })).status).toBe(204);
  });

  it('refuses a stale router update, interface change and delete, leaving the router as it was', async () => {
    const router = cloud.state.router('router2');
    const before = (await neutron('GET', `/v2.0/routers/${router.id}`)).json.router;
    const stale = `revision_number=${before.revision_number + 1}`;
    const rename = await neutron('PUT', `/v2.0/routers/${router.id}`, { body: { router: { name: 'renamed' } }, ifMatch: stale });
    expect(rename.status).toBe(412);
    expect(rename.text).toBe(refusal(before.revision_number + 1, before.revision_number));
    const isolated = cloud.state.subnet('isolated-subnet').id;
    const add = await neutron('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { body: { subnet_id: isolated }, ifMatch: stale });
    expect(add.status).toBe(412);
    expect((await neutron('GET', `/v2.0/ports?device_id=${router.id}&device_owner=network:router_interface`)).json.ports).toHaveLength(1);
    expect((await neutron('GET', `/v2.0/routers/${router.id}`)).json.router).toEqual(before);

    const renamed = await neutron('PUT', `/v2.0/routers/${router.id}`, {
      body: { router: { name: 'renamed' } },
      ifMatch: `revision_number=${before.revision_number}`,
    });
    expect(renamed.json.router).toMatchObject({ name: 'renamed', revision_number: before.revision_number + 1 });
  });
});
