/**
 * Builds the Bolt app: HTTP mode (commands, interactivity and options all at
 * POST /slack/events, GET /healthz alive) or Socket Mode when an app-level
 * token is set. Thin: listeners live in listeners/, work in flows/.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
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
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions, logger: Logger): App {
  const { settings } = options;
  const socketMode = settings.appToken !== undefined && !options.receiver;
  const app = new App({
    token: settings.botToken,
    ...(options.receiver ? { receiver: options.receiver } : socketMode ? { socketMode: true, appToken: settings.appToken } : { signingSecret: settings.signingSecret ?? '' }),
    logger: boltLogger(logger.child({ component: 'bolt' })),
    // auth.test runs in startSlackApp, where a bad token becomes a clear start-up error, not an unhandled rejection.
    deferInitialization: true,
    clientOptions: {
      ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      // Bounded: a result held up for minutes by retries helps nobody; the failure is logged instead.
      retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    },
    ...(socketMode || options.receiver
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
  return app;
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

export async function startSlackApp(options: SlackAppOptions, logger: Logger): Promise<RunningSlackApp> {
  const app = createSlackApp(options, logger);
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
      stop: async () => {
        await app.stop();
        await ops?.close();
      },
    };
  }
  const server = (await app.start({ port: options.http.port, host: options.http.host })) as Server;
  return { app, port: (server.address() as AddressInfo).port, stop: () => app.stop() as Promise<void> };
}

/** Bolt's logger interface on top of ours: one JSON line per message, redacted like everything else. */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => level === LogLevel.DEBUG && logger.debug(text(parts)),
    info: (...parts: unknown[]) => (level === LogLevel.DEBUG || level === LogLevel.INFO) && logger.info(text(parts)),
    warn: (...parts: unknown[]) => level !== LogLevel.ERROR && logger.warn(text(parts)),
    error: (...parts: unknown[]) => logger.error(text(parts)),
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
