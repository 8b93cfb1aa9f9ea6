/**
 * The periodic jobs with several clouds: each cloud runs its own, so the scheduled leak report is posted once
 * per cloud, each post naming its cloud, and its Reclaim buttons act on the cloud of the post they sit in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_LIMITS, leaseOf, leaseTags } from '../../src/floating-ips/lease.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { ManualClock } from '../support/clock.js';
import { renderText } from '../support/slack/text.js';
import { acked, closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';

const REPORT_CHANNEL = 'C0REPORT01';
const SLOT = Date.parse('2026-11-30T09:00:00Z');
const env = { FIPBOT_REPORT_CHANNEL: REPORT_CHANNEL, FIPBOT_REPORT_SCHEDULE: 'mon 09:00', FIPBOT_REPORT_TIMEZONE: 'UTC' };

describe('the scheduled leak report with two clouds', () => {
  let h: Harness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(SLOT - 60_000);
    h = await startHarness({ env, clock, twoClouds: { prod: ['C0PROD0001'], staging: ['C0STAGE001'] } });
    h.sim.workspace.addChannel({ id: REPORT_CHANNEL, name: 'fip-report' });
    const staging = h.bot.clouds.find((cloud) => cloud.name === 'staging')!.service;
    const allocated = await staging.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
  });
  afterAll(async () => closeWithinLimits(h, 2));

  it('is posted once per cloud, each naming its cloud and its own IPs', async () => {
    await clock.runUntil(SLOT, () =>
      Promise.all([...h.bot.jobsByCloud.values()].map((jobs) => jobs.digest!.settled())).then(() => undefined),
    );
    const posts = h.sim.messages().filter((m) => m.channel === REPORT_CHANNEL && !m.ephemeral);
    expect(posts).toHaveLength(2);
    const prod = posts.find((post) => renderText(post).includes('Cloud *prod*'))!;
    const staging = posts.find((post) => renderText(post).includes('Cloud *staging*'))!;
    expect(renderText(prod)).toContain('192.168.100.201');
    expect(renderText(staging)).toContain('project demo-staging');
    expect(renderText(staging)).not.toContain('192.168.100.201');
  });

  it("Reclaim in a cloud's post acts on that cloud", async () => {
    const staging = h.sim.messages().find((m) => m.channel === REPORT_CHANNEL && renderText(m).includes('Cloud *staging*'))!;
    const click = await acked(h.sim.clickButton(staging, { actionId: ACTIONS.reclaimAll }));
    await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const confirmation = renderText(h.sim.responses(click.responseUrl!)[0]!.message!);
    expect(confirmation).toContain('Cloud *staging*');
    expect(confirmation).not.toContain('192.168.100.201');
  });
});

describe('lease reminders with two clouds', () => {
  const T0 = Date.now();
  const STAGING_IP = '192.168.100.220';
  let h: Harness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(T0);
    h = await startHarness({ clock, twoClouds: { prod: ['C0PROD0001'], staging: ['C0STAGE001'] } });
  });
  afterAll(async () => closeWithinLimits(h, 1));

  it("reminds the owner naming the IP's cloud, and Extend acts on that cloud", async () => {
    const staging = h.bot.clouds.find((cloud) => cloud.name === 'staging')!;
    const fip = h.demo.state.floatingIp(STAGING_IP)!;
    const expiresAt = T0 + 60 * 60_000;
    await staging.connection.neutron.replaceFloatingIpTags(fip.id, leaseTags({ expiresAt, owner: 'U0ALICE01', portId: fip.portId }));
    const settled = () => Promise.all([...h.bot.jobsByCloud.values()].map((jobs) => jobs.leases.settled())).then(() => undefined);
    await clock.runUntil(expiresAt - LEASE_LIMITS.remindBeforeMs, settled);
    const reminders = () => h.sim.messages().filter((m) => (m.text ?? '').includes(`${STAGING_IP} is released at`));
    await expect.poll(() => reminders().length).toBe(1);
    const reminder = reminders()[0]!;
    expect(reminder.text).toMatch(/^\[staging\] /);
    expect(renderText(reminder)).toContain('Cloud *staging*');

    const click = await acked(h.sim.clickButton(reminder, { actionId: ACTIONS.leaseExtend }));
    await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(renderText(h.sim.responses(click.responseUrl!)[0]!.message!)).toContain('Cloud *staging*');
    expect(leaseOf(h.demo.state.floatingIp(STAGING_IP)!.tags)!.expiresAt).toBeGreaterThan(expiresAt);
  });
});
