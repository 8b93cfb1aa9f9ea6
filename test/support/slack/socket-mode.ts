/**
 * Slack's side of Socket Mode, for a bot that connects out rather than
 * serving a request URL. The app calls apps.connections.open on the fake Web
 * API with its app-level token (`xapp-`, in the Authorization header) and
 * gets `ws://127.0.0.1:<port>/link/?ticket=…&app_id=…`; it connects there,
 * Slack says `hello`, then sends envelopes
 *
 *   { payload, envelope_id, type: 'slash_commands' | 'interactive' | 'events_api', accepts_response_payload }
 *
 * and the app acknowledges each with `{ envelope_id, payload? }` on the
 * socket. `disconnect` messages ask it to reconnect; `drop` closes the socket
 * from Slack's end; `revokeAppToken` makes apps.connections.open refuse a token
 * from then on (for a token revoked while the app runs). Shapes from Slack's
 * "Using Socket Mode" page (docs.slack.dev/apis/events-api/using-socket-mode)
 * and what @slack/socket-mode 3 reads and sends (SocketModeClient:
 * `hello` -> connected, `disconnect` -> close and reconnect, `events_api`
 * payload is the whole `event_callback`, `retry_attempt` / `retry_reason`;
 * ack = `{ envelope_id, payload: {...} }`).
 *
 * Payloads are the simulator's own (built, not posted); what the bot sends
 * back (response_urls, Web API) lands in the simulator as over HTTP.
 *
 *   const sim = await SlackSimulator.start({ signingSecret: 'unused' });
 *   const slack = await FakeSocketMode.start(sim);
 *   // start the bot with appToken 'xapp-test' and slackApiUrl sim.apiUrl
 *   await slack.waitForConnection();
 *   const ack = await slack.slashCommand('list');   // { payload: {}, ackMs, withinDeadline, ... }
 *   // afterAll: stop the bot, then await slack.close(); await sim.close();
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isJson, type ElementQuery, type Json } from './blocks.js';
import { closeServer, listenOnLoopback } from './http.js';
import {
  ACK_DEADLINE_MS,
  type ActOptions,
  type CommandOptions,
  type SlackRequest,
  type SlackSimulator,
  type SurfaceLike,
} from './simulator.js';
import type { InputValues } from './state-values.js';
import { DEFAULT_USER } from './workspace.js';

export interface SocketConnection {
  /** 1 for the first connection the app made, 2 for the next, ... */
  id: number;
  /** The app-level token apps.connections.open was called with for this connection's URL. */
  appToken: string;
  url: string;
  open: boolean;
  /** How it ended: who closed it, with which close code (1006: dropped without a close frame). */
  closed?: { by: 'app' | 'slack'; code: number; reason: string };
  /** Every text frame the app sent on it, parsed when it was JSON. */
  received: unknown[];
}

export interface SocketAck {
  envelopeId: string;
  /** The ack's `payload`: what the app answered with (`{}` for a plain ack); undefined when it sent none. */
  payload: Json | undefined;
  /** From sending the envelope to receiving the ack. */
  ackMs: number;
  /** False when Slack would already have given up and shown the user an error. */
  withinDeadline: boolean;
  /** The connection the envelope went out on. */
  connection: number;
}

export interface SocketInteraction extends SocketAck {
  triggerId: string;
  responseUrl?: string;
}

export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

export interface FakeSocketModeOptions {
  /** Slack pings its end of the socket; 0 never pings. Default 5 s. */
  pingIntervalMs?: number;
}

export interface SocketSendOptions {
  /** The connection to use; default the newest open one. */
  connection?: SocketConnection;
  /** How long to wait for the ack before failing (longer than Slack's 3 s, to measure a late ack). Default 10 s. */
  timeoutMs?: number;
}

interface Pending {
  connection: SocketConnection;
  sentAt: number;
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  after: number;
  resolve: (connection: SocketConnection) => void;
  timer: NodeJS.Timeout;
}

const HOST = 'applink-sim-1';

export class FakeSocketMode {
  readonly connections: SocketConnection[] = [];
  /** Connection attempts refused: an unknown or already used ticket, or a path other than /link/. */
  readonly refused: string[] = [];
  /** Frames that acknowledged no envelope in flight (unknown or repeated envelope_id, not JSON). */
  readonly strays: unknown[] = [];

  private readonly tickets = new Map<string, string>();
  private readonly sockets = new Map<SocketConnection, WebSocket>();
  private readonly pending = new Map<string, Pending>();
  private readonly pings = new Set<NodeJS.Timeout>();
  private waiters: Waiter[] = [];
  private port = 0;

  private constructor(
    readonly sim: SlackSimulator,
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly pingIntervalMs: number,
  ) {}

  /** Listens on 127.0.0.1 and makes the simulator's apps.connections.open point at it. */
  static async start(sim: SlackSimulator, options: FakeSocketModeOptions = {}): Promise<FakeSocketMode> {
    const server = createServer((_req, res) => res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket only'));
    const slack = new FakeSocketMode(sim, server, new WebSocketServer({ noServer: true }), options.pingIntervalMs ?? 5_000);
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', slack.url);
      const ticket = url.searchParams.get('ticket') ?? '';
      const appToken = slack.tickets.get(ticket);
      if (url.pathname !== '/link/' || appToken === undefined) {
        slack.refused.push(req.url ?? '');
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      // Single use: a reconnect has to go through apps.connections.open again, as the SDKs do.
      slack.tickets.delete(ticket);
      slack.wss.handleUpgrade(req, socket, head, (ws) => slack.accept(ws, appToken, `${slack.url}${req.url ?? ''}`));
    });
    slack.port = await listenOnLoopback(server);
    sim.api.socketModeUrl = (appToken) => slack.issue(appToken);
    return slack;
  }

  /** `ws://127.0.0.1:<port>` */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The number of connections so far: pass it as `after` to wait for the next one. */
  mark(): number {
    return this.connections.length;
  }

  /** Open connections, oldest first. */
  openConnections(): SocketConnection[] {
    return this.connections.filter((c) => c.open);
  }

  /** The first connection (greeted with hello) after the `after`-th, default any; rejects after `timeoutMs` (10 s). */
  waitForConnection(options: { after?: number; timeoutMs?: number } = {}): Promise<SocketConnection> {
    const after = options.after ?? 0;
    const found = this.connections.find((c) => c.id > after);
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<SocketConnection>((resolve, reject) => {
      const waiter: Waiter = {
        after,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(
            new Error(
              `No Socket Mode connection after #${after} within ${timeoutMs} ms (apps.connections.open calls: ${this.sim.api.callsTo('apps.connections.open').length}, refused: ${this.refused.length})`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves once `connection` is closed (at once if it already is); rejects after `timeoutMs` (10 s). */
  async waitForClose(connection: SocketConnection, timeoutMs = 10_000): Promise<NonNullable<SocketConnection['closed']>> {
    const socket = this.sockets.get(connection);
    if (connection.open && socket) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Connection #${connection.id} still open after ${timeoutMs} ms`)), timeoutMs);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return connection.closed!;
  }

  // ---- what users do, delivered over the socket ----

  async slashCommand(text: string, options: CommandOptions & SocketSendOptions = {}): Promise<SocketInteraction> {
    const built = this.sim.buildSlashCommand(text, options);
    return { ...(await this.send(built.request, options)), triggerId: built.triggerId, responseUrl: built.responseUrl };
  }

  clickButton(
    surface: SurfaceLike,
    query: ElementQuery,
    options: Omit<ActOptions, 'signing'> & SocketSendOptions = {},
  ): Promise<SocketInteraction> {
    return this.act(surface, { ...query, type: 'button' }, undefined, options);
  }

  selectStaticOption(
    surface: SurfaceLike,
    query: ElementQuery,
    option: string,
    options: Omit<ActOptions, 'signing'> & SocketSendOptions = {},
  ): Promise<SocketInteraction> {
    return this.act(surface, { ...query, type: 'static_select' }, option, options);
  }

  selectOverflowOption(
    surface: SurfaceLike,
    query: ElementQuery,
    option: string,
    options: Omit<ActOptions, 'signing'> & SocketSendOptions = {},
  ): Promise<SocketInteraction> {
    return this.act(surface, { ...query, type: 'overflow' }, option, options);
  }

  /** Submits an open modal (as `sim.submitView`), then applies the ack's response_action to the modal stack. */
  async submitView(
    view: SurfaceLike,
    values: InputValues = {},
    options: { user?: string; force?: boolean } & SocketSendOptions = {},
  ): Promise<SocketInteraction> {
    const built = this.sim.buildViewSubmission(view, values, options);
    const ack = await this.send(built.request, options);
    this.sim.api.views.applySubmissionAck(built.view, ack.payload);
    return { ...ack, triggerId: built.triggerId };
  }

  /** block_suggestion; null below `min_query_length`, as Slack would not ask. The options are in the ack's payload. */
  async suggest(
    surface: SurfaceLike,
    actionId: string,
    value: string,
    options: { user?: string } & SocketSendOptions = {},
  ): Promise<SocketAck | null> {
    const request = this.sim.buildSuggestion(surface, actionId, value, options);
    return request === null ? null : this.send(request, options);
  }

  /** app_home_opened, as an `events_api` envelope. */
  openHome(user: string = DEFAULT_USER, options: SocketSendOptions = {}): Promise<SocketAck> {
    return this.send(this.sim.buildHomeOpened(user), options);
  }

  // ---- the protocol ----

  /** Sends one request in an envelope and waits for the app's ack on the socket. */
  send(request: SlackRequest, options: SocketSendOptions = {}): Promise<SocketAck> {
    const connection = options.connection ?? this.openConnections().at(-1);
    const socket = connection && this.sockets.get(connection);
    if (!connection?.open || !socket) {
      return Promise.reject(
        new Error(`No app is connected over Socket Mode to send ${request.type} to (connections so far: ${this.connections.length})`),
      );
    }
    const envelopeId = randomUUID();
    const envelope = {
      payload: request.payload,
      envelope_id: envelopeId,
      type: request.type,
      // Events cannot be answered with a payload; commands and interactions can.
      accepts_response_payload: request.type !== 'events_api',
      ...(request.type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
    };
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`The app did not acknowledge ${request.type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, { connection, sentAt: performance.now(), resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Tells the app to reconnect (default: every open connection), as Slack does before recycling a connection. */
  disconnect(reason: DisconnectReason = 'refresh_requested', connections: SocketConnection[] = this.openConnections()): SocketConnection[] {
    for (const connection of connections)
      this.sockets.get(connection)?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: HOST } }));
    return connections;
  }

  /**
   * Closes connections from Slack's end without a `disconnect` message first (default: every open one),
   * as when Slack's end goes away: with a close frame carrying `code` (e.g. 1001, going away), or, without
   * `code`, by dropping the TCP connection (the app sees 1006). Either way the app has to reconnect.
   */
  drop(connections: SocketConnection[] = this.openConnections(), code?: number, reason = ''): SocketConnection[] {
    for (const connection of connections) {
      const socket = this.sockets.get(connection);
      if (!socket) continue;
      connection.closed ??= { by: 'slack', code: code ?? 1006, reason };
      if (code === undefined) socket.terminate();
      else socket.close(code, reason);
    }
    return connections;
  }

  /**
   * Revokes an app-level token, as regenerating it or revoking it on the app's settings page does: from now
   * on apps.connections.open refuses it (`{ ok: false, error: 'invalid_auth' }`). Connections already open
   * stay open, as Slack's do, until Slack asks the app to reconnect (`disconnect`) or the socket closes (`drop`).
   */
  revokeAppToken(appToken: string): void {
    this.sim.workspace.appTokens.delete(appToken);
  }

  /** Closes every connection and the server; apps.connections.open has no URL to give afterwards. */
  async close(): Promise<void> {
    for (const timer of this.pings) clearInterval(timer);
    this.pings.clear();
    for (const waiter of this.waiters) clearTimeout(waiter.timer);
    this.waiters = [];
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('Fake Socket Mode closed before the app acknowledged'));
    }
    this.pending.clear();
    for (const [connection, socket] of this.sockets) {
      connection.closed ??= { by: 'slack', code: 1006, reason: 'server closed' };
      socket.terminate();
    }
    this.wss.close();
    await closeServer(this.server);
    this.sim.api.socketModeUrl = undefined;
  }

  // ---- plumbing ----

  private issue(appToken: string): string {
    const ticket = randomUUID();
    this.tickets.set(ticket, appToken);
    return `${this.url}/link/?ticket=${ticket}&app_id=${this.sim.workspace.appId}`;
  }

  private accept(socket: WebSocket, appToken: string, url: string): void {
    const connection: SocketConnection = { id: this.connections.length + 1, appToken, url, open: true, received: [] };
    this.connections.push(connection);
    this.sockets.set(connection, socket);
    socket.on('message', (data, isBinary) => this.receive(connection, data, isBinary));
    socket.on('close', (code, reason) => {
      connection.open = false;
      connection.closed ??= { by: 'app', code, reason: reason.toString() };
      this.sockets.delete(connection);
      for (const [id, pending] of this.pending) {
        if (pending.connection !== connection) continue;
        clearTimeout(pending.timer);
        this.pending.delete(id);
        pending.reject(new Error(`Connection #${connection.id} closed before the app acknowledged envelope ${id}`));
      }
    });
    if (this.pingIntervalMs > 0) {
      const ping = setInterval(() => socket.ping(), this.pingIntervalMs);
      ping.unref();
      this.pings.add(ping);
      socket.once('close', () => {
        clearInterval(ping);
        this.pings.delete(ping);
      });
    }
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections().length,
        debug_info: {
          host: HOST,
          started: new Date(this.sim.clock.now()).toISOString().replace('T', ' ').replace('Z', ''),
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.sim.workspace.appId },
      }),
    );
    const ready = this.waiters.filter((w) => connection.id > w.after);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) {
      clearTimeout(waiter.timer);
      waiter.resolve(connection);
    }
  }

  private receive(connection: SocketConnection, data: RawData, isBinary: boolean): void {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const text = isBinary ? undefined : bytes.toString('utf8');
    let frame: unknown = text;
    try {
      if (text !== undefined) frame = JSON.parse(text) as unknown;
    } catch {
      // Kept as text: a stray.
    }
    connection.received.push(frame);
    const envelopeId = isJson(frame) && typeof frame.envelope_id === 'string' ? frame.envelope_id : undefined;
    const pending = envelopeId === undefined ? undefined : this.pending.get(envelopeId);
    if (!isJson(frame) || envelopeId === undefined || pending === undefined) {
      this.strays.push(frame);
      return;
    }
    clearTimeout(pending.timer);
    this.pending.delete(envelopeId);
    const ackMs = performance.now() - pending.sentAt;
    const payload = isJson(frame.payload) ? frame.payload : undefined;
    pending.resolve({ envelopeId, payload, ackMs, withinDeadline: ackMs <= ACK_DEADLINE_MS, connection: pending.connection.id });
  }

  private act(
    surface: SurfaceLike,
    query: ElementQuery,
    option: string | undefined,
    options: Omit<ActOptions, 'signing'> & SocketSendOptions,
  ): Promise<SocketInteraction> {
    const built = this.sim.buildBlockAction(surface, query, option, options);
    return this.send(built.request, options).then((ack) => ({
      ...ack,
      triggerId: built.triggerId,
      ...(built.responseUrl ? { responseUrl: built.responseUrl } : {}),
    }));
  }
}
