/**
 * The node:http server: loopback only, one port, services under path
 * prefixes. Per request it reads the body, asks the fault knobs what to do
 * (latency, hang, drop, injected failure), dispatches to the service, writes
 * the answer and logs it for the counters. Hung and kept-alive sockets are
 * tracked so close() always finishes.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, isLoopback } from './admin-api.js';
import type { AdminDeps } from './admin-api.js';
import { SERVICE_PREFIX } from './context.js';
import type { CloudContext, ServiceName } from './context.js';
import { injectedFailure } from './fault-responses.js';
import type { Faults } from './faults.js';
import type { DemoRequest, DemoResponse } from './http.js';
import { keystoneErrorResponse, keystoneNotFound, keystoneRoutes } from './keystone.js';
import { KeystoneError } from './errors.js';
import { createNeutron } from './neutron/api.js';
import { createNova } from './nova.js';
import type { StatsLog } from './stats.js';

/** The only address the demo cloud ever binds. */
export const LOOPBACK = '127.0.0.1';

export interface ServerDeps {
  ctx: CloudContext;
  faults: Faults;
  stats: StatsLog;
  admin: Omit<AdminDeps, 'faults' | 'stats'>;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

type Dispatch = (req: DemoRequest) => { route: string; response: DemoResponse };

function serviceOf(path: string): { service: ServiceName | 'admin' | 'unknown'; servicePath: string } {
  for (const [service, prefix] of Object.entries(SERVICE_PREFIX) as Array<[ServiceName | 'admin', string]>) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return { service, servicePath: path.slice(prefix.length) || '/' };
  }
  return { service: 'unknown', servicePath: path };
}

function keystoneDispatch(ctx: CloudContext): Dispatch {
  const table = keystoneRoutes(ctx);
  return (req) => {
    const path = req.servicePath.replace(/\/$/, '') || '/';
    const match = table.match(req.method, path);
    if (match.kind !== 'found') return { route: `${req.method} ?`, response: keystoneNotFound(ctx) };
    try {
      const result = match.handler(req, match.params);
      if (result instanceof Promise) throw new Error('keystone handlers are synchronous');
      return { route: match.name, response: result };
    } catch (error) {
      if (error instanceof KeystoneError) return { route: match.name, response: keystoneErrorResponse(error, ctx) };
      return {
        route: match.name,
        response: keystoneErrorResponse(
          new KeystoneError(500, 'Internal Server Error', 'An unexpected error prevented the server from fulfilling your request.'),
          ctx,
        ),
      };
    }
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function write(res: ServerResponse, response: DemoResponse, closeConnection: boolean): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | string[]> = { ...response.headers };
  if (closeConnection) headers['Connection'] = 'close';
  if (response.status !== 204 && response.status !== 304) headers['Content-Length'] = String(Buffer.byteLength(response.body));
  else headers['Content-Length'] = '0';
  res.writeHead(response.status, headers);
  res.end(response.status === 204 ? undefined : response.body);
}

export async function startServer(deps: ServerDeps, port: number): Promise<RunningServer> {
  const { ctx, faults, stats } = deps;
  const neutron = createNeutron(ctx);
  const nova = createNova(ctx);
  const dispatchers: Record<ServiceName, Dispatch> = {
    identity: keystoneDispatch(ctx),
    network: (req) => neutron.handle(req),
    compute: (req) => nova.handle(req),
  };
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const rawBody = await readBody(req);
    const { service, servicePath } = serviceOf(url.pathname);
    const demoReq: DemoRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      servicePath,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      origin: `http://${req.headers.host ?? `${LOOPBACK}:${port}`}`,
    };
    if (service === 'admin') {
      const response = isLoopback(req.socket.remoteAddress)
        ? handleAdmin({ ...deps.admin, faults, stats }, demoReq)
        : { status: 403, headers: {}, body: '' };
      write(res, response, false);
      return;
    }
    const decision = faults.decide({ method: demoReq.method, path: demoReq.path, servicePath });
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (closing) return;
    const record = (route: string, status: number): void =>
      stats.record({ method: demoReq.method, path: demoReq.path, query: url.search, servicePath, service, route, status });
    if (decision.action?.kind === 'hang') {
      record('(hung)', 0);
      return;
    }
    if (decision.action?.kind === 'destroy') {
      record('(dropped)', 0);
      req.socket.destroy();
      return;
    }
    let route = '(injected)';
    let response: DemoResponse;
    if (decision.action?.kind === 'fail') {
      response = injectedFailure(ctx, service, decision.action.status, decision.action.body);
    } else if (service === 'unknown') {
      response = { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' };
      route = `${demoReq.method} ?`;
    } else {
      const result = dispatchers[service](demoReq);
      route = result.route;
      response = result.response;
    }
    if (decision.action?.kind === 'lose') {
      // Carried out; the answer never reaches the client (a reset, or a proxy that gave up waiting).
      record(`${route} (answer lost)`, response.status);
      if (decision.action.as === 'reset') req.socket.destroy();
      else write(res, injectedFailure(ctx, service, 504, 'html'), true);
      return;
    }
    write(res, response, decision.closeConnection);
    record(route, response.status);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      write(res, { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'Internal Server Error' }, true);
    });
  });
  // Clients like undici keep connections alive; a short server-side timeout
  // would make them race a closing socket on every idle gap.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
