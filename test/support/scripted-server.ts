/**
 * A tiny scripted HTTP server on 127.0.0.1 for the adapter's tests: real
 * sockets, real HTTP/1.1, no mocking of undici.
 *
 * A test queues replies per method + path (the path without its query); each
 * request takes the next queued reply for its route, else the route's
 * standing reply (`always`), else a 500 that names the missing script. Every
 * request is recorded (method, path, query, headers, body) together with the
 * server-side socket it arrived on, and the server counts connections and the
 * most requests it had in flight at once.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** 1 for the first connection the server accepted, 2 for the next, ... */
  socketId: number;
  /** performance.now() when the request line arrived. */
  receivedAt: number;
}

export interface ScriptedResponse {
  status: number;
  statusText?: string;
  /** Header pairs in order; a name may repeat (Nova sends two Vary headers). */
  headers?: Array<[string, string]>;
  body?: string;
  /** Wait this long before sending anything. */
  delayMs?: number;
}

/** A custom reply: full control of the raw response (stall, destroy the socket, ...). */
export type ReplyHandler = (request: RecordedRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export type Reply = ScriptedResponse | ReplyHandler;

/** A JSON reply. */
export function json(status: number, body: unknown, headers: Array<[string, string]> = []): ScriptedResponse {
  return { status, headers: [['content-type', 'application/json'], ...headers], body: JSON.stringify(body) };
}

/** Reads the request, then destroys the connection without answering: a reset mid-request. */
export const destroySocket: ReplyHandler = (_request, res) => {
  res.socket?.destroy();
};

export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  /** Connections accepted so far. */
  connections = 0;
  inFlight = 0;
  maxInFlight = 0;
  private readonly queues = new Map<string, Reply[]>();
  private readonly standing = new Map<string, Reply>();
  private readonly socketIds = new WeakMap<Socket, number>();

  private readonly server: Server;
  private boundPort = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server.on('connection', (socket: Socket) => {
      this.connections++;
      this.socketIds.set(socket, this.connections);
    });
  }

  /** Starts a server on 127.0.0.1 (port 0 = any free port, or a given one). */
  static async start(port = 0): Promise<ScriptedServer> {
    const instance = new ScriptedServer();
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.server.listen(port, '127.0.0.1', () => resolve());
    });
    instance.boundPort = (instance.server.address() as AddressInfo).port;
    return instance;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Replies for the next requests to `method path`, used once each, in order. */
  queue(method: string, path: string, ...replies: Reply[]): this {
    const key = `${method} ${path}`;
    this.queues.set(key, [...(this.queues.get(key) ?? []), ...replies]);
    return this;
  }

  /** The reply for `method path` whenever its queue is empty. */
  always(method: string, path: string, reply: Reply): this {
    this.standing.set(`${method} ${path}`, reply);
    return this;
  }

  /** Recorded requests, optionally only those to one method and path. */
  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  /** Queued replies nobody asked for (a test that expects every reply used checks this is empty). */
  unusedReplies(): string[] {
    return [...this.queues.entries()].filter(([, replies]) => replies.length > 0).map(([key, replies]) => `${key} x${replies.length}`);
  }

  /** Forgets scripts, recorded requests and counters (between the tests of one file). */
  reset(): void {
    this.requests.length = 0;
    this.queues.clear();
    this.standing.clear();
    this.connections = 0;
    this.maxInFlight = this.inFlight;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => {
      this.inFlight--;
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://scripted.invalid');
    const request: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      socketId: this.socketIds.get(req.socket) ?? 0,
      receivedAt,
    };
    this.requests.push(request);
    const key = `${request.method} ${request.path}`;
    const reply = this.queues.get(key)?.shift() ?? this.standing.get(key);
    try {
      if (reply === undefined) {
        send(res, { status: 500, body: `no scripted reply for ${key}` });
      } else if (typeof reply === 'function') {
        await reply(request, res, req);
      } else {
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (!res.destroyed) send(res, reply);
      }
    } catch (error) {
      if (!res.headersSent) send(res, { status: 500, body: `scripted reply failed: ${String(error)}` });
      else res.destroy();
    }
  }
}

function send(res: ServerResponse, reply: ScriptedResponse): void {
  const flat: string[] = [];
  for (const [name, value] of reply.headers ?? []) flat.push(name, value);
  if (reply.statusText !== undefined) res.writeHead(reply.status, reply.statusText, flat);
  else res.writeHead(reply.status, flat);
  res.end(reply.body ?? '');
}

/** A port on 127.0.0.1 where nothing listens (connections to it are refused). */
export async function closedPort(): Promise<number> {
  const server = await ScriptedServer.start();
  const port = server.port;
  await server.close();
  return port;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
