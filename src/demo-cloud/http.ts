/**
 * The HTTP vocabulary shared by the services: a parsed request, a response
 * value (handlers return data; server.ts writes it), and a small route table
 * with {param} path segments.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface DemoRequest {
  method: string;
  /** Full path without the query, e.g. /network/v2.0/floatingips. */
  path: string;
  /** Path below the service prefix, e.g. /v2.0/floatingips. */
  servicePath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** scheme://host:port as the client addressed us (for links). */
  origin: string;
}

export interface DemoResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export type Handler = (req: DemoRequest, params: Record<string, string>) => DemoResponse | Promise<DemoResponse>;

interface Route<H> {
  method: string;
  segments: string[];
  name: string;
  handler: H;
}

export type RouteMatch<H = Handler> =
  | { kind: 'found'; handler: H; params: Record<string, string>; name: string }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

export class RouteTable<H = Handler> {
  private readonly routes: Array<Route<H>> = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: split(pattern), name: `${method} ${pattern}`, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments = split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const expected = route.segments[i] ?? '';
        const actual = segments[i] ?? '';
        if (expected.startsWith('{') && expected.endsWith('}')) params[expected.slice(1, -1)] = decodeURIComponent(actual);
        else ok = expected === actual;
      }
      if (!ok) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      return { kind: 'found', handler: route.handler, params, name: route.name };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

export function header(req: DemoRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a JSON body; undefined when the body is not JSON (callers answer 400 their own way). */
export function parseJsonBody(req: DemoRequest): unknown {
  if (req.rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(req.rawBody) as unknown;
  } catch {
    return undefined;
  }
}

/** Python's urllib.parse.urlencode (quote_plus): how Neutron builds its paging links. */
export function pythonUrlencode(pairs: Array<[string, string]>): string {
  const quote = (text: string): string =>
    encodeURIComponent(text)
      .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  return pairs.map(([key, value]) => `${quote(key)}=${quote(value)}`).join('&');
}
