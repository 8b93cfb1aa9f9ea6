/**
 * The room before an allocation, in Slack: the quota and the pool's free
 * addresses under the confirmation; an unattached IP of the pool offered
 * instead of a new one; and, with the quota used up, the refusal carries the
 * unattached IPs to reclaim in the same message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS } from '../../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await closeWithinLimits(h);
});

const SPARE = '192.168.100.201';
const channelMessages = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);

async function command(text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

async function tap(
  message: SimMessage,
  query: { actionId?: string; text?: string },
  state?: Record<string, string[]>,
): Promise<SimMessage> {
  const click = await acked(h.sim.clickButton(message, query, state ? { state } : {}));
  await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(click.responseUrl!)[0]!.message!;
}

describe('room before an allocation', () => {
  it("shows the quota, says the pool's free addresses are not visible to the bot, and offers the unattached IP", async () => {
    const confirmation = await command('create public');
    const text = renderText(confirmation);
    expect(text).toContain('Quota: 2 of 50 floating IPs used Pool public: free addresses not visible with these credentials');
    expect(text).toContain(`[Allocate] [Cancel] [Use ${SPARE} (unattached for 0 minutes)]`);
    const copied = await tap(confirmation, { text: `Use ${SPARE} (unattached for 0 minutes)` });
    expect(renderText(copied).split('\n')[0]).toBe(`\`${SPARE}\``);
  });

  it('offers the unattached IP instead of a new one for an instance; the tap turns into attaching that one', async () => {
    const confirmation = await command('attach new web-1');
    expect(renderText(confirmation)).toContain('A new floating IP from pool *public* is allocated and attached');
    const instead = await tap(confirmation, { text: `Use ${SPARE} (unattached for 0 minutes)` });
    expect(renderText(instead)).toContain(`Floating IP \`${SPARE}\` from pool *public* is attached to`);
    expect(h.demo.state.floatingIps('demo')).toHaveLength(2);
  });

  it('shows the same room on the Home tab, one line under its buttons', async () => {
    const mark = h.sim.api.mark();
    await h.sim.openHome(DEFAULT_USER);
    await h.sim.api.waitForCall('views.publish', { after: mark });
    const home = h.sim.views().find((view) => view.type === 'home' && view.user === DEFAULT_USER)!;
    const lines = renderText(home).split('\n');
    const used = h.demo.state.floatingIps('demo').length;
    expect(lines[1]).toBe(`Quota: ${used} of 50 floating IPs used · Free addresses in the pools not visible with these credentials`);
  });

  it('refuses an allocation past the quota before sending it, with the unattached IPs to reclaim in the same message', async () => {
    h.demo.state.setQuota('demo', 'floatingip', 2);
    const before = h.demo.stats.requests({ method: 'POST', path: '/v2.0/floatingips' }).length;
    const refusal = await command('create public');
    const text = renderText(refusal);
    expect(text.split('\n').slice(0, 2)).toEqual([
      ':no_entry: *The floating-IP quota is used up*',
      'Reclaim a floating IP nobody uses (`/fip leaks`), or ask the cloud operators to raise the quota.',
    ]);
    expect(text).toContain('This project already has 2 of its 2 floating IPs.');
    expect(text).toContain(`\`${SPARE}\` · outside fipbot`);
    expect(h.demo.stats.requests({ method: 'POST', path: '/v2.0/floatingips' })).toHaveLength(before);

    const confirmation = await tap(
      refusal,
      { actionId: ACTIONS.reclaimPicked },
      { [`${BLOCKS.leakPick}.${ACTIONS.leakPick}`]: [pickValue(refusal, SPARE)] },
    );
    expect(renderText(confirmation)).toContain('*Release 1 floating IP?*');
    const results = channelMessages().length;
    await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
    await expect.poll(() => channelMessages().length, { timeout: 10_000 }).toBe(results + 1);
    expect(h.demo.state.floatingIp(SPARE)).toBeUndefined();
    expect(renderText(await command('create public'))).toContain('Quota: 1 of 2 floating IPs used');
  });
});

function pickValue(message: SimMessage, address: string): string {
  const block = message.blocks.find((b) => (b as { block_id?: string }).block_id === BLOCKS.leakPick) as {
    elements: Array<{ options: Array<{ text: { text: string }; value: string }> }>;
  };
  return block.elements[0]!.options.find((option) => option.text.text.includes(address))!.value;
}
