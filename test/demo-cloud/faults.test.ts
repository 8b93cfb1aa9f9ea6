/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { Agent, request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { call, clientFor, login, passwordAuthBody } from './support.js';

let cloud: DemoCloud;
let api: ReturnType<typeof clientFor>;

beforeEach(async () => {
  cloud = await startDemoCloud();
  api = clientFor(cloud, await login(cloud));
});
afterEach(async () => {
  await cloud.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

/** A raw keep-alive request, to see what the server says about the connection. */
function rawGet(url: string, token: string): Promise<{ status: number; connection: string | undefined }> {
  const agent = new Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'X-Auth-Token': token }, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        agent.destroy();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Fault knob: latency', () => {
  it('adds global latency to every request', async () => {
    cloud.faults.setLatency(120);
    const { ms } = await timed(() => api.neutron('GET', '/v2.0/floatingips'));
    expect(ms).toBeGreaterThanOrEqual(110);
  });

  it('adds per-route latency only where asked', async () => {
    cloud.faults.setRouteLatency({ method: 'GET', path: '/v2.0/ports' }, 150);
    const slow = await timed(() => api.neutron('GET', '/v2.0/ports'));
    const fast = await timed(() => api.neutron('GET', '/v2.0/networks'));
    expect(slow.ms).toBeGreaterThanOrEqual(140);
    // Relative, not absolute: a loaded machine slows both, only one carries the added 150 ms.
    expect(fast.ms).toBeLessThan(slow.ms);
  });

  it('takes its initial latency from the start options', async () => {
    const slowCloud = await startDemoCloud({ latencyMs: 100 });
    try {
      const { ms, result } = await timed(() =>
        call(`${slowCloud.authUrl}/auth/tokens`, { method: 'POST', body: passwordAuthBody('demo', 'demo') }),
      );
      expect(result.status).toBe(201);
      expect(ms).toBeGreaterThanOrEqual(90);
    } finally {
      await slowCloud.close();
    }
  });
});

describe('Fault knob: failing the next calls', () => {
  it('fails the next N calls of a route with a Neutron-shaped body, then recovers', async () => {
    cloud.faults.failNext({ method: 'GET', path: '/v2.0/floatingips' }, { status: 500, count: 2 });
    for (let i = 0; i < 2; i++) {
      const reply = await api.neutron('GET', '/v2.0/floatingips');
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({
        NeutronError: {
          type: 'HTTPInternalServerError',
          message: 'Request Failed: internal server error while processing your request.',
          detail: '',
        },
      });
    }
    expect((await api.neutron('GET', '/v2.0/floatingips')).status).toBe(200);
  });

  it('answers 502 and 503 with an HTML page, as a proxy in front of the cloud would', async () => {
    cloud.faults.failNext({ path: '/v2.0/floatingips/*' }, { status: 503 });
    const fip = cloud.state.floatingIp('192.168.100.201')!;
    const reply = await api.neutron('GET', `/v2.0/floatingips/${fip.id}`);
    expect(reply.status).toBe(503);
    expect(reply.headers.get('content-type')).toBe('text/html');
    expect(reply.text).toContain('<h1>503 Service Unavailable</h1>');
    cloud.faults.failNext({ path: '/compute/**' }, { status: 502 });
    expect((await api.nova('GET', '/servers')).text).toContain('502 Bad Gateway');
  });

  it("uses each service's own error shape", async () => {
    cloud.faults.failNext({ path: '/v2.1/servers' }, { status: 409 });
    const nova = await api.nova('GET', '/servers');
    expect(nova.json).toEqual({ conflictingRequest: { code: 409, message: 'Conflict' } });
    cloud.faults.failNext({ path: '/v3/auth/tokens' }, { status: 500 });
    const keystone = await call(`${cloud.authUrl}/auth/tokens`, { method: 'POST', body: passwordAuthBody('demo', 'demo') });
    expect(keystone.status).toBe(500);
    expect(keystone.json.error.code).toBe(500);
    cloud.faults.failNext({ path: '/v2.0/networks' }, { status: 401 });
    expect((await api.neutron('GET', '/v2.0/networks')).json.error.title).toBe('Unauthorized');
  });
});

describe('Fault knob: expiring tokens', () => {
  it('makes every token fail with 401 until the client authenticates again', async () => {
    cloud.faults.expireAllTokens();
    expect((await api.neutron('GET', '/v2.0/floatingips')).status).toBe(401);
    expect((await api.nova('GET', '/servers')).status).toBe(401);
    const fresh = clientFor(cloud, await login(cloud));
    expect((await fresh.neutron('GET', '/v2.0/floatingips')).status).toBe(200);
  });
});

describe('Fault knob: dropped connections', () => {
  it('destroys the socket without an answer', async () => {
    cloud.faults.dropConnections({ path: '/v2.0/floatingips' });
    await expect(api.neutron('GET', '/v2.0/floatingips')).rejects.toThrow();
    expect((await api.neutron('GET', '/v2.0/floatingips')).status).toBe(200);
  });

  it('answers and then closes the connection', async () => {
    const token = await login(cloud);
    cloud.faults.dropConnections({ path: '/v2.0/floatingips' }, { mode: 'close' });
    const closed = await rawGet(`${cloud.baseUrl}/network/v2.0/floatingips`, token);
    expect(closed).toEqual({ status: 200, connection: 'close' });
    const normal = await rawGet(`${cloud.baseUrl}/network/v2.0/floatingips`, token);
    expect(normal.connection).toBe('keep-alive');
  });
});

describe('Fault knob: hanging requests', () => {
  it('never answers, so client timeouts fire, and the cloud still closes promptly', async () => {
    cloud.faults.hang({ method: 'GET', path: '/v2.1/servers/detail' }, { count: 1 });
    const token = await login(cloud);
    const hung = fetch(`${cloud.baseUrl}/compute/v2.1/servers/detail`, {
      headers: { 'X-Auth-Token': token },
      signal: AbortSignal.timeout(300),
    });
    await expect(hung).rejects.toThrow(/abort|timeout/i);
    expect((await api.nova('GET', '/servers/detail?limit=1')).status).toBe(200);
    cloud.faults.hang({ path: '/v2.0/ports' });
    void fetch(`${cloud.baseUrl}/network/v2.0/ports`, { headers: { 'X-Auth-Token': token } }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { ms } = await timed(() => cloud.close());
    // A close that waited for the hung request would never finish; any finite, short wait proves it does not.
    expect(ms).toBeLessThan(5_000);
  });
});

describe('Request counters', () => {
  it('counts OpenStack requests per route and Keystone authentications', async () => {
    cloud.stats.reset();
    await login(cloud);
    await api.neutron('GET', '/v2.0/floatingips');
    await api.neutron('GET', '/v2.0/floatingips?port_id=x');
    await api.nova('GET', '/servers');
    expect(cloud.stats.authentications()).toBe(1);
    expect(cloud.stats.count({ service: 'network' })).toBe(2);
    expect(cloud.stats.count({ method: 'GET', path: '/v2.0/floatingips' })).toBe(2);
    expect(cloud.stats.count({ route: 'GET /v2.1/servers' })).toBe(1);
    expect(cloud.stats.requests({ service: 'compute' })[0]).toMatchObject({ method: 'GET', path: '/compute/v2.1/servers', status: 200 });
    cloud.stats.reset();
    expect(cloud.stats.count()).toBe(0);
  });

  it('records dropped and hung requests with status 0', async () => {
    cloud.stats.reset();
    cloud.faults.dropConnections({ path: '/v2.0/networks' });
    await api.neutron('GET', '/v2.0/networks').catch(() => undefined);
    expect(cloud.stats.count({ status: 0 })).toBe(1);
  });
});

describe('Fault knobs and counters over HTTP', () => {
  it('arms failures, latency and token expiry, and reads counters through /_demo', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      call(`${cloud.baseUrl}/_demo${path}`, { method, ...(body !== undefined ? { body } : {}) });
    expect((await admin('POST', '/faults/fail', { method: 'GET', path: '/v2.0/floatingips', status: 503, count: 1 })).status).toBe(200);
    expect((await api.neutron('GET', '/v2.0/floatingips')).status).toBe(503);
    expect((await admin('POST', '/faults/latency', { ms: 100, path: '/v2.0/networks' })).status).toBe(200);
    expect((await timed(() => api.neutron('GET', '/v2.0/networks'))).ms).toBeGreaterThanOrEqual(90);
    const armed = await admin('GET', '/faults');
    expect(armed.json.routeLatency).toHaveLength(1);
    expect((await admin('POST', '/faults/reset')).json.routeLatency).toEqual([]);
    await admin('POST', '/faults/expire-tokens');
    expect((await api.neutron('GET', '/v2.0/networks')).status).toBe(401);
    await admin('POST', '/faults/drop', { path: '/v2.0/subnets', mode: 'close' });
    await admin('POST', '/faults/hang', { path: '/v2.0/routers', count: 1 });
    expect((await admin('GET', '/faults')).json.hangs).toHaveLength(1);
    const stats = await admin('GET', '/stats?service=network&status=401');
    expect(stats.json.count).toBe(1);
    expect((await admin('POST', '/stats/reset')).status).toBe(200);
    expect((await admin('GET', '/stats')).json.count).toBe(0);
    const yaml = await admin('GET', '/clouds.yaml');
    expect(yaml.text).toContain(`auth_url: ${cloud.authUrl}`);
    expect((await admin('POST', '/faults/fail', { status: 'x' })).status).toBe(400);
  });
});
