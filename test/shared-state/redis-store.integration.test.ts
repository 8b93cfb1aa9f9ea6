/**
 * The Redis interaction store, as two replicas use it: two store instances on
 * two separate connections to one real redis-server. The behaviours are the
 * in-memory store's (test/slack/state/interaction-store.test.ts), now holding
 * across processes.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisInteractionStore } from '../../src/shared-state/redis-store.js';
import { type RedisServer, startRedis } from '../support/redis.js';

describe('the Redis interaction store, shared by two replicas', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  let a: RedisInteractionStore;
  let b: RedisInteractionStore;
  /** A third connection that looks at the keys directly. */
  let raw: Redis;

  const connect = (): Redis => {
    const client = new Redis(redis.url, { lazyConnect: false });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    redis = await startRedis();
    a = new RedisInteractionStore(connect(), { ownsClient: true });
    b = new RedisInteractionStore(connect(), { ownsClient: true });
    raw = connect();
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    raw?.disconnect();
    await redis?.stop();
  });

  it('gives a stored plan to exactly one of 20 concurrent takers spread over both replicas', async () => {
    const token = await a.put({ kind: 'release', ip: '192.168.100.23' }, 60_000);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).take(token)));
    expect(results.filter((result) => result !== undefined)).toEqual([{ kind: 'release', ip: '192.168.100.23' }]);
  });

  it('lets either replica peek at a plan without consuming it, until one takes it', async () => {
    const token = await a.put({ plan: 'create', pool: 'public' }, 60_000);
    expect(await b.peek(token)).toEqual({ plan: 'create', pool: 'public' });
    expect(await a.peek(token)).toEqual({ plan: 'create', pool: 'public' });
    expect(await b.take(token)).toEqual({ plan: 'create', pool: 'public' });
    expect(await a.peek(token)).toBeUndefined();
    expect(await a.take(token)).toBeUndefined();
  });

  it('forgets plans after their time to live, on every replica', async () => {
    const lasting = await a.put('plan', 60_000);
    const ttl = await raw.pttl(`fipbot:interaction:${lasting}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const brief = await a.put('plan', 150);
    await expect.poll(() => b.peek(brief), { timeout: 5_000, interval: 50 }).toBeUndefined();
    expect(await b.take(brief)).toBeUndefined();
    expect(await raw.exists(`fipbot:interaction:${brief}`)).toBe(0);
  });

  it('updates a kept value from either replica, keeping its time to live, and never brings back one that is gone', async () => {
    const token = await a.put({ request: { channelId: 'C1' } }, 60_000);
    expect(await b.update(token, { request: { channelId: 'C1', ts: '1.2' } })).toBe(true);
    expect(await a.peek(token)).toEqual({ request: { channelId: 'C1', ts: '1.2' } });
    const ttl = await raw.pttl(`fipbot:interaction:${token}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await a.take(token);
    expect(await b.update(token, { late: true })).toBe(false);
    expect(await raw.exists(`fipbot:interaction:${token}`)).toBe(0);
    expect(await b.update('not-a-token', 1)).toBe(false);
  });

  it('issues unguessable, distinct tokens, and finds nothing under a token it never issued', async () => {
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).put(i, 10_000)));
    expect(new Set(tokens).size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await b.take('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(await b.take('*')).toBeUndefined();
  });

  it('grants a claim once per key across both replicas until it expires', async () => {
    const grants = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claim('detach:fip-1:3', 60_000)));
    expect(grants.filter(Boolean)).toHaveLength(1);
    expect(await b.claim('detach:fip-1:3', 60_000)).toBe(false);
    expect(await b.claim('detach:fip-1:4', 60_000)).toBe(true);

    expect(await a.claim('release:fip-2:7', 150)).toBe(true);
    expect(await b.claim('release:fip-2:7', 60_000)).toBe(false);
    await expect.poll(() => b.claim('release:fip-2:7', 60_000), { timeout: 5_000, interval: 50 }).toBe(true);

    // Given back by one replica: the other may claim it at once.
    expect(await a.claim('detach:fip-3:1', 60_000)).toBe(true);
    await a.release('detach:fip-3:1');
    expect(await b.claim('detach:fip-3:1', 60_000)).toBe(true);
    expect(await a.claim('detach:fip-3:1', 60_000)).toBe(false);
  });

  it('tells either replica whether a claim is held, without taking it', async () => {
    expect(await b.isClaimed('fipbot-change:192.168.100.23')).toBe(false);
    expect(await a.claim('fipbot-change:192.168.100.23', 60_000)).toBe(true);
    expect(await b.isClaimed('fipbot-change:192.168.100.23')).toBe(true);
    expect(await b.claim('fipbot-change:192.168.100.23', 60_000)).toBe(false);
    await a.release('fipbot-change:192.168.100.23');
    expect(await b.isClaimed('fipbot-change:192.168.100.23')).toBe(false);
  });

  it('keeps claims and plans apart, so a claim key can never read as a plan', async () => {
    const token = await a.put('plan', 60_000);
    expect(await b.claim(token, 60_000)).toBe(true);
    expect(await b.take(token)).toBe('plan');
  });

  it('stores plans as JSON under its key prefix, and replicas of another prefix do not see them', async () => {
    const teamA = new RedisInteractionStore(connect(), { keyPrefix: 'team-a:', ownsClient: true });
    const teamB = new RedisInteractionStore(connect(), { keyPrefix: 'team-b:', ownsClient: true });
    try {
      const plan = { kind: 'attach', ip: '192.168.100.201', server: { name: 'web-1', ports: [1, 2] }, note: null };
      const token = await teamA.put(plan, 60_000);
      expect(JSON.parse((await raw.get(`team-a:interaction:${token}`))!)).toEqual(plan);
      expect(await teamB.peek(token)).toBeUndefined();
      expect(await teamB.claim('k', 60_000)).toBe(true);
      expect(await teamA.claim('k', 60_000)).toBe(true);
      expect(await teamA.take(token)).toEqual(plan);
      await expect(teamA.put(undefined, 1_000)).rejects.toThrow(/JSON/);
    } finally {
      await teamA.close();
      await teamB.close();
    }
  });
});
