/**
 * Every surface that shows or changes floating IPs asks the same policy, per
 * action: App Home (opened and refreshed), the list's paging buttons, the
 * form's typeahead, list-row buttons, and `attach new`, which allocates and
 * so needs the create permission too. Alice may list, create, detach and
 * release; Bob may attach and explain only. Everyone may ask for the leak
 * report and reclaim, which need list and release as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS } from '../../src/slack/blocks/ids.js';
import type { SimMessage } from '../support/slack/messages.js';
import { rowAddresses, type RowPick, rowPick } from '../support/slack/rows.js';
import { renderText } from '../support/slack/text.js';
import type { SimView } from '../support/slack/views.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';

const ALICE = DEFAULT_USER;
const BOB = 'U0BOB0001';
const POLICY = [
  'default: deny',
  'actions:',
  `  list: { users: [${ALICE}] }`,
  `  create: { users: [${ALICE}] }`,
  `  detach: { users: [${ALICE}] }`,
  `  release: { users: [${ALICE}] }`,
  '  attach: { users: ["*"] }',
  '  explain: { users: ["*"] }',
  '  leaks: { users: ["*"] }',
  '  reclaim: { users: ["*"] }',
].join('\n');
const LIST_REFUSAL = `Listing floating IPs is limited to <@${ALICE}>.`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ policy: POLICY });
});
afterAll(async () => {
  await closeWithinLimits(h);
});

const ipsIn = (text: string) => text.match(/192\.168\.100\.\d+/g) ?? [];
const homeOf = (user: string) => h.sim.views().find((view) => view.type === 'home' && view.user === user);

async function openHome(user: string): Promise<SimView> {
  const mark = h.sim.api.mark();
  await acked(h.sim.openHome(user));
  await h.sim.api.waitForCall('views.publish', { after: mark });
  return homeOf(user)!;
}

/** `/fip <text>` as `user`, and its first answer through the response_url. */
async function command(text: string, user = ALICE): Promise<{ reply: SimMessage; responseUrl: string }> {
  const ack = await acked(h.sim.slashCommand(text, { user }));
  const inAck = ack.body as { text?: string; blocks?: unknown[] } | undefined;
  if (inAck && typeof inAck === 'object' && typeof inAck.text === 'string') {
    return { reply: { text: inAck.text, blocks: inAck.blocks ?? [] } as SimMessage, responseUrl: ack.responseUrl! };
  }
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return { reply: h.sim.responses(ack.responseUrl!)[0]!.message!, responseUrl: ack.responseUrl! };
}

describe('App Home', () => {
  it('shows Alice her floating IPs, and Bob why he may not see them, without a single address', async () => {
    expect(ipsIn(renderText(await openHome(ALICE))).length).toBeGreaterThan(0);
    const bobs = renderText(await openHome(BOB));
    expect(bobs).toContain(LIST_REFUSAL);
    expect(ipsIn(bobs)).toEqual([]);
  });

  it('answers Bob’s Refresh the same way', async () => {
    const mark = h.sim.api.mark();
    await acked(h.sim.clickButton(homeOf(BOB)!, { actionId: ACTIONS.homeRefresh }, { user: BOB }));
    await h.sim.api.waitForCall('views.publish', { after: mark });
    const refreshed = renderText(homeOf(BOB)!);
    expect(refreshed).toContain(LIST_REFUSAL);
    expect(ipsIn(refreshed)).toEqual([]);
  });
});

describe('the list’s paging buttons', () => {
  it('turn the page for Alice, and give Bob the refusal instead of the next page', async () => {
    // Enough floating IPs for a second page.
    for (let i = 0; i < 11; i++) expect((await h.service.allocate({ pool: 'public' })).ok).toBe(true);
    const { reply } = await command('list');
    expect(renderText(reply)).toContain('Page 1 of');
    const click = await acked(h.sim.clickButton(reply, { actionId: `${ACTIONS.listPage}:next` }, { user: BOB }));
    await expect.poll(() => h.sim.responses(click.responseUrl!).length).toBe(1);
    const answer = renderText(h.sim.responses(click.responseUrl!)[0]!.message!);
    expect(answer).toContain(LIST_REFUSAL);
    expect(ipsIn(answer)).toEqual([]);
  });
});

describe('the form’s typeahead', () => {
  async function openForm(user: string): Promise<SimView> {
    const mark = h.sim.api.mark();
    await acked(h.sim.slashCommand('', { user }));
    await h.sim.api.waitForCall('views.open', { after: mark });
    return h.sim
      .views()
      .filter((view) => view.type === 'modal' && view.user === user)
      .at(-1)!;
  }

  it('suggests floating IPs to Alice and none to Bob, who may attach but not list', async () => {
    const alices = await h.sim.suggest(await openForm(ALICE), ACTIONS.ipSelect, '192.168');
    expect((alices!.body as { options: unknown[] }).options.length).toBeGreaterThan(0);
    const bobs = await h.sim.suggest(await openForm(BOB), ACTIONS.ipSelect, '192.168');
    // "New floating IP" is not an address: it is all Bob may be offered, and only when what he typed fits it.
    expect(ipsIn(JSON.stringify(bobs!.body))).toEqual([]);
    expect(
      h.records().some((r) => r.msg === 'floating IP suggestions not allowed by the policy; answered with none' && r.user === BOB),
    ).toBe(true);
  });

  it('still suggests instances to Bob, who may attach', async () => {
    const instances = await h.sim.suggest(await openForm(BOB), ACTIONS.instanceSelect, 'web');
    expect(JSON.stringify(instances!.body)).toContain('web-1');
  });
});

describe('attach new', () => {
  it('is refused to Bob, who may attach but not create, from the command and from the form, and allocates nothing', async () => {
    const before = h.demo.state.floatingIps('demo').length;
    const { reply } = await command('attach new web-1', BOB);
    expect(reply.text).toBe(`Not allowed: Creating floating IPs is limited to <@${ALICE}>. Ask <@${ALICE}>.`);

    const form = h.sim
      .views()
      .filter((view) => view.type === 'modal' && view.user === BOB)
      .at(-1)!;
    const web1 = h.demo.state.server('web-1');
    const answer = await acked(
      h.sim.submitView(
        form,
        {
          [`${BLOCKS.formIp}.${ACTIONS.ipSelect}`]: { text: 'New', value: 'new' },
          [`${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`]: { text: 'web-1', value: web1.id },
        },
        { user: BOB },
      ),
    );
    expect(JSON.stringify(answer.body)).toContain('Creating floating IPs is limited to');
    expect(h.demo.state.floatingIps('demo')).toHaveLength(before);
  });

  it('is refused to Bob from the button `explain` offers, in words, and allocates nothing', async () => {
    const before = h.demo.state.floatingIps('demo').length;
    const { reply } = await command('explain web-1', BOB);
    const tap = await acked(h.sim.clickButton(reply, { text: 'Attach a new IP from public' }, { user: BOB }));
    await expect.poll(() => h.sim.responses(tap.responseUrl!).length, { timeout: 10_000 }).toBe(1);
    expect(h.sim.responses(tap.responseUrl!)[0]!.text).toBe(
      `Not allowed: Creating floating IPs is limited to <@${ALICE}>. Ask <@${ALICE}>.`,
    );
    expect(h.demo.state.floatingIps('demo')).toHaveLength(before);
  });

  it('is offered to Alice, who may both', async () => {
    const { reply } = await command('attach new web-1');
    expect(renderText(reply)).toContain('A new floating IP from pool *public* is allocated and attached');
  });
});

describe('list-row menus', () => {
  it('refuse Bob’s Release without using up the row: Alice’s pick on the same row then works', async () => {
    const { reply: list } = await command('list free');
    const release = rowPick(list, 'release');
    const ip = release.row.address;

    const bob = await acked(h.sim.selectOverflowOption(list, release.query, release.option, { user: BOB }));
    await expect.poll(() => h.sim.responses(bob.responseUrl!).length).toBeGreaterThan(0);
    expect(h.sim.responses(bob.responseUrl!)[0]!.text).toBe(
      `Not allowed: Releasing floating IPs is limited to <@${ALICE}>. Ask <@${ALICE}>.`,
    );
    expect(h.demo.state.floatingIp(ip)).toBeDefined();

    const results = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
    const before = results().length;
    await acked(h.sim.selectOverflowOption(list, release.query, release.option));
    await expect.poll(() => results().length, { timeout: 10_000 }).toBe(before + 1);
    expect(results().at(-1)!.text).toBe(`released ${ip} (by <@${ALICE}>)`);
    expect(h.demo.state.floatingIp(ip)).toBeUndefined();
  });

  it('give the row back when the change failed, so that a second pick tries again; a pick while one runs is answered', async () => {
    const { reply: list } = await command('list attached');
    const ip = rowPick(list, 'detach').row.address;
    // The row's menu as the message shows it now: each change made from the list shows its page again.
    const detach = () => rowPick(list, 'detach', ip);
    h.demo.faults.failNext({ method: 'PUT', path: '/v2.0/floatingips/*' }, { status: 409 });
    const pick = (choice: RowPick) => h.sim.selectOverflowOption(list, choice.query, choice.option);
    const first = await acked(pick(detach()));
    await expect.poll(() => h.sim.responses(first.responseUrl!).some((r) => /Neutron refused|refused/.test(r.text ?? ''))).toBe(true);
    // The refusal comes first, then the list shown again (its buttons are what the next taps use).
    await expect
      .poll(() => h.sim.responses(first.responseUrl!).some((r) => r.replaceOriginal && /attached floating IP/.test(r.text ?? '')))
      .toBe(true);
    expect(h.demo.state.floatingIp(ip)?.portId).not.toBeNull();
    // The refusal comes first, then the list in place of "Working…": the row is picked again from that list.
    await expect.poll(() => rowAddresses(list), { timeout: 10_000 }).toContain(ip);

    // Slowed down, so that a third tap arrives while the second is still running.
    h.demo.faults.setRouteLatency({ method: 'PUT', path: '/v2.0/floatingips/*' }, 400);
    try {
      const second = pick(detach());
      await expect
        .poll(() => h.demo.stats.requests({ method: 'PUT', path: '/v2.0/floatingips/*' }).length, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(2);
      // The same tap again, byte for byte (a double tap, Slack's retry): the message already says "Working…".
      const secondUrl = (await second).responseUrl!;
      await acked(h.sim.replay());
      await expect
        .poll(() => h.sim.responses(secondUrl).map((r) => r.text))
        .toContain('Already in progress or done: an earlier tap on this button is being handled, or was. This tap changed nothing.');
      await expect.poll(() => h.demo.state.floatingIp(ip)?.portId, { timeout: 10_000 }).toBeNull();
    } finally {
      h.demo.faults.reset();
    }
  });

  it('still answer the Release button of a list posted before the menu, through the same policy and claim', async () => {
    const { reply: list } = await command('list free');
    const { row } = rowPick(list, 'release');
    // The row as older fipbot versions laid it out: a Release button carrying the row as JSON.
    const legacy: SimMessage = {
      ...list,
      blocks: [
        {
          type: 'actions',
          block_id: 'legacy',
          elements: [
            { type: 'button', action_id: ACTIONS.rowRelease, text: { type: 'plain_text', text: 'Release' }, value: JSON.stringify(row) },
          ],
        },
      ],
    };
    const bob = await acked(h.sim.clickButton(legacy, { actionId: ACTIONS.rowRelease }, { user: BOB }));
    await expect
      .poll(() => h.sim.responses(bob.responseUrl!).map((r) => r.text))
      .toContain(`Not allowed: Releasing floating IPs is limited to <@${ALICE}>. Ask <@${ALICE}>.`);
    expect(h.demo.state.floatingIp(row.address)).toBeDefined();
    const results = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
    const before = results().length;
    await acked(h.sim.clickButton(legacy, { actionId: ACTIONS.rowRelease }));
    await expect.poll(() => results().length, { timeout: 10_000 }).toBe(before + 1);
    expect(results().at(-1)!.text).toBe(`released ${row.address} (by <@${ALICE}>)`);
    expect(h.demo.state.floatingIp(row.address)).toBeUndefined();
  });
});

describe('the leak report and reclaim', () => {
  it('show Bob, who may not list, no address, and let Alice see the report', async () => {
    const { reply } = await command('leaks', BOB);
    expect(reply.text).toBe(`Not allowed: ${LIST_REFUSAL} Ask <@${ALICE}>.`);
    expect(ipsIn(JSON.stringify(reply))).toEqual([]);
    expect(renderText((await command('leaks')).reply)).toContain('unattached floating IP');
  });

  it('refuse Bob, who may not release, both typed and from the report’s buttons, and release nothing', async () => {
    const before = h.demo.state.floatingIps('demo').length;
    const { reply } = await command('reclaim all', BOB);
    expect(reply.text).toBe(`Not allowed: Releasing floating IPs is limited to <@${ALICE}>. Ask <@${ALICE}>.`);
    const report = (await command('leaks')).reply;
    const tap = await acked(h.sim.clickButton(report, { actionId: ACTIONS.reclaimAll }, { user: BOB }));
    await expect.poll(() => h.sim.responses(tap.responseUrl!).length, { timeout: 10_000 }).toBe(1);
    expect(h.sim.responses(tap.responseUrl!)[0]!.text).toBe(
      `Not allowed: Releasing floating IPs is limited to <@${ALICE}>. Ask <@${ALICE}>.`,
    );
    expect(h.demo.state.floatingIps('demo')).toHaveLength(before);
  });
});
