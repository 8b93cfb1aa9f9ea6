/**
 * The one door to OpenStack: every HTTP request the adapter makes goes through `HttpTransport.request`, which
 *  - sends it with undici over keep-alive pools, one per origin (they cope with Keystone-under-uwsgi's `Connection: close`);
 *  - enforces connect / headers / body timeouts and queues behind a bottleneck limiter, so Slack bursts never flood the API;
 *  - retries with jittered backoff only where sending twice is harmless: a connection that never opened, or an idempotent
 *    request (GET, HEAD, PUT, DELETE) after a reset or a 502/503/504; maps undici's failures to errors.ts's typed errors.
 * It does not authenticate: identity.ts and client.ts add tokens on top.
 */
import { PRODUCTION_TIMING } from '../config/timing.js';
import { readFileSync } from 'node:fs';
import Bottleneck from 'bottleneck';
import { Agent, type Dispatcher } from 'undici';
import {
  NEVER_SENT_CODES,
  OpenStackTimeoutError,
  OpenStackUnexpectedResponseError,
  OpenStackUnreachableError,
  type RequestContext,
  type ServiceType,
} from './errors.js';
import { Redactor } from './redact.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface TransportOptions {
  connectTimeoutMs: number;
  /** Time until the response headers arrive: Neutron under load can be slow, but not this slow. */
  headersTimeoutMs: number;
  /** Maximum gap between two body chunks. */
  bodyTimeoutMs: number;
  /** Requests in flight at once toward the whole cloud. */
  maxConcurrent: number;
  /** Minimum spacing between two request starts, in ms (0 = none). */
  minTimeMs: number;
  /** Extra attempts after the first, for retryable failures. */
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Idle keep-alive sockets are closed after this long: below the usual server-side 5 s, so we close first. */
  keepAliveTimeoutMs: number;
  /** Bodies larger than this are refused rather than buffered. */
  maxResponseBytes: number;
  /** PEM CA bundle path (OS_CACERT). */
  caFile?: string;
  /** Skip TLS verification (OS_INSECURE). */
  insecure: boolean;
  userAgent: string;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  connectTimeoutMs: PRODUCTION_TIMING.openstack.connectTimeoutMs,
  headersTimeoutMs: PRODUCTION_TIMING.openstack.timeoutMs,
  bodyTimeoutMs: PRODUCTION_TIMING.openstack.timeoutMs,
  maxConcurrent: 8,
  minTimeMs: 0,
  retries: 2,
  retryBaseDelayMs: PRODUCTION_TIMING.openstack.retryBaseDelayMs,
  retryMaxDelayMs: PRODUCTION_TIMING.openstack.retryMaxDelayMs,
  keepAliveTimeoutMs: 4_000,
  maxResponseBytes: 64 * 1024 * 1024,
  insecure: false,
  userAgent: 'fipbot',
};

export interface TransportRequest {
  service: ServiceType;
  method: HttpMethod;
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  /** Serialised as JSON when present. */
  body?: unknown;
  /**
   * Safe to send again after the server may have received it. Defaults to
   * true for GET, HEAD, PUT and DELETE. Keystone's POST /auth/tokens passes
   * true: a second token is harmless.
   */
  idempotent?: boolean;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  text: string;
  requestId: string | undefined;
  attempts: number;
}

/** Emitted after every attempt, for metrics and debug logs. Contains no secrets. */
export interface ExchangeEvent {
  service: ServiceType;
  method: HttpMethod;
  path: string;
  status: number | undefined;
  errorCode: string | undefined;
  durationMs: number;
  attempt: number;
  requestId: string | undefined;
}

/** Something that can schedule work under a rate limit: bottleneck, or a Redis-clustered bottleneck. */
export interface Limiter {
  schedule<T>(task: () => Promise<T>): Promise<T>;
  queued(): number;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
/** The connection broke mid-exchange: the server may or may not have acted. */
const BROKEN_CONNECTION_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED', 'ECONNABORTED']);

export class HttpTransport {
  readonly options: TransportOptions;
  readonly redactor: Redactor;
  private readonly agent: Agent;
  private readonly limiter: Limiter;
  private readonly listeners: Array<(event: ExchangeEvent) => void> = [];

  constructor(
    options: Partial<TransportOptions> = {},
    deps: { limiter?: Limiter; redactor?: Redactor; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.options = { ...DEFAULT_TRANSPORT_OPTIONS, ...options };
    this.redactor = deps.redactor ?? new Redactor();
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const o = this.options;
    this.agent = new Agent({
      connect: {
        timeout: o.connectTimeoutMs,
        rejectUnauthorized: !o.insecure,
        ...(o.caFile ? { ca: readFileSync(o.caFile, 'utf8') } : {}),
      },
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      keepAliveMaxTimeout: Math.max(o.keepAliveTimeoutMs, 30_000),
      maxResponseSize: o.maxResponseBytes,
      // One pool per origin (Agent's default factory); cap its sockets at the limiter's concurrency.
      connections: o.maxConcurrent,
    });
    this.limiter = deps.limiter ?? bottleneckLimiter(o.maxConcurrent, o.minTimeMs);
  }

  private readonly sleep: (ms: number) => Promise<void>;

  onExchange(listener: (event: ExchangeEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Requests waiting for a slot in the limiter (for /metrics). */
  queueLength(): number {
    return this.limiter.queued();
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const url = new URL(request.url);
    const path = this.redactor.redact(url.pathname + url.search);
    const maxAttempts = 1 + Math.max(0, this.options.retries);

    for (let attempt = 1; ; attempt++) {
      const context: RequestContext = { service: request.service, method: request.method, path, attempts: attempt };
      const started = performance.now();
      try {
        const response = await this.limiter.schedule(() => this.send(url, request, attempt));
        this.emit(request, path, response.status, undefined, started, attempt, response.requestId);
        if (RETRYABLE_STATUSES.has(response.status) && idempotent && attempt < maxAttempts) {
          await this.sleep(this.backoff(attempt, response.headers['retry-after']));
          continue;
        }
        return response;
      } catch (error) {
        const code = errorCode(error);
        this.emit(request, path, undefined, code, started, attempt, undefined);
        const retryable = NEVER_SENT_CODES.has(code ?? '') || (idempotent && BROKEN_CONNECTION_CODES.has(code ?? ''));
        if (retryable && attempt < maxAttempts) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw this.toTypedError(error, code, context);
      }
    }
  }

  private async send(url: URL, request: TransportRequest, attempt: number): Promise<TransportResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent,
      ...request.headers,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const response = await this.agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method,
      headers,
      body,
    } satisfies Dispatcher.RequestOptions);
    const text = await response.body.text();
    const responseHeaders = flattenHeaders(response.headers);
    return {
      status: response.statusCode,
      headers: responseHeaders,
      body: parseJson(text),
      text,
      requestId: responseHeaders['x-openstack-request-id'] ?? responseHeaders['x-compute-request-id'],
      attempts: attempt,
    };
  }

  /** Full-jitter exponential backoff, honouring a short Retry-After. */
  private backoff(attempt: number, retryAfter?: string): number {
    const { retryBaseDelayMs: base, retryMaxDelayMs: max } = this.options;
    const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, max);
    return Math.round(Math.random() * Math.min(max, base * 2 ** (attempt - 1)));
  }

  private toTypedError(error: unknown, code: string | undefined, context: RequestContext): Error {
    const detail = this.redactor.redact(error instanceof Error ? error.message : String(error));
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new OpenStackTimeoutError('connect', this.options.connectTimeoutMs, context, error);
      case 'UND_ERR_HEADERS_TIMEOUT':
        return new OpenStackTimeoutError('headers', this.options.headersTimeoutMs, context, error);
      case 'UND_ERR_BODY_TIMEOUT':
        return new OpenStackTimeoutError('body', this.options.bodyTimeoutMs, context, error);
      case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
        return new OpenStackUnexpectedResponseError(0, [`response larger than ${this.options.maxResponseBytes} bytes`], context);
      default:
        return new OpenStackUnreachableError(code, detail, context, error);
    }
  }

  private emit(
    request: TransportRequest,
    path: string,
    status: number | undefined,
    errorCode: string | undefined,
    started: number,
    attempt: number,
    requestId: string | undefined,
  ): void {
    if (this.listeners.length === 0) return;
    const event: ExchangeEvent = {
      service: request.service,
      method: request.method,
      path,
      status,
      errorCode,
      durationMs: performance.now() - started,
      attempt,
      requestId,
    };
    for (const listener of this.listeners) {
      // A metrics or logging bug must not turn a good answer into a failed request.
      try {
        listener(event);
      } catch {
        /* ignored on purpose */
      }
    }
  }
}

export function bottleneckLimiter(maxConcurrent: number, minTimeMs: number): Limiter {
  const limiter = new Bottleneck({ maxConcurrent, minTime: minTimeMs });
  return {
    schedule: (task) => limiter.schedule(task),
    // Not limiter.queued(): bottleneck moves jobs from RECEIVED to QUEUED a few ms apart, so a burst would read
    // as 1 waiting instead of 8. Everything not yet executing is waiting (RUNNING = waiting out minTime).
    queued: () => {
      const counts = limiter.counts();
      return counts.RECEIVED + counts.QUEUED + counts.RUNNING;
    },
  };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** undici errors carry `code`; system errors too, sometimes one level down in `cause`. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
