/**
 * The operations endpoints, as plain node:http handlers: mounted as Bolt
 * custom routes in HTTP mode, and on a small server of their own in Socket
 * Mode (which has no HTTP listener of its own to share).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from './health.js';
import type { Metrics } from './metrics.js';

export interface OpsRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export function opsRoutes(readiness: Readiness, metrics: Metrics): OpsRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        const alive = readiness.alive();
        res.writeHead(alive.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: alive.status }));
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        void readiness.ready().then((ready) => {
          res
            .writeHead(ready.ok ? 200 : 503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: ready.ok ? 'ready' : 'not ready', checks: ready.checks }));
        });
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
      },
    },
  ];
}

/** A server for the ops routes alone (Socket Mode). */
export async function startOpsServer(
  routes: OpsRoute[],
  port: number,
  host: string,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((candidate) => candidate.path === path && candidate.method.includes(req.method ?? 'GET'));
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    route.handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
