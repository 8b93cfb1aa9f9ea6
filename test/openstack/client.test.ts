import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiRoot, queryString } from '../../src/openstack/client.js';
import {
  OpenStackApiError,
  OpenStackAuthError,
  OpenStackConflictError,
  OpenStackUnexpectedResponseError,
  hasErrorType,
  mayHaveApplied,
} from '../../src/openstack/errors.js';
import { floatingIpBodySchema, floatingIpListSchema } from '../../src/openstack/schemas/neutron.js';
import { serverBodySchema, serverDetailListSchema } from '../../src/openstack/schemas/nova.js';
import { FakeCloud, KEYSTONE_TOKENS_PATH, NEUTRON, NOVA, PROJECT_ID, keystoneTokenBody, keystoneTokenReply } from '../support/cloud.js';
import { rejectionWith } from '../support/expect-error.js';
import { loadSample, sampleJson, sampleReply } from '../support/samples.js';
import { delay, json } from '../support/scripted-server.js';

let c: FakeCloud;
beforeEach(async () => {
  c = await FakeCloud.start();
});
afterEach(async () => {
  await c.close();
});

const listFloatingIps = { method: 'GET', path: '/floatingips' } as const;

function tokensSentTo(method: string, path: string): string[] {
  return c.server.requestsTo(method, path).map((request) => String(request.headers['x-auth-token']));
}

/** Keystone answers the next authentication with this catalog. */
function nextCatalog(urls: { network?: string; compute?: string }): void {
  c.server.queue(
    'POST',
    KEYSTONE_TOKENS_PATH,
    keystoneTokenReply('catalog-token', keystoneTokenBody({ ...c.catalogUrls(), ...urls }, new Date(Date.now() + 3_600_000))),
  );
}

describe('authentication and the 401 replay', () => {
  it('The client sends the token as X-Auth-Token and reports the project scope of the recorded token.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, sampleReply('neutron_get_floatingips_200.txt'));
    const { client } = c.connect();
    await client.call('network', listFloatingIps, floatingIpListSchema);
    expect(tokensSentTo('GET', `${NEUTRON}/floatingips`)).toEqual([c.issued[0]]);
    expect(await client.scope()).toEqual({
      projectId: PROJECT_ID,
      projectName: 'chatops',
      userId: '7918da1c06dc429c9b07a37d2b5fb951',
      userName: 'chatops-bot',
      isAdmin: false,
    });
  });

  it('The client re-authenticates once and replays once after the recorded Neutron 401: two Keystone auths, two Neutron calls.', async () => {
    c.server.queue(
      'GET',
      `${NEUTRON}/floatingips`,
      sampleReply('neutron_get_floatingips_401.txt'),
      sampleReply('neutron_get_floatingips_200.txt'),
    );
    const { client } = c.connect();
    const result = await client.call('network', listFloatingIps, floatingIpListSchema);
    expect(result.data.floatingips.map((ip) => ip.address)).toEqual(['192.168.100.189']);
    expect(result.attempts).toBe(2);
    expect(result.requestId).toBe('req-fad85e61-cf77-4772-b6df-4845354905ef');
    expect(c.keystoneRequests()).toHaveLength(2);
    expect(tokensSentTo('GET', `${NEUTRON}/floatingips`)).toEqual([c.issued[0], c.issued[1]]);
  });

  it('The client gives up with OpenStackAuthError when the fresh token is refused too, never trying a third time.', async () => {
    c.server.always('GET', `${NEUTRON}/floatingips`, sampleReply('neutron_get_floatingips_401.txt'));
    const { client } = c.connect();
    const error = await rejectionWith(client.call('network', listFloatingIps, floatingIpListSchema), OpenStackAuthError);
    expect(error.status).toBe(401);
    expect(error.attempts).toBe(2);
    expect(error.requestId).toBe('req-cab7a6db-3983-4ecb-a0e0-c6cd1b5ff08d');
    expect(error.message).toContain(
      'the token was refused even after re-authenticating: The request you have made requires authentication.',
    );
    expect(c.keystoneRequests()).toHaveLength(2);
    expect(c.server.requestsTo('GET', `${NEUTRON}/floatingips`)).toHaveLength(2);
  });

  it('Concurrent calls refused with the same old token share one re-authentication.', async () => {
    c.server.always('GET', `${NEUTRON}/floatingips`, async (request, res) => {
      await delay(30);
      if (request.headers['x-auth-token'] === c.issued[0]) {
        const refused = sampleReply('neutron_get_floatingips_401.txt');
        res.writeHead(refused.status, refused.headers!.flat());
        res.end(refused.body);
      } else {
        const okay = sampleReply('neutron_get_floatingips_200.txt');
        res.writeHead(okay.status, okay.headers!.flat());
        res.end(okay.body);
      }
    });
    const { client } = c.connect();
    const results = await Promise.all(Array.from({ length: 4 }, () => client.call('network', listFloatingIps, floatingIpListSchema)));
    expect(results.map((result) => result.attempts)).toEqual([2, 2, 2, 2]);
    expect(c.keystoneRequests()).toHaveLength(2);
    expect(c.server.requestsTo('GET', `${NEUTRON}/floatingips`)).toHaveLength(8);
  });
});

describe('API roots', () => {
  it.each([
    ['http://neutron:9696', 'http://neutron:9696/v2.0'],
    ['http://neutron:9696/', 'http://neutron:9696/v2.0'],
    ['http://neutron:9696/v2.0', 'http://neutron:9696/v2.0'],
    ['http://neutron:9696/v2.0/', 'http://neutron:9696/v2.0'],
    ['https://cloud.example.com/network', 'https://cloud.example.com/network/v2.0'],
  ])('The Neutron root for catalog URL %s is %s.', (endpoint, root) => {
    expect(apiRoot(endpoint, 'network')).toBe(root);
  });

  it('The Nova root is the catalog URL as is, without a trailing slash.', () => {
    expect(apiRoot('http://nova:8774/v2.1/e158fb6e930541178a56d9366a2be542/', 'compute')).toBe(
      'http://nova:8774/v2.1/e158fb6e930541178a56d9366a2be542',
    );
  });

  it('The client appends /v2.0 to a version-less Neutron catalog URL on the wire.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, sampleReply('neutron_get_floatingips_200.txt'));
    await c.connect().client.call('network', listFloatingIps, floatingIpListSchema);
    expect(c.server.requests.filter((request) => request.method === 'GET').map((request) => request.path)).toEqual([
      '/network/v2.0/floatingips',
    ]);
  });

  it('The client does not double /v2.0 when the Neutron catalog URL already has it.', async () => {
    nextCatalog({ network: `${c.url}/network/v2.0/` });
    c.server.queue('GET', `${NEUTRON}/floatingips`, sampleReply('neutron_get_floatingips_200.txt'));
    await c.connect().client.call('network', listFloatingIps, floatingIpListSchema);
    expect(c.server.requests.filter((request) => request.method === 'GET').map((request) => request.path)).toEqual([
      '/network/v2.0/floatingips',
    ]);
  });

  it('The client uses the Nova catalog URL as is, project suffix included.', async () => {
    nextCatalog({ compute: `${c.url}${NOVA}/${PROJECT_ID}` });
    c.server.queue('GET', `${NOVA}/${PROJECT_ID}/servers/detail`, sampleReply('nova_get_servers_detail_200.txt'));
    const result = await c.connect().client.call('compute', { method: 'GET', path: '/servers/detail' }, serverDetailListSchema);
    expect(result.data.servers.map((server) => server.name)).toEqual(['web-1', 'test_instance']);
    expect(c.server.requests.at(-1)!.path).toBe(`/compute/v2.1/${PROJECT_ID}/servers/detail`);
  });
});

describe('queries', () => {
  it('queryString repeats a parameter for each array item, skips undefined values and encodes the rest.', () => {
    expect(
      queryString({ port_id: ['a', 'b'], project_id: undefined, 'router:external': true, limit: 5, name: '^web\\-1$', empty: [] }),
    ).toBe('?port_id=a&port_id=b&router%3Aexternal=true&limit=5&name=%5Eweb%5C-1%24');
    expect(queryString({ a: undefined })).toBe('');
    expect(queryString(undefined)).toBe('');
  });

  it('Array query values arrive at the server as repeated parameters.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, sampleReply('neutron_get_floatingips_200.txt'));
    await c
      .connect()
      .client.call('network', { ...listFloatingIps, query: { port_id: ['p1', 'p2'], 'router:external': true } }, floatingIpListSchema);
    const query = c.server.requests.at(-1)!.query;
    expect(query.getAll('port_id')).toEqual(['p1', 'p2']);
    expect(query.get('router:external')).toBe('true');
  });
});

describe('error statuses', () => {
  it.each([
    [
      'neutron_put_floatingip_assoc_public_port_404.txt',
      'PUT',
      '/floatingips/a947d2ce-3d8e-413b-8985-0e2f18961cbe',
      404,
      'ExternalGatewayForFloatingIPNotFound',
      'req-912625fe-fbac-4d57-9d3f-cba2cf704373',
    ],
    ['neutron_post_floatingips_409_quota.txt', 'POST', '/floatingips', 409, 'OverQuota', 'req-4bbd19b5-3c38-487a-91a9-1fe7e4f0aca8'],
    [
      'neutron_post_floatingips_409_pool_exhausted.txt',
      'POST',
      '/floatingips',
      409,
      'IpAddressGenerationFailure',
      'req-b2ada7a5-d51d-441c-8270-47b9657db933',
    ],
  ] as const)(
    'The recorded %s becomes OpenStackApiError with status, type, message and request id.',
    async (sample, method, path, status, type, requestId) => {
      const recorded = loadSample(sample);
      c.server.queue(method, `${NEUTRON}${path}`, sampleReply(sample));
      const error = await rejectionWith(
        c.connect().client.call('network', { method, path, body: JSON.parse(recorded.request.body) as unknown }, floatingIpBodySchema),
        OpenStackApiError,
      );
      const apiMessage = (recorded.json() as { NeutronError: { message: string } }).NeutronError.message;
      expect(error).toMatchObject({
        code: 'openstack_api_error',
        status,
        type,
        apiMessage,
        requestId,
        service: 'network',
        method,
        path,
        attempts: 1,
      });
      expect(error.message).toBe(`Neutron answered ${status} ${type} to ${method} ${path}: ${apiMessage} (request ${requestId})`);
      expect(hasErrorType(error, type)).toBe(true);
      expect(c.server.requestsTo(method, `${NEUTRON}${path}`)).toHaveLength(1);
    },
  );

  it('The recorded Nova 404 itemNotFound becomes OpenStackApiError of type itemNotFound.', async () => {
    const id = '4f7c003e-b5ad-476e-94f6-9e3303e5c446';
    c.server.queue('GET', `${NOVA}/servers/${id}`, sampleReply('nova_get_server_404.txt'));
    const error = await rejectionWith(
      c.connect().client.call('compute', { method: 'GET', path: `/servers/${id}` }, serverBodySchema),
      OpenStackApiError,
    );
    expect(error).toMatchObject({
      status: 404,
      type: 'itemNotFound',
      requestId: 'req-bfd81754-c818-44e6-b7d6-182cd0819652',
      service: 'compute',
    });
    expect(error.message).toBe(
      `Nova answered 404 itemNotFound to GET /servers/${id}: Instance ${id} could not be found. (request req-bfd81754-c818-44e6-b7d6-182cd0819652)`,
    );
  });

  it('A 412 from Neutron becomes OpenStackConflictError, keeping the NeutronError type.', async () => {
    c.server.queue(
      'PUT',
      `${NEUTRON}/floatingips/fip-1`,
      json(412, {
        NeutronError: { type: 'RevisionNumberConstraintFailed', message: 'Constrained to 1, but current revision is 2', detail: '' },
      }),
    );
    const error = await rejectionWith(
      c
        .connect()
        .client.call(
          'network',
          { method: 'PUT', path: '/floatingips/fip-1', body: { floatingip: {} }, headers: { 'if-match': 'revision_number=1' } },
          floatingIpBodySchema,
        ),
      OpenStackConflictError,
    );
    expect(error.code).toBe('openstack_changed_concurrently');
    expect(error.status).toBe(412);
    expect(error.type).toBe('RevisionNumberConstraintFailed');
    expect(error.apiMessage).toBe('Constrained to 1, but current revision is 2');
  });

  it('A 412 without a NeutronError body still becomes OpenStackConflictError of type RevisionNumberConstraintFailed.', async () => {
    c.server.queue('DELETE', `${NEUTRON}/floatingips/fip-1`, { status: 412, body: '' });
    const error = await rejectionWith(
      c.connect().client.callNoContent('network', { method: 'DELETE', path: '/floatingips/fip-1' }),
      OpenStackConflictError,
    );
    expect(error.type).toBe('RevisionNumberConstraintFailed');
    expect(error.apiMessage).toBe('HTTP 412');
  });

  it('An HTML 502 from a proxy becomes OpenStackApiError whose message has no tags, after the GET retries.', async () => {
    c.server.always('GET', `${NEUTRON}/floatingips`, {
      status: 502,
      headers: [['content-type', 'text/html']],
      body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
    });
    const error = await rejectionWith(c.connect().client.call('network', listFloatingIps, floatingIpListSchema), OpenStackApiError);
    expect(error.status).toBe(502);
    expect(error.type).toBeUndefined();
    expect(error.attempts).toBe(3);
    expect(error.apiMessage).toBe('502 Bad Gateway 502 Bad Gateway nginx/1.22.1');
    expect(error.message).not.toMatch(/[<>]/);
    expect(mayHaveApplied(error)).toBe(true);
  });

  it('Error paths are relative to the endpoint and keep the query.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, sampleReply('neutron_get_floatingip_404.txt'));
    const error = await rejectionWith(
      c.connect().client.call('network', { ...listFloatingIps, query: { port_id: 'p1' } }, floatingIpListSchema),
      OpenStackApiError,
    );
    expect(error.path).toBe('/floatingips?port_id=p1');
  });
});

describe('response bodies', () => {
  it('A 200 floating IP list missing floating_ip_address is an unexpected response from Neutron naming the field.', async () => {
    const body = sampleJson<{ floatingips: Array<Record<string, unknown>> }>('neutron_get_floatingips_200.txt');
    delete body.floatingips[0]!.floating_ip_address;
    c.server.queue('GET', `${NEUTRON}/floatingips`, json(200, body, [['x-openstack-request-id', 'req-bad-body']]));
    const error = await rejectionWith(
      c.connect().client.call('network', listFloatingIps, floatingIpListSchema),
      OpenStackUnexpectedResponseError,
    );
    expect(error.message.startsWith('unexpected response from Neutron to GET /floatingips (HTTP 200): ')).toBe(true);
    expect(error.message).toContain('floatingips.0.floating_ip_address');
    expect(error.message).toContain('(request req-bad-body)');
    expect(error.status).toBe(200);
    expect(mayHaveApplied(error)).toBe(true);
  });

  it('A 200 that is not JSON is an unexpected response, not a crash.', async () => {
    c.server.queue('GET', `${NEUTRON}/floatingips`, { status: 200, headers: [['content-type', 'text/plain']], body: 'OK' });
    const error = await rejectionWith(
      c.connect().client.call('network', listFloatingIps, floatingIpListSchema),
      OpenStackUnexpectedResponseError,
    );
    expect(error.issues).toEqual(['the body is empty or not JSON']);
  });

  it('An unexpected response names at most five issues and counts the rest.', async () => {
    c.server.queue('GET', `${NEUTRON}/things`, json(200, { items: Array.from({ length: 8 }, () => ({})) }));
    const schema = z.object({ items: z.array(z.object({ id: z.string() })) });
    const error = await rejectionWith(
      c.connect().client.call('network', { method: 'GET', path: '/things' }, schema),
      OpenStackUnexpectedResponseError,
    );
    expect(error.issues).toHaveLength(6);
    expect(error.issues[0]).toMatch(/^items\.0\.id: /);
    expect(error.issues[5]).toBe('and 3 more');
  });

  it('callNoContent accepts the recorded 204 of a DELETE.', async () => {
    c.server.queue(
      'DELETE',
      `${NEUTRON}/floatingips/eed67619-beef-4801-adbf-0e1d918f6dfc`,
      sampleReply('neutron_delete_floatingip_204.txt'),
    );
    const result = await c
      .connect()
      .client.callNoContent('network', { method: 'DELETE', path: '/floatingips/eed67619-beef-4801-adbf-0e1d918f6dfc' });
    expect(result).toEqual({
      data: undefined,
      status: 204,
      requestId: loadSample('neutron_delete_floatingip_204.txt').header('X-Openstack-Request-Id'),
      attempts: 1,
    });
  });
});
