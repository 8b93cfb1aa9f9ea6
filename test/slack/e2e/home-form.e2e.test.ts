/**
 * The Home tab's buttons and the form they open, end to end: each button
 * opens the form on its operation; an explanation is shown in the modal; a
 * result from the Home tab reaches the person even when Slack answers 429
 * once; a slow OpenStack still gets its ack in time ("Checking with
 * OpenStack…", then the real answer); and names from the cloud stay text
 * in the form's own views.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootServer } from '../../../src/demo-cloud/server-lifecycle.js';
import { ACTIONS, BLOCKS, VIEWS } from '../../../src/slack/blocks/ids.js';
import type { FormOperation } from '../../../src/slack/blocks/modals.js';
import { renderText } from '../../support/slack/text.js';
import type { SimView } from '../../support/slack/views.js';
import { DEFAULT_USER } from '../../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

const IP_FIELD = `${BLOCKS.formIp}.${ACTIONS.ipSelect}`;
const INSTANCE_FIELD = `${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`;
const POOL_FIELD = `${BLOCKS.formPool}.${ACTIONS.poolSelect}`;

function topModal(h: Harness): SimView {
  return h.sim
    .views()
    .filter((v) => v.type === 'modal' && v.open && v.user === DEFAULT_USER)
    .at(-1)!;
}

function home(h: Harness): SimView {
  return h.sim.views().find((v) => v.type === 'home' && v.user === DEFAULT_USER)!;
}

async function openHome(h: Harness): Promise<SimView> {
  const mark = h.sim.api.mark();
  await acked(h.sim.openHome(DEFAULT_USER));
  await h.sim.api.waitForCall('views.publish', { after: mark, timeoutMs: 10_000 });
  return home(h);
}

/** Clicks one of the Home tab's top buttons and returns the form it opened. */
async function openFormFromHome(h: Harness, operation: FormOperation): Promise<SimView> {
  const mark = h.sim.api.mark();
  await acked(h.sim.clickButton(home(h), { actionId: `${ACTIONS.openForm}:${operation}` }));
  await h.sim.api.waitForCall('views.open', { after: mark });
  return topModal(h);
}

/** The operation the form's select shows. */
function operationOf(form: SimView): string {
  const select = form.blocks.find((b) => b.block_id === BLOCKS.formOperation)!.element as { initial_option: { value: string } };
  return select.initial_option.value;
}

async function expectAllWithinLimits(h: Harness): Promise<void> {
  await closeWithinLimits(h, 3);
}

describe("the Home tab's buttons", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await openHome(h);
  });
  afterAll(async () => {
    await expectAllWithinLimits(h);
  });

  it.each([
    ['Allocate', 'create', 'Pool (optional)'],
    ['Attach…', 'attach', 'Instance'],
    ['Explain an instance', 'explain', 'Instance'],
  ] as const)('opens the form on its operation when %s is tapped', async (label, operation, field) => {
    expect(renderText(home(h))).toContain(`[${label}]`);
    const form = await openFormFromHome(h, operation);
    expect(form.callbackId).toBe(VIEWS.form);
    expect(operationOf(form)).toBe(operation);
    expect(JSON.parse(form.privateMetadata)).toEqual({ operation, via: 'home' });
    expect(renderText(form)).toContain(field);
  });

  it.each([
    ['create', 'Nothing changes until you confirm on the next screen.'],
    ['attach', 'Nothing changes until you confirm on the next screen.'],
    ['explain', 'This only looks at the instance and its networks: nothing changes.'],
  ] as const)("says in the %s form's small print what submitting it does", async (operation, note) => {
    const text = renderText(await openFormFromHome(h, operation));
    expect(text).toContain(note);
    // Explain has no next screen to confirm on.
    if (operation === 'explain') expect(text).not.toContain('confirm');
  });

  it('shows the explanation of an instance in the modal', async () => {
    const form = await openFormFromHome(h, 'explain');
    const db1 = h.demo.state.server('db-1');
    const answer = await acked(h.sim.submitView(form, { [INSTANCE_FIELD]: { text: 'db-1', value: db1.id } }));
    expect((answer.body as { response_action: string }).response_action).toBe('update');
    const shown = topModal(h);
    expect(shown.id).toBe(form.id);
    const text = renderText(shown);
    expect(text).toContain('== Explanation ==');
    expect(text).toContain('*"db-1" can take a floating IP from "public" and "public-b"*');
    expect(text).toContain('Pool "public-b": yes, for `10.1.0.');
  });

  it('allocates from the Home tab and sends the result to the person, even when Slack answers 429 once', async () => {
    const form = await openFormFromHome(h, 'create');
    // Two pools, each with a router: fipbot will not guess, the person picks.
    await acked(h.sim.submitView(form, { [POOL_FIELD]: { text: 'public', value: 'public' } }));
    const confirmation = topModal(h);
    expect(confirmation.callbackId).toBe(VIEWS.confirm);
    expect(renderText(confirmation)).toContain('A floating IP is allocated from pool *public*');

    const posts = h.sim.api.callsTo('chat.postMessage').length;
    h.sim.api.rateLimitNext('chat.postMessage', 1);
    await acked(h.sim.submitView(confirmation));
    await expect
      .poll(() => h.sim.lastMessageTo(DEFAULT_USER)?.text ?? '', { timeout: 10_000 })
      .toMatch(/^allocated 192\.168\.100\.\d+ from pool public \(by <@U0ALICE01>\)$/);
    expect(
      h.sim.api
        .callsTo('chat.postMessage')
        .slice(posts)
        .map((call) => call.status),
    ).toEqual([429, 200]);
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(h.sim.lastMessageTo(DEFAULT_USER)!.text!)![1]!;
    expect(h.demo.state.floatingIp(ip)).toBeDefined();
    expect(h.records().filter((r) => r.msg === 'could not deliver a result')).toEqual([]);
  });
});

describe('the form when OpenStack is slow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ timing: { slack: { ackBudgetMs: 300 } } });
  });
  afterEach(() => {
    h.demo.faults.reset();
  });
  afterAll(async () => {
    await expectAllWithinLimits(h);
  });

  async function openForm(): Promise<SimView> {
    const mark = h.sim.api.mark();
    await acked(h.sim.slashCommand(''));
    await h.sim.api.waitForCall('views.open', { after: mark });
    return topModal(h);
  }

  it('acks within Slack\'s 3 s with "Checking with OpenStack…", then shows the confirmation', async () => {
    const form = await openForm();
    const web1 = h.demo.state.server('web-1');
    h.demo.faults.setRouteLatency({ path: '/v2.0/ports**' }, 1_000);
    const mark = h.sim.api.mark();
    const answer = await acked(
      h.sim.submitView(form, {
        [IP_FIELD]: { text: '192.168.100.201', value: '192.168.100.201' },
        [INSTANCE_FIELD]: { text: 'web-1', value: web1.id },
      }),
    );
    expect(renderText((answer.body as { view: { blocks: unknown[] } }).view)).toContain('Checking with OpenStack…');
    expect(renderText(topModal(h))).toContain('Checking with OpenStack…');

    await h.sim.api.waitForCall('views.update', { after: mark, timeoutMs: 14_000 });
    const confirmation = topModal(h);
    expect(confirmation.id).toBe(form.id);
    expect(confirmation.callbackId).toBe(VIEWS.confirm);
    expect(renderText(confirmation)).toContain('Floating IP `192.168.100.201` from pool *public* is attached to');
    expect(h.demo.state.floatingIp('192.168.100.201')?.portId).toBeNull();
  }, 20_000);

  it('shows a late field error as text in the modal, escaping what was typed', async () => {
    const form = await openForm();
    // The instance lookup is Nova's: slow it too, or the unknown name comes back in time for an inline error.
    h.demo.faults.setRouteLatency({ path: '/v2.0/ports**' }, 1_000);
    h.demo.faults.setRouteLatency({ path: '/compute/**' }, 1_000);
    const mark = h.sim.api.mark();
    const answer = await acked(
      h.sim.submitView(form, {
        [IP_FIELD]: { text: '192.168.100.201', value: '192.168.100.201' },
        [INSTANCE_FIELD]: { text: '<!here>', value: '<!here>' },
      }),
    );
    expect(renderText((answer.body as { view: { blocks: unknown[] } }).view)).toContain('Checking with OpenStack…');
    await h.sim.api.waitForCall('views.update', { after: mark, timeoutMs: 14_000 });
    const shown = renderText(topModal(h));
    expect(shown).toContain('== Check the form ==');
    expect(shown).toContain('No instance called "&lt;!here&gt;" in this project.');
    expect(shown).not.toContain('<!here>');
  }, 20_000);
});

describe('the form with a server named like Slack markup', () => {
  const NAME = '<!channel>';
  let h: Harness;
  let serverId = '';
  beforeAll(async () => {
    h = await startHarness();
    const state = h.demo.state;
    serverId = bootServer(state.store, {
      name: NAME,
      projectId: state.projectId('demo'),
      userId: state.userId('demo'),
      nics: [{ networkId: state.network('private').id }],
    }).id;
  });
  afterAll(async () => {
    await expectAllWithinLimits(h);
  });

  async function submitAttach(): Promise<SimView> {
    const mark = h.sim.api.mark();
    await acked(h.sim.slashCommand(''));
    await h.sim.api.waitForCall('views.open', { after: mark });
    await acked(
      h.sim.submitView(topModal(h), {
        [IP_FIELD]: { text: '192.168.100.201', value: '192.168.100.201' },
        [INSTANCE_FIELD]: { text: NAME, value: serverId },
      }),
    );
    return topModal(h);
  }

  it('says "nothing to do" about an IP already on that server without writing its name as markup', async () => {
    const confirmation = await submitAttach();
    expect(confirmation.callbackId).toBe(VIEWS.confirm);
    await acked(h.sim.submitView(confirmation));
    await expect
      .poll(() => h.demo.state.floatingIp('192.168.100.201')?.portId, { timeout: 10_000 })
      .toBe(h.demo.state.portsOf(NAME)[0]!.id);

    const again = await submitAttach();
    const text = renderText(again);
    expect(text).toContain('== Nothing to do ==');
    expect(text).toContain('is already attached to *&lt;!channel&gt;*');
    expect(text).not.toContain('<!channel>');
  });
});
