/**
 * Keystone v3, just what clients use to get in: POST /v3/auth/tokens with
 * password or application-credential auth, GET (validate) and DELETE (revoke)
 * /v3/auth/tokens, and the version documents. Bodies and headers follow the
 * recorded samples, Connection: close included (the real Keystone behind
 * uwsgi sends it, and clients must cope).
 */
import { catalogUrls, REGION, SERVICE_PREFIX } from './context.js';
import type { CloudContext, ServiceName } from './context.js';
import { KeystoneError, keystoneUnauthorized } from './errors.js';
import type { DemoRequest, DemoResponse } from './http.js';
import { header, parseJsonBody, RouteTable } from './http.js';
import { newRequestId, stableHexId } from './ids.js';
import { isJsonObject, pythonJson } from './json.js';
import type { Project, Role, User } from './model.js';
import type { TokenRecord } from './tokens.js';

function keystoneHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    ...extra,
    Vary: 'X-Auth-Token',
    'x-openstack-request-id': newRequestId(),
    Connection: 'close',
  };
}

export function keystoneErrorResponse(error: KeystoneError, ctx: CloudContext): DemoResponse {
  const extra: Record<string, string> =
    error.status === 401 ? { 'WWW-Authenticate': `Keystone uri="${ctx.baseUrl()}${SERVICE_PREFIX.identity}/v3"` } : {};
  return {
    status: error.status,
    headers: keystoneHeaders(extra),
    // Keystone's error bodies end with a newline (its token bodies do not).
    body: `${JSON.stringify({ error: { code: error.status, message: error.message, title: error.title } })}\n`,
  };
}

const MALFORMED_SUFFIX =
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

function validationError(message: string): KeystoneError {
  return new KeystoneError(400, 'Bad Request', `${message} ${MALFORMED_SUFFIX}`);
}

function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (!isJsonObject(value)) throw validationError(`Expecting to find ${what} in request body.`);
  return value;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function resolveDomainId(ctx: CloudContext, value: unknown, owner: string): string {
  if (!isJsonObject(value)) throw validationError(`Expecting to find domain in ${owner}.`);
  const domain = ctx.store.findDomain({ id: optionalString(value['id']), name: optionalString(value['name']) });
  if (!domain) throw keystoneUnauthorized();
  return domain.id;
}

function resolveUser(ctx: CloudContext, value: unknown): User {
  const user = expectObject(value, 'user');
  const id = optionalString(user['id']);
  if (id !== undefined) {
    const found = ctx.store.users.get(id);
    if (!found) throw keystoneUnauthorized();
    return found;
  }
  const name = optionalString(user['name']);
  if (name === undefined) throw validationError('Expecting to find id or name in user.');
  const found = ctx.store.findUserByName(name, resolveDomainId(ctx, user['domain'], 'user'));
  if (!found) throw keystoneUnauthorized();
  return found;
}

function resolveProject(ctx: CloudContext, scope: Record<string, unknown>): Project {
  const project = scope['project'];
  if (!isJsonObject(project)) {
    // Domain and system scopes exist in Keystone; fipbot never asks for them.
    throw keystoneUnauthorized();
  }
  const id = optionalString(project['id']);
  if (id !== undefined) {
    const found = ctx.store.projects.get(id);
    if (!found) throw keystoneUnauthorized();
    return found;
  }
  const name = optionalString(project['name']);
  if (name === undefined) throw validationError('Expecting to find id or name in project.');
  const found = ctx.store.findProjectByName(name, resolveDomainId(ctx, project['domain'], 'project'));
  if (!found) throw keystoneUnauthorized();
  return found;
}

function rolesByName(ctx: CloudContext, names: readonly string[]): Role[] {
  return names.map((name) => ctx.store.roles.get(name) ?? { id: stableHexId('role', name), name });
}

function passwordAuth(ctx: CloudContext, identity: Record<string, unknown>, scope: unknown): TokenRecord {
  const password = expectObject(identity['password'], 'password in identity');
  const user = resolveUser(ctx, password['user']);
  const secret = expectObject(password['user'], 'user')['password'];
  if (typeof secret !== 'string' || secret !== user.password) throw keystoneUnauthorized();
  // Without a scope Keystone would scope to the default project, which every seeded user has.
  const project = scope === undefined ? ctx.store.projects.get(user.defaultProjectId) : resolveProject(ctx, expectObject(scope, 'scope'));
  if (!project) throw keystoneUnauthorized();
  const roles = user.roles.get(project.id);
  if (!roles || roles.length === 0) throw keystoneUnauthorized();
  return ctx.tokens.issue({ userId: user.id, projectId: project.id, roles: rolesByName(ctx, roles), methods: ['password'] });
}

function applicationCredentialAuth(ctx: CloudContext, identity: Record<string, unknown>, scope: unknown): TokenRecord {
  if (scope !== undefined) {
    throw keystoneUnauthorized('Error authenticating with application credential: Application credentials cannot request a scope.');
  }
  const request = expectObject(identity['application_credential'], 'application_credential in identity');
  const secret = optionalString(request['secret']);
  const id = optionalString(request['id']);
  let credential = id !== undefined ? ctx.store.applicationCredentials.get(id) : undefined;
  if (id === undefined) {
    const name = optionalString(request['name']);
    if (name === undefined) throw validationError('Expecting to find id or name in application_credential.');
    const user = resolveUser(ctx, request['user']);
    credential = [...ctx.store.applicationCredentials.values()].find((c) => c.name === name && c.userId === user.id);
  }
  if (!credential || secret === undefined || secret !== credential.secret) throw keystoneUnauthorized();
  return ctx.tokens.issue({
    userId: credential.userId,
    projectId: credential.projectId,
    roles: rolesByName(ctx, credential.roles),
    methods: ['application_credential'],
    applicationCredential: { id: credential.id, name: credential.name },
  });
}

const SERVICES: Array<{ type: ServiceName; name: string }> = [
  { type: 'compute', name: 'nova' },
  { type: 'identity', name: 'keystone' },
  { type: 'network', name: 'neutron' },
];

function catalog(ctx: CloudContext): unknown[] {
  const urls = catalogUrls(ctx.baseUrl());
  return SERVICES.map((service) => ({
    endpoints: (['admin', 'internal', 'public'] as const).map((iface) => ({
      id: stableHexId('endpoint', `${service.type}:${iface}`),
      interface: iface,
      region_id: REGION,
      url: urls[service.type],
      region: REGION,
    })),
    id: stableHexId('service', service.type),
    type: service.type,
    name: service.name,
  }));
}

function keystoneTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}.000000Z`;
}

function tokenBody(ctx: CloudContext, record: TokenRecord): string {
  const user = ctx.store.users.get(record.userId);
  const project = ctx.store.projects.get(record.projectId);
  const domainOf = (id: string | undefined): { id: string; name: string } => {
    const domain = id === undefined ? undefined : ctx.store.domains.get(id);
    return { id: domain?.id ?? 'default', name: domain?.name ?? 'Default' };
  };
  return pythonJson({
    token: {
      methods: record.methods,
      user: { domain: domainOf(user?.domainId), id: record.userId, name: user?.name ?? '', password_expires_at: null },
      audit_ids: [record.auditId],
      expires_at: keystoneTime(record.expiresAt),
      issued_at: keystoneTime(record.issuedAt),
      project: { domain: domainOf(project?.domainId), id: record.projectId, name: project?.name ?? '' },
      is_domain: false,
      roles: record.roles.map((role) => ({ id: role.id, name: role.name })),
      ...(record.applicationCredential ? { application_credential: { ...record.applicationCredential, restricted: true } } : {}),
      catalog: catalog(ctx),
    },
  });
}

function issueToken(ctx: CloudContext, req: DemoRequest): DemoResponse {
  const body = parseJsonBody(req);
  const auth = expectObject(isJsonObject(body) ? body['auth'] : undefined, 'auth');
  const identity = expectObject(auth['identity'], 'identity in auth');
  const methods = identity['methods'];
  if (!Array.isArray(methods) || methods.length === 0) throw validationError('Expecting to find methods in identity.');
  let record: TokenRecord;
  if (methods.includes('application_credential')) record = applicationCredentialAuth(ctx, identity, auth['scope']);
  else if (methods.includes('password')) record = passwordAuth(ctx, identity, auth['scope']);
  else throw keystoneUnauthorized();
  return { status: 201, headers: keystoneHeaders({ 'X-Subject-Token': record.token }), body: tokenBody(ctx, record) };
}

function requireCaller(ctx: CloudContext, req: DemoRequest): void {
  if (!ctx.tokens.validate(header(req, 'x-auth-token'))) throw keystoneUnauthorized();
}

function subjectToken(ctx: CloudContext, req: DemoRequest): { token: string; record: TokenRecord } {
  const token = header(req, 'x-subject-token') ?? '';
  const record = ctx.tokens.validate(token);
  if (!record) throw new KeystoneError(404, 'Not Found', `Could not find token: ${token}.`);
  return { token, record };
}

function versionDocument(ctx: CloudContext): Record<string, unknown> {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${ctx.baseUrl()}${SERVICE_PREFIX.identity}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export function keystoneRoutes(ctx: CloudContext): RouteTable {
  return new RouteTable()
    .add('GET', '/', () => ({
      status: 300,
      headers: keystoneHeaders(),
      body: JSON.stringify({ versions: { values: [versionDocument(ctx)] } }),
    }))
    .add('GET', '/v3', () => ({
      status: 200,
      headers: keystoneHeaders(),
      body: JSON.stringify({ version: versionDocument(ctx) }),
    }))
    .add('POST', '/v3/auth/tokens', (req) => issueToken(ctx, req))
    .add('GET', '/v3/auth/tokens', (req) => {
      requireCaller(ctx, req);
      const { token, record } = subjectToken(ctx, req);
      return { status: 200, headers: keystoneHeaders({ 'X-Subject-Token': token }), body: tokenBody(ctx, record) };
    })
    .add('DELETE', '/v3/auth/tokens', (req) => {
      requireCaller(ctx, req);
      const { token } = subjectToken(ctx, req);
      ctx.tokens.revoke(token);
      return { status: 204, headers: keystoneHeaders(), body: '' };
    });
}

export function keystoneNotFound(ctx: CloudContext): DemoResponse {
  return keystoneErrorResponse(new KeystoneError(404, 'Not Found', 'The resource could not be found.'), ctx);
}
