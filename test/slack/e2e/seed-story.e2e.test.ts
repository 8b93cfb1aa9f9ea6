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
import { closeWithinLimits, type Harness, startHarness } from './harness.js';

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

  it('refuses to attach it to test_instance with the reason a person would give, and changes nothing', async () => {
    const before = writes().length;
    const { message } = await command(`attach ${ip} test_instance`);
    const text = renderText(message);
    expect(message.text).toMatch(
      /^"test_instance" is directly on the public network "public": it needs no floating IP\. Nothing was changed/,
    );
    expect(text).toContain('already has the routable address `192.168.100.178`');
    expect(text).toContain('Floating IPs only work for instances on a private network that a router connects to the pool "public"');
    expect(text).toContain('*What to do:* Use `192.168.100.178` directly.');
    expect(text).not.toContain('[');
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

  it('explains test_instance on request', async () => {
    const { message } = await command('explain test_instance');
    expect(message.text).toBe('"test_instance" cannot take a floating IP from any pool');
    expect(renderText(message)).toContain(
      'sits directly on the external network "public" and already has the routable address `192.168.100.178`: it needs no floating IP',
    );
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
