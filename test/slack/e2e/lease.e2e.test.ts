/**
 * `--for DURATION` over signed HTTP: the confirmation says when the IP goes,
 * the result says when, the lease is written on the IP as tags; bad lengths
 * and an existing IP are refused with a clear message and change nothing; a
 * tag write that fails is said in the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { leaseOf } from '../../../src/floating-ips/lease.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { LEASE_LIMITS, leaseRowNote } from '../../../src/floating-ips/lease.js';
import { ManualClock } from '../../support/clock.js';
import { acked, closeWithinLimits, type Harness, limitProblems, startHarness } from './harness.js';

let h: Harness;
// The lease keeper's clock, moved by the tests; leases are counted from the real time of the allocation.
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(async () => {
  expect(limitProblems(h.sim).problems).toEqual([]);
  await closeWithinLimits(h);
});

const channelMessages = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);

async function command(text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

/** A refusal of bad input comes in the ack itself. */
async function ackText(text: string): Promise<string> {
  const ack = await acked(h.sim.slashCommand(text));
  return JSON.stringify(ack.body);
}

async function confirm(confirmation: SimMessage): Promise<SimMessage> {
  const before = channelMessages().length;
  await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
  await expect.poll(() => channelMessages().length, { timeout: 10_000 }).toBe(before + 1);
  return channelMessages().at(-1)!;
}

/** The bot's clock in the harness. */
const BOT_NOW = Date.parse('2026-11-28T12:00:00Z');
const newest = () => h.demo.state.floatingIps('demo').at(-1)!;

describe('--for: a floating IP released by itself', () => {
  it('create public --for 2h: the confirmation says so, the result says when, and the IP carries the lease', async () => {
    const confirmation = await command('create public --for 2h');
    expect(renderText(confirmation)).toContain(
      'It is released automatically 2 hours after it is allocated; you get a direct message 15 minutes before, to extend it or release it at once.',
    );
    const started = Date.now();
    const result = await confirm(confirmation);
    const fip = newest();
    const lease = leaseOf(fip.tags)!;
    expect(lease.owner).toBe(DEFAULT_USER);
    expect(lease.portId).toBeNull();
    expect(lease.expiresAt).toBeGreaterThanOrEqual(Math.floor((started + 2 * 3_600_000) / 1000) * 1000 - 1000);
    expect(lease.expiresAt).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    const at = new Date(lease.expiresAt).toISOString().slice(11, 16);
    expect(renderText(result)).toContain(`Released automatically at ${at} UTC, in 2 hours.`);

    // Its row, in /fip list and on Home, says how long is left (by the bot's clock, fixed in the harness).
    const note = leaseRowNote(lease.expiresAt, BOT_NOW);
    const row = renderText(await command('list'))
      .split('\n')
      .findIndex((line) => line.startsWith(`\`${fip.floatingIpAddress}\``));
    expect(renderText(await command('list')).split('\n')[row + 1]).toContain(note);
    const mark = h.sim.api.mark();
    await acked(h.sim.openHome(DEFAULT_USER));
    await h.sim.api.waitForCall('views.publish', { after: mark, timeoutMs: 10_000 });
    const home = h.sim.views().find((v) => v.type === 'home' && v.user === DEFAULT_USER)!;
    expect(JSON.stringify(home.definitions.at(-1))).toContain(note);
  });

  it('attach new web-1 --for 30m writes the lease with the port it was attached to', async () => {
    const result = await confirm(await command('attach new web-1 --for 30m'));
    const fip = newest();
    expect(leaseOf(fip.tags)?.portId).toBe(fip.portId);
    expect(renderText(result)).toContain('UTC, in 30 minutes.');
  });

  it('refuses a length out of bounds, a word that is no length, and --for on an existing IP, changing nothing', async () => {
    const count = h.demo.state.floatingIps('demo').length;
    expect(await ackText('create public --for 5m')).toContain('--for must be between 10 minutes and 30 days.');
    expect(await ackText('create public --for 31d')).toContain('--for must be between 10 minutes and 30 days.');
    expect(await ackText('create --for soon')).toContain('--for takes a duration such as 30m, 2h or 3d; \\"soon\\" is not one.');
    expect(await ackText('attach 192.168.100.201 web-2 --for 2h')).toContain('--for only applies to \\"new\\"');
    expect(h.demo.state.floatingIps('demo')).toHaveLength(count);
  });

  it('a lease that cannot be written is said in the result: the IP stays and will not be released by itself', async () => {
    h.demo.faults.failNext({ method: 'PUT', path: '/v2.0/floatingips/*/tags' }, { status: 500 });
    const result = await confirm(await command('create public --for 1h'));
    expect(leaseOf(newest().tags)).toBeUndefined();
    expect(renderText(result)).toContain('The lease could not be written on the IP, so it will *not* be released automatically.');
  });
});

describe('the reminder in a direct message', () => {
  const dms = () => h.sim.messages().filter((m) => m.channel === h.sim.workspace.dmWith(DEFAULT_USER));
  const keeperAt = (at: number) => clock.runUntil(at, () => h.bot.jobs.leases.settled());

  it("reminds 15 minutes before; Extend moves the end an hour later; the next reminder's Release now goes through the confirmation", async () => {
    await confirm(await command('create public --for 30m'));
    const fip = newest();
    const first = leaseOf(fip.tags)!;
    await keeperAt(first.expiresAt - LEASE_LIMITS.remindBeforeMs - 1_000);
    expect(dms().filter((m) => m.text?.includes(fip.floatingIpAddress))).toHaveLength(0);
    await keeperAt(first.expiresAt - LEASE_LIMITS.remindBeforeMs + 1_000);
    const reminder = dms().find((m) => m.text?.includes(fip.floatingIpAddress))!;
    // The reminder as Slack shows it now (Extend's answer replaces it).
    const reminderNow = () => h.sim.messages().find((m) => m.ts === reminder.ts && m.channel === reminder.channel)!;
    expect(renderText(reminder)).toContain(`Your floating IP \`${fip.floatingIpAddress}\` is released at`);
    expect(renderText(reminder)).toContain('[Extend 1 hour] [Release now]');

    const extendedReply = await acked(h.sim.clickButton(reminder, { actionId: ACTIONS.leaseExtend }));
    await expect.poll(() => h.sim.responses(extendedReply.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const extended = leaseOf(h.demo.state.floatingIp(fip.floatingIpAddress)!.tags)!;
    expect(extended.expiresAt).toBe(first.expiresAt + 60 * 60_000);
    expect(extended.reminded).toBe(false);
    const at = new Date(extended.expiresAt).toISOString().slice(11, 16);
    expect(renderText(h.sim.responses(extendedReply.responseUrl!)[0]!.message!)).toContain(
      `Extended: \`${fip.floatingIpAddress}\` is released at ${at} UTC`,
    );

    expect(renderText(reminderNow())).not.toContain('[Extend 1 hour]');

    await keeperAt(extended.expiresAt - LEASE_LIMITS.remindBeforeMs + 1_000);
    const second = dms()
      .filter((m) => m.text?.includes(fip.floatingIpAddress))
      .at(-1)!;
    expect(second.ts).not.toBe(reminder.ts);
    const release = await acked(h.sim.clickButton(second, { text: 'Release now' }));
    await expect.poll(() => h.sim.responses(release.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const confirmation = h.sim.responses(release.responseUrl!)[0]!.message!;
    expect(renderText(confirmation)).toContain(`\`${fip.floatingIpAddress}\` goes back to pool *public*`);
    await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
    await expect.poll(() => h.demo.state.floatingIp(fip.floatingIpAddress), { timeout: 10_000 }).toBeUndefined();
  });
});
