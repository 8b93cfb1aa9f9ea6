/**
 * connectSharedState against a real redis-server (npm run test:integration):
 * a wrong password is refused without being repeated; once running, a Redis outage fails the
 * calls made meanwhile (logged, redacted) and never the process, and
 * everything works again when Redis is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectSharedState, type SharedState } from '../../src/shared-state/index.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import { rejectionOf } from '../support/expect-error.js';
import { capturedLogger } from '../support/logs.js';

const PASSWORD = 'hunter2-redis-Pa55';

describe('connecting the shared state', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const track = <T extends SharedState | RedisServer>(thing: T): T => {
    cleanups.push(() => ('url' in thing ? thing.stop() : thing.close()));
    return thing;
  };

  it('refuses a wrong password without repeating it', async () => {
    const redis = track(await startRedis({ password: PASSWORD }));
    const wrong = 'not-the-Pa55word-at-all';
    const error = (await rejectionOf(
      connectSharedState(`redis://:${wrong}@127.0.0.1:${redis.port}`, { maxConcurrent: 2, minTimeMs: 0, logger: capturedLogger().logger }),
    )) as Error;
    expect(error.message).toMatch(/WRONGPASS/);
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).not.toContain(wrong);
  });

  it('lets a plan stored through one connection be taken through another, and closes twice without complaint', async () => {
    const redis = track(await startRedis({ password: PASSWORD }));
    const a = await connectSharedState(redis.url, { maxConcurrent: 2, minTimeMs: 0, logger: capturedLogger().logger });
    const b = await connectSharedState(redis.url, { maxConcurrent: 2, minTimeMs: 0, logger: capturedLogger().logger });
    const token = await a.store.put({ kind: 'create', pool: 'public' }, 60_000);
    expect(await b.store.claim(`used:${token}`, 60_000)).toBe(true);
    expect(await a.store.claim(`used:${token}`, 60_000)).toBe(false);
    expect(await b.store.take(token)).toEqual({ kind: 'create', pool: 'public' });
    expect(await b.limiterOf(undefined).schedule(() => Promise.resolve('ran'))).toBe('ran');
    await Promise.all([a.close(), b.close()]);
    await a.close();
    await b.close();
  });

  it('gives each cloud its own limit in the cluster: a cloud at its limit does not hold another back', async () => {
    const redis = track(await startRedis({ password: PASSWORD }));
    const replicas = await Promise.all(
      [0, 1].map(() =>
        connectSharedState(redis.url, { maxConcurrent: 1, minTimeMs: 0, logger: capturedLogger().logger, clouds: ['prod', 'staging'] }),
      ),
    );
    const [a, b] = replicas as [SharedState, SharedState];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // prod's one slot taken on replica a...
    const busy = a.limiterOf('prod').schedule(() => held);
    // ...staging still runs at once, on either replica; prod waits on the other replica too.
    expect(await b.limiterOf('staging').schedule(() => Promise.resolve('staging ran'))).toBe('staging ran');
    let prodRan = false;
    const waiting = b.limiterOf('prod').schedule(() => Promise.resolve((prodRan = true)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(prodRan).toBe(false);
    release();
    await Promise.all([busy, waiting]);
    expect(prodRan).toBe(true);
    expect(() => a.limiterOf('nowhere')).toThrow(/no rate limiter for cloud nowhere/);
    await Promise.all(replicas.map((shared) => shared.close()));
  });

  it('fails the calls made while Redis is down, logs it without the password, and recovers when Redis is back', async () => {
    let redis = await startRedis({ password: PASSWORD });
    cleanups.push(() => redis.stop());
    const { logger, lines } = capturedLogger();
    const shared = track(await connectSharedState(redis.url, { maxConcurrent: 2, minTimeMs: 0, logger, commandTimeoutMs: 1_000 }));
    const token = await shared.store.put('plan', 60_000);

    await redis.stop();
    const takeError = await rejectionOf(shared.store.take(token));
    expect(takeError).toMatchObject({ name: 'SharedStateError', code: 'FIPBOT_SHARED_STATE_UNAVAILABLE' });
    await expect(shared.store.claim('detach:fip-1:3', 60_000)).rejects.toMatchObject({ name: 'SharedStateError' });
    let ran = false;
    const limited = await rejectionOf(
      shared.limiterOf(undefined).schedule(() => {
        ran = true;
        return Promise.resolve();
      }),
    );
    expect(limited).toMatchObject({ name: 'SharedStateError', code: 'FIPBOT_SHARED_LIMITER_UNAVAILABLE' });
    expect(ran).toBe(false);
    expect(lines.some((line) => line.includes('"level":"error"') && line.includes('Redis connection for the interaction store lost'))).toBe(
      true,
    );
    expect(lines.join('\n')).not.toContain(PASSWORD);

    // Same port, empty data (nothing is persisted): both connections come back by themselves.
    redis = await startRedis({ password: PASSWORD, port: redis.port });
    await expect
      .poll(() => shared.store.claim('after-restart', 60_000).catch(() => 'failed'), { timeout: 10_000, interval: 200 })
      .toBe(true);
    await expect
      .poll(
        () =>
          shared
            .limiterOf(undefined)
            .schedule(() => Promise.resolve('ran again'))
            .catch(() => 'failed'),
        { timeout: 10_000, interval: 200 },
      )
      .toBe('ran again');
    expect(lines.some((line) => line.includes('Redis connection for the interaction store restored'))).toBe(true);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  }, 30_000);
});
