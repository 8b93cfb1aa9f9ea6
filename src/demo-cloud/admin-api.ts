/**
 * /_demo/...: the fault knobs and request counters over HTTP, for a demo cloud in its own process (cli.ts); loopback only.
 * Fault bodies select requests by {method?, path? (a glob, as in route-selector.ts), regex? (a RegExp source), count?}.
 *   GET /_demo/stats[?method=&path=&service=&status=] -> {count, authentications, requests}; POST /_demo/stats/reset
 *   GET /_demo/faults -> armed faults; GET /_demo/clouds.yaml[?auth=applicationCredential]
 *   POST /_demo/faults/<knob>: latency {ms} (no selector: global), fail {status, body?: "openstack"|"html"}, hang,
 *     drop {mode?: "destroy"|"close"}, lose-answers {as?: "reset"|504}, expire-tokens, reset (disarms all)
 */
import { z } from 'zod';
import type { Faults } from './faults.js';
import type { DemoRequest, DemoResponse } from './http.js';
import { parseJsonBody } from './http.js';
import type { RouteSelector } from './route-selector.js';
import type { StatsLog } from './stats.js';
import type { ServiceName } from './context.js';

const selectorSchema = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  regex: z.string().optional(),
  count: z.number().int().positive().optional(),
});

function selectorOf(body: z.infer<typeof selectorSchema>): RouteSelector {
  return {
    ...(body.method !== undefined ? { method: body.method } : {}),
    ...(body.regex !== undefined ? { path: new RegExp(body.regex) } : body.path !== undefined ? { path: body.path } : {}),
  };
}

function json(status: number, body: unknown): DemoResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export interface AdminDeps {
  faults: Faults;
  stats: StatsLog;
  cloudsYaml(auth: 'password' | 'applicationCredential'): string;
}

export function handleAdmin(deps: AdminDeps, req: DemoRequest): DemoResponse {
  const body = parseJsonBody(req) ?? {};
  const route = `${req.method} ${req.servicePath}`;
  try {
    switch (route) {
      case 'GET /stats': {
        const filter = {
          ...(req.query.get('method') !== null ? { method: req.query.get('method') ?? '' } : {}),
          ...(req.query.get('path') !== null ? { path: req.query.get('path') ?? '' } : {}),
          ...(req.query.get('service') !== null ? { service: req.query.get('service') as ServiceName } : {}),
          ...(req.query.get('status') !== null ? { status: Number(req.query.get('status')) } : {}),
        };
        const requests = deps.stats.requests(filter);
        return json(200, { count: requests.length, authentications: deps.stats.authentications(), requests });
      }
      case 'POST /stats/reset':
        deps.stats.reset();
        return json(200, { ok: true });
      case 'GET /faults':
        return json(200, deps.faults.describe());
      case 'POST /faults/latency': {
        const parsed = selectorSchema.extend({ ms: z.number().nonnegative() }).parse(body);
        if (parsed.path === undefined && parsed.regex === undefined && parsed.method === undefined) deps.faults.setLatency(parsed.ms);
        else deps.faults.setRouteLatency(selectorOf(parsed), parsed.ms);
        return json(200, deps.faults.describe());
      }
      case 'POST /faults/fail': {
        const parsed = selectorSchema
          .extend({ status: z.number().int().min(100).max(599), body: z.enum(['openstack', 'html']).optional() })
          .parse(body);
        deps.faults.failNext(selectorOf(parsed), {
          status: parsed.status,
          ...(parsed.count !== undefined ? { count: parsed.count } : {}),
          ...(parsed.body !== undefined ? { body: parsed.body } : {}),
        });
        return json(200, deps.faults.describe());
      }
      case 'POST /faults/drop': {
        const parsed = selectorSchema.extend({ mode: z.enum(['destroy', 'close']).optional() }).parse(body);
        deps.faults.dropConnections(selectorOf(parsed), {
          ...(parsed.count !== undefined ? { count: parsed.count } : {}),
          ...(parsed.mode !== undefined ? { mode: parsed.mode } : {}),
        });
        return json(200, deps.faults.describe());
      }
      case 'POST /faults/lose-answers': {
        const parsed = selectorSchema.extend({ as: z.union([z.literal('reset'), z.literal(504)]).optional() }).parse(body);
        deps.faults.loseAnswers(selectorOf(parsed), {
          ...(parsed.count !== undefined ? { count: parsed.count } : {}),
          ...(parsed.as !== undefined ? { as: parsed.as } : {}),
        });
        return json(200, deps.faults.describe());
      }
      case 'POST /faults/hang': {
        const parsed = selectorSchema.parse(body);
        deps.faults.hang(selectorOf(parsed), parsed.count !== undefined ? { count: parsed.count } : {});
        return json(200, deps.faults.describe());
      }
      case 'POST /faults/expire-tokens':
        deps.faults.expireAllTokens();
        return json(200, { ok: true });
      case 'POST /faults/reset':
        deps.faults.reset();
        return json(200, deps.faults.describe());
      case 'GET /clouds.yaml':
        return {
          status: 200,
          headers: { 'Content-Type': 'application/yaml' },
          body: deps.cloudsYaml(req.query.get('auth') === 'applicationCredential' ? 'applicationCredential' : 'password'),
        };
      default:
        return json(404, { error: `no admin endpoint ${route}` });
    }
  } catch (error) {
    if (error instanceof z.ZodError) return json(400, { error: 'invalid body', issues: error.issues });
    throw error;
  }
}
