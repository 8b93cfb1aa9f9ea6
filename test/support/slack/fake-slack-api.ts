/**
 * A loopback HTTP server standing in for the Slack Web API. Point the bot's
 * `clientOptions.slackApiUrl` at `apiUrl`; every `POST /api/<method>` is
 * recorded (method, decoded arguments, bearer token) and answered like Slack
 * would, from the state in `messages`, `views` and `workspace`.
 *
 * Knobs make the next calls of a method fail: with an API error
 * (`{ok:false,error}`), with HTTP 429 + Retry-After (which @slack/web-api
 * waits out and retries), or with an HTTP error status; `setLatency` slows
 * answers down. Other routes (the response_url endpoint) can be mounted on
 * the same server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { APP_LEVEL_METHODS, METHODS, type MethodContext, type SocketModeUrl } from './api-methods.js';
import { str, type Json } from './blocks.js';
import { SimClock } from './clock.js';
import { closeServer, delay, listenOnLoopback, parseApiArgs, readBody, sendJson, sendText } from './http.js';
import { Ids } from './ids.js';
import { MessageStore } from './messages.js';
import { Triggers } from './triggers.js';
import { ViewStore } from './views.js';
import { Workspace } from './workspace.js';

export interface ApiCall {
  /** 1 for the first call the server received, 2 for the next, ... */
  seq: number;
  method: string;
  args: Json;
  /** The bearer token (or `token` argument), undefined when none was sent. */
  token: string | undefined;
  contentType: string;
  /** Simulated clock time when the call arrived. */
  at: number;
  status: number;
  /** The JSON the server answered (or the error text for HTTP errors). */
  response: unknown;
}

export interface WaitOptions {
  timeoutMs?: number;
  where?: (call: ApiCall) => boolean;
  /** Only calls with a larger seq count; defaults to the last call an earlier wait returned for this method. */
  after?: number;
}

type Fault = { kind: 'api'; error: string } | { kind: 'rate_limit'; retryAfterSec: number } | { kind: 'http'; status: number };

/** Serves a path under a mounted prefix; `rest` is the path after the prefix. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, rest: string) => Promise<void>;

interface Waiter {
  method: string;
  after: number;
  where: (call: ApiCall) => boolean;
  resolve: (call: ApiCall) => void;
  reject: (error: Error) => void;
}

export interface FakeSlackApiOptions {
  workspace?: Workspace;
  clock?: SimClock;
  /** The bot token's scopes, sent as Slack does in `X-OAuth-Scopes`; none: no such header. */
  scopes?: readonly string[];
}

export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly workspace: Workspace;
  readonly clock: SimClock;
  readonly ids: Ids;
  readonly messages = new MessageStore();
  readonly views: ViewStore;
  readonly triggers: Triggers;
  /**
   * Scopes reported in the `X-OAuth-Scopes` header of every answer to a
   * known token (@slack/web-api 8 exposes them as
   * `response_metadata.scopes`); undefined sends no header. Changeable.
   */
  scopes: readonly string[] | undefined;
  /**
   * The WebSocket URL apps.connections.open answers with (a function mints
   * one per call); set by `FakeSocketMode.start`. Unset: `internal_error`.
   */
  socketModeUrl: SocketModeUrl | undefined;

  private readonly server: Server;
  private port = 0;
  private readonly faults = new Map<string, Fault[]>();
  private readonly latency = new Map<string, number>();
  private readonly mounts = new Map<string, RouteHandler>();
  private readonly cursors = new Map<string, number>();
  private waiters: Waiter[] = [];

  private constructor(options: FakeSlackApiOptions) {
    this.workspace = options.workspace ?? new Workspace();
    this.clock = options.clock ?? new SimClock();
    this.ids = new Ids(this.clock);
    this.views = new ViewStore(this.ids, this.workspace);
    this.triggers = new Triggers(this.clock, this.ids);
    this.scopes = options.scopes;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendText(res, 500, `fake Slack failed: ${String(error)}`);
        else res.destroy();
      });
    });
  }

  static async start(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    const api = new FakeSlackApi(options);
    api.port = await listenOnLoopback(api.server);
    return api;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The value for the bot's `clientOptions.slackApiUrl` (with its trailing slash, as @slack/web-api appends the method name). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  mount(prefix: string, handler: RouteHandler): void {
    this.mounts.set(prefix, handler);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The seq of the latest call so far: pass it as `after` to wait only for calls made from now on. */
  mark(): number {
    return this.calls.length;
  }

  /**
   * The next answered call of `method`: one already recorded after the
   * cursor, or the next to arrive. Rejects after `timeoutMs` (default 2 s)
   * naming the calls that did arrive.
   */
  waitForCall(method: string, options: WaitOptions = {}): Promise<ApiCall> {
    const after = options.after ?? this.cursors.get(method) ?? 0;
    const where = options.where ?? (() => true);
    const found = this.calls.find((call) => call.seq > after && call.method === method && call.response !== undefined && where(call));
    if (found) return Promise.resolve(this.consume(found));
    const timeoutMs = options.timeoutMs ?? 2_000;
    return new Promise<ApiCall>((resolve, reject) => {
      const waiter: Waiter = {
        method,
        after,
        where,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(this.consume(call));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.calls.map((c) => c.method).join(', ') || 'none';
        reject(new Error(`No ${method} call within ${timeoutMs} ms; calls so far: ${seen}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The next `times` calls of `method` answer `{ ok: false, error }` (HTTP 200, as Slack does). */
  failNext(method: string, error: string, times = 1): this {
    return this.addFault(method, { kind: 'api', error }, times);
  }

  /** The next `times` calls of `method` answer HTTP 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext(method: string, retryAfterSec = 1, times = 1): this {
    return this.addFault(method, { kind: 'rate_limit', retryAfterSec }, times);
  }

  /** The next `times` calls of `method` answer an HTTP error (500 unless told). */
  httpErrorNext(method: string, status = 500, times = 1): this {
    return this.addFault(method, { kind: 'http', status }, times);
  }

  /** Delays every answer for `method` ('*' for all methods) by `ms`. */
  setLatency(method: string, ms: number): this {
    this.latency.set(method, ms);
    return this;
  }

  /** Stops the server; waits still pending fail at once rather than hold timers past the test. */
  async close(): Promise<void> {
    for (const waiter of this.waiters) waiter.reject(new Error(`Fake Slack closed while waiting for ${waiter.method}`));
    this.waiters = [];
    await closeServer(this.server);
  }

  private addFault(method: string, fault: Fault, times: number): this {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(method, queue);
    return this;
  }

  private consume(call: ApiCall): ApiCall {
    this.cursors.set(call.method, Math.max(this.cursors.get(call.method) ?? 0, call.seq));
    return call;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    for (const [prefix, handler] of this.mounts) {
      if (path.startsWith(prefix)) return handler(req, res, path.slice(prefix.length));
    }
    if (!path.startsWith('/api/')) return sendText(res, 404, 'not found');
    if (req.method !== 'POST') return sendText(res, 405, 'method not allowed');
    await this.answer(path.slice('/api/'.length), req, res);
  }

  private async answer(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const call: ApiCall = {
      seq: this.calls.length + 1,
      method,
      args: {},
      token: bearer,
      contentType,
      at: this.clock.now(),
      status: 0,
      response: undefined,
    };
    this.calls.push(call);
    // A scripted fault stands for a call Slack refused: it changes nothing (no message posted, no trigger spent).
    const fault = this.faults.get(method)?.shift();
    let body: Json;
    try {
      call.args = parseApiArgs(contentType, raw);
      call.token ??= str(call.args.token);
      body =
        fault?.kind === 'api'
          ? { ok: false, error: fault.error }
          : fault
            ? {}
            : this.dispatch(method, call.token, call.args, bearer !== undefined);
    } catch (error) {
      body = { ok: false, error: String(error).includes('content type') ? 'invalid_post_type' : 'invalid_form_data' };
    }

    // Latency delays the answer, not the effect: like a slow network, the message is already posted.
    const ms = this.latency.get(method) ?? this.latency.get('*') ?? 0;
    if (ms > 0) await delay(ms);
    if (fault?.kind === 'rate_limit') {
      this.finish(call, 429, { ok: false, error: 'ratelimited' });
      sendJson(res, 429, call.response, { 'Retry-After': String(fault.retryAfterSec) });
    } else if (fault?.kind === 'http') {
      this.finish(call, fault.status, 'fake Slack: scripted HTTP error');
      sendText(res, fault.status, 'fake Slack: scripted HTTP error');
    } else {
      this.finish(call, 200, body);
      const scopes = call.token !== undefined && this.workspace.tokens.has(call.token) ? this.scopes : undefined;
      sendJson(res, 200, body, scopes ? { 'X-OAuth-Scopes': scopes.join(',') } : {});
    }
    this.notify(call);
  }

  private dispatch(method: string, token: string | undefined, args: Json, bearer: boolean): Json {
    if (token === undefined) return { ok: false, error: 'not_authed' };
    const appLevel = APP_LEVEL_METHODS[method];
    if (appLevel !== undefined) return appLevel(token, { workspace: this.workspace, bearer, socketModeUrl: this.socketModeUrl });
    if (!this.workspace.tokens.has(token)) return { ok: false, error: 'invalid_auth' };
    const handler = METHODS[method];
    if (handler === undefined) return { ok: false, error: 'unknown_method', req_method: method };
    const ctx: MethodContext = {
      workspace: this.workspace,
      messages: this.messages,
      views: this.views,
      triggers: this.triggers,
      ids: this.ids,
    };
    return handler(args, ctx);
  }

  private finish(call: ApiCall, status: number, response: unknown): void {
    call.status = status;
    call.response = response;
  }

  private notify(call: ApiCall): void {
    const ready = this.waiters.filter((w) => w.method === call.method && call.seq > w.after && w.where(call));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    // Only the first waiter gets this call; the others keep waiting for the next one.
    const [first, ...rest] = ready;
    first?.resolve(call);
    this.waiters.push(...rest);
  }
}
