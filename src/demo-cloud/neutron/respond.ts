/**
 * Neutron's wire conventions: JSON bodies (python-spaced or compact, per
 * resource, as the real server emits them), an X-Openstack-Request-Id on
 * every answer, errors as {"NeutronError": {type, message, detail: ""}}, and
 * request bodies wrapped in the resource name.
 */
import { SERVICE_PREFIX } from '../context.js';
import type { CloudContext } from '../context.js';
import { httpBadRequest, KEYSTONE_UNAUTHORIZED_MESSAGE } from '../errors.js';
import type { NeutronError } from '../errors.js';
import type { DemoRequest, DemoResponse } from '../http.js';
import { parseJsonBody } from '../http.js';
import { newRequestId } from '../ids.js';
import type { JsonObject, JsonStyle } from '../json.js';
import type { AuthContext } from '../model.js';
import { isJsonObject, pythonJson, serialize } from '../json.js';
import { checkIfMatchHeader } from './revisions.js';

export function neutronJson(status: number, body: unknown, style: JsonStyle): DemoResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'X-Openstack-Request-Id': newRequestId() },
    body: serialize(body, style),
  };
}

export function neutronNoContent(): DemoResponse {
  return { status: 204, headers: { 'X-Openstack-Request-Id': newRequestId() }, body: '' };
}

export function neutronErrorResponse(error: NeutronError): DemoResponse {
  return neutronJson(error.status, { NeutronError: { type: error.type, message: error.message, detail: '' } }, 'python');
}

/** keystonemiddleware's answer to a missing or bad token (samples/neutron_get_floatingips_401.txt). */
export function neutronUnauthorized(ctx: CloudContext): DemoResponse {
  return {
    status: 401,
    headers: {
      'Content-Type': 'application/json',
      'Www-Authenticate': `Keystone uri="${ctx.baseUrl()}${SERVICE_PREFIX.identity}"`,
      'X-Openstack-Request-Id': newRequestId(),
    },
    body: pythonJson({ error: { code: 401, title: 'Unauthorized', message: KEYSTONE_UNAUTHORIZED_MESSAGE } }),
  };
}

/** The `{"<resource>": {...}}` payload of a create or update, validated for unknown keys (then If-Match). */
export function resourceBody(
  req: DemoRequest,
  resource: string,
  allowed: ReadonlySet<string>,
  readOnly: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const body = parseJsonBody(req);
  if (body === undefined) throw httpBadRequest('Resource body required');
  if (!isJsonObject(body) || !isJsonObject(body[resource])) {
    throw httpBadRequest(`Unable to find '${resource}' in request body`);
  }
  const payload = body[resource];
  for (const key of Object.keys(payload)) {
    if (readOnly.has(key)) throw httpBadRequest(`Cannot update read-only attribute ${key}`);
  }
  const unknown = Object.keys(payload).filter((key) => !allowed.has(key) && !readOnly.has(key));
  if (unknown.length > 0) throw httpBadRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  // Neutron's QueryParametersHook runs after its BodyValidationHook.
  checkIfMatchHeader(req);
  return payload;
}

/**
 * The project a create lands in: the caller's, or (admin only) the one named
 * by project_id / tenant_id in the body.
 */
export function owningProject(payload: Record<string, unknown>, caller: { projectId: string; isAdmin: boolean }): string {
  const named = payload['project_id'] ?? payload['tenant_id'];
  if (typeof named !== 'string' || named === caller.projectId) return caller.projectId;
  if (!caller.isAdmin) {
    throw httpBadRequest(
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges",
    );
  }
  return named;
}

export type NeutronHandler = (req: DemoRequest, params: Record<string, string>, auth: AuthContext) => DemoResponse;

/** Where resource modules register their routes (paths relative to the Neutron base URL). */
export interface NeutronRouteSink {
  add(method: string, pattern: string, handler: NeutronHandler): void;
}

/** A single-resource answer, honouring ?fields= as show requests do. */
export function showResponse(req: DemoRequest, resource: string, view: JsonObject, style: JsonStyle, status = 200): DemoResponse {
  const fields = req.query.getAll('fields').filter((f) => f !== '');
  const projected = fields.length === 0 ? view : Object.fromEntries(Object.entries(view).filter(([k]) => fields.includes(k)));
  return neutronJson(status, { [resource]: projected }, style);
}
