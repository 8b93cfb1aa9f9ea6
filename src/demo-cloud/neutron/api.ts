/**
 * The Neutron endpoint: token check (keystonemiddleware's 401 first), route
 * dispatch, and NeutronError bodies for every failure, including the
 * unexpected ones (500 with Neutron's generic message).
 */
import type { CloudContext } from '../context.js';
import { SERVICE_PREFIX } from '../context.js';
import { NeutronError } from '../errors.js';
import type { DemoRequest, DemoResponse } from '../http.js';
import { header, RouteTable } from '../http.js';
import { authContextOf } from '../tokens.js';
import { registerExtensionRoutes } from './extensions.js';
import { registerFloatingIpRoutes } from './floating-ips.js';
import { registerIpAvailabilityRoutes } from './ip-availability.js';
import { registerNetworkRoutes } from './networks.js';
import { registerPortRoutes } from './ports.js';
import { registerQuotaRoutes } from './quotas.js';
import { neutronErrorResponse, neutronJson, neutronUnauthorized } from './respond.js';
import type { NeutronHandler } from './respond.js';
import { checkIfMatchHeader } from './revisions.js';
import { registerRouterRoutes } from './routers.js';
import { registerFloatingIpTagRoutes } from './tags.js';

export interface NeutronService {
  handle(req: DemoRequest): { route: string; response: DemoResponse };
}

export function createNeutron(ctx: CloudContext): NeutronService {
  const table = new RouteTable<NeutronHandler>();
  const sink = {
    add(method: string, pattern: string, handler: NeutronHandler): void {
      table.add(method, pattern, handler);
    },
  };
  registerFloatingIpRoutes(sink, ctx);
  registerFloatingIpTagRoutes(sink, ctx);
  registerNetworkRoutes(sink, ctx);
  registerPortRoutes(sink, ctx);
  registerRouterRoutes(sink, ctx);
  registerQuotaRoutes(sink, ctx);
  registerIpAvailabilityRoutes(sink, ctx);
  registerExtensionRoutes(sink);

  return {
    handle(req) {
      const path = req.servicePath.replace(/\.json$/, '');
      if (req.method === 'GET' && (path === '/' || path === '')) {
        const href = `${ctx.baseUrl()}${SERVICE_PREFIX.network}/v2.0/`;
        return {
          route: 'GET /',
          response: neutronJson(200, { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href, rel: 'self' }] }] }, 'python'),
        };
      }
      const record = ctx.tokens.validate(header(req, 'x-auth-token'));
      const match = table.match(req.method, path);
      const route = match.kind === 'found' ? match.name : `${req.method} ?`;
      if (!record) return { route, response: neutronUnauthorized(ctx) };
      try {
        if (match.kind === 'not-found') {
          throw new NeutronError(404, 'HTTPNotFound', 'The resource could not be found.');
        }
        if (match.kind === 'method-not-allowed') {
          throw new NeutronError(
            405,
            'HTTPMethodNotAllowed',
            'The server could not comply with the request since it is either malformed or otherwise incorrect.',
          );
        }
        // Creates and updates check If-Match in resourceBody(), after body validation, as Neutron's hooks do.
        const memberAction = /\/\{id\}\/[a-z_]+$/.test(match.name);
        if ((req.method !== 'PUT' && req.method !== 'POST') || memberAction) checkIfMatchHeader(req);
        return { route, response: match.handler(req, match.params, authContextOf(record)) };
      } catch (error) {
        if (error instanceof NeutronError) return { route, response: neutronErrorResponse(error) };
        return {
          route,
          response: neutronErrorResponse(
            new NeutronError(500, 'HTTPInternalServerError', 'Request Failed: internal server error while processing your request.'),
          ),
        };
      }
    },
  };
}
