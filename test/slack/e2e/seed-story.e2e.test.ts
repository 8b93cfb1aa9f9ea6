/**
 * The seed's story told through Slack, end to end: signed slash commands
 * and button clicks into the real Bolt app, the real service and adapter,
 * the demo cloud behind them; what users see read back from the simulated
 * Slack (response_urls and Web API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { assertWithinLimits } from '../../support/slack/block-kit.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

let h: Harness;
let ip = '';

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  // Everything the bot sent in this file, every version of it, within Block Kit's limits.
  await closeWithinLimits(h);
});

/** Runs `/fip <text>` and waits for the first message it produces (ephemeral, for the user). */
async function command(text: string): Promise<{ message: SimMessage; responseUrl: string; ackStatus: number }> {
  const ack = await h.sim.slashCommand(text);
  expect(ack.status).toBe(200);
  expect(ack.withinDeadline).toBe(true);
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  const message = h.sim.responses(ack.responseUrl!)[0]!.message!;
  assertWithinLimits('message', { text: message.text, blocks: message.blocks });
  return { message, responseUrl: ack.responseUrl!, ackStatus: ack.status };
}

/** Clicks the Confirm button of a confirmation and waits for the result posted in the channel. */
async function confirm(confirmation: SimMessage, label: string): Promise<SimMessage> {
  const before = h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral).length;
  const click = await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm, text: label });
  expect(click.status).toBe(200);
  await expect
    .poll(() => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral).length, { timeout: 10_000 })
    .toBe(before + 1);
  const result = h.sim
    .messages()
    .filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral)
    .at(-1)!;
  assertWithinLimits('message', { text: result.text, blocks: result.blocks });
  return result;
}

const writes = () => h.demo.stats.requests().filter((r) => r.method !== 'GET' && r.path.includes('/floatingips'));

describe('the seed story in Slack', () => {
  it('allocates a floating IP from public after showing what will happen', async () => {
    const { message } = await command('create public');
    expect(renderText(message)).toContain('Allocate a floating IP from pool public?');
    expect(renderText(message)).toContain('[Allocate]');
    expect(writes()).toHaveLength(0);

    const result = await confirm(message, 'Allocate');
    ip = /(\d+\.\d+\.\d+\.\d+)/.exec(result.text ?? '')![1]!;
    expect(result.text).toBe(`allocated ${ip} from pool public (by <@${DEFAULT_USER}>)`);
    expect(renderText(result)).toContain(`<@${DEFAULT_USER}> allocated \`${ip}\` from pool *public*.`);
    const [created] = h.demo.state.floatingIps('demo').filter((fip) => fip.floatingIpAddress === ip);
    expect(created?.description).toMatch(
      /^fipbot: requested by @alice \(U0ALICE01\) in #ops \(C0OPS0001\) on 2026-11-28 \(fipbot op [0-9a-f]{8}\)$/,
    );
  });

  it("lists it as free, with Attach… and Release in its row's menu, and who asked for it", async () => {
    const { message } = await command('list free');
    const text = renderText(message);
    expect(text).toContain(`\`${ip}\` free\npool public · by <@${DEFAULT_USER}> · 28 Nov`);
    expect(text).toContain('[⋯ Attach… | Release]');
  });

  it('refuses to attach it to test_instance in one line, what to do in one line, and the next steps as buttons; changes nothing', async () => {
    const before = writes().length;
    const { message } = await command(`attach ${ip} test_instance`);
    const text = renderText(message);
    expect(message.text).toMatch(/^"test_instance" needs no floating IP: use 192\.168\.100\.178\. Nothing was changed/);
    expect(text.split('\n').slice(0, 3)).toEqual([
      ':no_entry: *"test_instance" needs no floating IP: use 192.168.100.178*',
      'It is directly on the public network "public": reach it at that address.',
      '[Use 192.168.100.178] [Why?]',
    ]);
    // The router detail is behind "Why?"; what is left fits a phone screen.
    expect(text).not.toContain('gateway');
    expect(text.length).toBeLessThan(400);
    expect(writes()).toHaveLength(before);

    // "Use …" gives the address alone on a line, to copy; the refusal stays.
    const use = await acked(h.sim.clickButton(message, { text: 'Use 192.168.100.178' }));
    await expect.poll(() => h.sim.responses(use.responseUrl!).length, { timeout: 10_000 }).toBe(1);
    const copied = h.sim.responses(use.responseUrl!)[0]!;
    expect(copied.replaceOriginal).toBe(false);
    expect(renderText(copied.message!).split('\n')[0]).toBe('`192.168.100.178`');

    // "Why?" explains the instance beside the refusal.
    const whyTap = await acked(h.sim.clickButton(message, { text: 'Why?' }));
    await expect.poll(() => h.sim.responses(whyTap.responseUrl!).length, { timeout: 10_000 }).toBe(1);
    const why = h.sim.responses(whyTap.responseUrl!)[0]!;
    expect(why.replaceOriginal).toBe(false);
    expect(renderText(why.message!)).toContain('routers join external networks through their gateway, never through an interface');
    expect(writes()).toHaveLength(before);
  });

  it('attaches it to web-1 after confirmation and tells the channel', async () => {
    const { message } = await command(`attach web-1 ${ip}`);
    expect(renderText(message)).toMatch(
      new RegExp(
        `Floating IP \`${ip.replace(/\./g, '\\.')}\` from pool \\*public\\* is attached to \`10\\.0\\.0\\.\\d+\` of \\*web-1\\* on network \\*private\\* \\(through router \\*router1\\*\\)`,
      ),
    );
    const result = await confirm(message, 'Attach');
    expect(result.text).toBe(`attached ${ip} to web-1 (by <@${DEFAULT_USER}>)`);
    expect(h.demo.state.floatingIps('demo').find((fip) => fip.floatingIpAddress === ip)?.portId).not.toBeNull();
  });

  it('removes the confirmation once the result is in the channel', async () => {
    const { message, responseUrl } = await command(`detach ${ip} web-1`);
    await confirm(message, 'Detach');
    await expect.poll(() => h.sim.responses(responseUrl).length + h.sim.messages().filter((m) => m.deleted).length).toBeGreaterThan(1);
    expect(h.demo.state.floatingIps('demo').find((fip) => fip.floatingIpAddress === ip)?.portId).toBeNull();
  });

  it('releases it after a confirmation whose red button is the consent (no dialog on top), and says so in the channel', async () => {
    const { message } = await command(`release ${ip}`);
    const button = message.blocks
      .flatMap((b) => (b as { elements?: Array<Record<string, unknown>> }).elements ?? [])
      .find((e) => e.action_id === ACTIONS.confirm)!;
    expect(button.style).toBe('danger');
    expect(button.confirm).toBeUndefined();
    const result = await confirm(message, 'Release');
    expect(result.text).toBe(`released ${ip} (by <@${DEFAULT_USER}>)`);
    expect(h.demo.state.floatingIps('demo').find((fip) => fip.floatingIpAddress === ip)).toBeUndefined();
  });

  it('explains test_instance on request: the answer first, then why', async () => {
    const { message } = await command('explain test_instance');
    expect(message.text).toBe('"test_instance" needs no floating IP: use 192.168.100.178');
    expect(renderText(message)).toContain('It sits directly on the external network "public", so `192.168.100.178` already reaches it.');
    expect(renderText(message)).toContain('[Use 192.168.100.178]');
  });

  it('logs one audit line per change, with the OpenStack request id', () => {
    const audits = h.records().filter((r) => r.msg === 'audit');
    expect(audits.map((a) => [a.action, a.outcome])).toEqual([
      ['create', 'done'],
      ['attach', 'done'],
      ['detach', 'done'],
      ['release', 'done'],
    ]);
    for (const audit of audits) expect(audit.requestId).toMatch(/^req-/);
  });
});
