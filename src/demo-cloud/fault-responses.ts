/**
 * The answers an injected failure sends: the failing service's own error
 * shape (so clients exercise their real error parsing), or the HTML page a
 * load balancer or reverse proxy sends for 502/503/504.
 */
import { STATUS_CODES } from 'node:http';
import type { CloudContext, ServiceName } from './context.js';
import { KeystoneError, NeutronError, NovaError } from './errors.js';
import type { FailureBody } from './faults.js';
import type { DemoResponse } from './http.js';
import { newRequestId } from './ids.js';
import { keystoneErrorResponse } from './keystone.js';
import { neutronErrorResponse, neutronUnauthorized } from './neutron/respond.js';
import { pythonJson } from './json.js';

const NEUTRON_TYPES: Record<number, [string, string]> = {
  400: ['HTTPBadRequest', 'The server could not comply with the request since it is either malformed or otherwise incorrect.'],
  403: ['HTTPForbidden', 'Access was denied to this resource.'],
  404: ['HTTPNotFound', 'The resource could not be found.'],
  409: ['HTTPConflict', 'There was a conflict when trying to complete your request.'],
  500: ['HTTPInternalServerError', 'Request Failed: internal server error while processing your request.'],
  503: ['HTTPServiceUnavailable', 'The server is currently unavailable. Please try again at a later time.'],
};

/** nova.api.openstack.wsgi.Fault's names per status. */
const NOVA_KEYS: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

function htmlPage(status: number): DemoResponse {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return {
    status,
    headers: { 'Content-Type': 'text/html' },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  };
}

export function injectedFailure(ctx: CloudContext, service: ServiceName | 'unknown', status: number, body: FailureBody): DemoResponse {
  if (body === 'html' || service === 'unknown') return htmlPage(status);
  const reason = STATUS_CODES[status] ?? 'Error';
  if (service === 'identity') {
    const message = status === 401 ? 'The request you have made requires authentication.' : `Injected failure: ${reason}.`;
    return keystoneErrorResponse(new KeystoneError(status, reason, message), ctx);
  }
  if (status === 401) {
    return neutronUnauthorized(ctx);
  }
  if (service === 'network') {
    const [type, message] = NEUTRON_TYPES[status] ?? [`HTTP${reason.replace(/\s+/g, '')}`, reason];
    return neutronErrorResponse(new NeutronError(status, type, message));
  }
  const error = new NovaError(
    status,
    NOVA_KEYS[status] ?? 'computeFault',
    status >= 500 ? `Unexpected API Error (injected ${status}).` : reason,
  );
  const requestId = newRequestId();
  return {
    status,
    headers: {
      'Content-Type': 'application/json; charset=UTF-8',
      'Openstack-Api-Version': 'compute 2.1',
      'X-Openstack-Nova-Api-Version': '2.1',
      'X-Openstack-Request-Id': requestId,
      'X-Compute-Request-Id': requestId,
    },
    body: pythonJson({ [error.key]: { code: status, message: error.message } }),
  };
}
