import { describe, expect, it } from 'vitest';
import { MemoryInteractionStore } from '../../../src/slack/state/interaction-store.js';

describe('the in-memory interaction store', () => {
  it('gives a stored plan to the first taker only, however many clicks arrive at once', async () => {
    const store = new MemoryInteractionStore();
    const token = await store.put({ kind: 'release', ip: '192.168.100.23' }, 60_000);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.take(token)));
    expect(results.filter((result) => result !== undefined)).toEqual([{ kind: 'release', ip: '192.168.100.23' }]);
  });

  it('lets peek read a plan without consuming it', async () => {
    const store = new MemoryInteractionStore();
    const token = await store.put('plan', 60_000);
    expect(await store.peek(token)).toBe('plan');
    expect(await store.take(token)).toBe('plan');
    expect(await store.peek(token)).toBeUndefined();
  });

  it('forgets plans after their time to live', async () => {
    let now = 1_000;
    const store = new MemoryInteractionStore(() => now);
    const token = await store.put('plan', 10_000);
    now += 10_001;
    expect(await store.take(token)).toBeUndefined();
  });

  it('updates a kept value without extending its life, and not one that is gone', async () => {
    let now = 1_000;
    const store = new MemoryInteractionStore(() => now);
    const token = await store.put({ ts: undefined }, 10_000);
    now += 5_000;
    expect(await store.update(token, { ts: '1.2' })).toBe(true);
    expect(await store.peek(token)).toEqual({ ts: '1.2' });
    now += 5_001;
    expect(await store.peek(token)).toBeUndefined();
    expect(await store.update(token, { ts: '1.3' })).toBe(false);
    const taken = await store.put('plan', 10_000);
    await store.take(taken);
    expect(await store.update(taken, 'again')).toBe(false);
    expect(await store.peek(taken)).toBeUndefined();
  });

  it('issues unguessable, distinct tokens', async () => {
    const store = new MemoryInteractionStore();
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => store.put(i, 1000)));
    expect(new Set(tokens).size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('grants a claim once per key until it expires', async () => {
    let now = 0;
    const store = new MemoryInteractionStore(() => now);
    expect(await store.claim('detach:fip-1:3', 5_000)).toBe(true);
    expect(await store.claim('detach:fip-1:3', 5_000)).toBe(false);
    expect(await store.claim('detach:fip-1:4', 5_000)).toBe(true);
    now += 5_001;
    expect(await store.claim('detach:fip-1:3', 5_000)).toBe(true);
  });

  it('says whether a claim is held, without taking it', async () => {
    let now = 0;
    const store = new MemoryInteractionStore(() => now);
    expect(await store.isClaimed('fipbot-change:192.168.100.23')).toBe(false);
    expect(await store.claim('fipbot-change:192.168.100.23', 5_000)).toBe(true);
    expect(await store.isClaimed('fipbot-change:192.168.100.23')).toBe(true);
    expect(await store.isClaimed('fipbot-change:192.168.100.23')).toBe(true);
    now += 5_001;
    expect(await store.isClaimed('fipbot-change:192.168.100.23')).toBe(false);
  });

  it('grants a released claim again at once', async () => {
    const store = new MemoryInteractionStore();
    expect(await store.claim('row:detach:fip-1:3', 60_000)).toBe(true);
    await store.release('row:detach:fip-1:3');
    expect(await store.claim('row:detach:fip-1:3', 60_000)).toBe(true);
    expect(await store.claim('row:detach:fip-1:3', 60_000)).toBe(false);
  });

  it('sweeps expired entries so memory stays flat', async () => {
    let now = 0;
    const store = new MemoryInteractionStore(() => now);
    for (let i = 0; i < 1_000; i++) {
      await store.put(i, 1_000);
      await store.claim(`k${i}`, 1_000);
    }
    now += 120_000;
    await store.put('fresh', 1_000);
    expect(store.size()).toBe(1);
  });
});
