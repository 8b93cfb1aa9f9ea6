/* eslint-disable @typescript-eslint/no-explicit-any --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
/**
 * Helpers for the demo cloud's tests: real HTTP through node's fetch, a
 * token per user, and the recorded samples from the real cloud (copied
 * unchanged into test/fixtures/samples/) to compare bodies against.
 */
import { readFileSync } from 'node:fs';
import type { DemoCloud } from '../../src/demo-cloud/index.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(init.token !== undefined ? { 'X-Auth-Token': init.token } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function passwordAuthBody(user: string, password: string, project = user): unknown {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
      scope: { project: { name: project, domain: { id: 'default' } } },
    },
  };
}

/** Authenticates as demo (or admin) and returns the token. */
export async function login(cloud: DemoCloud, user: 'demo' | 'admin' = 'demo'): Promise<string> {
  const reply = await call(`${cloud.authUrl}/auth/tokens`, { method: 'POST', body: passwordAuthBody(user, user) });
  const token = reply.headers.get('x-subject-token');
  if (reply.status !== 201 || token === null) throw new Error(`login as ${user} failed: ${reply.status} ${reply.text}`);
  return token;
}

/** A client bound to one token: neutron('GET', '/v2.0/floatingips'), nova('GET', '/servers'). */
export function clientFor(cloud: DemoCloud, token: string) {
  return {
    neutron: (method: string, path: string, body?: unknown) =>
      call(`${cloud.baseUrl}/network${path}`, { method, token, ...(body !== undefined ? { body } : {}) }),
    nova: (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      call(`${cloud.baseUrl}/compute/v2.1${path}`, {
        method,
        token,
        ...(body !== undefined ? { body } : {}),
        ...(headers ? { headers } : {}),
      }),
  };
}

export interface Sample {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  header(name: string): string | undefined;
  json(): any;
}

export function sample(name: string): Sample {
  const text = readFileSync(new URL(`../fixtures/samples/${name}`, import.meta.url), 'utf8');
  const marker = text.indexOf('\n### RESPONSE');
  const start = text.indexOf('\n', marker + 1) + 1;
  const blank = text.indexOf('\n\n', start);
  const [statusLine = '', ...lines] = text.slice(start, blank).split('\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  // The recorder ends some files with a newline the server never sent: trust Content-Length.
  const declared = headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1];
  const raw = Buffer.from(text.slice(blank + 2), 'utf8');
  const body = (declared !== undefined ? raw.subarray(0, Number(declared)) : raw).toString('utf8');
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body,
    header: (wanted) => headers.find(([name]) => name.toLowerCase() === wanted.toLowerCase())?.[1],
    json: () => JSON.parse(body) as unknown,
  };
}

/** Replaces every occurrence of each key with its value (ids of the real cloud -> ours). */
export function substitute(text: string, replacements: Record<string, string>): string {
  let result = text;
  for (const [from, to] of Object.entries(replacements)) result = result.split(from).join(to);
  return result;
}

/** The key structure of a JSON value (objects: ordered keys, recursively; arrays: first element). */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shapeOf(value[0])] : [];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, shapeOf(item)]);
  }
  return value === null ? 'null' : typeof value;
}
