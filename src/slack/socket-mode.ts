/**
 * Socket Mode with the connection kept by fipbot: Bolt's SocketModeReceiver
 * with @slack/socket-mode's own reconnect turned off (see the class below
 * for why), reconnecting with the backoff of the timing profile.
 */
import { SocketModeReceiver, type SocketModeReceiverOptions, webApi } from '@slack/bolt';
import type { Timing } from '../config/timing.js';
import type { Logger } from '../log.js';
import { slackError } from './deliver.js';

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

/**
 * Slack's answers to apps.connections.open that refuse the app-level token itself (or the app, or its
 * workspace): no retry can help. The first five are auth refusals; the last two are what
 * @slack/socket-mode also counts as unrecoverable.
 */
const TOKEN_REFUSALS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'user_removed_from_team',
  'team_disabled',
]);

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

/** first, 2 x first, 4 x first, ... up to max, a quarter more at random so that replicas do not all come back at once. */
function backoffMs(attempt: number, { firstMs, maxMs }: Timing['slack']['reconnect']): number {
  return Math.min(maxMs, firstMs * 2 ** (attempt - 1)) * (1 + Math.random() / 4);
}

/**
 * Bolt's SocketModeReceiver, with the connection kept here instead of by @slack/socket-mode
 * (autoReconnectEnabled: false). The SDK's own reconnect (3.1) calls apps.connections.open from a timer
 * and leaves a failure there as an unhandled rejection, which ends the process with a stack trace: a
 * refused token, but also an HTTP 5xx or a network error, which it counts unrecoverable; and it retries a
 * revoked token (token_revoked) forever. Here:
 *
 * - start(): what the SDK gave up on at start-up (a refused token, an HTTP error, Slack unreachable)
 *   fails it, for SlackApp.start to report; anything else is tried again, as the SDK did.
 * - once connected, a closed socket (Slack's `disconnect` message, a dropped connection, missed pongs)
 *   is reconnected with backoff, whatever goes wrong, except Slack refusing the app-level token: no
 *   retry can help, so that is logged once, at error level, with what to do, and `lost` resolves.
 */
export class KeptSocketModeReceiver extends SocketModeReceiver {
  readonly lost: Promise<SlackConnectionLost>;
  private declareLost: (lost: SlackConnectionLost) => void = () => undefined;
  private connected = false;
  private reconnecting = false;
  private stopping = false;
  private pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    options: SocketModeReceiverOptions,
    private readonly log: Logger,
    private readonly backoff: Timing['slack']['reconnect'],
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
        const waitMs = backoffMs(attempt, this.backoff);
        this.log.warn(`Socket Mode: could not connect (${describeFailure(error)}); trying again in ${Math.round(waitMs / 1000)} s`, {
          attempt,
        });
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
      let waitMs = backoffMs(1, this.backoff);
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
          waitMs = backoffMs(attempt + 1, this.backoff);
          this.log.warn(`Socket Mode: could not reconnect (${describeFailure(error)}); trying again in ${Math.round(waitMs / 1000)} s`, {
            attempt,
          });
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
