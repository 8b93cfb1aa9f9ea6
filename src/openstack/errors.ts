/**
 * Typed OpenStack failures. One string `code` per class so logs, tests and the
 * floating-IP service match on codes, never on message text (Neutron's
 * templates are translated and change between releases).
 *
 * Every error carries what an operator needs to find the request in the
 * cloud's own logs: service, method, path and `X-Openstack-Request-Id`.
 * Messages pass through the session's Redactor before they are stored.
 */

/** The connection was never established: nothing reached the server, so any method may be retried. */
export const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'FIPBOT_SHARED_LIMITER_UNAVAILABLE',
]);

export type ServiceType = 'identity' | 'network' | 'compute';

export const SERVICE_NAMES: Record<ServiceType, string> = {
  identity: 'Keystone',
  network: 'Neutron',
  compute: 'Nova',
};

export interface RequestContext {
  service: ServiceType;
  method: string;
  /** Path and query as sent, relative to the endpoint (no host, no secrets). */
  path: string;
  requestId?: string;
  /** How many times the request was sent (retries and the 401 replay included). */
  attempts: number;
}

export abstract class OpenStackError extends Error {
  abstract readonly code: string;
  readonly service: ServiceType;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  readonly attempts: number;

  protected constructor(message: string, context: RequestContext, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.service = context.service;
    this.method = context.method;
    this.path = context.path;
    this.requestId = context.requestId;
    this.attempts = context.attempts;
  }

  get serviceName(): string {
    return SERVICE_NAMES[this.service];
  }

  /** Structured form for log lines: no stack, no cause chain (undici causes can hold socket details). */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      service: this.service,
      method: this.method,
      path: this.path,
      requestId: this.requestId,
      attempts: this.attempts,
    };
  }
}

/** OpenStack answered with an error status. `type` is NeutronError.type, Nova's fault key, or Keystone's title. */
export class OpenStackApiError extends OpenStackError {
  readonly code: string = 'openstack_api_error';
  readonly status: number;
  readonly type: string | undefined;
  readonly apiMessage: string;

  constructor(status: number, type: string | undefined, apiMessage: string, context: RequestContext) {
    super(
      `${SERVICE_NAMES[context.service]} answered ${status}${type ? ` ${type}` : ''} to ${context.method} ${context.path}: ${apiMessage}` +
        (context.requestId ? ` (request ${context.requestId})` : ''),
      context,
    );
    this.status = status;
    this.type = type;
    this.apiMessage = apiMessage;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, type: this.type, apiMessage: this.apiMessage };
  }
}

/**
 * Keystone refused the credentials (401 on POST /auth/tokens), or a service
 * kept refusing a freshly issued token after the one re-authentication.
 */
export class OpenStackAuthError extends OpenStackApiError {
  override readonly code = 'openstack_auth_failed';
}

/** Neutron's revision check (If-Match) failed: the resource changed since we read it. */
export class OpenStackConflictError extends OpenStackApiError {
  override readonly code = 'openstack_changed_concurrently';
}

export type TimeoutPhase = 'connect' | 'headers' | 'body';

export class OpenStackTimeoutError extends OpenStackError {
  readonly code = 'openstack_timeout';
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;

  constructor(phase: TimeoutPhase, timeoutMs: number, context: RequestContext, cause?: unknown) {
    super(
      `${SERVICE_NAMES[context.service]} did not ${phase === 'connect' ? 'accept a connection' : phase === 'headers' ? 'answer' : 'finish answering'} within ${timeoutMs} ms (${context.method} ${context.path})`,
      context,
      { cause },
    );
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), phase: this.phase, timeoutMs: this.timeoutMs };
  }
}

/** No HTTP answer at all: refused, reset, DNS failure, TLS failure. */
export class OpenStackUnreachableError extends OpenStackError {
  readonly code = 'openstack_unreachable';
  /** The low-level code, e.g. ECONNREFUSED, UND_ERR_SOCKET, CERT_HAS_EXPIRED. */
  readonly causeCode: string | undefined;

  constructor(causeCode: string | undefined, detail: string, context: RequestContext, cause?: unknown) {
    super(
      `${SERVICE_NAMES[context.service]} could not be reached (${causeCode ?? 'connection error'}: ${detail}) for ${context.method} ${context.path}`,
      context,
      { cause },
    );
    this.causeCode = causeCode;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), causeCode: this.causeCode };
  }
}

/** A 2xx whose body is not what the API documents (missing field, not JSON). Never a crash. */
export class OpenStackUnexpectedResponseError extends OpenStackError {
  readonly code = 'openstack_unexpected_response';
  readonly status: number;
  readonly issues: string[];

  constructor(status: number, issues: string[], context: RequestContext) {
    super(
      `unexpected response from ${SERVICE_NAMES[context.service]} to ${context.method} ${context.path} (HTTP ${status}): ${issues.join('; ')}` +
        (context.requestId ? ` (request ${context.requestId})` : ''),
      context,
    );
    this.status = status;
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, issues: this.issues };
  }
}

/** The token's catalog has no endpoint for this service, interface and region. */
export class OpenStackEndpointNotFoundError extends OpenStackError {
  readonly code = 'openstack_endpoint_not_found';
  readonly interfaceName: string;
  readonly region: string | undefined;
  readonly available: string[];

  constructor(service: ServiceType, interfaceName: string, region: string | undefined, available: string[]) {
    super(
      `the Keystone catalog has no ${interfaceName} ${service} endpoint${region ? ` in region ${region}` : ''}` +
        (available.length ? ` (it has: ${available.join(', ')})` : ' (the service is not in the catalog)'),
      { service, method: '-', path: '-', attempts: 0 },
    );
    this.interfaceName = interfaceName;
    this.region = region;
    this.available = available;
  }
}

export function isOpenStackError(error: unknown): error is OpenStackError {
  return error instanceof OpenStackError;
}

/** True when the error is an API error of one of the given NeutronError/Nova types. */
export function hasErrorType(error: unknown, ...types: string[]): error is OpenStackApiError {
  return error instanceof OpenStackApiError && error.type !== undefined && types.includes(error.type);
}

/**
 * True when a request may have been carried out although we got no usable
 * answer: the server timed out or the connection broke after sending, a
 * gateway failed (5xx), or a 2xx came back unreadable. A mutating caller must
 * then look at the resource before telling anyone what happened.
 */
/**
 * A change sent again (its first answer lost) and refused with 412: the revision moved since the plan,
 * possibly by the first attempt itself. Only reading the resource back tells.
 */
export function isRetriedConflict(error: unknown): error is OpenStackConflictError {
  return error instanceof OpenStackConflictError && error.attempts > 1;
}

export function mayHaveApplied(error: unknown): boolean {
  if (error instanceof OpenStackTimeoutError) return error.phase !== 'connect';
  if (error instanceof OpenStackUnreachableError) return !NEVER_SENT_CODES.has(error.causeCode ?? '');
  if (error instanceof OpenStackUnexpectedResponseError) return error.status < 300;
  if (error instanceof OpenStackApiError) return error.status >= 500;
  return false;
}
