import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudAuth, CloudConfig } from '../../src/openstack/cloud-config.js';
import {
  OpenStackApiError,
  OpenStackAuthError,
  OpenStackEndpointNotFoundError,
  OpenStackUnexpectedResponseError,
} from '../../src/openstack/errors.js';
import { HttpTransport } from '../../src/openstack/http.js';
import { type CatalogEntry, Identity, type IdentityOptions, keystoneV3Url, selectEndpoint } from '../../src/openstack/identity.js';
import { keystoneTokenBody, keystoneTokenReply } from '../support/cloud.js';
import { rejectionWith } from '../support/expect-error.js';
import { loadSample, sampleReply } from '../support/samples.js';
import { type ReplyHandler, ScriptedServer, delay, json } from '../support/scripted-server.js';

const TOKENS = '/v3/auth/tokens';
const RECORDED_201 = loadSample('keystone_post_auth_tokens_201.txt');
/** When the recorded token was issued; its expires_at is 24 h later. */
const RECORDED_ISSUED_AT = Date.parse('2026-11-28T02:00:37Z');

let server: ScriptedServer;
let transports: HttpTransport[] = [];
/** The clock the Identity under test reads, and Keystone's idea of it. */
let clock = 0;
let issued: string[] = [];

beforeAll(async () => {
  server = await ScriptedServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  clock = Date.parse('2030-01-01T00:00:00Z');
  issued = [];
  server.always('POST', TOKENS, keystone(3_600_000));
});
afterEach(async () => {
  await Promise.all(transports.map((transport) => transport.close()));
  transports = [];
});

/** Keystone issuing token-1, token-2, ... valid for `lifetimeMs` from the test clock. */
function keystone(lifetimeMs: number, delayMs = 0): ReplyHandler {
  return async (_request, res) => {
    if (delayMs) await delay(delayMs);
    const token = `token-${issued.length + 1}`;
    issued.push(token);
    const reply = keystoneTokenReply(token, keystoneTokenBody({}, new Date(clock + lifetimeMs)));
    res.writeHead(reply.status, (reply.headers ?? []).flat());
    res.end(reply.body);
  };
}

const PASSWORD_AUTH: CloudAuth = {
  type: 'password',
  authUrl: 'set-by-identity()',
  username: 'chatops-bot',
  userDomain: { id: 'default' },
  password: 'bot-secret',
  projectName: 'chatops',
  projectDomain: { id: 'default' },
};

function identity(auth: Partial<CloudAuth> = {}, options: Partial<IdentityOptions> = {}, cloud: Partial<CloudConfig> = {}): Identity {
  const transport = new HttpTransport({ retries: 0 });
  transports.push(transport);
  return new Identity(
    { auth: { ...PASSWORD_AUTH, authUrl: server.url, ...auth } as CloudAuth, interface: 'public', regionName: 'RegionOne', ...cloud },
    transport,
    { now: () => clock, ...options },
  );
}

function sentBody(): unknown {
  const requests = server.requestsTo('POST', TOKENS);
  expect(requests).toHaveLength(1);
  return JSON.parse(requests[0]!.body) as unknown;
}

describe('the POST /v3/auth/tokens body', () => {
  it('The body for a user by name and domain id, scoped to a project by name and domain id, is byte for byte what the real Keystone accepted.', async () => {
    await identity().token();
    expect(server.requests[0]!.body).toBe(RECORDED_201.request.body);
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('The body names the user and project domains by name when only names are configured.', async () => {
    await identity({ userDomain: { name: 'Default' }, projectDomain: { name: 'Users' } }).token();
    expect(sentBody()).toStrictEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'chatops-bot', domain: { name: 'Default' }, password: 'bot-secret' } },
        },
        scope: { project: { name: 'chatops', domain: { name: 'Users' } } },
      },
    });
  });

  it('The body identifies the user by id alone, without a domain, when a user id is configured.', async () => {
    await identity({ userId: '7918da1c06dc429c9b07a37d2b5fb951', username: 'ignored' }).token();
    expect(sentBody()).toStrictEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { id: '7918da1c06dc429c9b07a37d2b5fb951', password: 'bot-secret' } } },
        scope: { project: { name: 'chatops', domain: { id: 'default' } } },
      },
    });
  });

  it('The body scopes to the project by id alone when a project id is configured.', async () => {
    await identity({ projectId: 'e158fb6e930541178a56d9366a2be542' }).token();
    expect(sentBody()).toStrictEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'chatops-bot', domain: { id: 'default' }, password: 'bot-secret' } } },
        scope: { project: { id: 'e158fb6e930541178a56d9366a2be542' } },
      },
    });
  });

  it('The body for an application credential by id carries the id and secret and NO scope.', async () => {
    await identity({ type: 'applicationCredential', applicationCredentialId: 'ac-123', secret: 'ac-secret-value' }).token();
    expect(sentBody()).toStrictEqual({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac-123', secret: 'ac-secret-value' } } },
    });
  });

  it('The body for an application credential by name carries the owning user by name and domain and NO scope.', async () => {
    await identity({
      type: 'applicationCredential',
      applicationCredentialName: 'fipbot',
      secret: 'ac-secret-value',
      username: 'chatops-bot',
      userDomain: { name: 'Default' },
    }).token();
    expect(sentBody()).toStrictEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { name: 'fipbot', secret: 'ac-secret-value', user: { name: 'chatops-bot', domain: { name: 'Default' } } },
        },
      },
    });
  });

  it('The body for an application credential by name can name the owning user by id.', async () => {
    await identity({
      type: 'applicationCredential',
      applicationCredentialName: 'fipbot',
      secret: 'ac-secret-value',
      userId: 'u-1',
    }).token();
    expect(sentBody()).toStrictEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { name: 'fipbot', secret: 'ac-secret-value', user: { id: 'u-1' } },
        },
      },
    });
  });
});

describe('the Keystone URL', () => {
  it.each([
    ['https://keystone.example.com:5000', 'https://keystone.example.com:5000/v3'],
    ['https://keystone.example.com:5000/', 'https://keystone.example.com:5000/v3'],
    ['https://keystone.example.com:5000/v3', 'https://keystone.example.com:5000/v3'],
    ['https://keystone.example.com:5000/v3/', 'https://keystone.example.com:5000/v3'],
    ['https://cloud.example.com/identity', 'https://cloud.example.com/identity/v3'],
    ['https://cloud.example.com/identity/v3//', 'https://cloud.example.com/identity/v3'],
  ])('keystoneV3Url(%s) is %s: /v3 is appended only when missing.', (authUrl, expected) => {
    expect(keystoneV3Url(authUrl)).toBe(expected);
  });

  it.each([['/identity'], ['/identity/v3'], ['/identity/v3/']])(
    'An auth_url ending in %s posts to /identity/v3/auth/tokens.',
    async (suffix) => {
      server.always('POST', '/identity/v3/auth/tokens', keystone(3_600_000));
      await identity({ authUrl: `${server.url}${suffix}` }).token();
      expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /identity/v3/auth/tokens']);
    },
  );
});

describe('tokens', () => {
  it('Identity reads the token from X-Subject-Token and the scope, roles, expiry and catalog from the recorded 201.', async () => {
    server.queue('POST', TOKENS, sampleReply('keystone_post_auth_tokens_201.txt'));
    clock = RECORDED_ISSUED_AT;
    const token = await identity().token();
    expect(token.value).toBe(RECORDED_201.header('X-Subject-Token'));
    expect(token).toMatchObject({
      userId: '7918da1c06dc429c9b07a37d2b5fb951',
      userName: 'chatops-bot',
      projectId: 'e158fb6e930541178a56d9366a2be542',
      projectName: 'chatops',
      roles: ['reader', 'member'],
      expiresAt: Date.parse('2026-11-29T02:00:37Z'),
      issuedAt: RECORDED_ISSUED_AT,
    });
    expect(token.catalog.map((entry) => entry.type)).toEqual(['placement', 'image', 'compute', 'identity', 'network']);
  });

  it('A token is reused while at least 120 s of its life remain and renewed once fewer remain.', async () => {
    const start = clock;
    const id = identity();
    const first = await id.token();
    expect(first.value).toBe('token-1');

    clock = start + 3_600_000 - 121_000;
    expect((await id.token()).value).toBe('token-1');
    expect(server.requests).toHaveLength(1);

    clock = start + 3_600_000 - 119_000;
    expect((await id.token()).value).toBe('token-2');
    expect(server.requests).toHaveLength(2);
    expect(id.authentications).toBe(2);
  });

  it('A token of a cloud issuing short tokens is renewed at half its life, not on every call.', async () => {
    server.always('POST', TOKENS, keystone(60_000));
    const start = clock;
    const id = identity();
    await id.token();
    clock = start + 29_000;
    expect((await id.token()).value).toBe('token-1');
    clock = start + 31_000;
    expect((await id.token()).value).toBe('token-2');
  });

  it('Many concurrent token() callers cause ONE POST (single flight).', async () => {
    server.always('POST', TOKENS, keystone(3_600_000, 100));
    const id = identity();
    const tokens = await Promise.all(Array.from({ length: 8 }, () => id.token()));
    expect(new Set(tokens.map((token) => token.value))).toEqual(new Set(['token-1']));
    expect(server.requests).toHaveLength(1);
    expect(id.authentications).toBe(1);
  });

  it('One failed authentication is shared by concurrent callers, and the next call tries again.', async () => {
    server.queue('POST', TOKENS, { ...sampleReply('keystone_post_auth_tokens_401.txt'), delayMs: 50 });
    const id = identity();
    const results = await Promise.allSettled([id.token(), id.token(), id.token()]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(server.requests).toHaveLength(1);
    expect((await id.token()).value).toBe('token-1');
    expect(server.requests).toHaveLength(2);
  });

  it('A token a service refused is forgotten by invalidate(), but a newer token is kept.', async () => {
    const id = identity();
    const first = await id.token();
    id.invalidate(first);
    const second = await id.token();
    expect(second.value).toBe('token-2');
    id.invalidate(first);
    expect((await id.token()).value).toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('Every token is registered with the redactor, like the password.', async () => {
    const id = identity({ password: 'pw-to-hide' });
    const token = await id.token();
    const redactor = transports[0]!.redactor;
    expect(redactor.redact(`${token.value} pw-to-hide`)).toBe('[REDACTED] [REDACTED]');
  });
});

describe('Keystone failures', () => {
  it("The recorded Keystone 401 becomes OpenStackAuthError with Keystone's message and request id, asked once.", async () => {
    server.queue('POST', TOKENS, sampleReply('keystone_post_auth_tokens_401.txt'));
    const error = await rejectionWith(identity({ password: 'wrong-password' }).token(), OpenStackAuthError);
    expect(error.code).toBe('openstack_auth_failed');
    expect(error.status).toBe(401);
    expect(error.type).toBe('Unauthorized');
    expect(error.requestId).toBe('req-509c835e-d781-4ab3-9ea2-58bcb6576096');
    expect(error.message).toBe(
      'Keystone answered 401 Unauthorized to POST /v3/auth/tokens: The request you have made requires authentication. (request req-509c835e-d781-4ab3-9ea2-58bcb6576096)',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('A Keystone 500 is an OpenStackApiError, not an authentication failure.', async () => {
    server.queue('POST', TOKENS, json(500, { error: { code: 500, title: 'Internal Server Error', message: 'boom' } }));
    const error = await rejectionWith(identity().token(), OpenStackApiError);
    expect(error).not.toBeInstanceOf(OpenStackAuthError);
    expect(error.status).toBe(500);
  });

  it('A 201 without X-Subject-Token is an unexpected response from Keystone naming the header.', async () => {
    server.queue('POST', TOKENS, json(201, keystoneTokenBody({}, new Date(clock + 3_600_000))));
    const error = await rejectionWith(identity().token(), OpenStackUnexpectedResponseError);
    expect(error.message).toMatch(/^unexpected response from Keystone to POST \/v3\/auth\/tokens \(HTTP 201\): /);
    expect(error.message).toContain('missing X-Subject-Token header');
  });

  it('A 201 whose token lacks expires_at is an unexpected response from Keystone naming token.expires_at.', async () => {
    const body = keystoneTokenBody({}, new Date(clock + 3_600_000)) as { token: Record<string, unknown> };
    delete body.token.expires_at;
    server.queue('POST', TOKENS, keystoneTokenReply('token-x', body));
    const error = await rejectionWith(identity().token(), OpenStackUnexpectedResponseError);
    expect(error.message).toMatch(/^unexpected response from Keystone/);
    expect(error.issues.join('; ')).toContain('token.expires_at');
    expect(error.message).not.toContain('token-x');
  });

  it('A 201 with an unscoped token is an unexpected response that points at the project settings.', async () => {
    const body = keystoneTokenBody({}, new Date(clock + 3_600_000)) as { token: Record<string, unknown> };
    delete body.token.project;
    server.queue('POST', TOKENS, keystoneTokenReply('token-x', body));
    const error = await rejectionWith(identity().token(), OpenStackUnexpectedResponseError);
    expect(error.message).toContain('token is not scoped to a project');
  });
});

describe('endpoint selection', () => {
  const recordedCatalog = (RECORDED_201.json() as { token: { catalog: CatalogEntry[] } }).token.catalog;

  const twoRegions: CatalogEntry[] = [
    {
      type: 'network',
      name: 'neutron',
      endpoints: [
        { interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: 'https://one.example.com:9696' },
        { interface: 'internal', region_id: 'RegionOne', region: 'RegionOne', url: 'http://one.internal:9696' },
        { interface: 'public', region_id: 'RegionTwo', region: 'RegionTwo', url: 'https://two.example.com:9696/' },
      ],
    },
    {
      type: 'compute',
      name: 'nova',
      endpoints: [{ interface: 'publicURL', region: 'RegionTwo', url: 'https://two.example.com:8774/v2.1/p1' }],
    },
  ];

  it('selectEndpoint picks the public network endpoint of the recorded catalog.', () => {
    expect(selectEndpoint(recordedCatalog, 'network', 'public', 'RegionOne')).toBe('http://127.0.0.1:9696');
  });

  it('selectEndpoint drops the trailing slash of the recorded identity endpoint.', () => {
    expect(selectEndpoint(recordedCatalog, 'identity', 'public', undefined)).toBe('http://127.0.0.1:5000/v3');
  });

  it('selectEndpoint picks by region and by interface.', () => {
    expect(selectEndpoint(twoRegions, 'network', 'public', 'RegionTwo')).toBe('https://two.example.com:9696');
    expect(selectEndpoint(twoRegions, 'network', 'public', 'RegionOne')).toBe('https://one.example.com:9696');
    expect(selectEndpoint(twoRegions, 'network', 'internal', 'RegionOne')).toBe('http://one.internal:9696');
  });

  it('selectEndpoint matches a catalog that names regions only in `region` and interfaces as publicURL.', () => {
    expect(selectEndpoint(twoRegions, 'compute', 'public', 'RegionTwo')).toBe('https://two.example.com:8774/v2.1/p1');
  });

  it('selectEndpoint fails with OpenStackEndpointNotFoundError listing the endpoints that exist.', () => {
    let error: unknown;
    try {
      selectEndpoint(twoRegions, 'network', 'admin', 'RegionTwo');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OpenStackEndpointNotFoundError);
    const notFound = error as OpenStackEndpointNotFoundError;
    expect(notFound.available).toEqual(['public/RegionOne', 'internal/RegionOne', 'public/RegionTwo']);
    expect(notFound.message).toBe(
      'the Keystone catalog has no admin network endpoint in region RegionTwo (it has: public/RegionOne, internal/RegionOne, public/RegionTwo)',
    );
    expect(notFound.code).toBe('openstack_endpoint_not_found');
  });

  it('selectEndpoint says so when the service is not in the catalog at all.', () => {
    expect(() => selectEndpoint(recordedCatalog, 'compute', 'public', undefined)).not.toThrow();
    expect(() =>
      selectEndpoint(
        recordedCatalog.filter((entry) => entry.type !== 'compute'),
        'compute',
        'public',
        undefined,
      ),
    ).toThrow('the Keystone catalog has no public compute endpoint (the service is not in the catalog)');
  });

  it('Identity.endpoint uses the configured interface and region.', async () => {
    server.queue('POST', TOKENS, sampleReply('keystone_post_auth_tokens_201.txt'));
    clock = RECORDED_ISSUED_AT;
    const id = identity({}, {}, { interface: 'internal', regionName: 'RegionOne' });
    const token = await id.token();
    expect(id.endpoint({ ...token, catalog: twoRegions }, 'network')).toBe('http://one.internal:9696');
    const elsewhere = identity({}, {}, { interface: 'public', regionName: 'RegionThree' });
    expect(() => elsewhere.endpoint(token, 'network')).toThrow(OpenStackEndpointNotFoundError);
  });
});
