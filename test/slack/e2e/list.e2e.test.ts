/**
 * The floating-IP list in a channel, end to end: paging through a project
 * with more IPs than a page holds (◀ Previous / Next ▶ replace the message),
 * and a row's Attach… button opening a short form that asks only for what
 * the row does not say (the instance; its fixed IP when there is a choice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer } from '../../../src/demo-cloud/server-lifecycle.js';
import { ACTIONS, BLOCKS, VIEWS } from '../../../src/slack/blocks/ids.js';
import { PAGE_SIZE } from '../../../src/slack/blocks/list.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { rowAddresses, rowOptions, rowPick } from '../../support/slack/rows.js';
import { renderText } from '../../support/slack/text.js';
import type { SimView } from '../../support/slack/views.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

/** Runs `/fip <text>` and waits for the list it answers with. */
async function list(h: Harness, text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

/** The addresses of the rows shown, in order. */
const rows = (message: SimMessage): string[] => rowAddresses(message);

/** IPv4 addresses in numeric order: 192.168.100.9 before 192.168.100.10. */
function numerically(a: string, b: string): number {
  const [x, y] = [a, b].map((address) => address.split('.').map(Number));
  for (let i = 0; i < 4; i++) if (x![i] !== y![i]) return x![i]! - y![i]!;
  return 0;
}

async function expectAllWithinLimits(h: Harness): Promise<void> {
  await closeWithinLimits(h, 3);
}

describe('paging through 27 floating IPs', () => {
  let h: Harness;
  let all: string[] = [];
  beforeAll(async () => {
    // 25 more floating IPs from a third pool, beside the seed's two.
    h = await startHarness({ demo: { scale: { floatingIps: 25 } } });
    const listed = await h.service.list('all');
    if (!listed.ok) throw new Error(listed.failure.code);
    // Attached ones first, then free ones, each in address order.
    const attached = listed.value.floatingIps.filter((fip) => fip.attachment).map((fip) => fip.address);
    const free = listed.value.floatingIps.filter((fip) => !fip.attachment).map((fip) => fip.address);
    expect(attached.length).toBeGreaterThan(0);
    all = [...attached.sort(numerically), ...free.sort(numerically)];
  });
  afterAll(async () => {
    await expectAllWithinLimits(h);
  });

  it('shows the first page with Next only', async () => {
    expect(all).toHaveLength(27);
    const message = await list(h, 'list');
    expect(rows(message)).toEqual(all.slice(0, PAGE_SIZE));
    const text = renderText(message);
    expect(text).toContain('27 in all');
    expect(message.text).toMatch(/^27 floating IPs \(\d+ attached\)$/);
    expect(text).toContain('Page 1 of 3');
    expect(text).toContain('[Next ▶]');
    expect(text).not.toContain('[◀ Previous]');
  });

  it('replaces the list with the next page on Next ▶, then with the previous one on ◀ Previous', async () => {
    const message = await list(h, 'list');
    const versions = () => message.history.length;

    await acked(h.sim.clickButton(message, { text: 'Next ▶' }));
    await expect.poll(() => renderText(message), { timeout: 10_000 }).toContain('Page 2 of 3');
    expect(rows(message)).toEqual(all.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(renderText(message)).toContain('[◀ Previous] [Next ▶]');
    expect(versions()).toBe(1);

    await acked(h.sim.clickButton(message, { text: 'Next ▶' }));
    await expect.poll(() => renderText(message), { timeout: 10_000 }).toContain('Page 3 of 3');
    expect(rows(message)).toEqual(all.slice(2 * PAGE_SIZE));
    expect(renderText(message)).not.toContain('[Next ▶]');

    await acked(h.sim.clickButton(message, { text: '◀ Previous' }));
    await expect.poll(() => renderText(message), { timeout: 10_000 }).toContain('Page 2 of 3');
    expect(rows(message)).toEqual(all.slice(PAGE_SIZE, 2 * PAGE_SIZE));

    await acked(h.sim.clickButton(message, { text: '◀ Previous' }));
    await expect.poll(() => renderText(message), { timeout: 10_000 }).toContain('Page 1 of 3');
    expect(rows(message)).toEqual(all.slice(0, PAGE_SIZE));
    // Replaced in place each time: still one list in the conversation.
    expect(h.sim.messages().filter((m) => m.visibleTo === DEFAULT_USER && !m.deleted)).toHaveLength(2);
  });
});

describe('rows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await expectAllWithinLimits(h);
  });

  it('counts one floating IP in the singular', async () => {
    const free = await list(h, 'list free');
    expect(rows(free)).toHaveLength(1);
    expect(free.text).toBe('1 free floating IP');
    expect(renderText(free)).toContain('1 free floating IP\n');
  });

  it("offers a row's actions in one menu, behind a dialog saying what each would do, and names who asked for an IP fipbot allocated", async () => {
    const created = await acked(h.sim.slashCommand('create public'));
    await expect.poll(() => h.sim.responses(created.responseUrl!).length, { timeout: 10_000 }).toBe(1);
    await acked(h.sim.clickButton(h.sim.responses(created.responseUrl!)[0]!.message!, { text: 'Allocate' }));
    const allocated = () => h.sim.messages().flatMap((m) => /^allocated (\S+)/.exec(m.text ?? '')?.[1] ?? []);
    await expect.poll(() => allocated().length, { timeout: 10_000 }).toBe(1);
    const address = allocated()[0]!;

    const message = await list(h, 'list');
    const row = message.blocks.find((b) => (b as { text?: { text?: string } }).text?.text?.startsWith(`\`${address}\``)) as {
      text: { text: string };
      accessory: { type: string; confirm: { title: { text: string }; text: { text: string } } };
    };
    // The seed's IP attached to web-1 comes first; the new, free one after it.
    expect(rows(message).indexOf(address)).toBeGreaterThan(0);
    expect(row.text.text).toMatch(
      new RegExp(`^\`${address.replaceAll('.', '\\.')}\` free\\npool public · by <@${DEFAULT_USER}> · \\d{1,2} [A-Z][a-z]{2}( \\d{4})?$`),
    );
    expect(row.accessory.type).toBe('overflow');
    expect(rowOptions(message, address)).toEqual(['Attach…', 'Release']);
    expect(row.accessory.confirm.title.text).toBe(`Attach or release ${address}?`);
    expect(row.accessory.confirm.text.text).toContain(`Release gives ${address} back to pool public`);
    const attachedRow = rows(message)[0]!;
    expect(rowOptions(message, attachedRow)).toEqual(['Detach', 'Release']);
    // One primary button in the list: none on rows.
    expect(JSON.stringify(message.blocks)).not.toContain('"primary"');

    // Release from the menu: the change happens, the channel is told, the list shows the page again.
    const release = rowPick(message, 'release', address);
    await acked(h.sim.selectOverflowOption(message, release.query, release.option));
    await expect
      .poll(() => h.sim.messages().filter((m) => (m.text ?? '').startsWith(`released ${address}`)).length, { timeout: 10_000 })
      .toBe(1);
    expect(h.demo.state.floatingIp(address)).toBeUndefined();
    await expect.poll(() => rows(message), { timeout: 10_000 }).not.toContain(address);
  });

  it('answers a menu option it cannot read (tampered, or naming no row action) as out of date, changing nothing', async () => {
    const message = await list(h, 'list');
    const { row } = rowPick(message, 'release');
    const option = (value: string) => ({ text: { type: 'plain_text', text: 'Release' }, value });
    const tampered: SimMessage = {
      ...message,
      blocks: [
        {
          type: 'section',
          block_id: 'tampered',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: {
            type: 'overflow',
            action_id: ACTIONS.rowMenu,
            options: [
              option('not json'),
              option(JSON.stringify(['explain', row.id, row.address, null, '', 'all', 1])),
              option(JSON.stringify(['release', '', '', null, '', 'all', 1])),
            ],
          },
        },
      ],
    };
    const before = h.demo.state.floatingIps('demo').length;
    for (const value of [
      'not json',
      JSON.stringify(['explain', row.id, row.address, null, '', 'all', 1]),
      JSON.stringify(['release', '', '', null, '', 'all', 1]),
    ]) {
      const pick = await acked(h.sim.selectOverflowOption(tampered, { actionId: ACTIONS.rowMenu }, value));
      await expect
        .poll(() => h.sim.responses(pick.responseUrl!).map((r) => r.text), { timeout: 10_000 })
        .toContain('This button is out of date. Nothing was changed; run /fip list for the current floating IPs.');
    }
    expect(h.demo.state.floatingIps('demo')).toHaveLength(before);
  });
});

describe("a list row's Attach…", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await expectAllWithinLimits(h);
  });

  function topModal(): SimView {
    return h.sim
      .views()
      .filter((v) => v.type === 'modal' && v.open && v.user === DEFAULT_USER)
      .at(-1)!;
  }

  const INSTANCE_FIELD = `${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`;

  /** Taps Attach… on the row of `address` in a fresh list of free IPs; the short form it opens. */
  async function tapAttach(address: string): Promise<SimView> {
    const message = await list(h, 'list free');
    const attach = rowPick(message, 'attach', address);
    const mark = h.sim.api.mark();
    await acked(h.sim.selectOverflowOption(message, attach.query, attach.option));
    await h.sim.api.waitForCall('views.open', { after: mark });
    return topModal();
  }

  it('opens a short form showing the IP as text and asking only for the instance; completing it attaches the IP and tells the channel', async () => {
    const form = await tapAttach('192.168.100.201');
    expect(form.callbackId).toBe(VIEWS.form);
    expect(JSON.parse(form.privateMetadata)).toMatchObject({
      operation: 'attach',
      via: 'button',
      channelId: DEFAULT_CHANNEL,
      ip: '192.168.100.201',
    });
    const text = renderText(form);
    expect(text).toContain('*Attach a floating IP:* `192.168.100.201`');
    expect(text).toContain('Instance');
    expect(text).toContain('Nothing changes until you confirm on the next screen.');
    // No IP picker, no pool, no fixed IP: the row said which IP, and web-1 has one address.
    const fields = form.blocks.filter((b) => b.type === 'input').map((b) => b.block_id);
    expect(fields).toEqual([BLOCKS.formInstance]);

    const web1 = h.demo.state.server('web-1');
    const mark = h.sim.api.mark();
    await acked(h.sim.selectExternalOption(form, { actionId: ACTIONS.instanceSelect }, { text: 'web-1', value: web1.id }));
    await h.sim.api.waitForCall('views.update', { after: mark });
    expect(topModal().blocks.some((b) => b.block_id === BLOCKS.formFixedIp)).toBe(false);

    await acked(h.sim.submitView(topModal(), { [INSTANCE_FIELD]: { text: 'web-1', value: web1.id } }));
    const confirmation = topModal();
    expect(confirmation.callbackId).toBe(VIEWS.confirm);
    expect(renderText(confirmation)).toContain('Floating IP `192.168.100.201` from pool *public* is attached to');

    const results = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
    await acked(h.sim.submitView(confirmation));
    await expect.poll(() => results().length, { timeout: 10_000 }).toBe(1);
    expect(results()[0]!.text).toBe(`attached 192.168.100.201 to web-1 (by <@${DEFAULT_USER}>)`);
    expect(h.demo.state.floatingIp('192.168.100.201')?.portId).toBe(h.demo.state.portsOf('web-1')[0]!.id);
  });

  it('asks for the fixed IP only once the instance picked has several addresses the IP could go to', async () => {
    const state = h.demo.state;
    const twoNics = bootServer(state.store, {
      name: 'app-two-nics',
      projectId: state.projectId('demo'),
      userId: state.userId('demo'),
      nics: [{ networkId: state.network('private').id }, { networkId: state.network('private').id }],
    });
    const addresses = state.portsOf('app-two-nics').map((port) => port.fixedIps[0]!.ipAddress);
    const allocated = await h.service.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
    const ip = allocated.value.floatingIp.address;

    const form = await tapAttach(ip);
    const mark = h.sim.api.mark();
    const picked = { text: 'app-two-nics', value: twoNics.id };
    await acked(h.sim.selectExternalOption(form, { actionId: ACTIONS.instanceSelect }, picked));
    await h.sim.api.waitForCall('views.update', { after: mark });
    const asked = topModal();
    const fixed = asked.blocks.find((b) => b.block_id === BLOCKS.formFixedIp)!;
    const choices = (fixed.element as { options: Array<{ value: string }> }).options.map((o) => o.value);
    expect(choices.sort()).toEqual([...addresses].sort());
    // The instance stays picked.
    expect((asked.blocks.find((b) => b.block_id === BLOCKS.formInstance)!.element as { initial_option?: unknown }).initial_option).toEqual({
      text: { type: 'plain_text', text: 'app-two-nics', emoji: true },
      value: twoNics.id,
    });

    await acked(
      h.sim.submitView(asked, {
        [INSTANCE_FIELD]: picked,
        [`${BLOCKS.formFixedIp}.${ACTIONS.fixedIpInput}`]: { text: addresses[1]!, value: addresses[1]! },
      }),
    );
    const confirmation = topModal();
    expect(confirmation.callbackId).toBe(VIEWS.confirm);
    expect(renderText(confirmation)).toContain(`is attached to \`${addresses[1]!}\` of *app-two-nics*`);
  });
  it('asks for the fixed IP after the submission when the pick did not reach fipbot, the instance still picked', async () => {
    const state = h.demo.state;
    const server = bootServer(state.store, {
      name: 'app-two-nics-b',
      projectId: state.projectId('demo'),
      userId: state.userId('demo'),
      nics: [{ networkId: state.network('private').id }, { networkId: state.network('private').id }],
    });
    const allocated = await h.service.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
    const form = await tapAttach(allocated.value.floatingIp.address);
    const answer = await acked(h.sim.submitView(form, { [INSTANCE_FIELD]: { text: 'app-two-nics-b', value: server.id } }));
    expect((answer.body as { response_action: string }).response_action).toBe('update');
    const asked = topModal();
    expect(asked.callbackId).toBe(VIEWS.form);
    expect(asked.blocks.some((b) => b.block_id === BLOCKS.formFixedIp)).toBe(true);
    expect(JSON.parse(asked.privateMetadata)).toMatchObject({ ip: allocated.value.floatingIp.address });
    expect(
      (asked.blocks.find((b) => b.block_id === BLOCKS.formInstance)!.element as { initial_option?: { value: string } }).initial_option
        ?.value,
    ).toBe(server.id);
  });
});

describe("a list row's Attach… for someone who may list but not attach", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ policy: ['default: deny', 'actions:', `  list: { users: [${DEFAULT_USER}] }`].join('\n') });
  });
  afterAll(async () => {
    // The list, the form and the refusal: everything sent, within Block Kit's limits.
    await closeWithinLimits(h, 2);
  });

  it('opens the short form, but looks at no instance for them; submitting it says why', async () => {
    const message = await list(h, 'list free');
    const attach = rowPick(message, 'attach', '192.168.100.201');
    const mark = h.sim.api.mark();
    await acked(h.sim.selectOverflowOption(message, attach.query, attach.option));
    await h.sim.api.waitForCall('views.open', { after: mark });
    const form = h.sim
      .views()
      .filter((v) => v.type === 'modal' && v.open && v.user === DEFAULT_USER)
      .at(-1)!;

    const picked = { text: 'web-1', value: h.demo.state.server('web-1').id };
    const ports = () => h.demo.stats.count({ method: 'GET', path: '/v2.0/ports' });
    const before = ports();
    await acked(h.sim.selectExternalOption(form, { actionId: ACTIONS.instanceSelect }, picked));
    await expect
      .poll(() => h.records().some((r) => r.msg === 'fixed IP choice not allowed by the policy' && r.user === DEFAULT_USER))
      .toBe(true);
    expect(ports()).toBe(before);
    expect(h.sim.api.callsTo('views.update').filter((call) => call.seq > mark)).toEqual([]);

    await acked(h.sim.submitView(form, { [`${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`]: picked }));
    const shown = h.sim.views().find((v) => v.id === form.id)!;
    expect(renderText(shown)).toContain('Attaching floating IPs is not allowed to anyone here');
  });
});
