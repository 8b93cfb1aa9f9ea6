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
function rows(message: SimMessage): string[] {
  return message.blocks
    .flatMap((b) => (b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? [])
    .filter((e) => e.action_id === ACTIONS.rowRelease)
    .map((e) => (JSON.parse(e.value!) as { address: string }).address);
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
    all = listed.value.floatingIps.map((fip) => fip.address);
  });
  afterAll(async () => {
    await expectAllWithinLimits(h);
  });

  it('shows the first page with Next only', async () => {
    expect(all).toHaveLength(27);
    const message = await list(h, 'list');
    expect(rows(message)).toEqual(all.slice(0, PAGE_SIZE));
    const text = renderText(message);
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

describe("a list row's Attach… button", () => {
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
    const row = message.blocks
      .flatMap((b) => (b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? [])
      .find((e) => e.action_id === ACTIONS.rowAttach && (e.value ?? '').includes(address))!;
    const mark = h.sim.api.mark();
    await acked(h.sim.clickButton(message, { actionId: ACTIONS.rowAttach, value: row.value! }));
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
    const row = message.blocks
      .flatMap((b) => (b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? [])
      .find((e) => e.action_id === ACTIONS.rowAttach)!;
    const mark = h.sim.api.mark();
    await acked(h.sim.clickButton(message, { actionId: ACTIONS.rowAttach, value: row.value! }));
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
