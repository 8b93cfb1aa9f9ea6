/**
 * The OpenStack rate limit shared by every replica, on bottleneck's Redis clustering (its README, "Clustering"): one id,
 * so `maxConcurrent` counts requests in flight across the cluster and `minTime` spaces their starts.
 * - Settings live in Redis; each replica re-applies its own at start-up: the last started decides, changes land on deploy.
 * - Queues stay local: `queued()` counts this replica's waiting requests; sum the replicas' gauges for the cluster.
 * - Every job has an `expiration`, after which the cluster frees its slot (a dead replica's too) and the job fails here.
 * - Redis unreachable: a new job fails at once; a queued one fails after `queueTimeoutMs` and never starts.
 */
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Limiter } from '../openstack/http.js';
import { SharedStateError } from './redis-store.js';

export const DEFAULT_LIMITER_ID = 'fipbot-openstack';
// The limiter's failures are SharedStateErrors with this code.
const LIMITER_CODE = 'FIPBOT_SHARED_LIMITER_UNAVAILABLE';

export interface ClusteredLimiterOptions {
  maxConcurrent: number;
  minTimeMs: number;
  /** Limiters with the same id in the same Redis database share one limit. */
  id?: string;
  /** A job running longer than this is abandoned and its slot freed (a crashed replica's slot too). Default 10 minutes. */
  jobExpirationMs?: number;
  /** A job that could not start within this long fails without ever starting. Default 2 minutes. */
  queueTimeoutMs?: number;
  /** How long to wait for bottleneck's clients and scripts at start-up. Default 5 s. */
  readyTimeoutMs?: number;
  logger?: Logger;
  redact?: (text: string) => string;
}

export interface ClusteredLimiter extends Limiter {
  /** The pub/sub connection bottleneck made from the client (to watch it). */
  readonly subscriber: Redis;
  /** Quits bottleneck's Redis connections (the client passed in and the subscriber made from it). */
  close(): Promise<void>;
}

/**
 * Builds the limiter on `client` (connected, used only by bottleneck) and a
 * subscriber bottleneck duplicates from it; resolves once both are ready and
 * the settings are in Redis.
 */
export async function clusteredLimiter(client: Redis, options: ClusteredLimiterOptions): Promise<ClusteredLimiter> {
  const redact = options.redact ?? ((text: string) => text);
  const jobExpirationMs = options.jobExpirationMs ?? 10 * 60_000;
  const queueTimeoutMs = options.queueTimeoutMs ?? 2 * 60_000;
  const connection = new Bottleneck.IORedisConnection({ Redis, client });
  // Redis 7 breaks bottleneck 2.19.5's self-repair.
  repairScriptErrors(connection);
  const bottleneck = new Bottleneck({
    id: options.id ?? DEFAULT_LIMITER_ID,
    datastore: 'ioredis',
    connection,
    maxConcurrent: options.maxConcurrent,
    minTime: options.minTimeMs,
    clearDatastore: false,
  });
  // Heartbeats, drains and frees that fail while Redis is away: logged (not every 5 s), never thrown.
  const report = repeatFilter();
  bottleneck.on('error', (error: unknown) => {
    const detail = redact(error instanceof Error ? error.message : String(error));
    if (report(detail)) options.logger?.warn('shared OpenStack rate limiter: Redis call failed', { error: detail });
  });
  // Connection errors reach the connection's own listeners; the caller watches the raw clients (watchConnection).
  connection.on('error', () => {});

  const close = async (): Promise<void> => {
    try {
      await connection.disconnect(true);
    } catch {
      await connection.disconnect(false);
    }
  };
  let subscriber: Redis;
  try {
    ({ subscriber } = (await withTimeout(
      bottleneck.ready(),
      options.readyTimeoutMs ?? 5_000,
      'the rate limiter did not get ready in Redis',
    )) as { subscriber: Redis });
    // Without this the settings in Redis would stay the first limiter's.
    // bottleneck.d.ts says updateSettings returns the limiter; 2.19's code returns a promise of it (the Redis write).
    const stored = bottleneck.updateSettings({
      maxConcurrent: options.maxConcurrent,
      minTime: options.minTimeMs,
    }) as unknown as Promise<unknown>;
    await withTimeout(stored, options.readyTimeoutMs ?? 5_000, 'the rate limiter could not store its settings in Redis');
  } catch (error) {
    await close();
    throw error;
  }

  return {
    subscriber,
    schedule<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let state: 'waiting' | 'started' | 'abandoned' = 'waiting';
        const timer = setTimeout(() => {
          if (state !== 'waiting') return;
          state = 'abandoned';
          reject(
            new SharedStateError(`No OpenStack request slot became free within ${queueTimeoutMs} ms (is Redis reachable?)`, LIMITER_CODE),
          );
        }, queueTimeoutMs);
        timer.unref();
        bottleneck
          .schedule({ expiration: jobExpirationMs }, () => {
            clearTimeout(timer);
            if (state === 'abandoned') return Promise.reject(new SharedStateError('abandoned: waited too long for a slot', LIMITER_CODE));
            state = 'started';
            return task();
          })
          .then(resolve, (error: unknown) => {
            clearTimeout(timer);
            if (state === 'abandoned') return; // already rejected
            // The task's own failures pass through untouched; bottleneck's (Redis unreachable, job expired) are named as ours.
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the task's own reason, passed on as it is
            if (state === 'started' && !(error instanceof Bottleneck.BottleneckError)) return reject(error);
            state = 'abandoned';
            reject(
              new SharedStateError(
                `The shared OpenStack rate limiter (Redis) failed: ${redact(error instanceof Error ? error.message : String(error))}`,
                LIMITER_CODE,
                { cause: error },
              ),
            );
          });
      });
    },
    queued(): number {
      // A job moves from RECEIVED to QUEUED only after a Redis round trip, so RECEIVED is waiting too.
      const counts = bottleneck.counts();
      return counts.RECEIVED + counts.QUEUED + counts.RUNNING;
    },
    close,
  };
}

/** The two script replies bottleneck recovers from, as Redis 7 words them. */
const RECOVERABLE_REPLY = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/;

/**
 * Bottleneck 2.19.5 repairs two situations by matching a script's error text
 * exactly: "SETTINGS_KEY_NOT_FOUND" (Redis lost its keys: restarted without
 * persistence, flushed, evicted) -> re-create them; "UNKNOWN_CLIENT" (another
 * replica dropped this one as unresponsive after 10 s without a heartbeat:
 * a network blip, a paused container) -> register again. Redis 7 prefixes
 * error replies from Lua ("ERR UNKNOWN_CLIENT"), so neither matches and the
 * limiter fails every request until the process restarts
 * (SGrondin/bottleneck#205, #212, #219; fix proposed in #215, unreleased).
 * This strips the prefix from those two replies, at the one place bottleneck
 * calls its scripts (IORedisConnection.__scriptFn__). A bottleneck without
 * that method fails loudly here rather than quietly losing the repair.
 */
function repairScriptErrors(connection: Bottleneck.IORedisConnection): void {
  type Callback = (error: Error | null, replies: unknown) => void;
  type ScriptFn = (...args: unknown[]) => unknown;
  const internals = connection as unknown as { __scriptFn__?: (name: string) => ScriptFn };
  const original = internals.__scriptFn__;
  if (typeof original !== 'function')
    throw new Error('bottleneck no longer has IORedisConnection.__scriptFn__: revisit repairScriptErrors in src/shared-state/limiter.ts');
  internals.__scriptFn__ = (name: string): ScriptFn => {
    const run = original.call(connection, name);
    return (...args: unknown[]) => {
      // bottleneck passes a node-style callback last (IORedisConnection.__scriptArgs__).
      const callback = args.pop() as Callback;
      return run(...args, ((error, replies) => {
        if (error && RECOVERABLE_REPLY.test(error.message)) error.message = error.message.slice('ERR '.length);
        callback(error, replies);
      }) satisfies Callback);
    };
  };
}

/** True the first time a message is seen, and again once a minute while it repeats. */
function repeatFilter(intervalMs = 60_000): (message: string) => boolean {
  let last = '';
  let at = 0;
  return (message) => {
    const now = Date.now();
    if (message === last && now - at < intervalMs) return false;
    last = message;
    at = now;
    return true;
  };
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SharedStateError(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    // The race is lost for good: a late rejection of `promise` must not surface as unhandled.
    promise.catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
