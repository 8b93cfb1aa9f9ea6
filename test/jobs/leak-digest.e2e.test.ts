/**
 * The scheduled leak report, in the real bot on the demo cloud with fake
 * time: reaching the slot posts the report once in the report channel, with
 * its buttons, which work from that channel message; two bots sharing one
 * store (replicas sharing Redis) post it once between them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryInteractionStore } from '../../src/slack/state/interaction-store.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { renderText } from '../support/slack/text.js';
import { ManualClock } from '../support/clock.js';
import { acked, closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';

const REPORT_CHANNEL = 'C0REPORT01';
// Monday 30 November 2026, 09:00 in Berlin (CET, UTC+1).
const SLOT = Date.parse('2026-11-30T08:00:00Z');
const env = { FIPBOT_REPORT_CHANNEL: REPORT_CHANNEL, FIPBOT_REPORT_SCHEDULE: 'mon 09:00', FIPBOT_REPORT_TIMEZONE: 'Europe/Berlin' };

const reports = (h: Harness) => h.sim.messages().filter((m) => m.channel === REPORT_CHANNEL && !m.ephemeral);

async function startAt(at: number, store?: MemoryInteractionStore, botIsMember = true): Promise<{ h: Harness; clock: ManualClock }> {
  const clock = new ManualClock(at);
  const h = await startHarness({ env, clock, ...(store ? { store } : {}) });
  h.sim.workspace.addChannel({ id: REPORT_CHANNEL, name: 'fip-report', botIsMember });
  return { h, clock };
}

/** Moves the clock and waits for the digest's work at that time. */
function advanceTo(h: Harness, clock: ManualClock, at: number): Promise<void> {
  return clock.runUntil(at, () => h.bot.jobs.digest!.settled());
}

describe('the scheduled leak report', () => {
  let h: Harness;
  let clock: ManualClock;
  beforeAll(async () => {
    ({ h, clock } = await startAt(SLOT - 60 * 60_000));
  });
  afterAll(async () => {
    await closeWithinLimits(h, 2);
  });

  it('posts nothing before its time, then the leak report once when the slot is reached', async () => {
    await advanceTo(h, clock, SLOT - 1);
    expect(reports(h)).toHaveLength(0);
    await advanceTo(h, clock, SLOT);
    expect(reports(h)).toHaveLength(1);
    const report = reports(h)[0]!;
    expect(renderText(report).split('\n')[0]).toBe('*1 unattached floating IP in project demo*');
    expect(renderText(report)).toContain('192.168.100.201');
    // Half an hour on: the same slot is not posted again.
    await advanceTo(h, clock, SLOT + 30 * 60_000);
    expect(reports(h)).toHaveLength(1);
  });

  it('has Reclaim buttons that work from the channel message: a confirmation to the one who tapped, the result in the channel', async () => {
    const report = reports(h)[0]!;
    const click = await acked(h.sim.clickButton(report, { actionId: ACTIONS.reclaimAll }));
    await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const confirmation = h.sim.responses(click.responseUrl!)[0]!.message!;
    expect(confirmation.ephemeral).toBe(true);
    expect(renderText(confirmation)).toContain('• `192.168.100.201` goes back to pool *public*');
    await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm, text: 'Release 1' }));
    await expect.poll(() => reports(h).length, { timeout: 10_000 }).toBe(2);
    expect(reports(h)[1]!.text).toMatch(/^reclaimed 1 floating IP/);
    expect(h.demo.state.floatingIp('192.168.100.201')).toBeUndefined();
  });

  it('posts again at the next slot, a week later, saying nothing is leaking', async () => {
    await advanceTo(h, clock, SLOT + 7 * 86_400_000 - 1);
    expect(reports(h)).toHaveLength(2);
    await advanceTo(h, clock, SLOT + 7 * 86_400_000);
    expect(reports(h)).toHaveLength(3);
    expect(reports(h)[2]!.text).toBe('No unattached floating IPs in project demo: nothing is leaking.');
  });
});

describe('a slot missed while fipbot was down', () => {
  it('is posted at start within the late window, and not after it', async () => {
    const late = await startAt(SLOT + 10 * 60_000);
    const tooLate = await startAt(SLOT + 2 * 60 * 60_000);
    try {
      await advanceTo(late.h, late.clock, SLOT + 10 * 60_000);
      await advanceTo(tooLate.h, tooLate.clock, SLOT + 2 * 60 * 60_000);
      expect(reports(late.h)).toHaveLength(1);
      expect(reports(tooLate.h)).toHaveLength(0);
    } finally {
      await late.h.close();
      await tooLate.h.close();
    }
  });
});

describe('a slot the cloud or Slack would not let through', () => {
  const FIVE_MINUTES = 5 * 60_000;

  it('is tried again every 5 minutes while the cloud fails, and posted once it answers', async () => {
    const { h, clock } = await startAt(SLOT - 1);
    try {
      await advanceTo(h, clock, SLOT - 1);
      h.demo.faults.failNext({ method: 'GET', path: '/v2.0/floatingips' }, { status: 503, count: 50 });
      await advanceTo(h, clock, SLOT);
      expect(reports(h)).toHaveLength(0);
      expect(h.bot.metrics.render()).toContain('fipbot_jobs_total{job="digest",outcome="cloud_failed"} 1');
      h.demo.faults.reset();
      await advanceTo(h, clock, SLOT + FIVE_MINUTES - 1);
      expect(reports(h)).toHaveLength(0);
      await advanceTo(h, clock, SLOT + FIVE_MINUTES);
      expect(reports(h)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('says in the log to invite fipbot when it is not in the channel, and does not try again', async () => {
    const { h, clock } = await startAt(SLOT - 1, undefined, false);
    try {
      await advanceTo(h, clock, SLOT + 30 * 60_000);
      const failed = h.records().filter((r) => r.msg === 'could not post the leak report');
      expect(failed).toEqual([expect.objectContaining({ slackError: 'not_in_channel', hint: 'invite fipbot to FIPBOT_REPORT_CHANNEL' })]);
    } finally {
      await h.close();
    }
  });
});

describe('a shared store that fails', () => {
  it('is logged, and the slot tried again 5 minutes later, not at once', async () => {
    const store = new MemoryInteractionStore();
    const claim = store.claim.bind(store);
    let claims = 0;
    store.claim = (key, ttlMs) => (++claims === 1 ? Promise.reject(new Error('redis down')) : claim(key, ttlMs));
    const { h, clock } = await startAt(SLOT, store);
    try {
      await advanceTo(h, clock, SLOT);
      expect([claims, reports(h).length]).toEqual([1, 0]);
      expect(h.records().filter((r) => r.msg === 'leak digest failed')).toHaveLength(1);
      await advanceTo(h, clock, SLOT + 5 * 60_000);
      expect([claims, reports(h).length]).toEqual([2, 1]);
    } finally {
      await h.close();
    }
  });
});

describe('two replicas sharing one store', () => {
  it('post the report once between them', async () => {
    const store = new MemoryInteractionStore();
    const one = await startAt(SLOT - 1, store);
    const two = await startAt(SLOT - 1, store);
    try {
      await Promise.all([advanceTo(one.h, one.clock, SLOT), advanceTo(two.h, two.clock, SLOT)]);
      expect(reports(one.h).length + reports(two.h).length).toBe(1);
    } finally {
      await one.h.close();
      await two.h.close();
    }
  });
});
