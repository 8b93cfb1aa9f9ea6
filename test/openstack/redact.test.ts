import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenStackApiError, OpenStackAuthError, OpenStackUnreachableError } from '../../src/openstack/errors.js';
import { Redactor, SECRET_HEADERS } from '../../src/openstack/redact.js';
import { FakeCloud, KEYSTONE_TOKENS_PATH, NEUTRON, PASSWORD } from '../support/cloud.js';
import { rejectionWith } from '../support/expect-error.js';
import { loadSample } from '../support/samples.js';
import { destroySocket, json } from '../support/scripted-server.js';

/** The real Fernet token Keystone issued in the recorded exchange. */
const RECORDED_TOKEN = loadSample('keystone_post_auth_tokens_201.txt').header('X-Subject-Token')!;

describe('Redactor', () => {
  it('The redactor replaces every occurrence of a known secret.', () => {
    const redactor = new Redactor();
    redactor.addSecret('hunter2-pw');
    expect(redactor.redact('user typed hunter2-pw, then hunter2-pw again')).toBe('user typed [REDACTED], then [REDACTED] again');
  });

  it('The redactor ignores known secrets shorter than four characters, which would shred every message.', () => {
    const redactor = new Redactor();
    redactor.addSecret('abc');
    expect(redactor.redact('abc abcd')).toBe('abc abcd');
  });

  it('The redactor keeps the last few rotating secrets (tokens still in flight) and forgets older ones.', () => {
    const redactor = new Redactor();
    for (let i = 1; i <= 5; i++) redactor.addRotatingSecret(`token-number-${i}`, 4);
    expect(redactor.redact('token-number-1')).toBe('token-number-1');
    expect(redactor.redact('token-number-2 token-number-5')).toBe('[REDACTED] [REDACTED]');
  });

  it('The redactor hides a long known secret whole even when a shorter known secret is part of it.', () => {
    const redactor = new Redactor();
    // The password is registered first (Identity's constructor), tokens later.
    redactor.addSecret('Ab12');
    redactor.addSecret('opaque-xyAb12zw-token');
    const out = redactor.redact('token opaque-xyAb12zw-token refused');
    expect(out).toBe('token [REDACTED] refused');
  });

  it('The redactor hides a Keystone Fernet token it never saw, by its shape.', () => {
    expect(RECORDED_TOKEN.startsWith('gAAAAA')).toBe(true);
    expect(new Redactor().redact(`token ${RECORDED_TOKEN} expired`)).toBe('token [REDACTED] expired');
  });

  it('The redactor hides a JWS token it never saw, by its shape.', () => {
    const jws = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJib3QifQabc.c2lnbmF0dXJlLXBhcnQ';
    expect(new Redactor().redact(`Bearer ${jws}`)).not.toContain(jws);
  });

  it('The redactor hides the values of JSON members named password, secret, token and application_credential_secret.', () => {
    const text = '{"password": "p\\"w1", "Secret":"s-1", "token": "t-1", "application_credential_secret": "a-1", "name": "bot"}';
    expect(new Redactor().redact(text)).toBe(
      '{"password": "[REDACTED]", "Secret":"[REDACTED]", "token": "[REDACTED]", "application_credential_secret": "[REDACTED]", "name": "bot"}',
    );
  });

  it('The redactor hides token header lines in free text, including the credentials after an Authorization scheme.', () => {
    const redactor = new Redactor();
    expect(redactor.redact('X-Auth-Token: abc123; next')).toBe('X-Auth-Token: [REDACTED]; next');
    expect(redactor.redact('x-subject-token=abc123')).toBe('x-subject-token=[REDACTED]');
    const bearer = redactor.redact('Authorization: Bearer s3cr3t-credential');
    expect(bearer).not.toContain('s3cr3t-credential');
    expect(bearer).toContain('[REDACTED]');
  });

  it('The redactor leaves ordinary text alone.', () => {
    const text = "Quota exceeded for resources: ['floatingip']. GET /v2.0/floatingips?port_id=90f4e379-6542-4f9a-8436-46f1f053bff1";
    expect(new Redactor().redact(text)).toBe(text);
  });

  it('redactHeaders replaces secret headers whatever their value and scrubs known secrets from the others.', () => {
    const redactor = new Redactor();
    redactor.addSecret('known-secret-value');
    const out = redactor.redactHeaders({
      'X-Auth-Token': 'plain',
      'x-subject-token': RECORDED_TOKEN,
      Authorization: 'Basic Ym90OnB3',
      'Set-Cookie': 'session=1',
      'x-debug': 'echo known-secret-value',
      'x-openstack-request-id': 'req-1',
    });
    expect(out).toEqual({
      'X-Auth-Token': '[REDACTED]',
      'x-subject-token': '[REDACTED]',
      Authorization: '[REDACTED]',
      'Set-Cookie': '[REDACTED]',
      'x-debug': 'echo [REDACTED]',
      'x-openstack-request-id': 'req-1',
    });
    expect([...SECRET_HEADERS].sort()).toEqual(['authorization', 'cookie', 'set-cookie', 'x-auth-token', 'x-subject-token']);
  });
});

describe('errors of failing requests never contain the token or the password', () => {
  let c: FakeCloud;
  beforeEach(async () => {
    c = await FakeCloud.start();
  });
  afterEach(async () => {
    await c.close();
  });

  function expectClean(error: Error, ...secrets: string[]): void {
    const serialised = JSON.stringify(error);
    for (const secret of secrets) {
      expect(error.message).not.toContain(secret);
      expect(serialised).not.toContain(secret);
    }
  }

  it('A Neutron error whose message echoes the token and the password is reported without them.', async () => {
    c.server.always('GET', `${NEUTRON}/floatingips`, (request, res) => {
      const token = String(request.headers['x-auth-token']);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          NeutronError: { type: 'BadRequest', message: `Bad request with token ${token} and password ${PASSWORD}`, detail: '' },
        }),
      );
    });
    const { neutron } = c.connect();
    const error = await rejectionWith(neutron.listFloatingIps(), OpenStackApiError);
    expect(c.issued).toHaveLength(1);
    expect(error.type).toBe('BadRequest');
    expect(error.apiMessage).toBe('Bad request with token [REDACTED] and password [REDACTED]');
    expectClean(error, c.issued[0]!, PASSWORD);
  });

  it('A Keystone 401 whose body echoes the password is reported without it.', async () => {
    c.server.queue(
      'POST',
      KEYSTONE_TOKENS_PATH,
      json(401, { error: { code: 401, title: 'Unauthorized', message: `Invalid password ${PASSWORD} for user chatops-bot` } }),
    );
    const error = await rejectionWith(c.connect().identity.token(), OpenStackAuthError);
    expect(error.message).toContain('Invalid password [REDACTED] for user chatops-bot');
    expectClean(error, PASSWORD);
  });

  it('A Keystone 400 whose body echoes the whole request is reported without the password.', async () => {
    c.server.queue('POST', KEYSTONE_TOKENS_PATH, (request, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 400, title: 'Bad Request', message: `Invalid input for field: ${request.body}` } }));
    });
    const error = await rejectionWith(c.connect().identity.token(), OpenStackApiError);
    expect(error.status).toBe(400);
    expectClean(error, PASSWORD);
  });

  it('An application credential secret echoed by Keystone is reported without it.', async () => {
    const secret = 'app-cred-Secret-0123456789';
    c.server.queue(
      'POST',
      KEYSTONE_TOKENS_PATH,
      json(401, { error: { code: 401, title: 'Unauthorized', message: `bad secret ${secret}` } }),
    );
    const { identity } = c.connect({}, { type: 'applicationCredential', applicationCredentialId: 'ac-1', secret });
    const error = await rejectionWith(identity.token(), OpenStackAuthError);
    expectClean(error, secret);
  });

  it('A Fernet token echoed in an HTML error page is reported without it.', async () => {
    c.server.always('GET', `${NEUTRON}/floatingips`, {
      status: 400,
      headers: [['content-type', 'text/html']],
      body: `<html><body><h1>400</h1><p>header X-Auth-Token ${RECORDED_TOKEN} rejected</p></body></html>`,
    });
    const error = await rejectionWith(c.connect().neutron.listFloatingIps(), OpenStackApiError);
    expect(error.apiMessage).toContain('400');
    expectClean(error, RECORDED_TOKEN, RECORDED_TOKEN.slice(10, 40));
  });

  it('A request whose connection breaks reports no token, even one carried in the query.', async () => {
    c.server.always('GET', `${NEUTRON}/floatingips`, destroySocket);
    const { neutron, identity } = c.connect({ transport: { retries: 0 } });
    const token = (await identity.token()).value;
    const error = await rejectionWith(neutron.listFloatingIps({ description: token }), OpenStackUnreachableError);
    expect(c.server.requests.at(-1)!.query.get('description')).toBe(token);
    expect(error.path).toContain('description=[REDACTED]');
    expectClean(error, token);
  });
});
