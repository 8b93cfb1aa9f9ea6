/**
 * An authenticated call to Neutron or Nova: adds the token, resolves the
 * endpoint from the catalog, re-authenticates ONCE and replays ONCE on a 401
 * (the token may have been revoked or expired early), turns error statuses
 * into typed errors and parses the body with the caller's zod schema.
 */
import type { z } from 'zod';
import { readErrorBody } from './error-body.js';
import { OpenStackApiError, OpenStackAuthError, OpenStackConflictError, type RequestContext } from './errors.js';
import type { HttpMethod, HttpTransport, TransportResponse } from './http.js';
import type { Identity, Token } from './identity.js';
import { parseResponse } from './schemas/parse.js';

export type ApiService = 'network' | 'compute';

export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

export interface CallOptions {
  method: HttpMethod;
  /** Path under the service's API root, e.g. "/floatingips" or "/servers/detail". */
  path: string;
  /** Arrays become repeated parameters, which Neutron reads as OR. */
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  idempotent?: boolean;
}

export interface CallResult<T> {
  data: T;
  status: number;
  requestId: string | undefined;
  /** Attempts for this call, retries and 401 replay included. */
  attempts: number;
}

export interface ProjectScope {
  projectId: string;
  projectName: string | undefined;
  userId: string;
  userName: string | undefined;
  isAdmin: boolean;
}

export class OpenStackClient {
  constructor(
    readonly identity: Identity,
    readonly transport: HttpTransport,
  ) {}

  /** Who we are acting as: the token's project scope (authenticates if needed). */
  async scope(): Promise<ProjectScope> {
    const token = await this.identity.token();
    return {
      projectId: token.projectId,
      projectName: token.projectName,
      userId: token.userId,
      userName: token.userName,
      isAdmin: token.roles.includes('admin'),
    };
  }

  async call<S extends z.ZodType>(service: ApiService, options: CallOptions, schema: S): Promise<CallResult<z.output<S>>> {
    const { response, context } = await this.send(service, options);
    return {
      data: parseResponse(schema, response.body, response.status, context),
      status: response.status,
      requestId: response.requestId,
      attempts: context.attempts,
    };
  }

  /** For calls answered with 204 No Content (DELETE). */
  async callNoContent(service: ApiService, options: CallOptions): Promise<CallResult<undefined>> {
    const { response, context } = await this.send(service, options);
    return { data: undefined, status: response.status, requestId: response.requestId, attempts: context.attempts };
  }

  private async send(service: ApiService, options: CallOptions): Promise<{ response: TransportResponse; context: RequestContext }> {
    let token = await this.identity.token();
    let response = await this.sendWith(token, service, options);
    let attempts = response.attempts;
    if (response.status === 401) {
      // The token was revoked or expired early: one fresh token, one replay, then give up.
      this.identity.invalidate(token);
      token = await this.identity.token();
      response = await this.sendWith(token, service, options);
      attempts += response.attempts;
    }
    const context: RequestContext = {
      service,
      method: options.method,
      path: this.transport.redactor.redact(options.path + queryString(options.query)),
      requestId: response.requestId,
      attempts,
    };
    if (response.status >= 400) throw this.toApiError(response, context);
    return { response, context };
  }

  private sendWith(token: Token, service: ApiService, options: CallOptions): Promise<TransportResponse> {
    return this.transport.request({
      service,
      method: options.method,
      url: apiRoot(this.identity.endpoint(token, service), service) + options.path + queryString(options.query),
      headers: { ...options.headers, 'x-auth-token': token.value },
      body: options.body,
      ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    });
  }

  private toApiError(response: TransportResponse, context: RequestContext): OpenStackApiError {
    const { type, message } = readErrorBody(response);
    const safeMessage = this.transport.redactor.redact(message);
    if (response.status === 401)
      return new OpenStackAuthError(401, type, `the token was refused even after re-authenticating: ${safeMessage}`, context);
    if (response.status === 412) return new OpenStackConflictError(412, type ?? 'RevisionNumberConstraintFailed', safeMessage, context);
    return new OpenStackApiError(response.status, type, safeMessage, context);
  }
}

/** Neutron's catalog URL usually lacks the version: the API lives under /v2.0. Nova's already ends in /v2.1[/project]. */
export function apiRoot(endpoint: string, service: ApiService): string {
  const base = endpoint.replace(/\/+$/, '');
  if (service === 'network' && !/\/v2\.0$/.test(base)) return `${base}/v2.0`;
  return base;
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
