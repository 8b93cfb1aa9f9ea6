/**
 * Overload: past FIPBOT_MAX_IN_FLIGHT requests being worked on (3 here, with
 * OpenStack slowed to 400 ms an answer), a new request is answered at once
 * that fipbot is busy and nothing was done, in the way its kind allows, and
 * none of its work starts. When the work drains, requests are served again.
 * (The full volume, 8,000 commands at 500/s against the built bot, is in
 * test/soak/overload.soak.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS } from '../../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { renderText } from '../../support/slack/text.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

const BUSY = 'fipbot is busy: too many requests are waiting for OpenStack. Nothing was done; try again in a minute.';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { FIPBOT_MAX_IN_FLIGHT: '3' } });
});
afterAll(async () => {
  await closeWithinLimits(h);
});

/** Runs `work` while three slow lists keep fipbot at its limit. */
async function whileFull(work: () => Promise<void>): Promise<void> {
  h.demo.faults.setLatency(400);
  const running = await Promise.all(Array.from({ length: 3 }, () => acked(h.sim.slashCommand('list'))));
  try {
    expect(h.bot.inFlight.size).toBe(3);
    await work();
  } finally {
    h.demo.faults.reset();
    for (const ack of running) await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  }
}

describe('at the limit', () => {
  it('answers a command "busy" in its ack, at once, and starts none of its work', async () => {
    await whileFull(async () => {
      const before = h.demo.stats.requests().length;
      const busy = await acked(h.sim.slashCommand('create public'));
      expect((busy.body as { text: string }).text).toBe(BUSY);
      expect(busy.ackMs).toBeLessThan(1_000);
      expect(h.demo.stats.requests().length).toBe(before);
    });
    expect(h.bot.metrics.render()).toMatch(/fipbot_busy_total\{kind="slash_command"\} 1/);
  });

  it('tells the person of a busy click, a busy form keeps its values with the notice on it, and a busy typeahead suggests nothing', async () => {
    const confirmation = await firstAnswer('create public');
    const mark = h.sim.api.mark();
    await acked(h.sim.slashCommand(''));
    await h.sim.api.waitForCall('views.open', { after: mark });
    const form = h.sim
      .views()
      .filter((view) => view.type === 'modal')
      .at(-1)!;
    await whileFull(async () => {
      const click = await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
      await expect.poll(() => h.sim.responses(click.responseUrl!).map((r) => r.text)).toEqual([BUSY]);
      expect(h.sim.responses(click.responseUrl!)[0]!.replaceOriginal).toBe(false);

      const submitted = await acked(h.sim.submitView(form, {}, { force: true }));
      expect(submitted.body).toEqual({ response_action: 'errors', errors: { [BLOCKS.formOperation]: BUSY } });
      const suggestions = await h.sim.suggest(form, ACTIONS.ipSelect, '192');
      expect(suggestions!.body).toEqual({ options: [] });
    });
    // The confirmation was not used up: once fipbot has room, it works.
    const results = () => h.sim.messages().filter((m) => !m.ephemeral && /^allocated /.test(m.text ?? ''));
    await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
    await expect.poll(() => results().length, { timeout: 10_000 }).toBe(1);
  });

  it('serves again as soon as the work has drained', async () => {
    const reply = await firstAnswer('list');
    expect(renderText(reply)).toContain('Floating IPs of demo');
  });
});

async function firstAnswer(text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}
