/**
 * The scheduled leak report on two replicas sharing a real Redis (REDIS_URL):
 * both reach the slot at the same moment (one fake clock each, set alike),
 * and the claim in Redis lets exactly one post it. A second slot is posted
 * once again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import { closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';

const REPORT_CHANNEL = 'C0REPORT01';
const SLOT = Date.parse('2026-11-30T08:00:00Z');
const WEEK = 7 * 86_400_000;

describe('the leak report on two replicas sharing Redis', () => {
  let redis: RedisServer;
  const replicas: Array<{ h: Harness; clock: ManualClock }> = [];

  beforeAll(async () => {
    redis = await startRedis({ password: 'digest-redis-Pa55word' });
    const env = {
      REDIS_URL: redis.url,
      FIPBOT_REPORT_CHANNEL: REPORT_CHANNEL,
      FIPBOT_REPORT_SCHEDULE: 'mon 09:00',
      FIPBOT_REPORT_TIMEZONE: 'Europe/Berlin',
    };
    for (let i = 0; i < 2; i++) {
      const clock = new ManualClock(SLOT - 60_000);
      const h = await startHarness({ env, clock });
      h.sim.workspace.addChannel({ id: REPORT_CHANNEL, name: 'fip-report' });
      replicas.push({ h, clock });
    }
  }, 60_000);

  afterAll(async () => {
    for (const { h } of replicas) await closeWithinLimits(h);
    await redis?.stop();
  });

  const posted = () => replicas.map(({ h }) => h.sim.messages().filter((m) => m.channel === REPORT_CHANNEL).length);
  const reach = (at: number) => Promise.all(replicas.map(({ h, clock }) => clock.runUntil(at, () => h.bot.jobs.digest!.settled())));

  it('posts the report once between them at each slot', async () => {
    await reach(SLOT - 1);
    expect(posted()).toEqual([0, 0]);
    await reach(SLOT);
    expect(posted().reduce((a, b) => a + b)).toBe(1);
    await reach(SLOT + 30 * 60_000);
    expect(posted().reduce((a, b) => a + b)).toBe(1);
    await reach(SLOT + WEEK);
    expect(posted().reduce((a, b) => a + b)).toBe(2);
  });
});
