/**
 * State that several replicas share through Redis (REDIS_URL): the
 * interaction store (confirmations, double-tap claims) and the OpenStack rate
 * limit. Without REDIS_URL main.ts keeps both in-process, which is right for
 * one replica only.
 *
 * Connections: one for the store, one for bottleneck and the subscriber
 * bottleneck makes from it. Start-up fails fast, with an error naming
 * REDIS_URL and host:port, never the password. Afterwards a lost connection
 * is logged once (and once when restored) while ioredis reconnects; calls
 * made meanwhile fail, each on its own, and never crash the process.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log.js';
import type { Limiter } from '../openstack/http.js';
import { Redactor } from '../openstack/redact.js';
import type { InteractionStore } from '../slack/state/interaction-store.js';
import { type ClusteredLimiter, clusteredLimiter, DEFAULT_LIMITER_ID } from './limiter.js';
import { DEFAULT_KEY_PREFIX, quitClient, RedisInteractionStore, SharedStateError } from './redis-store.js';
import { describeRedisUrl, redisUrlSecrets } from '../config/redis-url.js';

export { describeRedisUrl } from '../config/redis-url.js';
export { RedisInteractionStore, SharedStateError } from './redis-store.js';

export interface SharedStateOptions {
  /** The OpenStack limit, for the whole cluster. */
  maxConcurrent: number;
  minTimeMs: number;
  logger: Logger;
  /** Store keys start with this; default "fipbot:". */
  keyPrefix?: string;
  /** Bottleneck's id (its keys are b_<id>_...); default "fipbot-openstack". */
  limiterId?: string;
  /** Several clouds (FIPBOT_CONFIG): one limiter each, `<limiterId>:<cloud>`, so one cloud's load never waits on another's. */
  clouds?: readonly string[];
  /** Per attempt to connect at start-up; default 5 s. */
  connectTimeoutMs?: number;
  /** A Redis call not answered within this fails; default 5 s. */
  commandTimeoutMs?: number;
  /** See ClusteredLimiterOptions. */
  jobExpirationMs?: number;
  queueTimeoutMs?: number;
}

export interface SharedState {
  store: InteractionStore;
  /** The limiter of one cloud (several clouds), else the one limiter. */
  limiterOf(cloud: string | undefined): Limiter;
  /** Quits every Redis connection; safe to call twice. */
  close(): Promise<void>;
}

export async function connectSharedState(redisUrl: string, options: SharedStateOptions): Promise<SharedState> {
  const where = describeRedisUrl(redisUrl);
  const redactor = new Redactor();
  for (const secret of redisUrlSecrets(redisUrl)) redactor.addSecret(secret);
  const redact = (text: string): string => redactor.redact(text);
  const logger = options.logger;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const clientOptions: RedisOptions = {
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    // While reconnecting, a call waits for one more attempt and then fails instead of piling up.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };

  const opened: Redis[] = [];
  let closed = false;
  const open = async (role: string): Promise<Redis> => {
    const client = new Redis(redisUrl, clientOptions);
    opened.push(client);
    try {
      await firstReady(client, connectTimeoutMs);
    } catch (error) {
      const detail = redact(error instanceof Error ? error.message : String(error));
      throw new SharedStateError(
        `Cannot use Redis at ${where} (REDIS_URL) for the ${role}: ${detail}. Check REDIS_URL, or unset it to keep state in-process (one replica only).`,
      );
    }
    watchConnection(client, role, logger, redact, () => closed);
    return client;
  };

  const closeAll = async (): Promise<void> => {
    closed = true;
    await Promise.all(opened.map((client) => quitClient(client)));
  };

  try {
    const storeClient = await open('interaction store');
    const baseId = options.limiterId ?? DEFAULT_LIMITER_ID;
    // Each limiter has its own client: bottleneck quits the client it was given when it closes.
    const limiterFor = async (cloud: string | undefined) => {
      const role = cloud === undefined ? 'rate limiter' : `rate limiter of cloud ${cloud}`;
      const limiter = await clusteredLimiter(await open(role), {
        maxConcurrent: options.maxConcurrent,
        minTimeMs: options.minTimeMs,
        id: cloud === undefined ? baseId : `${baseId}:${cloud}`,
        readyTimeoutMs: connectTimeoutMs,
        logger,
        redact,
        ...(options.jobExpirationMs !== undefined ? { jobExpirationMs: options.jobExpirationMs } : {}),
        ...(options.queueTimeoutMs !== undefined ? { queueTimeoutMs: options.queueTimeoutMs } : {}),
      });
      limiters.push(limiter);
      watchConnection(limiter.subscriber, `${role} (pub/sub)`, logger, redact, () => closed);
      return limiter;
    };
    const limiters: ClusteredLimiter[] = [];
    const several = (options.clouds?.length ?? 0) > 1;
    const byCloud = new Map<string, Limiter>();
    const single = several ? undefined : await limiterFor(undefined);
    for (const cloud of several ? options.clouds! : []) byCloud.set(cloud, await limiterFor(cloud));
    const store = new RedisInteractionStore(storeClient, { keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX, logger, redact });
    return {
      store,
      limiterOf: (cloud) => {
        const limiter = single ?? (cloud === undefined ? undefined : byCloud.get(cloud));
        if (!limiter) throw new Error(`no rate limiter for cloud ${cloud ?? '(none)'}`);
        return limiter;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await Promise.all(limiters.map((limiter) => limiter.close()));
        await Promise.all(opened.map((client) => quitClient(client)));
      },
    };
  } catch (error) {
    await closeAll();
    if (error instanceof SharedStateError && error.message.includes('(REDIS_URL)')) throw error;
    throw new SharedStateError(
      `Cannot use Redis at ${where} (REDIS_URL): ${redact(error instanceof Error ? error.message : String(error))}`,
    );
  }
}

/**
 * Resolves on the client's first `ready`; rejects on its first error
 * (refused, unknown host, wrong password) or after `timeoutMs`. On failure the
 * client is disconnected, which stops ioredis from retrying.
 */
function firstReady(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      if (error === undefined) return resolve();
      client.disconnect();
      reject(error);
    };
    const onReady = (): void => finish();
    const onError = (error: Error): void => finish(error);
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    client.on('ready', onReady);
    client.on('error', onError);
  });
}

/**
 * Logs a lost connection once, and its return once, while ioredis reconnects.
 * The listener also keeps ioredis's `error` events from being unhandled
 * (an EventEmitter without one would crash the process).
 */
function watchConnection(client: Redis, role: string, logger: Logger, redact: (text: string) => string, closing: () => boolean): void {
  let down = false;
  const lost = (detail: string): void => {
    if (down || closing()) return;
    down = true;
    logger.error(`Redis connection for the ${role} lost; reconnecting (calls fail meanwhile)`, { error: detail });
  };
  client.on('error', (error: unknown) => lost(redact(error instanceof Error ? error.message : String(error))));
  client.on('close', () => lost('connection closed'));
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info(`Redis connection for the ${role} restored`);
  });
}
