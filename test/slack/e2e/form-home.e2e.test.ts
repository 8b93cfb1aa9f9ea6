/**
 * The form modal and the Home tab, end to end: bare /fip opens the form at
 * once, typeahead answers, bad input is shown on its field, a refusal is
 * explained in the modal, a confirmed change is posted in the channel the
 * command came from; the Home tab lists rows whose buttons act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, VIEWS } from '../../../src/slack/blocks/ids.js';
import { assertWithinLimits } from '../../support/slack/block-kit.js';
import type { SimView } from '../../support/slack/views.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { closeWithinLimits, type Harness, startHarness } from './harness.js';
import { rowPick } from '../../support/slack/rows.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  // Everything the bot sent in this file, every version of it, within Block Kit's limits.
  await closeWithinLimits(h);
});

function currentModal(): SimView {
  const open = h.sim.views().filter((view) => view.type === 'modal' && view.open && view.user === DEFAULT_USER);
  return open.at(-1)!;
}

function asView(view: SimView) {
  return {
    type: view.type,
    title: view.title,
    submit: view.submit ?? undefined,
    close: view.close ?? undefined,
    blocks: view.blocks,
    callback_id: view.callbackId,
    private_metadata: view.privateMetadata,
  };
}

async function openForm(): Promise<SimView> {
  const mark = h.sim.api.mark();
  const ack = await h.sim.slashCommand('');
  expect(ack.status).toBe(200);
  await h.sim.api.waitForCall('views.open', { after: mark });
  const view = currentModal();
  expect(view.callbackId).toBe(VIEWS.form);
  return view;
}

function options(answer: unknown): Array<{ text: string; value: string }> {
  return ((answer as { body: { options: Array<{ text: { text: string }; value: string }> } }).body.options ?? []).map((o) => ({
    text: o.text.text,
    value: o.value,
  }));
}

describe('the /fip form', () => {
  it('opens at once from a bare /fip, before any OpenStack call', async () => {
    const before = h.demo.stats.requests().length;
    const view = await openForm();
    expect(h.demo.stats.requests().length).toBe(before);
    assertWithinLimits('modal', asView(view));
    expect(renderText(view)).toContain('What do you want to do?');
  });

  it('suggests floating IPs (with "New floating IP") and instances as the user types', async () => {
    const view = currentModal();
    const ips = options(await h.sim.suggest(view, ACTIONS.ipSelect, ''));
    expect(ips[0]).toEqual({ text: 'New floating IP (allocate one now)', value: 'new' });
    expect(ips).toContainEqual({ text: '192.168.100.201 (free, public)', value: '192.168.100.201' });
    assertWithinLimits('options', { options: ips.map((o) => ({ text: { type: 'plain_text', text: o.text }, value: o.value })) });
    const servers = options(await h.sim.suggest(view, ACTIONS.instanceSelect, 'web'));
    expect(servers.map((o) => o.text)).toEqual(['web-1', 'web-2', 'web-10']);
  });

  it('matches both ways: an instance name in the IP field, an address in the instance field', async () => {
    const view = currentModal();
    const ips = options(await h.sim.suggest(view, ACTIONS.ipSelect, 'web-2'));
    // "New floating IP" is not offered for text it does not match.
    expect(ips).toEqual([{ text: '192.168.100.202 → web-2', value: '192.168.100.202' }]);
    const web1 = h.demo.state.server('web-1');
    const fixed = h.demo.state.portsOf('web-1')[0]!.fixedIps[0]!.ipAddress;
    const servers = options(await h.sim.suggest(view, ACTIONS.instanceSelect, fixed));
    expect(servers[0]).toEqual({ text: `web-1 (${fixed})`, value: web1.id });
    const web2 = options(await h.sim.suggest(view, ACTIONS.instanceSelect, '192.168.100.202'));
    expect(web2).toEqual([{ text: 'web-2 (192.168.100.202)', value: h.demo.state.server('web-2').id }]);
  });

  it('shows an unknown instance on its field, inline', async () => {
    const view = currentModal();
    const answer = await h.sim.submitView(view, {
      [`${BLOCKS.formIp}.${ACTIONS.ipSelect}`]: { text: '192.168.100.201', value: '192.168.100.201' },
      [`${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`]: { text: 'web-99', value: 'web-99' },
    });
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: { [BLOCKS.formInstance]: 'No instance called "web-99" in this project.' },
    });
  });

  it('explains a refusal in the modal, and nothing changes', async () => {
    const view = currentModal();
    const answer = await h.sim.submitView(view, {
      [`${BLOCKS.formIp}.${ACTIONS.ipSelect}`]: { text: '192.168.100.201', value: '192.168.100.201' },
      [`${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`]: { text: 'test_instance', value: 'test_instance' },
    });
    expect((answer.body as { response_action: string }).response_action).toBe('update');
    const shown = currentModal();
    expect(renderText(shown)).toContain('"test_instance" needs no floating IP: use 192.168.100.178');
    assertWithinLimits('modal', asView(shown));
    expect(h.demo.state.floatingIp('192.168.100.201')?.portId).toBeNull();
  });

  it('reshapes itself when the operation changes', async () => {
    const view = await openForm();
    const mark = h.sim.api.mark();
    await h.sim.selectStaticOption(view, { actionId: ACTIONS.formOperation }, 'create');
    await h.sim.api.waitForCall('views.update', { after: mark });
    const reshaped = currentModal();
    expect(renderText(reshaped)).toContain('Pool');
    expect(renderText(reshaped)).not.toContain('Instance');
  });

  it('confirms in the modal and posts the result in the channel the command came from', async () => {
    const view = await openForm();
    const web1 = h.demo.state.server('web-1');
    await h.sim.submitView(view, {
      [`${BLOCKS.formIp}.${ACTIONS.ipSelect}`]: { text: 'New floating IP', value: 'new' },
      [`${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`]: { text: 'web-1', value: web1.id },
    });
    const confirmation = currentModal();
    expect(confirmation.callbackId).toBe(VIEWS.confirm);
    expect(renderText(confirmation)).toContain('A new floating IP from pool *public* is allocated and attached to');
    assertWithinLimits('modal', asView(confirmation));

    const results = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
    const before = results().length;
    await h.sim.submitView(confirmation);
    await expect.poll(() => results().length, { timeout: 10_000 }).toBe(before + 1);
    expect(results().at(-1)!.text).toMatch(/^attached 192\.168\.100\.\d+ to web-1 \(by <@U0ALICE01>\)$/);
    await expect.poll(() => renderText(h.sim.views().find((v) => v.id === confirmation.id)!)).toContain('allocated');
  });
});

describe('the Home tab', () => {
  it('lists the floating IPs with their actions when opened', async () => {
    const mark = h.sim.api.mark();
    await h.sim.openHome(DEFAULT_USER);
    await h.sim.api.waitForCall('views.publish', { after: mark });
    const home = h.sim.views().find((view) => view.type === 'home' && view.user === DEFAULT_USER)!;
    assertWithinLimits('home', { type: 'home', blocks: home.blocks, private_metadata: home.privateMetadata });
    const text = renderText(home);
    expect(text).toContain('`192.168.100.202` → *web-2*');
    expect(text).toContain('[⋯ Detach | Release]');
  });

  it('detaches from a row, sends the result to the person directly and refreshes the tab', async () => {
    const home = h.sim.views().find((view) => view.type === 'home' && view.user === DEFAULT_USER)!;
    const detach = rowPick(home, 'detach', '192.168.100.202');
    const mark = h.sim.api.mark();
    await h.sim.selectOverflowOption(home, detach.query, detach.option);
    await h.sim.api.waitForCall('views.publish', { after: mark, timeoutMs: 10_000 });
    expect(h.demo.state.floatingIp('192.168.100.202')?.portId).toBeNull();
    expect(h.sim.lastMessageTo(DEFAULT_USER)?.text).toBe('detached 192.168.100.202 from web-2 (by <@U0ALICE01>)');
    const refreshed = h.sim.views().find((view) => view.type === 'home' && view.user === DEFAULT_USER)!;
    expect(renderText(refreshed)).toContain('`192.168.100.202` free');
  });
});
