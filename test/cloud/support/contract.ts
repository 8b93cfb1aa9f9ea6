/**
 * The contract between the demo cloud and a real one: the same raw requests
 * sent to both must give the same status, the same error type, the same
 * message template (ids and addresses blanked) and the same response shape
 * (keys and value types, recursively). Anything the bot could observe
 * differently shows up here.
 */
import { apiRoot } from '../../../src/openstack/client.js';
import { readErrorBody } from '../../../src/openstack/error-body.js';
import type { HttpMethod } from '../../../src/openstack/http.js';
import { keystoneV3Url } from '../../../src/openstack/identity.js';
import type { CloudUnderTest } from './cloud-under-test.js';

export interface Observation {
  status: number;
  type: string | null;
  message: string | null;
  shape: unknown;
}

export interface RawResponse {
  status: number;
  body: unknown;
  text: string;
}

/** Sends one request as the bot, with its token (or none), and returns the answer as received. */
export async function raw(
  cloud: CloudUnderTest,
  service: 'network' | 'compute' | 'identity',
  method: HttpMethod,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; anonymous?: boolean; asAdmin?: boolean } = {},
): Promise<RawResponse> {
  const as = options.asAdmin ? cloud.admin : cloud.bot;
  const { identity, transport } = as;
  const token = await identity.token();
  const base = service === 'identity' ? keystoneV3Url(as.cloud.auth.authUrl) : apiRoot(identity.endpoint(token, service), service);
  const response = await transport.request({
    service,
    method,
    url: base + path,
    headers: { ...(options.anonymous ? {} : { 'x-auth-token': token.value }), ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
    idempotent: false,
  });
  return { status: response.status, body: response.body, text: response.text };
}

/** Ids, addresses, times and request ids vary between clouds and runs; their places do not. */
export function template(text: string): string {
  return text
    .replace(/req-[0-9a-f-]{36}/g, '<req>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\b[0-9a-f]{32}\b/g, '<id>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b/gi, '<ip6>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<time>');
}

/** The JSON's skeleton: object keys (sorted) and value types; an array by its first element. */
export function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

export function observe(response: RawResponse): Observation {
  const error = response.status >= 400 ? readErrorBody(response) : undefined;
  return {
    status: response.status,
    type: error?.type ?? null,
    message: error ? template(error.message) : null,
    shape: response.status >= 400 ? null : shape(response.body),
  };
}
