/**
 * Builds the Bolt app, not yet started: HTTP mode (commands, interactivity
 * and options at POST /slack/events, plus the routes given, such as the ops
 * endpoints), Socket Mode when an app-level token is set, or a receiver of
 * the caller's (the local console). The listeners are registered by the
 * composition root (src/fipbot.ts); the ops server is not started here.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackSettings } from '../config/settings.js';
import type { Timing } from '../config/timing.js';
import type { Logger } from '../log.js';
import type { InFlight } from '../ops/inflight.js';
import type { Metrics } from '../ops/metrics.js';
import type { OpsRoute } from '../ops/routes.js';
import { slackError } from './deliver.js';
import { answerBusy, type Notify } from './overload.js';
import { guardRequests } from './request-guard.js';
import { KeptSocketModeReceiver, type SlackConnectionLost } from './socket-mode.js';

export interface SlackAppOptions {
  settings: SlackSettings;
  timing: Timing['slack'];
  logger: Logger;
  /** Replaces fetch for Web API calls and respond(): tests and the console use it. */
  fetch?: typeof fetch;
  /** A receiver of our own instead of HTTP / Socket Mode: the local console feeds payloads through one. */
  receiver?: Receiver;
  /** HTTP mode: served beside /slack/events on the same port. */
  routes?: OpsRoute[];
}

export type SlackMode = 'http' | 'socket' | 'receiver';

export interface SlackApp {
  app: App;
  client: WebClient;
  mode: SlackMode;
  /** Socket Mode only: resolves if Slack refuses the app-level token when the connection has to be renewed. */
  lost: Promise<SlackConnectionLost> | undefined;
  /** auth.test (a refused token is a SlackStartError, not an unhandled rejection), then listen; the bound port in HTTP mode. */
  start(http: { port: number; host: string }): Promise<number | undefined>;
  stop(): Promise<void>;
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

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { settings, timing, logger } = options;
  const retries = timing.webApiRetries;
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    retryConfig: { retries: retries.retries, factor: 2, minTimeout: retries.minTimeoutMs, maxTimeout: retries.maxTimeoutMs },
  };
  const socketLog = logger.child({ component: 'socket-mode' });
  const socket =
    settings.appToken !== undefined && !options.receiver
      ? new KeptSocketModeReceiver(
          // The SDK logs every failure it sees at error level, a dropped socket or a retried apps.connections.open
          // included; whether one is fatal is decided by the receiver, and said once at error level.
          { appToken: settings.appToken, logger: boltLogger(socketLog, 'warn'), installerOptions: { clientOptions } },
          socketLog,
          timing.reconnect,
        )
      : undefined;
  const boltLog = boltLogger(logger.child({ component: 'bolt' }));
  const http =
    options.receiver || socket
      ? undefined
      : new HTTPReceiver({ signingSecret: settings.signingSecret ?? '', customRoutes: options.routes ?? [], logger: boltLog });
  if (http) guardRequests(http, { signingSecret: settings.signingSecret ?? '', logger: logger.child({ component: 'http' }) });
  const app = new App({
    token: settings.botToken,
    receiver: options.receiver ?? socket ?? http!,
    logger: boltLog,
    // auth.test runs in start(), where a bad token becomes a clear start-up error, not an unhandled rejection.
    deferInitialization: true,
    clientOptions,
  });
  app.error((error) => {
    logger.error('unhandled error in a Slack listener', { error });
    return Promise.resolve();
  });
  const mode: SlackMode = options.receiver ? 'receiver' : socket ? 'socket' : 'http';

  return {
    app,
    client: app.client,
    mode,
    lost: socket?.lost,
    async start(http) {
      try {
        await app.init();
      } catch (error) {
        throw new SlackStartError(slackError(error));
      }
      if (mode === 'http') {
        const server = (await app.start({ port: http.port, host: http.host })) as Server;
        return (server.address() as AddressInfo).port;
      }
      try {
        await app.start();
      } catch (error) {
        // apps.connections.open refused the app-level token (or Slack was unreachable): the client gives up at once.
        if (mode === 'socket')
          throw new SlackStartError(
            slackError(error),
            'apps.connections.open',
            'SLACK_APP_TOKEN (an app-level token with connections:write) and SLACK_API_URL',
          );
        throw error;
      }
      return undefined;
    },
    stop: () => app.stop() as Promise<void>,
  };
}

/**
 * Bolt's logger interface on top of ours: one JSON line per message, redacted like everything else.
 * `errorsAs: 'warn'` for a library whose error lines are not the final word.
 */
function boltLogger(logger: Logger, errorsAs: 'error' | 'warn' = 'error'): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) =>
    parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
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
 * can only be wrapped here); tracking of the work that continues after the
 * ack, which a graceful stop waits for; and the bound on that work: past
 * `maxInFlight`, a request is answered "busy" and not started (overload.ts).
 */
export function instrument(app: App, ops: { metrics: Metrics; inFlight: InFlight; maxInFlight: number; notify: Notify }): void {
  const { metrics, inFlight } = ops;
  const process = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const started = performance.now();
    const body = event.body as { type?: string; command?: string };
    const kind = body.command ? 'slash_command' : (body.type ?? 'unknown');
    const ack = (response?: unknown) => {
      metrics.acks.observe({ kind }, (performance.now() - started) / 1000);
      return event.ack(response);
    };
    if (inFlight.size >= ops.maxInFlight) {
      metrics.busy.inc({ kind });
      return answerBusy({ ...event, ack }, ops.notify);
    }
    return inFlight.track(process({ ...event, ack }));
  };
}
