/**
 * Builds the Bolt app: HTTP mode (commands, interactivity and options all at
 * POST /slack/events, GET /healthz alive) or Socket Mode when an app-level
 * token is set, with the connection kept by fipbot (KeptSocketModeReceiver).
 * Thin: listeners live in listeners/, work in flows/.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type Logger as BoltLogger, type Receiver, SocketModeReceiver, type SocketModeReceiverOptions, webApi } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { SlackDeps } from './deps.js';
import { slackError } from './deliver.js';
import { registerListeners } from './listeners/index.js';
import type { InFlight } from '../ops/inflight.js';
import type { Metrics } from '../ops/metrics.js';
import { type OpsRoute, startOpsServer } from '../ops/routes.js';

export interface SlackAppOptions {
  settings: SlackSettings;
  /** Built once the app exists, so policy and audit can use its Web API client. */
  deps: (client: WebClient) => SlackDeps;
  http: { port: number; host: string };
  /** Replaces fetch for Web API calls and respond(): tests and the console use it. */
  fetch?: typeof fetch;
  /** A receiver of our own instead of HTTP / Socket Mode: the local console feeds payloads through one. */
  receiver?: Receiver;
  /** /healthz, /readyz, /metrics (HTTP mode: on the app's port; Socket Mode: a small server of their own) and ack timing. */
  ops?: { routes: OpsRoute[]; metrics: Metrics; inFlight: InFlight };
}

export interface RunningSlackApp {
  app: App;
  /** The bound HTTP port (HTTP mode), for tests that listen on port 0. */
  port: number | undefined;
  /**
   * Socket Mode only: resolves if Slack refuses the app-level token when the connection has to be
   * renewed. fipbot can then receive nothing more (already logged at error level): stop, and exit non-zero.
   */
  lost?: Promise<SlackConnectionLost>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions, logger: Logger): App {
  return buildSlackApp(options, logger).app;
}

function buildSlackApp(options: SlackAppOptions, logger: Logger): { app: App; socket: KeptSocketModeReceiver | undefined } {
  const { settings } = options;
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // Bounded: a result held up for minutes by retries helps nobody; the failure is logged instead.
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  };
  const socketLog = logger.child({ component: 'socket-mode' });
  const socket =
    settings.appToken !== undefined && !options.receiver
      ? new KeptSocketModeReceiver(
          // The SDK logs every failure it sees at error level, a dropped socket or a retried apps.connections.open
          // included; whether one is fatal is decided by the receiver, and said once at error level.
          { appToken: settings.appToken, logger: boltLogger(socketLog, 'warn'), installerOptions: { clientOptions } },
          socketLog,
        )
      : undefined;
  const receiver = options.receiver ?? socket;
  const app = new App({
    token: settings.botToken,
    ...(receiver ? { receiver } : { signingSecret: settings.signingSecret ?? '' }),
    logger: boltLogger(logger.child({ component: 'bolt' })),
    // auth.test runs in startSlackApp, where a bad token becomes a clear start-up error, not an unhandled rejection.
    deferInitialization: true,
    clientOptions,
    ...(receiver
      ? {}
      : {
          customRoutes: options.ops?.routes ?? [
            {
              path: '/healthz',
              method: ['GET'],
              handler: (_req, res) => {
                res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
              },
            },
          ],
        }),
  });
  if (options.ops) instrument(app, options.ops.metrics, options.ops.inFlight);
  const deps = options.deps(app.client);
  registerListeners(app, deps);
  app.error((error) => {
    deps.logger.error('unhandled error in a Slack listener', { error });
    return Promise.resolve();
  });
  return { app, socket };
}

/** Slack refused the bot token (or, in Socket Mode, the app-level token) at start-up, or could not be reached. */
export class SlackStartError extends Error {
  constructor(
    readonly reason: string,
    call = 'auth.test',
    check = 'SLACK_BOT_TOKEN and SLACK_API_URL',
  ) {
    super(`Slack did not accept fipbot at start-up (${call}: ${reason}). Check ${check}, and that Slack is reachable.`);
  }
}

/** In Socket Mode, Slack refused the app-level token when the connection had to be renewed, after a successful start. */
export class SlackConnectionLost extends Error {
  constructor(readonly reason: string) {
    super(
      `Slack refused the app-level token while reconnecting (apps.connections.open: ${reason}): fipbot can receive no more commands or clicks. ` +
        'Generate a new app-level token with the connections:write scope (api.slack.com/apps, your app, Basic Information, App-Level Tokens), ' +
        'set SLACK_APP_TOKEN to it and restart fipbot.',
    );
  }
}

export async function startSlackApp(options: SlackAppOptions, logger: Logger): Promise<RunningSlackApp> {
  const { app, socket } = buildSlackApp(options, logger);
  try {
    await app.init();
  } catch (error) {
    throw new SlackStartError(slackError(error));
  }
  if (options.receiver) {
    await app.start();
    return { app, port: undefined, stop: () => app.stop() as Promise<void> };
  }
  if (options.settings.appToken) {
    // Socket Mode has no HTTP listener to share: the ops routes get their own, on HOST:PORT.
    const ops = options.ops ? await startOpsServer(options.ops.routes, options.http.port, options.http.host) : undefined;
    try {
      await app.start();
    } catch (error) {
      // apps.connections.open refused the app-level token (or Slack was unreachable): the client gives up at once.
      await ops?.close();
      throw new SlackStartError(slackError(error), 'apps.connections.open', 'SLACK_APP_TOKEN (an app-level token with connections:write) and SLACK_API_URL');
    }
    return {
      app,
      port: ops?.port,
      ...(socket ? { lost: socket.lost } : {}),
      stop: async () => {
        await app.stop();
        await ops?.close();
      },
    };
  }
  const server = (await app.start({ port: options.http.port, host: options.http.host })) as Server;
  return { app, port: (server.address() as AddressInfo).port, stop: () => app.stop() as Promise<void> };
}

/**
 * Slack's answers to apps.connections.open that refuse the app-level token itself (or the app, or its
 * workspace): no retry can help. The first five are auth refusals; the last two are what
 * @slack/socket-mode also counts as unrecoverable.
 */
const TOKEN_REFUSALS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'user_removed_from_team', 'team_disabled']);

/** The refusal, when `error` is Slack refusing the app-level token. */
function tokenRefusal(error: unknown): string | undefined {
  const failure = error as { code?: unknown; data?: { error?: unknown } } | undefined;
  const reason = failure?.data?.error;
  return failure?.code === webApi.ErrorCode.PlatformError && typeof reason === 'string' && TOKEN_REFUSALS.has(reason) ? reason : undefined;
}

/**
 * What stops fipbot at start-up, as @slack/socket-mode gave up on it there (a refused token, an HTTP error,
 * Slack unreachable), plus token_revoked and token_expired, which it retried forever.
 */
function fatalAtStart(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return tokenRefusal(error) !== undefined || code === webApi.ErrorCode.HTTPError || code === webApi.ErrorCode.RequestError;
}

/** A failed connection attempt in words; the SDK rejects with nothing when the WebSocket itself failed. */
function describeFailure(error: unknown): string {
  return error === undefined ? 'the WebSocket closed before Slack said hello' : slackError(error);
}

/** 1 s, 2 s, 4 s, ... up to 30 s, a quarter more at random so that replicas do not all come back at once. */
function backoffMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** (attempt - 1)) * (1 + Math.random() / 4);
}

/**
 * Bolt's SocketModeReceiver, with the connection kept here instead of by @slack/socket-mode
 * (autoReconnectEnabled: false). The SDK's own reconnect (3.1) calls apps.connections.open from a timer
 * and leaves a failure there as an unhandled rejection, which ends the process with a stack trace: a
 * refused token, but also an HTTP 5xx or a network error, which it counts unrecoverable; and it retries a
 * revoked token (token_revoked) forever. Here:
 *
 * - start(): what the SDK gave up on at start-up (a refused token, an HTTP error, Slack unreachable)
 *   fails it, for startSlackApp to report; anything else is tried again, as the SDK did.
 * - once connected, a closed socket (Slack's `disconnect` message, a dropped connection, missed pongs)
 *   is reconnected with backoff, whatever goes wrong, except Slack refusing the app-level token: no
 *   retry can help, so that is logged once, at error level, with what to do, and `lost` resolves.
 */
class KeptSocketModeReceiver extends SocketModeReceiver {
  readonly lost: Promise<SlackConnectionLost>;
  private declareLost: (lost: SlackConnectionLost) => void = () => undefined;
  private connected = false;
  private reconnecting = false;
  private stopping = false;
  private pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    options: SocketModeReceiverOptions,
    private readonly log: Logger,
  ) {
    super({ ...options, autoReconnectEnabled: false });
    this.lost = new Promise((resolve) => (this.declareLost = resolve));
    // Emitted when the socket closed and the client will not reconnect by itself (and on disconnect(), when stopping).
    this.client.on('disconnected', () => {
      // reconnect() handles its own failures; this catch is so that it can never be an unhandled rejection itself.
      this.reconnect().catch((error: unknown) => this.log.error('Socket Mode: reconnecting failed unexpectedly', { error }));
    });
  }

  override async start(): ReturnType<SocketModeReceiver['start']> {
    this.stopping = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const opened = await super.start();
        this.connected = true;
        return opened;
      } catch (error) {
        if (this.stopping || fatalAtStart(error)) throw error;
        const waitMs = backoffMs(attempt);
        this.log.warn(`Socket Mode: could not connect (${describeFailure(error)}); trying again in ${Math.round(waitMs / 1000)} s`, { attempt });
        await this.sleep(waitMs);
      }
    }
  }

  override stop(): Promise<void> {
    this.stopping = true;
    this.connected = false;
    this.wakeUp();
    return super.stop();
  }

  private async reconnect(): Promise<void> {
    if (!this.connected || this.stopping || this.reconnecting) return;
    this.reconnecting = true;
    this.log.info('Socket Mode connection closed: reconnecting');
    try {
      let waitMs = backoffMs(1);
      for (let attempt = 1; ; attempt++) {
        await this.sleep(waitMs);
        if (this.stopping) return;
        try {
          await this.client.start();
        } catch (error) {
          if (this.stopping) return;
          const refused = tokenRefusal(error);
          if (refused !== undefined) {
            const lost = new SlackConnectionLost(refused);
            this.log.error(lost.message, { call: 'apps.connections.open', error: refused });
            this.connected = false;
            this.declareLost(lost);
            return;
          }
          waitMs = backoffMs(attempt + 1);
          this.log.warn(`Socket Mode: could not reconnect (${describeFailure(error)}); trying again in ${Math.round(waitMs / 1000)} s`, { attempt });
          continue;
        }
        // A stop that came while connecting found nothing to close yet.
        if (this.stopping) await this.client.disconnect();
        else this.log.info('Socket Mode: reconnected', { attempts: attempt });
        return;
      }
    } finally {
      this.reconnecting = false;
    }
  }

  /** Waits `ms`, or less if the receiver is stopped meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.pause = { timer: setTimeout(resolve, ms), resolve: () => resolve() };
    }).finally(() => (this.pause = undefined));
  }

  private wakeUp(): void {
    if (!this.pause) return;
    clearTimeout(this.pause.timer);
    this.pause.resolve();
  }
}

/**
 * Bolt's logger interface on top of ours: one JSON line per message, redacted like everything else.
 * `errorsAs: 'warn'` for a library whose error lines are not the final word.
 */
function boltLogger(logger: Logger, errorsAs: 'error' | 'warn' = 'error'): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => level === LogLevel.DEBUG && logger.debug(text(parts)),
    info: (...parts: unknown[]) => (level === LogLevel.DEBUG || level === LogLevel.INFO) && logger.info(text(parts)),
    warn: (...parts: unknown[]) => level !== LogLevel.ERROR && logger.warn(text(parts)),
    error: (...parts: unknown[]) => logger[errorsAs](text(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * Wraps Bolt's entry point: ack latency for /metrics, measured from the
 * moment the receiver hands a request to Bolt to the moment a listener
 * acknowledges it (Bolt's middleware gets copies of the arguments, so the ack
 * can only be wrapped here), and tracking of the work that continues after
 * the ack, which a graceful stop waits for.
 */
function instrument(app: App, metrics: Metrics, inFlight: InFlight): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const started = performance.now();
    const body = event.body as { type?: string; command?: string };
    const kind = body.command ? 'slash_command' : (body.type ?? 'unknown');
    return inFlight.track(
      process({
        ...event,
        ack: (response?: unknown) => {
          metrics.acks.observe({ kind }, (performance.now() - started) / 1000);
          return event.ack(response);
        },
      }),
    );
  };
}
