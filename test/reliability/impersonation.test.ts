/**
 * Payloads that claim another user or another channel, with a policy file in
 * force. Slack signs every payload, so "claiming" here means a request Slack
 * really sent for that user or from that channel: a click on someone else's
 * confirmation, a modal submitted by someone else, a command typed in a
 * channel the policy names. None may act beyond the policy.
 *
 * The policy's channel rule, documented by these tests: a channel listed for
 * an action grants it to EVERYONE who can post there (policy.ts: "any match
 * grants"); Bob, who is not listed, may release from #ops, but not from
 * another channel, nor from the Home tab, where there is no channel. The
 * start-up warning says so. What counts is the channel the request was made
 * in, kept with the plan: the channel a later click comes from changes
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/slack/blocks/ids.js';
import { createPolicy, policyWarnings } from '../../src/slack/policy/engine.js';
import { parsePolicy } from '../../src/slack/policy/file.js';
import { FORM, interactionBase, interactiveBody } from '../support/slack/payloads.js';
import { signedRequest } from '../support/slack/signing.js';
import { renderText } from '../support/slack/text.js';
import type { SimView } from '../support/slack/views.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../support/slack/workspace.js';
import { closeWithinLimits, type Harness, SIGNING_SECRET, startHarness } from '../slack/e2e/harness.js';
import { ackedAndCounted, acks, command, confirm, confirmation, confirmDone, demoIps, humane } from './support.js';
import { rowPick } from '../support/slack/rows.js';

const ALICE = DEFAULT_USER;
const BOB = 'U0BOB0001';
const OPS = DEFAULT_CHANNEL;
const OTHER = 'C0OTHER01';
const ONCALL = 'S0ONCALL01';
const POLICY = [
  'default: deny',
  'actions:',
  '  list: { users: ["*"] }',
  '  explain: { users: ["*"] }',
  `  create: { users: [${ALICE}] }`,
  `  attach: { usergroups: [${ONCALL}] }`,
  `  detach: { usergroups: [${ONCALL}] }`,
  `  release: { users: [${ALICE}], channels: [${OPS}] }`,
].join('\n');
const IP_FIELD = `${BLOCKS.formIp}.${ACTIONS.ipSelect}`;
const INSTANCE_FIELD = `${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`;

let h: Harness;

beforeAll(async () => {
  // Members are asked for at every decision: a change of membership counts at once.
  h = await startHarness({ policy: POLICY, timing: { slack: { userGroupsTtlMs: 0 } } });
  h.sim.workspace.setGroupMembers(ONCALL, [ALICE]);
  h.sim.workspace.addChannel({ id: OTHER, name: 'random' });
});

afterAll(async () => {
  await closeWithinLimits(h);
  expect(acks.filter((ack) => !ack.withinDeadline)).toEqual([]);
});

async function newIp(): Promise<string> {
  return /(\d+\.\d+\.\d+\.\d+)/.exec(await confirmDone(h, await confirmation(h, 'create public')))![1]!;
}

describe('clicks and submissions by someone the policy does not allow', () => {
  it("refuses Bob's click on Alice's attach confirmation, changes nothing, and leaves Alice's confirmation usable", async () => {
    const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
    const before = demoIps(h);
    const click = await ackedAndCounted(h.sim.clickButton(shown, { actionId: ACTIONS.confirm }, { user: BOB }));
    await expect.poll(() => h.sim.responses(click.responseUrl!).length).toBe(1);
    const refusal = h.sim.responses(click.responseUrl!)[0]!;
    expect(refusal.text).toBe('Not allowed: This confirmation belongs to someone else.');
    expect(refusal.replaceOriginal).toBe(false);
    expect(demoIps(h)).toEqual(before);
    expect(await confirmDone(h, shown)).toBe(`attached 192.168.100.201 to web-1 (by <@${ALICE}>)`);
    await confirmDone(h, await confirmation(h, 'detach 192.168.100.201'));
  });

  it("refuses Bob's Cancel on Alice's confirmation, which stays usable: Alice's Confirm then works", async () => {
    const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
    const before = demoIps(h);
    const click = await ackedAndCounted(h.sim.clickButton(shown, { actionId: ACTIONS.cancel }, { user: BOB }));
    await expect.poll(() => h.sim.responses(click.responseUrl!).length).toBe(1);
    const refusal = h.sim.responses(click.responseUrl!)[0]!;
    expect(refusal.text).toBe('Not allowed: This confirmation belongs to someone else.');
    expect(refusal.replaceOriginal).toBe(false);
    expect(demoIps(h)).toEqual(before);
    expect(await confirmDone(h, shown)).toBe(`attached 192.168.100.201 to web-1 (by <@${ALICE}>)`);
    await confirmDone(h, await confirmation(h, 'detach 192.168.100.201'));
  });

  it('checks the policy again at the click: Alice, removed from the on-call group after asking, is refused', async () => {
    const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
    const before = demoIps(h);
    h.sim.workspace.setGroupMembers(ONCALL, []);
    try {
      const answer = await confirm(h, shown);
      expect(answer.text).toMatch(/^Not allowed: Attaching floating IPs is limited to members of <!subteam\^S0ONCALL01>\./);
      humane(answer.body);
      expect(demoIps(h)).toEqual(before);
    } finally {
      h.sim.workspace.setGroupMembers(ONCALL, [ALICE]);
    }
  });

  it('refuses a list-row Release clicked by Bob in a channel the policy does not name, though the list showed him the menu', async () => {
    const ip = await newIp();
    const { reply } = await command(h, 'list free', { user: BOB, channel: OTHER });
    const release = rowPick(reply, 'release', ip);
    const before = demoIps(h);
    const click = await ackedAndCounted(h.sim.selectOverflowOption(reply as never, release.query, release.option, { user: BOB }));
    await expect.poll(() => h.sim.responses(click.responseUrl!).length).toBeGreaterThan(0);
    expect(h.sim.responses(click.responseUrl!)[0]!.text).toBe(
      `Not allowed: Releasing floating IPs is limited to <@${ALICE}> and the <#${OPS}> channel. Ask <@${ALICE}>, or run the command in <#${OPS}>.`,
    );
    expect(demoIps(h)).toEqual(before);
  });

  it("refuses Bob's submission of Alice's confirmation modal, and Alice's own submission then works", async () => {
    const mark = h.sim.api.mark();
    await ackedAndCounted(h.sim.slashCommand(''));
    const call = await h.sim.api.waitForCall('views.open', { after: mark });
    const form = h.sim.views().find((v) => v.id === (call.response as { view: { id: string } }).view.id)!;
    const web1 = h.demo.state.server('web-1');
    await ackedAndCounted(
      h.sim.submitView(form, {
        [IP_FIELD]: { text: '192.168.100.201', value: '192.168.100.201' },
        [INSTANCE_FIELD]: { text: 'web-1', value: web1.id },
      }),
    );
    const shown = h.sim.views().find((v) => v.id === form.id)!;
    expect(shown.callbackId).toBe(VIEWS.confirm);
    const before = demoIps(h);
    // Slack shows a modal to one person only; a submission naming Bob is sent as Slack would sign it, without touching Alice's modal.
    const payload = {
      ...interactionBase(h.sim.workspace, 'view_submission', BOB),
      trigger_id: 'T0BOBTRIGGER',
      view: h.sim.api.views.output(shown),
      response_urls: [],
    };
    const forged = await ackedAndCounted(h.sim.replay(signedRequest(SIGNING_SECRET, interactiveBody(payload), FORM)));
    expect(renderText((forged.body as { view: SimView }).view)).toContain('This confirmation belongs to someone else.');
    expect(demoIps(h)).toEqual(before);
    expect(await h.store.peek(shown.privateMetadata)).toBeDefined();

    await ackedAndCounted(h.sim.submitView(shown));
    await expect
      .poll(() => h.demo.state.floatingIp('192.168.100.201')?.portId, { timeout: 10_000 })
      .toBe(h.demo.state.portsOf('web-1')[0]!.id);
    await confirmDone(h, await confirmation(h, 'detach 192.168.100.201'));
  });

  it('refuses a form submitted by Bob for an attach, in the modal, changing nothing', async () => {
    const mark = h.sim.api.mark();
    await ackedAndCounted(h.sim.slashCommand('', { user: BOB }));
    const call = await h.sim.api.waitForCall('views.open', { after: mark });
    const form = h.sim.views().find((v) => v.id === (call.response as { view: { id: string } }).view.id)!;
    const before = demoIps(h);
    const answer = await ackedAndCounted(
      h.sim.submitView(
        form,
        {
          [IP_FIELD]: { text: '192.168.100.201', value: '192.168.100.201' },
          [INSTANCE_FIELD]: { text: 'web-1', value: h.demo.state.server('web-1').id },
        },
        { user: BOB },
      ),
    );
    const text = renderText((answer.body as { view: SimView }).view);
    expect(text).toContain('Attaching floating IPs is limited to members of <!subteam^S0ONCALL01>.');
    expect(demoIps(h)).toEqual(before);
  });
});

describe("what the policy's channel rule grants", () => {
  it('warns at start-up that anyone who can post in the channel may release there', () => {
    const parsed = parsePolicy(POLICY, 'policy.yaml');
    if (!parsed.ok) throw new Error('the policy should parse');
    const policy = createPolicy(parsed.rules, { membersOf: () => Promise.resolve(new Set()) });
    expect(policyWarnings(policy)).toEqual([
      `policy.yaml: anyone who can post in ${OPS} may release floating IPs there, guests included; anyone can join a public channel`,
    ]);
  });

  it('lets Bob, who is not listed, release a floating IP with a command typed in the channel the policy names', async () => {
    const ip = await newIp();
    const before = demoIps(h);
    const shown = await confirmation(h, `release ${ip}`, { user: BOB, channel: OPS });
    expect(await confirmDone(h, shown, { user: BOB })).toBe(`released ${ip} (by <@${BOB}>)`);
    const { [ip]: _released, ...rest } = before;
    expect(demoIps(h)).toEqual(rest);
  });

  it('refuses Bob the same command in another channel, and refuses him creating even in that channel', async () => {
    const ip = await newIp();
    const before = demoIps(h);
    const elsewhere = await command(h, `release ${ip}`, { user: BOB, channel: OTHER });
    expect(elsewhere.reply.text).toMatch(/^Not allowed: Releasing floating IPs is limited to/);
    const create = await command(h, 'create public', { user: BOB, channel: OPS });
    expect(create.reply.text).toBe(`Not allowed: Creating floating IPs is limited to <@${ALICE}>. Ask <@${ALICE}>.`);
    expect(demoIps(h)).toEqual(before);
    await confirmDone(h, await confirmation(h, `release ${ip}`));
  });

  it('keeps the channel of the request with the plan: a click that arrives from another channel neither grants nor removes the right', async () => {
    const ip = await newIp();
    const fromOps = await confirmation(h, `release ${ip}`, { user: BOB, channel: OPS });
    // The same confirmation clicked with the payload naming another channel (a shared or moved message).
    const click = await ackedAndCounted(
      h.sim.clickButton(fromOps, { actionId: ACTIONS.confirm }, { user: BOB, channel: OTHER, container: { channel_id: OTHER } }),
    );
    await expect
      .poll(() => h.sim.responses(click.responseUrl!).some((r) => r.responseType === 'in_channel'), { timeout: 10_000 })
      .toBe(true);
    expect(h.demo.state.floatingIp(ip)).toBeUndefined();

    const ip2 = await newIp();
    const refused = await command(h, `release ${ip2}`, { user: BOB, channel: OTHER });
    expect(refused.reply.text).toMatch(/^Not allowed/);
    expect(h.demo.state.floatingIp(ip2)).toBeDefined();
    await confirmDone(h, await confirmation(h, `release ${ip2}`));
  });

  it('grants Bob nothing from the Home tab, where a request has no channel', async () => {
    const ip = await newIp();
    const mark = h.sim.api.mark();
    await ackedAndCounted(h.sim.openHome(BOB));
    await h.sim.api.waitForCall('views.publish', { after: mark, timeoutMs: 10_000 });
    const home = h.sim.views().find((v) => v.type === 'home' && v.user === BOB)!;
    const release = rowPick(home, 'release', ip);
    const before = demoIps(h);
    await ackedAndCounted(h.sim.selectOverflowOption(home, release.query, release.option, { user: BOB }));
    await expect
      .poll(() => h.sim.lastMessageTo(BOB)?.text ?? '', { timeout: 10_000 })
      .toMatch(/^Not allowed: Releasing floating IPs is limited to/);
    expect(demoIps(h)).toEqual(before);
    await confirmDone(h, await confirmation(h, `release ${ip}`));
  });
});
