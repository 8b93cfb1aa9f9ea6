import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  OpenStackTimeoutError,
  OpenStackUnexpectedResponseError,
  OpenStackUnreachableError,
  mayHaveApplied,
} from '../../src/openstack/errors.js';
import { type ExchangeEvent, HttpTransport, type HttpMethod, type Limiter, type TransportOptions } from '../../src/openstack/http.js';
import { Redactor } from '../../src/openstack/redact.js';
import { rejectionWith } from '../support/expect-error.js';
import { loadSample, sampleReply } from '../support/samples.js';
import { type ReplyHandler, ScriptedServer, closedPort, delay, destroySocket, json } from '../support/scripted-server.js';

let server: ScriptedServer;
let transports: HttpTransport[] = [];
let sleeps: number[] = [];

beforeAll(async () => {
  server = await ScriptedServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  sleeps = [];
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(transports.map((transport) => transport.close()));
  transports = [];
});

/** A transport whose backoff sleeps are recorded instead of waited for. */
function transport(options: Partial<TransportOptions> = {}, deps: { limiter?: Limiter; redactor?: Redactor } = {}): HttpTransport {
  const created = new HttpTransport(options, {
    ...deps,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  transports.push(created);
  return created;
}

function get(on: HttpTransport, path: string, headers: Record<string, string> = {}) {
  return on.request({ service: 'network', method: 'GET', url: `${server.url}${path}`, headers });
}

const ok = json(200, { ok: true });

describe('connection failures', () => {
  it('A request to a port where nothing listens fails with OpenStackUnreachableError ECONNREFUSED once every retry is spent.', async () => {
    const port = await closedPort();
    const error = await rejectionWith(
      transport({ retries: 2 }).request({ service: 'network', method: 'GET', url: `http://127.0.0.1:${port}/v2.0/floatingips` }),
      OpenStackUnreachableError,
    );
    expect(error.causeCode).toBe('ECONNREFUSED');
    expect(error.code).toBe('openstack_unreachable');
    expect(error.attempts).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(error.message).toContain('Neutron could not be reached (ECONNREFUSED');
    expect(error.path).toBe('/v2.0/floatingips');
    expect(mayHaveApplied(error)).toBe(false);
  });

  it('A POST is retried when the connection was refused, because nothing was sent.', async () => {
    const port = await closedPort();
    let late: ScriptedServer | undefined;
    const created = new HttpTransport(
      { retries: 2 },
      {
        // The server comes up while the transport backs off after the refusal.
        sleep: async () => {
          late ??= await ScriptedServer.start(port);
          late.queue('POST', '/v2.0/floatingips', json(201, { floatingip: { id: 'new' } }));
        },
      },
    );
    transports.push(created);
    try {
      const response = await created.request({
        service: 'network',
        method: 'POST',
        url: `http://127.0.0.1:${port}/v2.0/floatingips`,
        body: { floatingip: {} },
      });
      expect(response.status).toBe(201);
      expect(response.attempts).toBe(2);
      expect(late!.requests).toHaveLength(1);
    } finally {
      await late?.close();
    }
  });

  it('A GET whose connection is reset after the server read it is sent again and succeeds.', async () => {
    server.queue('GET', '/v2.0/floatingips', destroySocket, ok);
    const response = await get(transport({ retries: 2 }), '/v2.0/floatingips');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(response.attempts).toBe(2);
    expect(server.requestsTo('GET', '/v2.0/floatingips')).toHaveLength(2);
  });

  it('A POST whose connection is reset after the server read it is not sent again: the server may have acted.', async () => {
    server.queue('POST', '/v2.0/floatingips', destroySocket, json(201, { floatingip: { id: 'second' } }));
    const error = await rejectionWith(
      transport({ retries: 2 }).request({
        service: 'network',
        method: 'POST',
        url: `${server.url}/v2.0/floatingips`,
        body: { floatingip: {} },
      }),
      OpenStackUnreachableError,
    );
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(error.causeCode);
    expect(error.attempts).toBe(1);
    expect(server.requestsTo('POST', '/v2.0/floatingips')).toHaveLength(1);
    expect(server.unusedReplies()).toEqual(['POST /v2.0/floatingips x1']);
    expect(mayHaveApplied(error)).toBe(true);
  });
});

describe('timeouts', () => {
  it('A server that does not send headers within headersTimeoutMs fails with OpenStackTimeoutError phase "headers".', async () => {
    server.queue('GET', '/slow-headers', { ...ok, delayMs: 3_000 });
    const error = await rejectionWith(get(transport({ headersTimeoutMs: 200, retries: 2 }), '/slow-headers'), OpenStackTimeoutError);
    expect(error.phase).toBe('headers');
    expect(error.timeoutMs).toBe(200);
    expect(error.message).toBe('Neutron did not answer within 200 ms (GET /slow-headers)');
    // A slow server is not hammered again: a timeout after sending is not retried.
    expect(error.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(mayHaveApplied(error)).toBe(true);
  });

  it('A body that stalls for longer than bodyTimeoutMs fails with OpenStackTimeoutError phase "body".', async () => {
    server.queue('GET', '/stalled-body', (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"floatingips": [');
    });
    const error = await rejectionWith(get(transport({ bodyTimeoutMs: 200 }), '/stalled-body'), OpenStackTimeoutError);
    expect(error.phase).toBe('body');
    expect(error.timeoutMs).toBe(200);
    expect(error.message).toContain('did not finish answering within 200 ms');
  });

  it('A body that keeps arriving in chunks closer together than bodyTimeoutMs is read in full although it takes longer in total.', async () => {
    server.queue('GET', '/trickle', async (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Ten gaps of 120 ms: 1.2 s in total, well past the 200 ms timeout (and undici's ~1 s timer resolution).
      for (const part of ['{', '"a"', ':', '[', '1', ',', '2', ']', '}', ' ']) {
        res.write(part);
        await delay(120);
      }
      res.end();
    });
    const response = await get(transport({ bodyTimeoutMs: 200 }), '/trickle');
    expect(response.body).toEqual({ a: [1, 2] });
  });
});

describe('retries on gateway errors', () => {
  it.each<HttpMethod>(['GET', 'PUT', 'DELETE'])(
    '%s is retried after 502, 503 and 504 with exponential backoff, then returns the answer.',
    async (method) => {
      vi.spyOn(Math, 'random').mockReturnValue(1);
      server.queue(method, '/v2.0/floatingips/x', json(502, {}), json(503, {}), json(504, {}), ok);
      const response = await transport({ retries: 3, retryBaseDelayMs: 100, retryMaxDelayMs: 10_000 }).request({
        service: 'network',
        method,
        url: `${server.url}/v2.0/floatingips/x`,
      });
      expect(response.status).toBe(200);
      expect(response.attempts).toBe(4);
      expect(server.requestsTo(method, '/v2.0/floatingips/x')).toHaveLength(4);
      expect(sleeps).toEqual([100, 200, 400]);
    },
  );

  it('Backoff never exceeds retryMaxDelayMs and is jittered below the exponential ceiling.', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    server.queue('GET', '/x', json(503, {}), json(503, {}), json(503, {}), ok);
    await get(transport({ retries: 3, retryBaseDelayMs: 100, retryMaxDelayMs: 300 }), '/x');
    expect(sleeps).toEqual([50, 100, 150]);
  });

  it('A short Retry-After on a 503 sets the wait, capped at retryMaxDelayMs.', async () => {
    server.queue('GET', '/x', json(503, {}, [['Retry-After', '1']]), json(503, {}, [['Retry-After', '120']]), ok);
    await get(transport({ retries: 2, retryBaseDelayMs: 10, retryMaxDelayMs: 5_000 }), '/x');
    expect(sleeps).toEqual([1_000, 5_000]);
  });

  it('A GET that keeps getting 503 returns the last 503 once the retries are spent.', async () => {
    server.always('GET', '/x', json(503, { error: 'down' }));
    const response = await get(transport({ retries: 2 }), '/x');
    expect(response.status).toBe(503);
    expect(response.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it('A POST answered 503 is not retried: the server may have acted before the gateway gave up.', async () => {
    server.queue('POST', '/v2.0/floatingips', json(503, {}), json(201, {}));
    const response = await transport({ retries: 2 }).request({
      service: 'network',
      method: 'POST',
      url: `${server.url}/v2.0/floatingips`,
      body: {},
    });
    expect(response.status).toBe(503);
    expect(response.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('A POST the caller marks idempotent (Keystone token request) is retried after a 503.', async () => {
    server.queue('POST', '/v3/auth/tokens', json(503, {}), json(201, {}));
    const response = await transport({ retries: 2 }).request({
      service: 'identity',
      method: 'POST',
      url: `${server.url}/v3/auth/tokens`,
      body: {},
      idempotent: true,
    });
    expect(response.status).toBe(201);
    expect(response.attempts).toBe(2);
  });

  it('A 500 is not retried even for GET: it is a server bug, not a gateway hiccup.', async () => {
    server.queue('GET', '/x', json(500, {}), ok);
    const response = await get(transport({ retries: 2 }), '/x');
    expect(response.status).toBe(500);
    expect(server.requests).toHaveLength(1);
  });
});

describe('connection reuse', () => {
  it('Responses with "Connection: close" (Keystone under uwsgi) work across many sequential and concurrent requests, each on a new socket.', async () => {
    const keystone = loadSample('keystone_post_auth_tokens_201.txt');
    expect(keystone.header('Connection')).toBe('close');
    server.always('POST', '/v3/auth/tokens', sampleReply('keystone_post_auth_tokens_201.txt'));
    server.always('GET', '/v3', {
      ...json(200, { version: {} }),
      headers: [
        ['content-type', 'application/json'],
        ['connection', 'close'],
      ],
    });
    const on = transport({ maxConcurrent: 8, retries: 0 });

    for (let i = 0; i < 25; i++) {
      const response = await on.request({
        service: 'identity',
        method: 'POST',
        url: `${server.url}/v3/auth/tokens`,
        body: {},
        idempotent: true,
      });
      expect(response.status).toBe(201);
      expect(response.headers['x-subject-token']).toBe(keystone.header('X-Subject-Token'));
    }
    const concurrent = await Promise.all(Array.from({ length: 40 }, () => get(on, '/v3')));
    expect(concurrent.map((response) => response.status)).toEqual(Array<number>(40).fill(200));
    expect(concurrent.every((response) => response.attempts === 1)).toBe(true);
    expect(server.requests).toHaveLength(65);
    expect(server.connections).toBe(65);
  });

  it('Sequential requests to a keep-alive server reuse one connection.', async () => {
    server.always('GET', '/x', ok);
    const on = transport();
    for (let i = 0; i < 10; i++) {
      await get(on, '/x');
      // undici frees the socket a moment after the body was read; without a pause a second socket may open.
      await delay(5);
    }
    expect(server.requests).toHaveLength(10);
    expect(server.connections).toBe(1);
    expect(new Set(server.requests.map((request) => request.socketId))).toEqual(new Set([1]));
  });
});

describe('rate limiting', () => {
  it('maxConcurrent 2 keeps at most two of ten parallel requests in flight on the server.', async () => {
    server.always('GET', '/x', { ...ok, delayMs: 40 });
    const on = transport({ maxConcurrent: 2 });
    await Promise.all(Array.from({ length: 10 }, () => get(on, '/x')));
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(2);
  });

  it('maxConcurrent caps requests toward the whole cloud, across endpoints on different origins.', async () => {
    const other = await ScriptedServer.start();
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: ReplyHandler = async (_request, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(40);
      inFlight--;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    };
    server.always('GET', '/x', slow);
    other.always('GET', '/x', slow);
    try {
      const on = transport({ maxConcurrent: 2 });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          on.request({ service: i % 2 ? 'compute' : 'network', method: 'GET', url: `${i % 2 ? other.url : server.url}/x` }),
        ),
      );
      expect(server.requests.length + other.requests.length).toBe(10);
      expect(maxInFlight).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('queueLength() reports the requests waiting for a slot.', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.always('GET', '/x', async (_request, res) => {
      await gate;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const on = transport({ maxConcurrent: 2 });
    const all = Promise.all(Array.from({ length: 10 }, () => get(on, '/x')));
    try {
      while (server.inFlight < 2) await delay(2);
      // Read as soon as two are in flight: the eight others wait, whatever state bottleneck keeps them in.
      expect(on.queueLength()).toBe(8);
      await delay(20);
      expect(server.inFlight).toBe(2);
      expect(on.queueLength()).toBe(8);
    } finally {
      release();
      await all;
    }
    expect(on.queueLength()).toBe(0);
  });

  it('minTimeMs spaces the starts of parallel requests.', async () => {
    server.always('GET', '/x', ok);
    const on = transport({ minTimeMs: 100, maxConcurrent: 8 });
    // Warm a connection first so that no request's arrival is delayed by a TCP connect.
    await get(on, '/x');
    await delay(150);
    server.requests.length = 0;
    await Promise.all(Array.from({ length: 4 }, () => get(on, '/x')));
    const arrivals = server.requests.map((request) => request.receivedAt).sort((a, b) => a - b);
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(85);
  });
});

describe('responses and exchange events', () => {
  it('The x-openstack-request-id of a recorded Neutron response is surfaced as requestId.', async () => {
    server.queue('GET', '/v2.0/floatingips', sampleReply('neutron_get_floatingips_200.txt'));
    const response = await get(transport(), '/v2.0/floatingips');
    expect(response.requestId).toBe('req-fad85e61-cf77-4772-b6df-4845354905ef');
    expect(response.body).toEqual(loadSample('neutron_get_floatingips_200.txt').json());
  });

  it('x-compute-request-id is used when x-openstack-request-id is absent.', async () => {
    server.queue('GET', '/servers', json(200, {}, [['X-Compute-Request-Id', 'req-compute-1']]));
    const response = await get(transport(), '/servers');
    expect(response.requestId).toBe('req-compute-1');
  });

  it('A JSON body is sent with Content-Type and Accept application/json and the configured User-Agent.', async () => {
    server.queue('PUT', '/v2.0/floatingips/a', ok);
    await transport({ userAgent: 'fipbot-test/1' }).request({
      service: 'network',
      method: 'PUT',
      url: `${server.url}/v2.0/floatingips/a`,
      body: { floatingip: { port_id: null } },
    });
    const [request] = server.requests;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('fipbot-test/1');
    expect(request!.body).toBe('{"floatingip":{"port_id":null}}');
  });

  it('A body that is not JSON leaves body undefined and keeps the text.', async () => {
    server.queue('GET', '/html', { status: 200, headers: [['content-type', 'text/html']], body: '<p>hi</p>' });
    const response = await get(transport(), '/html');
    expect(response.body).toBeUndefined();
    expect(response.text).toBe('<p>hi</p>');
  });

  it('A response larger than maxResponseBytes is refused with OpenStackUnexpectedResponseError.', async () => {
    server.queue('GET', '/big', json(200, { data: 'x'.repeat(5_000) }));
    const error = await rejectionWith(get(transport({ maxResponseBytes: 1_000 }), '/big'), OpenStackUnexpectedResponseError);
    expect(error.message).toContain('response larger than 1000 bytes');
  });

  it('onExchange reports every attempt with status and request id, and its events carry no token.', async () => {
    const redactor = new Redactor();
    const knownToken = 'opaque-token-value-0123456789';
    const fernet = `gAAAAAB${'x1Y2z3'.repeat(20)}`;
    redactor.addSecret(knownToken);
    server.queue(
      'GET',
      '/v2.0/floatingips',
      json(503, {}, [['x-openstack-request-id', 'req-1']]),
      json(200, {}, [['x-openstack-request-id', 'req-2']]),
    );
    const on = transport({ retries: 2 }, { redactor });
    const events: ExchangeEvent[] = [];
    on.onExchange((event) => events.push(event));

    await on.request({
      service: 'network',
      method: 'GET',
      url: `${server.url}/v2.0/floatingips?description=${knownToken}&tag=${fernet}`,
      headers: { 'x-auth-token': knownToken },
    });

    expect(events.map(({ attempt, status, requestId, errorCode }) => ({ attempt, status, requestId, errorCode }))).toEqual([
      { attempt: 1, status: 503, requestId: 'req-1', errorCode: undefined },
      { attempt: 2, status: 200, requestId: 'req-2', errorCode: undefined },
    ]);
    expect(events[0]!.path).toBe('/v2.0/floatingips?description=[REDACTED]&tag=[REDACTED]');
    const serialised = JSON.stringify(events);
    expect(serialised).not.toContain(knownToken);
    expect(serialised).not.toContain(fernet.slice(0, 30));
    // The server did get the real values: redaction applies to reporting only.
    expect(server.requests[0]!.query.get('description')).toBe(knownToken);
    expect(server.requests[0]!.headers['x-auth-token']).toBe(knownToken);
  });

  it('A listener that throws does not turn a good answer into a failed request.', async () => {
    server.queue('GET', '/v2.0/networks', json(200, { networks: [] }));
    const on = transport();
    on.onExchange(() => {
      throw new Error('metrics bug');
    });
    const response = await on.request({ service: 'network', method: 'GET', url: `${server.url}/v2.0/networks` });
    expect(response.status).toBe(200);
  });

  it('onExchange reports a failed attempt with its error code and no status.', async () => {
    const port = await closedPort();
    const on = transport({ retries: 1 });
    const events: ExchangeEvent[] = [];
    on.onExchange((event) => events.push(event));
    await rejectionWith(
      on.request({ service: 'compute', method: 'GET', url: `http://127.0.0.1:${port}/servers` }),
      OpenStackUnreachableError,
    );
    expect(events.map(({ attempt, status, errorCode, service }) => ({ attempt, status, errorCode, service }))).toEqual([
      { attempt: 1, status: undefined, errorCode: 'ECONNREFUSED', service: 'compute' },
      { attempt: 2, status: undefined, errorCode: 'ECONNREFUSED', service: 'compute' },
    ]);
  });
});
