/**
 * What must never happen, end to end: an operation run twice by a double tap
 * or a replayed payload, a forged or stale request acted upon, a user acting
 * beyond the policy, an OpenStack failure shown as a stack trace or leaving
 * a floating IP half-changed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { rowPick } from '../../support/slack/rows.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { nowSeconds, signRequest, STALE_AGE_SECONDS } from '../../support/slack/signing.js';
import { closeWithinLimits, type Harness, SIGNING_SECRET, startHarness } from './harness.js';

const BOB = 'U0BOB0001';
const ONCALL = 'S0ONCALL01';

async function firstReply(h: Harness, text: string, options: { user?: string; channel?: string } = {}): Promise<SimMessage> {
  const ack = await h.sim.slashCommand(text, options);
  expect(ack.status).toBe(200);
  if (ack.body && typeof ack.body === 'object' && 'text' in ack.body) {
    // Answered in the ack itself (help, bad input, policy refusal).
    return {
      text: String((ack.body as { text: string }).text),
      blocks: (ack.body as { blocks?: unknown[] }).blocks ?? [],
    } as unknown as SimMessage;
  }
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

function buttonValues(message: SimMessage, actionId: string): string[] {
  return message.blocks
    .flatMap((b) => (b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? [])
    .filter((e) => e.action_id === actionId)
    .map((e) => e.value!);
}

// Changes to floating IPs themselves; the allocation tag written after each allocation is counted apart.
const floatingIpWrites = (h: Harness) =>
  h.demo.stats.requests().filter((r) => r.method !== 'GET' && r.path.includes('/floatingips') && !r.path.includes('/tags'));
const tagWrites = (h: Harness) => h.demo.stats.requests().filter((r) => r.method === 'PUT' && /\/floatingips\/[^/]+\/tags$/.test(r.path));
const channelResults = (h: Harness) => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);

describe('double taps and replays', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    // Everything the bot sent here, every version of it, within Block Kit's limits.
    await closeWithinLimits(h);
  });

  it('runs an operation once when Confirm is tapped 20 times at once', async () => {
    const confirmation = await firstReply(h, 'create public');
    const before = floatingIpWrites(h).length;
    const tagsBefore = tagWrites(h).length;
    const clicks = await Promise.all(Array.from({ length: 20 }, () => h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm })));
    expect(clicks.every((click) => click.status === 200 && click.withinDeadline)).toBe(true);
    await expect.poll(() => channelResults(h).length, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(floatingIpWrites(h).length - before).toBe(1);
    expect(tagWrites(h).length - tagsBefore).toBe(1);
    expect(channelResults(h)).toHaveLength(1);
  });

  it('ignores a replayed Confirm payload, byte for byte, after the operation ran', async () => {
    const confirmation = await firstReply(h, 'create public');
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    const request = h.sim.lastRequest;
    await expect.poll(() => channelResults(h).length, { timeout: 10_000 }).toBe(2);
    const before = floatingIpWrites(h).length;
    const replayed = await h.sim.replay(request);
    expect(replayed.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(floatingIpWrites(h).length).toBe(before);
    expect(channelResults(h)).toHaveLength(2);
  });

  it('runs a list-row Release once however often it is picked', async () => {
    const list = await firstReply(h, 'list free');
    const before = h.demo.state.floatingIps('demo').length;
    const release = rowPick(list, 'release');
    const taps = await Promise.all(Array.from({ length: 10 }, () => h.sim.selectOverflowOption(list, release.query, release.option)));
    expect(taps.every((tap) => tap.status === 200)).toBe(true);
    await expect.poll(() => h.demo.state.floatingIps('demo').length, { timeout: 10_000 }).toBe(before - 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.demo.state.floatingIps('demo').length).toBe(before - 1);
    expect(h.demo.stats.requests().filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('says a confirmation is spent when it is used after it expired, changing nothing', async () => {
    const confirmation = await firstReply(h, 'create public');
    // Expire every stored plan (the store's clock cannot be moved from here): take the token away.
    const token = buttonValues(confirmation, ACTIONS.confirm)[0]!;
    await h.store.take(token);
    const before = floatingIpWrites(h).length;
    const click = await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    expect(click.status).toBe(200);
    await expect.poll(() => renderText(h.sim.lastMessageTo(DEFAULT_USER)!)).toContain('This confirmation has expired or was already used');
    expect(floatingIpWrites(h).length).toBe(before);
  });

  it('refuses a Confirm clicked by someone other than the person who asked', async () => {
    const confirmation = await firstReply(h, 'create public');
    const before = floatingIpWrites(h).length;
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }, { user: BOB });
    await expect.poll(() => h.sim.messages().some((m) => (m.text ?? '').includes('belongs to someone else'))).toBe(true);
    expect(floatingIpWrites(h).length).toBe(before);
    // The forged click did not use up the real confirmation.
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    await expect.poll(() => floatingIpWrites(h).length, { timeout: 10_000 }).toBe(before + 1);
  });
});

describe('double taps while OpenStack is slow, and on modals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await closeWithinLimits(h);
  });

  it('runs a release once when Confirm is tapped 20 times while Neutron is still answering the first tap', async () => {
    const allocated = await firstReply(h, 'create public');
    await h.sim.clickButton(allocated, { actionId: ACTIONS.confirm });
    await expect.poll(() => channelResults(h).length, { timeout: 10_000 }).toBe(1);
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(channelResults(h)[0]!.text!)![1]!;
    const confirmation = await firstReply(h, `release ${ip}`);
    // What the other devices still show after the first tap replaced the buttons with "Working…".
    const shown = structuredClone(confirmation);
    h.demo.faults.setRouteLatency({ method: 'DELETE', path: '/v2.0/floatingips/*' }, 500);
    try {
      const first = h.sim.clickButton(shown, { actionId: ACTIONS.confirm });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const taps = await Promise.all([first, ...Array.from({ length: 19 }, () => h.sim.clickButton(shown, { actionId: ACTIONS.confirm }))]);
      expect(taps.every((tap) => tap.status === 200 && tap.withinDeadline)).toBe(true);
      await expect.poll(() => channelResults(h).length, { timeout: 10_000 }).toBe(2);
    } finally {
      h.demo.faults.reset();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(channelResults(h).map((m) => m.text)).toEqual([expect.stringMatching(/^allocated /), `released ${ip} (by <@U0ALICE01>)`]);
    expect(h.demo.stats.requests({ method: 'DELETE' })).toHaveLength(1);
    expect(h.demo.state.floatingIp(ip)).toBeUndefined();
  });

  it('runs a confirmation modal once when it is submitted 20 times at once', async () => {
    const mark = h.sim.api.mark();
    await h.sim.slashCommand('');
    const call = await h.sim.api.waitForCall('views.open', { after: mark });
    const form = h.sim.views().find((v) => v.id === (call.response as { view: { id: string } }).view.id)!;
    await h.sim.submitView(form, {
      [`form_ip.${ACTIONS.ipSelect}`]: { text: '192.168.100.201', value: '192.168.100.201' },
      [`form_instance.${ACTIONS.instanceSelect}`]: { text: 'web-1', value: h.demo.state.server('web-1').id },
    });
    const shown = h.sim.views().find((v) => v.id === form.id)!;
    expect(renderText(shown)).toContain('[Attach]');
    const puts = h.demo.stats.count({ method: 'PUT' });
    const submissions = await Promise.all(Array.from({ length: 20 }, () => h.sim.submitView(shown)));
    expect(submissions.every((submission) => submission.status === 200 && submission.withinDeadline)).toBe(true);
    await expect
      .poll(() => h.demo.state.floatingIp('192.168.100.201')?.portId, { timeout: 10_000 })
      .toBe(h.demo.state.portsOf('web-1')[0]!.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.demo.stats.count({ method: 'PUT' })).toBe(puts + 1);
    // The result goes to the channel the form came from, once.
    expect(h.sim.messages().filter((m) => (m.text ?? '').startsWith('attached 192.168.100.201 to web-1'))).toHaveLength(1);
  });
});

describe('requests Slack did not sign', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    // Everything the bot sent here, every version of it, within Block Kit's limits.
    await closeWithinLimits(h);
  });

  it('refuses forged and stale requests with 401 and acts on neither', async () => {
    // The start-up check read the floating IPs already; nothing after it may touch them.
    const before = h.demo.stats.requests().length;
    const forged = await h.sim.slashCommand('create public', { signing: 'forged' });
    const stale = await h.sim.slashCommand('list', { signing: 'stale' });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.sim.responses(forged.responseUrl!)).toEqual([]);
    expect(h.sim.responses(stale.responseUrl!)).toEqual([]);
    expect(
      h.demo.stats
        .requests()
        .slice(before)
        .filter((r) => r.path.includes('/floatingips')),
    ).toEqual([]);
  });

  it('refuses a request with no signature at all', async () => {
    const response = await h.sim.raw('command=%2Ffip&text=release+192.168.100.201&user_id=U0ALICE01', {
      'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
    });
    expect(response.status).toBe(401);
  });

  it('refuses a request signed more than 5 minutes ahead, as it refuses one 5 minutes old', async () => {
    const body = 'command=%2Ffip&text=list&user_id=U0ALICE01&team_id=T0SIM0001';
    const ahead = await h.sim.raw(body, { ...signRequest(SIGNING_SECRET, body, nowSeconds() + STALE_AGE_SECONDS) });
    expect(ahead.status).toBe(401);
  });
});

describe('signed requests fipbot cannot use', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await closeWithinLimits(h);
  });

  /** Signed with the real secret, now: only the body is wrong. */
  const signed = (body: string, contentType: string) =>
    h.sim.raw(body, { ...signRequest(SIGNING_SECRET, body, nowSeconds()) }, contentType);
  const FORM = 'application/x-www-form-urlencoded';
  const payload = (value: unknown) => `payload=${encodeURIComponent(JSON.stringify(value))}`;

  it('answers 400, and keeps running, for null bodies and interactions without the part they are about', async () => {
    const cases: Array<[string, string, string]> = [
      ['JSON null', 'null', 'application/json'],
      ['a JSON array', '[1,2]', 'application/json'],
      ['not JSON at all', '{"type":', 'application/json'],
      ['payload=null', 'payload=null', FORM],
      ['a view submission without its view', payload({ type: 'view_submission', user: { id: DEFAULT_USER } }), FORM],
      ['a click without its actions', payload({ type: 'block_actions', user: { id: DEFAULT_USER } }), FORM],
      ['a suggestion request without its user', payload({ type: 'block_suggestion', action_id: ACTIONS.ipSelect }), FORM],
      ['an event callback without its event', JSON.stringify({ type: 'event_callback', team_id: 'T0SIM0001' }), 'application/json'],
      ['a slash command without its user', 'command=%2Ffip&text=list&team_id=T0SIM0001', FORM],
    ];
    for (const [what, body, contentType] of cases) expect((await signed(body, contentType)).status, what).toBe(400);
    // A kind fipbot does not know, even one named like an object property, is Bolt's to answer (no listener: 404).
    expect((await signed(JSON.stringify({ type: 'constructor' }), 'application/json')).status).toBe(404);
    // Beyond Bolt's body limit, signed or not: 413, without fipbot holding it all.
    const huge = await h.sim.raw(`payload=${'x'.repeat(5 * 1024 * 1024)}`, {
      'X-Slack-Request-Timestamp': String(nowSeconds()),
      'X-Slack-Signature': 'v0=0',
    });
    expect(huge.status).toBe(413);
    expect(h.records().filter((r) => typeof r.msg === 'string' && r.msg.startsWith('request refused before Bolt'))).toHaveLength(
      cases.length + 1,
    );
    // Still answering, as before.
    const help = await h.sim.slashCommand('help');
    expect(help.status).toBe(200);
    expect(renderText(help.body as SimMessage)).toContain('/fip list');
  });
});

describe('who may do what', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      policy: [
        'actions:',
        '  list: { users: ["*"] }',
        '  explain: { users: ["*"] }',
        `  create: { usergroups: [${ONCALL}] }`,
        `  attach: { usergroups: [${ONCALL}] }`,
        `  detach: { usergroups: [${ONCALL}] }`,
        `  release: { users: [${DEFAULT_USER}] }`,
      ].join('\n'),
    });
    h.sim.workspace.setGroupMembers(ONCALL, [DEFAULT_USER]);
  });
  afterAll(async () => {
    // Everything the bot sent here, every version of it, within Block Kit's limits.
    await closeWithinLimits(h);
  });

  it('lets anyone list, but tells a user outside the on-call group why they may not release, and changes nothing', async () => {
    const list = await firstReply(h, 'list', { user: BOB });
    expect(list.text).toMatch(/floating IPs/);
    const refused = await firstReply(h, 'release 192.168.100.201', { user: BOB });
    expect(refused.text).toMatch(/^Not allowed: .*<@U0ALICE01>/);
    expect(h.demo.state.floatingIp('192.168.100.201')).toBeDefined();
  });

  it('refuses the list-row menu to that user too, even though the list showed it', async () => {
    const list = await firstReply(h, 'list free', { user: BOB });
    const release = rowPick(list, 'release');
    await h.sim.selectOverflowOption(list, release.query, release.option, { user: BOB });
    await expect.poll(() => h.sim.messages().some((m) => m.visibleTo === BOB && (m.text ?? '').startsWith('Not allowed'))).toBe(true);
    expect(h.demo.state.floatingIp('192.168.100.201')).toBeDefined();
  });

  it('lets a member of the on-call group allocate', async () => {
    const confirmation = await firstReply(h, 'create public');
    expect(renderText(confirmation)).toContain('[Allocate]');
  });
});

describe('OpenStack failures, as users see them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    // Everything the bot sent here, every version of it, within Block Kit's limits.
    await closeWithinLimits(h);
  });
  afterEach(() => {
    h.demo.faults.reset();
  });

  it('explains a Neutron that keeps answering 503, and the IP is still free afterwards', async () => {
    const confirmation = await firstReply(h, 'attach 192.168.100.201 web-1');
    h.demo.faults.failNext({ method: 'PUT', path: '/v2.0/floatingips/*' }, { status: 503, count: 10 });
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    await expect
      .poll(() => renderText(h.sim.lastMessageTo(DEFAULT_USER)!), { timeout: 15_000 })
      .toMatch(/Neutron refused|could not confirm/);
    const text = renderText(h.sim.lastMessageTo(DEFAULT_USER)!);
    expect(text).not.toMatch(/at .*\.ts:\d+|TypeError|undefined/);
    expect(h.demo.state.floatingIp('192.168.100.201')?.portId).toBeNull();
  });

  it('explains an unreachable Keystone in plain words', async () => {
    h.demo.faults.expireAllTokens();
    h.demo.faults.failNext({ method: 'POST', path: '/identity/v3/auth/tokens' }, { status: 503, count: 10 });
    const reply = await firstReply(h, 'list');
    expect(reply.text).toMatch(/^Keystone refused|Keystone/);
    expect(renderText(reply)).not.toMatch(/stack|\.ts:\d+/);
  });

  it('still lists floating IPs when Nova is down, showing instance ids instead of names', async () => {
    h.demo.faults.failNext({ path: '/compute/**' }, { status: 500, count: 100 });
    const reply = await firstReply(h, 'list attached');
    expect(renderText(reply)).toContain('Nova did not answer: instances are shown by id.');
  });
});
