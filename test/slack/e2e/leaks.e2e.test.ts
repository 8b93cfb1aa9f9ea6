/**
 * `/fip leaks` in Slack: the unattached floating IPs, oldest first, with who
 * allocated them; tick some and reclaim them, or reclaim all. One
 * confirmation names exactly what goes; one result message in the channel;
 * an IP attached in the meantime is skipped and named.
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

const SEEDED_FREE = '192.168.100.201';
const channelMessages = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
const exists = (ip: string) => h.demo.state.floatingIps('demo').some((fip) => fip.floatingIpAddress === ip);

async function command(text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

/** Taps a button (with what is ticked) and returns the first answer to that tap. */
async function tap(message: SimMessage, actionId: string, ticked: string[] = []): Promise<SimMessage> {
  const values = ticked.map((ip) => checkbox(message).find((option) => option.text.includes(ip))!.value);
  const click = await acked(h.sim.clickButton(message, { actionId }, { state: { [`${BLOCKS.leakPick}.${ACTIONS.leakPick}`]: values } }));
  await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(click.responseUrl!)[0]!.message!;
}

function checkbox(message: SimMessage): Array<{ text: string; description: string; value: string }> {
  const block = message.blocks.find((b) => (b as { block_id?: string }).block_id === BLOCKS.leakPick) as {
    elements: Array<{ options: Array<{ text: { text: string }; description: { text: string }; value: string }> }>;
  };
  return block.elements[0]!.options.map((o) => ({ text: o.text.text, description: o.description.text, value: o.value }));
}

/** Confirms and returns the one result posted in the channel. */
async function confirm(confirmation: SimMessage, label: string): Promise<SimMessage> {
  const before = channelMessages().length;
  await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm, text: label }));
  await expect.poll(() => channelMessages().length, { timeout: 10_000 }).toBe(before + 1);
  return channelMessages().at(-1)!;
}

async function allocate(): Promise<string> {
  const result = await confirm(await command('create public'), 'Allocate');
  return /(\d+\.\d+\.\d+\.\d+)/.exec(result.text ?? '')![1]!;
}

describe('the leak report', () => {
  let mine: string[] = [];

  it('lists the unattached IPs oldest first, who allocated each, and reads only the attributes it shows', async () => {
    mine = [await allocate(), await allocate()];
    const mark = h.demo.stats.requests().length;
    const report = await command('leaks');
    const options = checkbox(report);
    expect(renderText(report).split('\n')[0]).toBe('*3 unattached floating IPs in project demo*');
    // The seeded one came first and was allocated outside fipbot.
    expect(options.map((o) => o.text)).toEqual([
      `\`${SEEDED_FREE}\` · outside fipbot`,
      `\`${mine[0]}\` · by <@${DEFAULT_USER}>`,
      `\`${mine[1]}\` · by <@${DEFAULT_USER}>`,
    ]);
    expect(options[1]!.description).toMatch(/^unattached for \d+ (minute|hour|day)s? · pool public$/);
    const listing = h.demo.stats
      .requests()
      .slice(mark)
      .find((r) => r.method === 'GET' && r.path.endsWith('/floatingips'))!;
    expect(new URLSearchParams(listing.query).getAll('fields')).toContain('updated_at');
    expect(new URLSearchParams(listing.query).getAll('fields')).not.toContain('port_details');
  });

  it('says what to do when nothing is ticked, and changes nothing', async () => {
    const answer = await tap(await command('leaks'), ACTIONS.reclaimPicked);
    expect(answer.text).toBe('Tick the floating IPs to reclaim first, or use Reclaim all. Nothing was changed.');
    expect(mine.every(exists)).toBe(true);
  });

  it('reclaims the ticked ones after one confirmation naming exactly them; one attached meanwhile is skipped and named', async () => {
    const report = await command('leaks');
    const confirmation = await tap(report, ACTIONS.reclaimPicked, mine);
    const text = renderText(confirmation);
    expect(text).toContain('*Release 2 floating IPs?*');
    for (const ip of mine) expect(text).toContain(`• \`${ip}\` goes back to pool *public*`);
    expect(text).not.toContain(SEEDED_FREE);

    // Someone attaches one before the click on Confirm.
    await confirm(await command(`attach ${mine[1]} web-1`), 'Attach');
    const result = await confirm(confirmation, 'Release 2');
    expect(result.text).toBe(`reclaimed 1 floating IP, skipped 1 (by <@${DEFAULT_USER}>)`);
    expect(renderText(result)).toContain(`reclaimed 1 floating IP: \`${mine[0]}\`.\nSkipped \`${mine[1]}\` (attached in the meantime).`);
    expect(exists(mine[0]!)).toBe(false);
    expect(h.demo.state.floatingIp(mine[1]!)?.portId).not.toBeNull();
    expect(exists(SEEDED_FREE)).toBe(true);
  });

  it('reclaims all the unattached ones from the button, never an attached one', async () => {
    const extra = await allocate();
    const confirmation = await tap(await command('leaks'), ACTIONS.reclaimAll);
    expect(renderText(confirmation)).toContain('*Release 2 floating IPs?*');
    const result = await confirm(confirmation, 'Release 2');
    expect(result.text).toBe(`reclaimed 2 floating IPs (by <@${DEFAULT_USER}>)`);
    expect([exists(SEEDED_FREE), exists(extra)]).toEqual([false, false]);
    expect(h.demo.state.floatingIp(mine[1]!)?.portId).not.toBeNull();
    expect(renderText(await command('leaks'))).toContain('No unattached floating IPs in project demo: nothing is leaking.');
  });

  it('takes typed addresses too, and says what it leaves out', async () => {
    const ip = await allocate();
    const confirmation = await command(`reclaim ${ip} ${mine[1]}`);
    const text = renderText(confirmation);
    expect(text).toContain(`• \`${ip}\` goes back to pool *public*`);
    expect(text).toContain(`• \`${mine[1]}\` stays: it is attached`);
    await confirm(confirmation, 'Release 1');
    expect(exists(ip)).toBe(false);
  });
});
