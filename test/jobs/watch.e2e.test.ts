/**
 * The watch, in the real bot on the demo cloud with fake time: the first
 * poll is a baseline; a change made straight through Neutron (the bot's
 * credentials, another client) is posted once, naming the IP; several in
 * one poll share one message; fipbot's own changes are never posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { connectDemo } from '../support/demo.js';
import { ManualClock } from '../support/clock.js';
import { renderText } from '../support/slack/text.js';
import { DEFAULT_CHANNEL } from '../support/slack/workspace.js';
import type { SimMessage } from '../support/slack/messages.js';
import { acked, closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';

const WATCH_CHANNEL = 'C0WATCH001';
const INTERVAL = 60_000;
const T0 = Date.parse('2026-11-30T10:00:00Z');

let h: Harness;
let clock: ManualClock;
let raw: CloudConnection;

beforeAll(async () => {
  clock = new ManualClock(T0);
  h = await startHarness({ env: { FIPBOT_WATCH_CHANNEL: WATCH_CHANNEL }, clock, timing: { jobs: { watchIntervalMs: INTERVAL } } });
  h.sim.workspace.addChannel({ id: WATCH_CHANNEL, name: 'fip-watch' });
  raw = connectDemo(h.demo, 'demo');
});
afterAll(async () => {
  await raw.close();
  await closeWithinLimits(h, 3);
});

const posts = () => h.sim.messages().filter((m) => m.channel === WATCH_CHANNEL);
const idOf = (address: string) => h.demo.state.floatingIp(address)!.id;

/** The next poll: the clock moves one interval, and the poll's work is waited for. */
function poll(): Promise<void> {
  return clock.runUntil(clock.now() + INTERVAL, () => h.bot.jobs.watch!.settled());
}

async function command(text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

async function confirmed(text: string, label: string): Promise<void> {
  const results = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral).length;
  const before = results();
  await acked(h.sim.clickButton(await command(text), { actionId: ACTIONS.confirm, text: label }));
  await expect.poll(results, { timeout: 10_000 }).toBe(before + 1);
}

describe('the watch', () => {
  it('takes a baseline at its first poll and posts nothing', async () => {
    await poll();
    expect(posts()).toHaveLength(0);
    expect(h.bot.metrics.render()).toContain('fipbot_jobs_total{job="watch",outcome="baseline"} 1');
  });

  it('posts a detach made outside fipbot once, naming the IP', async () => {
    const { id, fixedIpAddress } = h.demo.state.floatingIp('192.168.100.202')!;
    await raw.neutron.updateFloatingIp(id, { portId: null });
    await poll();
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.text).toBe(`Made outside fipbot: 192.168.100.202 detached from ${fixedIpAddress}.`);
    expect(renderText(posts()[0]!)).toContain('*1 floating IP change made outside fipbot*');
    // Nothing more happened: the next poll is quiet.
    await poll();
    expect(posts()).toHaveLength(1);
  });

  it('groups the changes of one poll in one message: an allocation and a release', async () => {
    const pool = h.demo.state.floatingIp('192.168.100.201')!.floatingNetworkId;
    const created = await raw.neutron.createFloatingIp({ networkId: pool });
    await raw.neutron.deleteFloatingIp(idOf('192.168.100.202'));
    await poll();
    expect(posts()).toHaveLength(2);
    const text = renderText(posts()[1]!);
    expect(text).toContain('*2 floating IP changes made outside fipbot*');
    expect(text).toContain('• `192.168.100.202` released (pool *public*)');
    expect(text).toContain(`• \`${created.value.address}\` allocated from pool *public*`);
  });

  it("leaves out fipbot's own changes: an allocation, an attach, a detach and a release made through Slack", async () => {
    await confirmed('create public', 'Allocate');
    await poll();
    await confirmed('attach 192.168.100.201 web-1', 'Attach');
    await poll();
    await confirmed('detach 192.168.100.201', 'Detach');
    await confirmed('release 192.168.100.201', 'Release');
    await poll();
    expect(posts()).toHaveLength(2);
    expect(h.demo.state.floatingIp('192.168.100.201')).toBeUndefined();
  });

  it('stops with fipbot: no timer left', async () => {
    await h.bot.stop();
    expect(clock.pending()).toBe(0);
  });
});
