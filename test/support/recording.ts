/**
 * Recorded OpenStack exchanges, and a loopback server that replays them.
 *
 * `record-seed-story.ts` runs the seed story through the real adapter against
 * a real cloud and saves every exchange (status, a few headers, the body as
 * sent). The replay server answers the same requests with those bodies, so
 * the service tests run against what real Keystone, Neutron and Nova said,
 * and fail if the service starts making requests the recording lacks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedService = 'identity' | 'network' | 'compute';

export interface RecordedExchange {
  step: string;
  service: RecordedService;
  method: string;
  /** Path and query under the service's origin, e.g. /v2.0/floatingips?project_id=... */
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Recording {
  recordedAt: string;
  cloud: string;
  /** The origins of the recorded endpoints, replaced by the replay server's own. */
  origins: Record<RecordedService, string>;
  exchanges: RecordedExchange[];
}

/** Headers worth keeping: the ones the adapter reads, and Connection (Keystone closes). */
export const KEPT_HEADERS = ['content-type', 'x-openstack-request-id', 'x-compute-request-id', 'x-subject-token', 'connection'];

export const RECORDED_TOKEN = 'gAAAAA-recorded-token-placeholder-not-a-secret';

export interface ReplayServer {
  url: string;
  /** Every request received, in order. */
  received: Array<{ service: RecordedService; method: string; path: string; body: string; headers: IncomingMessage['headers'] }>;
  /** Requests the recording had no answer for. */
  unmatched: Array<{ service: RecordedService; method: string; path: string }>;
  /** Load the exchanges of one step (replacing what was left of the previous one). */
  useStep(step: string): void;
  /** Exchanges of the current step not requested (yet). */
  remaining(): RecordedExchange[];
  close(): Promise<void>;
}

export async function startReplayServer(recording: Recording): Promise<ReplayServer> {
  let queues = new Map<string, RecordedExchange[]>();
  const received: ReplayServer['received'] = [];
  const unmatched: ReplayServer['unmatched'] = [];
  let base = '';

  const key = (service: string, method: string, path: string) => `${service} ${method} ${path}`;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [, service, ...rest] = (req.url ?? '/').split('/');
      const path = `/${rest.join('/')}`;
      const method = req.method ?? 'GET';
      const svc = service as RecordedService;
      received.push({ service: svc, method, path, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      const exchange = queues.get(key(svc, method, path))?.shift();
      if (!exchange) {
        unmatched.push({ service: svc, method, path });
        res.writeHead(599, { 'content-type': 'text/plain' }).end(`not in the recording: ${method} ${path}`);
        return;
      }
      let body = exchange.body;
      if (svc === 'identity' && method === 'POST') body = rewriteToken(body, recording, base);
      res.writeHead(exchange.status, exchange.headers).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    received,
    unmatched,
    useStep(step) {
      queues = new Map();
      const exchanges = recording.exchanges.filter((exchange) => exchange.step === step);
      if (exchanges.length === 0) throw new Error(`the recording has no step "${step}"`);
      for (const exchange of exchanges) {
        const k = key(exchange.service, exchange.method, exchange.path);
        queues.set(k, [...(queues.get(k) ?? []), exchange]);
      }
    },
    remaining: () => [...queues.values()].flat(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Point the catalog at the replay server and move the expiry to an hour from now. */
function rewriteToken(body: string, recording: Recording, base: string): string {
  let text = body;
  for (const [service, origin] of Object.entries(recording.origins)) text = text.split(origin).join(`${base}/${service}`);
  const token = JSON.parse(text) as { token: { expires_at: string } };
  token.token.expires_at = new Date(Date.now() + 3_600_000).toISOString();
  return JSON.stringify(token);
}
