/**
 * The audit channel, end to end: with FIPBOT_AUDIT_CHANNEL set, every change
 * is copied there as it happens; when that channel cannot be posted to, the
 * change and its result go ahead and the log says why the copy is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL } from '../../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

const AUDIT = 'C0AUDIT01';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ auditChannel: AUDIT });
  h.sim.workspace.addChannel({ id: AUDIT, name: 'fip-audit' });
});
afterAll(async () => {
  await closeWithinLimits(h, 10);
});

const inChannel = (channel: string) => h.sim.messages().filter((m) => m.channel === channel && !m.ephemeral);

/** `/fip <text>`, then Confirm; returns the result the channel sees. */
async function change(text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  const confirmation = h.sim.responses(ack.responseUrl!)[0]!.message!;
  const before = inChannel(DEFAULT_CHANNEL).length;
  await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
  await expect.poll(() => inChannel(DEFAULT_CHANNEL).length, { timeout: 10_000 }).toBe(before + 1);
  return inChannel(DEFAULT_CHANNEL).at(-1)!;
}

describe('the audit channel', () => {
  let ip = '';

  it('gets a copy of every change: allocate, attach, detach and release, with who, what and the request id', async () => {
    const allocated = await change('create public');
    ip = /(\d+\.\d+\.\d+\.\d+)/.exec(allocated.text ?? '')![1]!;
    await change(`attach ${ip} web-1`);
    await change(`detach ${ip}`);
    await change(`release ${ip}`);

    await expect.poll(() => inChannel(AUDIT).length, { timeout: 10_000 }).toBe(4);
    const fixed = h.demo.state.portsOf('web-1')[0]!.fixedIps[0]!.ipAddress;
    const texts = inChannel(AUDIT).map((m) => m.text!.replace(/ \(request req-[0-9a-f-]+\)$/, ''));
    expect(texts).toEqual([
      `alice created ${ip} from pool public`,
      `alice attached ${ip} to web-1 (fixed IP ${fixed})`,
      `alice detached ${ip} from web-1`,
      `alice released ${ip}`,
    ]);
    for (const copy of inChannel(AUDIT)) {
      expect(copy.text).toMatch(/\(request req-[0-9a-f-]+\)$/);
      expect(renderText(copy)).toContain(`in <#${DEFAULT_CHANNEL}> · via command · team T0SIM0001`);
    }
  });

  it('lets the change go ahead, and logs why, when the audit channel cannot be posted to', async () => {
    // The bot was removed from the audit channel.
    h.sim.workspace.addChannel({ id: AUDIT, name: 'fip-audit', botIsMember: false });
    const copies = inChannel(AUDIT).length;

    const result = await change('create public');
    const created = /^allocated (\d+\.\d+\.\d+\.\d+) from pool public/.exec(result.text ?? '')?.[1];
    expect(created).toBeDefined();
    expect(h.demo.state.floatingIp(created!)).toBeDefined();

    expect(inChannel(AUDIT)).toHaveLength(copies);
    const refused = h.sim.api
      .callsTo('chat.postMessage')
      .filter((call) => call.args.channel === AUDIT)
      .at(-1)!;
    expect(refused.response).toEqual({ ok: false, error: 'not_in_channel' });
    const warning = h.records().find((r) => r.msg === 'audit channel copy failed; the audit log line stands');
    expect(warning).toMatchObject({
      auditChannel: AUDIT,
      action: 'create',
      slackError: 'not_in_channel',
      hint: 'invite the bot to the audit channel',
    });
    const line = h
      .records()
      .filter((r) => r.msg === 'audit')
      .at(-1);
    expect(line).toMatchObject({ action: 'create', ip: created, outcome: 'done' });
  });
});
