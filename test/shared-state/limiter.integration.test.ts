/**
 * The OpenStack rate limit shared through Redis (bottleneck's clustering):
 * two limiters on separate connections, as two replicas would hold them,
 * against one real redis-server. Each test uses its own limiter id, so they
 * share nothing but the server.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClusteredLimiter, type ClusteredLimiterOptions, clusteredLimiter } from '../../src/shared-state/limiter.js';
import { SharedStateError } from '../../src/shared-state/redis-store.js';
import { type RedisServer, startRedis } from '../support/redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A job that runs until released, counted while in flight. */
class Gate {
  inFlight = 0;
  maxInFlight = 0;
  started = 0;
  private releases: Array<() => void> = [];

  job<T>(value: T): () => Promise<T> {
    return async () => {
      this.started++;
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      await new Promise<void>((resolve) => this.releases.push(resolve));
      this.inFlight--;
      return value;
    };
  }

  /** Lets every job started so far finish. */
  releaseAll(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

describe('the OpenStack rate limit shared by replicas', () => {
  let redis: RedisServer;
  let open: Array<{ limiter: ClusteredLimiter; client: Redis }> = [];

  const replica = async (options: Partial<ClusteredLimiterOptions> & { id: string }): Promise<ClusteredLimiter> => {
    const client = new Redis(redis.url);
    const limiter = await clusteredLimiter(client, { maxConcurrent: 2, minTimeMs: 0, ...options });
    open.push({ limiter, client });
    return limiter;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(open.map(({ limiter }) => limiter.close()));
    open = [];
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('never runs more than maxConcurrent jobs at once in total across two replicas', async () => {
    const id = `test-${randomUUID()}`;
    const a = await replica({ id, maxConcurrent: 2 });
    const b = await replica({ id, maxConcurrent: 2 });
    let inFlight = 0;
    let maxInFlight = 0;
    const job = (name: string) => async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(40);
      inFlight--;
      return name;
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).schedule(job(`job ${i}`))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `job ${i}`));
    expect(maxInFlight).toBe(2);
  });

  it('applies the limit of the replica started last to every replica, so a changed setting takes effect on deploy', async () => {
    const id = `test-${randomUUID()}`;
    const old = await replica({ id, maxConcurrent: 1 });
    const updated = await replica({ id, maxConcurrent: 3 });
    const gate = new Gate();
    const jobs = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? old : updated).schedule(gate.job(i)));
    await expect.poll(() => gate.inFlight, { timeout: 10_000 }).toBe(3);
    await sleep(200);
    expect(gate.maxInFlight).toBe(3);
    while (gate.started < 8) {
      gate.releaseAll();
      await sleep(20);
    }
    gate.releaseAll();
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gate.maxInFlight).toBe(3);
  });

  it("counts in queued() this replica's own waiting jobs only (bottleneck keeps queues local)", async () => {
    const id = `test-${randomUUID()}`;
    const a = await replica({ id });
    const b = await replica({ id });
    const gate = new Gate();
    const holding = [a.schedule(gate.job('a1')), a.schedule(gate.job('a2'))];
    await expect.poll(() => gate.inFlight, { timeout: 10_000 }).toBe(2);
    const waiting = [b.schedule(gate.job('b1')), b.schedule(gate.job('b2')), b.schedule(gate.job('b3'))];
    await expect.poll(() => b.queued(), { timeout: 10_000 }).toBe(3);
    expect(a.queued()).toBe(0);
    while (gate.started < 5) {
      gate.releaseAll();
      await sleep(20);
    }
    gate.releaseAll();
    await Promise.all([...holding, ...waiting]);
    expect(b.queued()).toBe(0);
  });

  it('fails a job that found no free slot within the queue timeout, and never starts it afterwards', async () => {
    const id = `test-${randomUUID()}`;
    const a = await replica({ id });
    const b = await replica({ id, queueTimeoutMs: 300 });
    const gate = new Gate();
    const holding = [a.schedule(gate.job('a1')), a.schedule(gate.job('a2'))];
    await expect.poll(() => gate.inFlight, { timeout: 10_000 }).toBe(2);
    let ran = false;
    const late = b.schedule(() => {
      ran = true;
      return Promise.resolve('late');
    });
    await expect(late).rejects.toMatchObject({ name: 'SharedStateError', code: 'FIPBOT_SHARED_LIMITER_UNAVAILABLE' });
    gate.releaseAll();
    await Promise.all(holding);
    // The abandoned job was queued first: once a later one has run, it has had its turn.
    expect(await b.schedule(() => Promise.resolve('next'))).toBe('next');
    expect(ran).toBe(false);
  });

  it('carries on after Redis lost its keys (restarted without persistence, or flushed)', async () => {
    const id = `test-${randomUUID()}`;
    const a = await replica({ id, maxConcurrent: 1 });
    expect(await a.schedule(() => Promise.resolve('before'))).toBe('before');
    const admin = new Redis(redis.url);
    try {
      await admin.flushall();
      expect(await a.schedule(() => Promise.resolve('after'))).toBe('after');
      // Re-created with this replica's settings, not bottleneck's defaults (no limit).
      expect(await admin.hget(`b_${id}_settings`, 'maxConcurrent')).toBe('1');
    } finally {
      admin.disconnect();
    }
  });

  it('registers again after the cluster dropped it as unresponsive (no heartbeat for 10 s)', async () => {
    const id = `test-${randomUUID()}`;
    const a = await replica({ id });
    expect(await a.schedule(() => Promise.resolve('before'))).toBe('before');
    const admin = new Redis(redis.url);
    try {
      // What another replica's tick does to a client unseen for clientTimeout: forget it.
      await admin.del(`b_${id}_client_last_seen`);
      expect(await a.schedule(() => Promise.resolve('after'))).toBe('after');
    } finally {
      admin.disconnect();
    }
  });

  it('frees the slot of a replica that died mid-request once its job expires, so the others carry on', async () => {
    const id = `test-${randomUUID()}`;
    const dying = await replica({ id, maxConcurrent: 1, jobExpirationMs: 1_000 });
    const survivor = await replica({ id, maxConcurrent: 1 });
    const gate = new Gate();
    const lost = dying.schedule(gate.job('never finishes')).catch((error: unknown) => error);
    await expect.poll(() => gate.inFlight, { timeout: 10_000 }).toBe(1);
    // The process dies: its sockets close without a word, its slot is still counted in Redis.
    const dead = open.find(({ limiter }) => limiter === dying)!;
    dead.client.disconnect();
    dying.subscriber.disconnect();

    // Slots are freed by the expiration (1 s) and picked up on the cluster's next heartbeat (every 5 s).
    expect(await survivor.schedule(() => Promise.resolve('carried on'))).toBe('carried on');
    expect(await lost).toBeInstanceOf(SharedStateError);
    gate.releaseAll();
  }, 20_000);
});
