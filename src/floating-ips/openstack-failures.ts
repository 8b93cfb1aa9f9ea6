/**
 * Maps an OpenStack error to a coded failure, by error TYPE (NeutronError.type,
 * Nova's fault key), never by message text: Neutron translates its messages
 * and their templates change between releases.
 *
 * Errors that need context to explain (which pool was exhausted, which
 * instance was unreachable) are mapped by the use case itself; this module is
 * the generic fallback every use case shares.
 */
import {
  OpenStackApiError,
  OpenStackAuthError,
  OpenStackConflictError,
  OpenStackEndpointNotFoundError,
  OpenStackError,
  OpenStackTimeoutError,
  OpenStackUnexpectedResponseError,
  OpenStackUnreachableError,
} from '../openstack/errors.js';
import { type Changed, type Failure, FailureSignal, failure } from './failures.js';

export interface FailureContext {
  /** The floating IP the operation was about, for messages. */
  address?: string;
  /** When a mutating request may have reached OpenStack, timeouts and resets leave the outcome unknown. */
  changed?: Changed;
}

/** Statuses that say the service is overloaded or down, not that it refused. */
const UNAVAILABLE = new Set([429, 502, 503, 504]);

export function failureFromError(error: unknown, context: FailureContext = {}): Failure {
  if (error instanceof FailureSignal) return error.failure;
  if (!(error instanceof OpenStackError)) throw error;
  const extra = { requestId: error.requestId, changed: context.changed ?? 'nothing' };
  const service = error.serviceName;
  const address = context.address ?? '';
  return (() => {
    if (error instanceof OpenStackAuthError) return failure({ code: 'auth_failed', message: error.apiMessage }, extra);
    if (error instanceof OpenStackConflictError)
      return failure({ code: 'changed_concurrently', address }, { ...extra, changed: 'nothing' });
    if (error instanceof OpenStackApiError) return fromApiError(error, address, extra);
    if (error instanceof OpenStackTimeoutError) return failure({ code: 'openstack_timeout', service, detail: error.message }, extra);
    if (error instanceof OpenStackUnreachableError)
      return failure({ code: 'openstack_unreachable', service, detail: error.message }, extra);
    if (error instanceof OpenStackUnexpectedResponseError) {
      return failure({ code: 'openstack_unexpected_response', service, detail: error.message }, extra);
    }
    if (error instanceof OpenStackEndpointNotFoundError)
      return failure({ code: 'endpoint_not_found', service, message: error.message }, extra);
    return failure({ code: 'openstack_error', service, status: 0, type: null, message: error.message }, extra);
  })();
}

function fromApiError(error: OpenStackApiError, address: string, extra: { requestId: string | undefined; changed: Changed }): Failure {
  // An error status means OpenStack refused: nothing changed, whatever the caller feared.
  const refused = { ...extra, changed: 'nothing' as const };
  switch (error.type) {
    case 'OverQuota':
      return failure({ code: 'quota_exceeded', used: null, limit: null }, refused);
    case 'IpAddressInUse':
      return failure({ code: 'address_in_use', address }, refused);
    case 'FloatingIPNotFound':
      return failure({ code: 'floating_ip_not_found', address, project: '' }, refused);
    case 'FipInUseByPortForwarding':
    case 'PortHasPortForwarding':
      return failure({ code: 'port_forwarding_in_use', address }, refused);
    case 'BadRequest':
      return failure({ code: 'neutron_bad_request', message: error.apiMessage }, refused);
  }
  if (UNAVAILABLE.has(error.status)) {
    // A 429 was turned away before any work; a 5xx may have come after it (a gateway timing out).
    return failure(
      { code: 'service_unavailable', service: error.serviceName, status: error.status },
      error.status === 429 ? refused : extra,
    );
  }
  if (error.status === 403 || error.type === 'HTTPForbidden' || error.type === 'PolicyNotAuthorized' || error.type === 'forbidden') {
    return failure({ code: 'forbidden', service: error.serviceName, message: error.apiMessage }, refused);
  }
  return failure(
    { code: 'openstack_error', service: error.serviceName, status: error.status, type: error.type ?? null, message: error.apiMessage },
    // 5xx after retries: the server may have acted before failing.
    error.status >= 500 ? extra : refused,
  );
}
