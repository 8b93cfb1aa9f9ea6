/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { call, passwordAuthBody, sample, shapeOf } from './support.js';

let cloud: DemoCloud;
const tokensUrl = (): string => `${cloud.authUrl}/auth/tokens`;

beforeAll(async () => {
  cloud = await startDemoCloud();
});
afterAll(async () => {
  await cloud.close();
});

function appCredentialBody(credential: Record<string, unknown>, scope?: unknown): unknown {
  return {
    auth: {
      identity: { methods: ['application_credential'], application_credential: credential },
      ...(scope !== undefined ? { scope } : {}),
    },
  };
}

describe('Keystone password authentication', () => {
  it('issues a token in X-Subject-Token with a body shaped exactly like the real 201 and closes the connection', async () => {
    const reply = await call(tokensUrl(), { method: 'POST', body: passwordAuthBody('demo', 'demo') });
    const real = sample('keystone_post_auth_tokens_201.txt');
    expect(reply.status).toBe(201);
    expect(reply.headers.get('x-subject-token')).toMatch(/^gAAAAA/);
    expect(reply.headers.get('connection')).toBe('close');
    expect(reply.headers.get('vary')).toBe('X-Auth-Token');
    expect(reply.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(shapeOf(reply.json)).toEqual(shapeOf(real.json()));
    expect(reply.json.token.project.name).toBe('demo');
    expect(reply.json.token.roles.map((r: { name: string }) => r.name)).toEqual(['member', 'reader']);
  });

  it('lists identity, network and compute in the catalog with public, internal and admin endpoints in RegionOne', async () => {
    const reply = await call(tokensUrl(), { method: 'POST', body: passwordAuthBody('demo', 'demo') });
    const catalog = reply.json.token.catalog as Array<{
      type: string;
      endpoints: Array<{ interface: string; region: string; region_id: string; url: string }>;
    }>;
    expect(catalog.map((entry) => entry.type).sort()).toEqual(['compute', 'identity', 'network']);
    for (const entry of catalog) {
      expect(entry.endpoints.map((e) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
      for (const endpoint of entry.endpoints) {
        expect(endpoint.region).toBe('RegionOne');
        expect(endpoint.region_id).toBe('RegionOne');
      }
    }
    const url = (type: string): string | undefined => catalog.find((e) => e.type === type)?.endpoints[0]?.url;
    expect(url('network')).toBe(`${cloud.baseUrl}/network`);
    expect(url('compute')).toBe(`${cloud.baseUrl}/compute/v2.1`);
    expect(url('identity')).toBe(`${cloud.authUrl}/`);
  });

  it('accepts the user by id and the project by id', async () => {
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { id: cloud.state.userId('demo'), password: 'demo' } } },
        scope: { project: { id: cloud.state.projectId('demo') } },
      },
    };
    const reply = await call(tokensUrl(), { method: 'POST', body });
    expect(reply.status).toBe(201);
    expect(reply.json.token.user.name).toBe('demo');
  });

  it('accepts domains given by name, as clouds.yaml files usually do', async () => {
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'admin' } } },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    };
    const reply = await call(tokensUrl(), { method: 'POST', body });
    expect(reply.status).toBe(201);
    expect(reply.json.token.roles.map((r: { name: string }) => r.name)).toContain('admin');
  });

  it('answers a wrong password with exactly the body and headers of the real 401', async () => {
    const reply = await call(tokensUrl(), { method: 'POST', body: passwordAuthBody('demo', 'wrong-password') });
    const real = sample('keystone_post_auth_tokens_401.txt');
    expect(reply.status).toBe(401);
    expect(reply.text).toBe(real.body);
    expect(reply.headers.get('www-authenticate')).toBe(`Keystone uri="${cloud.authUrl}"`);
    expect(reply.headers.get('connection')).toBe('close');
  });

  it('answers an unknown user, an unknown project and a project without a role with the same 401', async () => {
    const real = sample('keystone_post_auth_tokens_401.txt').body;
    for (const body of [
      passwordAuthBody('nobody', 'x'),
      passwordAuthBody('demo', 'demo', 'no-such-project'),
      passwordAuthBody('demo', 'demo', 'admin'),
    ]) {
      const reply = await call(tokensUrl(), { method: 'POST', body });
      expect(reply.status).toBe(401);
      expect(reply.text).toBe(real);
    }
  });

  it('refuses a user name without a domain with a 400', async () => {
    const body = { auth: { identity: { methods: ['password'], password: { user: { name: 'demo', password: 'demo' } } } } };
    const reply = await call(tokensUrl(), { method: 'POST', body });
    expect(reply.status).toBe(400);
    expect(reply.json.error.title).toBe('Bad Request');
  });
});

describe('Keystone application credential authentication', () => {
  it('issues a token scoped to the credential project for an id and secret', async () => {
    const { id, secret } = cloud.state.applicationCredential;
    const reply = await call(tokensUrl(), { method: 'POST', body: appCredentialBody({ id, secret }) });
    expect(reply.status).toBe(201);
    expect(reply.json.token.methods).toEqual(['application_credential']);
    expect(reply.json.token.project.name).toBe('demo');
    expect(reply.json.token.application_credential.id).toBe(id);
  });

  it('accepts a credential named together with its user', async () => {
    const { name, secret } = cloud.state.applicationCredential;
    const credential = { name, secret, user: { name: 'demo', domain: { name: 'Default' } } };
    const reply = await call(tokensUrl(), { method: 'POST', body: appCredentialBody(credential) });
    expect(reply.status).toBe(201);
  });

  it("refuses a request that also asks for a scope, with Keystone's message", async () => {
    const { id, secret } = cloud.state.applicationCredential;
    const scope = { project: { name: 'demo', domain: { id: 'default' } } };
    const reply = await call(tokensUrl(), { method: 'POST', body: appCredentialBody({ id, secret }, scope) });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      error: {
        code: 401,
        message: 'Error authenticating with application credential: Application credentials cannot request a scope.',
        title: 'Unauthorized',
      },
    });
  });

  it('refuses a wrong secret with the generic 401', async () => {
    const { id } = cloud.state.applicationCredential;
    const reply = await call(tokensUrl(), { method: 'POST', body: appCredentialBody({ id, secret: 'nope' }) });
    expect(reply.status).toBe(401);
    expect(reply.text).toBe(sample('keystone_post_auth_tokens_401.txt').body);
  });
});

describe('Keystone tokens', () => {
  it('validates a token with GET /v3/auth/tokens and 404s an unknown one', async () => {
    const issued = await call(tokensUrl(), { method: 'POST', body: passwordAuthBody('demo', 'demo') });
    const token = issued.headers.get('x-subject-token') ?? '';
    const ok = await call(tokensUrl(), { token, headers: { 'X-Subject-Token': token } });
    expect(ok.status).toBe(200);
    expect(ok.json.token.user.name).toBe('demo');
    const missing = await call(tokensUrl(), { token, headers: { 'X-Subject-Token': 'gAAAAAnope' } });
    expect(missing.status).toBe(404);
  });

  it('expires tokens after the configured lifetime', async () => {
    const shortLived = await startDemoCloud({ tokenTtlSeconds: 1 });
    try {
      const issued = await call(`${shortLived.authUrl}/auth/tokens`, { method: 'POST', body: passwordAuthBody('demo', 'demo') });
      const token = issued.headers.get('x-subject-token') ?? '';
      const lifetime = Date.parse(issued.json.token.expires_at) - Date.parse(issued.json.token.issued_at);
      expect(lifetime).toBe(1000);
      expect((await call(`${shortLived.baseUrl}/network/v2.0/floatingips`, { token })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await call(`${shortLived.baseUrl}/network/v2.0/floatingips`, { token })).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it('defaults the token lifetime to one hour', async () => {
    const issued = await call(tokensUrl(), { method: 'POST', body: passwordAuthBody('demo', 'demo') });
    expect(Date.parse(issued.json.token.expires_at) - Date.parse(issued.json.token.issued_at)).toBe(3600 * 1000);
  });
});
