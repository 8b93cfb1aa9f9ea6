/**
 * Nova v2.1, the server calls fipbot makes (list, list detail, show) plus boot
 * and delete for test set-up, and the image proxy and flavors a boot names
 * (nova-catalog.ts). `name` is a regular expression matched
 * unanchored and case-insensitively, as Nova on MySQL does (`web-1` also
 * finds `web-10`); '|' is escaped first, as Nova's _safe_regex_mysql does; an
 * expression MySQL cannot compile makes the real API fail with a 500
 * (oslo_db DBError), and so does this one. Lists stop at Nova's max_limit of
 * 1000 with a "next" link.
 */
import { SERVICE_PREFIX } from './context.js';
import type { CloudContext } from './context.js';
import { KEYSTONE_UNAUTHORIZED_MESSAGE, NovaError } from './errors.js';
import type { DemoRequest, DemoResponse } from './http.js';
import { header, parseJsonBody, pythonUrlencode, RouteTable } from './http.js';
import { newRequestId } from './ids.js';
import { describeValue, isJsonObject, pythonJson } from './json.js';
import type { AuthContext, Server } from './model.js';
import { canSeeNetwork } from './neutron/visibility.js';
import type { LinkBase, Microversion } from './nova-views.js';
import { MAX_MICROVERSION, serverDetail, serverSummary } from './nova-views.js';
import {
  flavorDetail,
  flavorForBoot,
  flavorSummary,
  imageDetail,
  imageForBoot,
  imageSummary,
  listFlavors,
  listImages,
  requireImageProxy,
  showFlavor,
  showImage,
  validateBootRefs,
} from './nova-catalog.js';
import { bootServer, deleteServer } from './server-lifecycle.js';
import type { Nic } from './server-lifecycle.js';
import { authContextOf } from './tokens.js';

export const NOVA_MAX_LIMIT = 1000;

type NovaHandler = (req: DemoRequest, params: Record<string, string>, call: NovaCall) => DemoResponse;

interface NovaCall {
  auth: AuthContext;
  version: Microversion;
  base: LinkBase;
}

function versionHeaders(version: Microversion | undefined): Record<string, string | string[]> {
  const text = `2.${version?.minor ?? 1}`;
  return {
    'Openstack-Api-Version': `compute ${text}`,
    'X-Openstack-Nova-Api-Version': text,
    Vary: ['OpenStack-API-Version', 'X-OpenStack-Nova-API-Version'],
  };
}

function novaResponse(status: number, body: unknown, version: Microversion | undefined, extra: Record<string, string> = {}): DemoResponse {
  const requestId = newRequestId();
  return {
    status,
    headers: {
      'Content-Type': status >= 400 ? 'application/json; charset=UTF-8' : 'application/json',
      ...versionHeaders(version),
      ...extra,
      'X-Openstack-Request-Id': requestId,
      'X-Compute-Request-Id': requestId,
    },
    body: body === undefined ? '' : pythonJson(body),
  };
}

function novaError(error: NovaError, version: Microversion | undefined): DemoResponse {
  return novaResponse(error.status, { [error.key]: { code: error.status, message: error.message } }, version);
}

/** OpenStack-API-Version: compute X (or the legacy X-OpenStack-Nova-API-Version); default 2.1. */
function negotiate(req: DemoRequest): Microversion {
  let requested: string | undefined;
  const modern = header(req, 'openstack-api-version');
  if (modern !== undefined) {
    for (const part of modern.split(',')) {
      const [service, value] = part.trim().split(/\s+/, 2);
      if (service?.toLowerCase() === 'compute' && value !== undefined) requested = value;
    }
  }
  requested ??= header(req, 'x-openstack-nova-api-version');
  if (requested === undefined) return { major: 2, minor: 1 };
  if (requested.toLowerCase() === 'latest') return { major: 2, minor: MAX_MICROVERSION };
  const match = /^(\d+)\.(\d+)$/.exec(requested.trim());
  if (!match) {
    throw new NovaError(400, 'badRequest', `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
  }
  const minor = Number(match[2]);
  if (match[1] !== '2' || minor < 1 || minor > MAX_MICROVERSION) {
    throw new NovaError(
      406,
      'computeFault',
      `Version ${requested} is not supported by the API. Minimum is 2.1 and maximum is 2.${MAX_MICROVERSION}.`,
    );
  }
  return { major: 2, minor };
}

const UNEXPECTED =
  "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class 'oslo_db.exception.DBError'>";

/** Nova on MySQL: REGEXP, case-insensitive collation, '|' escaped. */
export function nameMatcher(pattern: string): (name: string) => boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern.replace(/\|/g, '\\|'), 'i');
  } catch {
    throw new NovaError(500, 'computeFault', UNEXPECTED);
  }
  return (name) => regex.test(name);
}

function isTruthy(value: string | null): boolean {
  return value !== null && !['0', 'false', 'no', 'off', 'f', 'n'].includes(value.toLowerCase());
}

function parseLimit(req: DemoRequest): number {
  const text = req.query.get('limit');
  if (text === null) return NOVA_MAX_LIMIT;
  if (!/^-?\d+$/.test(text)) throw new NovaError(400, 'badRequest', 'limit param must be an integer');
  const limit = Number(text);
  if (limit < 0) throw new NovaError(400, 'badRequest', 'limit param must be positive');
  // Nova reads 0 as "no limit given", i.e. max_limit.
  return Math.min(limit || NOVA_MAX_LIMIT, NOVA_MAX_LIMIT);
}

function nextLink(req: DemoRequest, base: LinkBase, collection: string, marker: string): string {
  const params = new Map<string, string>();
  for (const [key, value] of [...req.query].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) params.set(key, value);
  params.set('marker', marker);
  return `${base.application}/${collection}?${pythonUrlencode([...params])}`;
}

function listServers(ctx: CloudContext, req: DemoRequest, call: NovaCall, detail: boolean): DemoResponse {
  const { auth, base, version } = call;
  const name = req.query.get('name');
  const matchName = name !== null && name !== '' ? nameMatcher(name) : undefined;
  const status = req.query.get('status')?.toUpperCase();
  const allProjects = auth.isAdmin && isTruthy(req.query.get('all_tenants'));
  const projectFilter = allProjects ? (req.query.get('project_id') ?? req.query.get('tenant_id') ?? undefined) : auth.projectId;
  const limit = parseLimit(req);
  const markerId = req.query.get('marker');
  let marker: Server | undefined;
  if (markerId !== null) {
    marker = ctx.store.servers.get(markerId);
    if (!marker || (!allProjects && marker.projectId !== auth.projectId)) {
      throw new NovaError(400, 'badRequest', `marker [${markerId}] not found`);
    }
  }
  const page: Server[] = [];
  let passedMarker = marker === undefined;
  for (const server of ctx.store.serversNewestFirst()) {
    if (!passedMarker) {
      passedMarker = server === marker;
      continue;
    }
    if (page.length >= limit) break;
    if (projectFilter !== undefined && server.projectId !== projectFilter) continue;
    if (status !== undefined && server.status !== status) continue;
    if (matchName && !matchName(server.name)) continue;
    page.push(server);
  }
  const collection = detail ? 'servers/detail' : 'servers';
  const body: Record<string, unknown> = {
    servers: page.map((server) => (detail ? serverDetail(ctx.store, base, server, version, 'detail') : serverSummary(base, server))),
  };
  const last = page.at(-1);
  if (req.query.get('limit') !== '0' && page.length === limit && last) {
    body['servers_links'] = [{ rel: 'next', href: nextLink(req, base, collection, last.id) }];
  }
  return novaResponse(200, body, version);
}

function visibleServer(ctx: CloudContext, auth: AuthContext, id: string): Server {
  const server = ctx.store.servers.get(id);
  if (!server || (!auth.isAdmin && server.projectId !== auth.projectId)) {
    throw new NovaError(404, 'itemNotFound', `Instance ${id} could not be found.`);
  }
  return server;
}

/** The networks part of the request's format; whether they exist is checked later, as Nova does. */
function parseNics(value: unknown): Nic[] {
  if (value === undefined || value === 'none' || value === 'auto') return [];
  if (!Array.isArray(value))
    throw new NovaError(400, 'badRequest', `Invalid input for field/attribute networks. Value: ${describeValue(value)}`);
  return value.map((entry: unknown): Nic => {
    if (!isJsonObject(entry)) throw new NovaError(400, 'badRequest', 'Invalid input for field/attribute networks.');
    if (typeof entry['port'] === 'string') return { portId: entry['port'] };
    const networkId = entry['uuid'];
    if (typeof networkId !== 'string') throw new NovaError(400, 'badRequest', 'Invalid input for field/attribute networks.');
    const fixedIp = entry['fixed_ip'];
    return typeof fixedIp === 'string' ? { networkId, fixedIps: [{ ipAddress: fixedIp }] } : { networkId };
  });
}

/** compute API create: requested networks must exist and be visible (after the image check). */
function checkNetworks(ctx: CloudContext, auth: AuthContext, nics: Nic[]): void {
  for (const nic of nics) {
    if (!('networkId' in nic)) continue;
    const network = ctx.store.networks.get(nic.networkId);
    if (!network || !canSeeNetwork(auth, network)) {
      throw new NovaError(400, 'badRequest', `Network ${nic.networkId} could not be found.`);
    }
  }
}

function routes(ctx: CloudContext): RouteTable<NovaHandler> {
  return new RouteTable<NovaHandler>()
    .add('GET', '/v2.1/servers', (req, _params, call) => listServers(ctx, req, call, false))
    .add('GET', '/v2.1/servers/detail', (req, _params, call) => listServers(ctx, req, call, true))
    .add('GET', '/v2.1/servers/{id}', (_req, params, call) =>
      novaResponse(
        200,
        { server: serverDetail(ctx.store, call.base, visibleServer(ctx, call.auth, params['id'] ?? ''), call.version, 'show') },
        call.version,
      ),
    )
    .add('POST', '/v2.1/servers', (req, _params, call) => {
      const body = parseJsonBody(req);
      const server = isJsonObject(body) ? body['server'] : undefined;
      if (!isJsonObject(server))
        throw new NovaError(400, 'badRequest', "Invalid input for field/attribute server. 'server' is a required property");
      const name = server['name'];
      if (typeof name !== 'string' || name === '') {
        throw new NovaError(400, 'badRequest', "Invalid input for field/attribute server. 'name' is a required property");
      }
      validateBootRefs(server);
      const nics = parseNics(server['networks']);
      // servers.py looks the flavor up first; the compute API then fetches the image, then checks networks.
      const flavor = flavorForBoot(ctx.store, server['flavorRef']);
      const image = imageForBoot(ctx.store, server['imageRef']);
      checkNetworks(ctx, call.auth, nics);
      const created = bootServer(ctx.store, {
        name,
        projectId: call.auth.projectId,
        userId: call.auth.userId,
        nics,
        ...(image ? { imageId: image.id } : {}),
        ...(flavor ? { flavorId: flavor.id } : {}),
      });
      return novaResponse(
        202,
        {
          server: {
            id: created.id,
            links: serverSummary(call.base, created)['links'],
            'OS-DCF:diskConfig': 'MANUAL',
            security_groups: [{ name: 'default' }],
            adminPass: 'demo-admin-pass',
          },
        },
        call.version,
        { Location: `${call.base.application}/servers/${created.id}` },
      );
    })
    .add('DELETE', '/v2.1/servers/{id}', (_req, params, call) => {
      deleteServer(ctx.store, visibleServer(ctx, call.auth, params['id'] ?? ''));
      return novaResponse(204, undefined, call.version);
    })
    .add('GET', '/v2.1/images', (req, _params, call) => {
      requireImageProxy(call.version);
      return novaResponse(200, { images: listImages(ctx.store, req).map((image) => imageSummary(call.base, image)) }, call.version);
    })
    .add('GET', '/v2.1/images/detail', (req, _params, call) => {
      requireImageProxy(call.version);
      return novaResponse(200, { images: listImages(ctx.store, req).map((image) => imageDetail(call.base, image)) }, call.version);
    })
    .add('GET', '/v2.1/images/{id}', (_req, params, call) => {
      requireImageProxy(call.version);
      return novaResponse(200, { image: imageDetail(call.base, showImage(ctx.store, params['id'] ?? '')) }, call.version);
    })
    .add('GET', '/v2.1/flavors', (req, _params, call) => {
      const flavors = listFlavors(ctx.store, req, call.auth);
      return novaResponse(200, { flavors: flavors.map((flavor) => flavorSummary(call.base, flavor, call.version)) }, call.version);
    })
    .add('GET', '/v2.1/flavors/detail', (req, _params, call) => {
      const flavors = listFlavors(ctx.store, req, call.auth);
      return novaResponse(200, { flavors: flavors.map((flavor) => flavorDetail(call.base, flavor, call.version)) }, call.version);
    })
    .add('GET', '/v2.1/flavors/{id}', (_req, params, call) =>
      novaResponse(200, { flavor: flavorDetail(call.base, showFlavor(ctx.store, params['id'] ?? ''), call.version) }, call.version),
    );
}

function versionDocument(ctx: CloudContext): Record<string, unknown> {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: `2.${MAX_MICROVERSION}`,
    min_version: '2.1',
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${ctx.baseUrl()}${SERVICE_PREFIX.compute}/v2.1/` }],
  };
}

export interface NovaService {
  handle(req: DemoRequest): { route: string; response: DemoResponse };
}

export function createNova(ctx: CloudContext): NovaService {
  const table = routes(ctx);
  return {
    handle(req) {
      const path = req.servicePath.replace(/\/$/, '');
      if (req.method === 'GET' && (path === '' || path === '/v2.1')) {
        const doc = versionDocument(ctx);
        return {
          route: `GET ${path || '/'}`,
          response: novaResponse(200, path === '' ? { versions: [doc] } : { version: doc }, undefined),
        };
      }
      const match = table.match(req.method, path);
      const route = match.kind === 'found' ? match.name : `${req.method} ?`;
      const record = ctx.tokens.validate(header(req, 'x-auth-token'));
      if (!record) {
        return {
          route,
          response: {
            status: 401,
            headers: {
              'Content-Type': 'application/json',
              'Www-Authenticate': `Keystone uri="${ctx.baseUrl()}${SERVICE_PREFIX.identity}"`,
              'X-Openstack-Request-Id': newRequestId(),
            },
            body: pythonJson({ error: { code: 401, title: 'Unauthorized', message: KEYSTONE_UNAUTHORIZED_MESSAGE } }),
          },
        };
      }
      let version: Microversion | undefined;
      try {
        version = negotiate(req);
        if (match.kind !== 'found') {
          throw match.kind === 'not-found'
            ? new NovaError(404, 'itemNotFound', 'The resource could not be found.')
            : new NovaError(405, 'badMethod', 'The method specified is not allowed for this resource.');
        }
        const base: LinkBase = {
          application: `${req.origin}${SERVICE_PREFIX.compute}/v2.1`,
          bookmark: `${req.origin}${SERVICE_PREFIX.compute}`,
          image: `${req.origin}/image`,
        };
        return { route, response: match.handler(req, match.params, { auth: authContextOf(record), version, base }) };
      } catch (error) {
        if (error instanceof NovaError) return { route, response: novaError(error, version) };
        return {
          route,
          response: novaError(new NovaError(500, 'computeFault', UNEXPECTED.replace('oslo_db.exception.DBError', 'Exception')), version),
        };
      }
    },
  };
}
