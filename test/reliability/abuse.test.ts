/**
 * Hostile input, end to end: 1,000+ generated /fip texts (abuse-texts.ts,
 * seeded) sent as signed slash commands to the real Bolt app, and requests
 * Slack did not sign, or signed long ago, or that come again after their
 * operation ran. What must hold for every one:
 *  - no crash: the bot answers every request within Slack's 3 s, and a
 *    normal command still works afterwards;
 *  - every answer is help, an explanation or a confirmation (or the list or
 *    diagnosis asked for), never an internal error;
 *  - nothing changes without a confirmation (none is clicked here): no write
 *    reaches Neutron, and the floating IPs are as before;
 *  - Nova never gets a regular expression from user input: every `name=`
 *    the demo cloud received is fipbot's escaped, anchored exact-name form
 *    or its escaped prefix search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { renderText } from '../support/slack/text.js';
import { DEFAULT_CHANNEL } from '../support/slack/workspace.js';
import { type Harness, limitProblems, startHarness } from '../slack/e2e/harness.js';
import { abuseTexts, isEscapedNameFilter, novaNameFilters, sendAll } from './abuse-support.js';
import { confirmation, confirmDone, demoIps, expectStillWorks, floatingIpWrites, humane, INTERNALS } from './support.js';
import { rowPick } from '../support/slack/rows.js';

const TEXTS = 1_000;

describe(`${TEXTS.toLocaleString('en')} generated hostile command texts`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('are each acknowledged within 3 s and answered with help, an explanation or a confirmation, change nothing, and send Nova no live regex', async () => {
    const texts = abuseTexts(TEXTS);
    expect(texts.length).toBeGreaterThanOrEqual(TEXTS);
    const before = demoIps(h);
    const writes = floatingIpWrites(h);

    const results = await sendAll(h, texts);

    const late = results
      .filter((r) => r.ack.status !== 200 || !r.ack.withinDeadline)
      .map((r) => ({ text: r.text, status: r.ack.status, ms: Math.round(r.ack.ackMs) }));
    expect(late).toEqual([]);
    const internal = results.filter((r) => INTERNALS.test(r.answer ?? '')).map((r) => ({ text: r.text, answer: r.answer }));
    expect(internal).toEqual([]);
    const odd = results.filter((r) => r.kind === 'other').map((r) => ({ text: r.text, answer: r.answer }));
    expect(odd).toEqual([]);
    const kinds = Object.fromEntries(
      ['help', 'question', 'explanation', 'confirmation', 'list', 'diagnosis', 'form', 'nothing to do'].map((kind) => [
        kind,
        results.filter((r) => r.kind === kind).length,
      ]),
    );
    // The generator reaches every kind of answer (a grid of argument counts alone makes help and confirmations).
    expect(kinds.help).toBeGreaterThan(100);
    expect(kinds.explanation).toBeGreaterThan(20);
    expect(kinds.confirmation).toBeGreaterThan(20);
    expect(kinds.question).toBeGreaterThan(5);

    // Nothing changed: no confirmation was clicked.
    expect(floatingIpWrites(h)).toBe(writes);
    expect(h.demo.stats.requests({ service: 'network' }).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(demoIps(h)).toEqual(before);
    expect(h.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);

    const filters = novaNameFilters(h);
    expect(filters.length).toBeGreaterThan(50);
    expect(filters.filter((filter) => !isEscapedNameFilter(filter))).toEqual([]);

    console.log(
      `abuse: ${results.length} texts, answers ${JSON.stringify(kinds)}, ${filters.length} Nova name filters, slowest ack ${Math.round(Math.max(...results.map((r) => r.ack.ackMs)))} ms`,
    );
    await expectStillWorks(h);
    const { problems } = limitProblems(h.sim);
    expect(problems).toEqual([]);
  }, 120_000);

  it('recognises a live regex as unescaped, so the check above can fail', () => {
    expect(isEscapedNameFilter('^web\\-1$')).toBe(true);
    expect(isEscapedNameFilter('^web\\-1')).toBe(true);
    expect(isEscapedNameFilter('^a\\\\$')).toBe(true);
    expect(isEscapedNameFilter('^web-1.*$')).toBe(false);
    expect(isEscapedNameFilter('web\\-1$')).toBe(false);
    expect(isEscapedNameFilter('^a|b$')).toBe(false);
    expect(isEscapedNameFilter('^\\d$')).toBe(false);
  });
});

describe('requests Slack did not sign, signed long ago, or sent again', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a forged and a stale click on Confirm with 401, changes nothing, and the real click still works', async () => {
    const shown = await confirmation(h, 'create public');
    const before = demoIps(h);
    const forged = await h.sim.clickButton(shown, { actionId: ACTIONS.confirm }, { signing: 'forged' });
    const stale = await h.sim.clickButton(shown, { actionId: ACTIONS.confirm }, { signing: 'stale' });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(h.sim.responses(forged.responseUrl!)).toEqual([]);
    expect(h.sim.responses(stale.responseUrl!)).toEqual([]);
    expect(demoIps(h)).toEqual(before);
    expect(await confirmDone(h, shown)).toMatch(/^allocated \S+ from pool public/);
  });

  it('refuses a forged and a stale modal submission with 401', async () => {
    await h.sim.slashCommand('');
    await h.sim.api.waitForCall('views.open');
    const form = h.sim
      .views()
      .filter((v) => v.type === 'modal' && v.open)
      .at(-1)!;
    const forged = await h.sim.submitView(form, {}, { signing: 'forged', force: true });
    const stale = await h.sim.submitView(form, {}, { signing: 'stale', force: true });
    expect([forged.status, stale.status]).toEqual([401, 401]);
  });

  it('does nothing more when a list-row Release is replayed, byte for byte, after it ran', async () => {
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(await confirmDone(h, await confirmation(h, 'create public')))![1]!;
    const ack = await h.sim.slashCommand('list free');
    await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const list = h.sim.responses(ack.responseUrl!)[0]!.message!;
    const release = rowPick(list, 'release', ip);
    const click = await h.sim.selectOverflowOption(list, release.query, release.option);
    const request = h.sim.lastRequest!;
    await expect
      .poll(() => h.sim.responses(click.responseUrl!).some((r) => r.responseType === 'in_channel'), { timeout: 10_000 })
      .toBe(true);
    const deletes = h.demo.stats.count({ method: 'DELETE' });
    const before = demoIps(h);
    expect((await h.sim.replay(request)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.demo.stats.count({ method: 'DELETE' })).toBe(deletes);
    expect(demoIps(h)).toEqual(before);
    expect(h.records().some((r) => r.msg === 'duplicate row click ignored')).toBe(true);
  });

  it('does nothing more when a confirmation modal is submitted again after its change ran', async () => {
    await h.sim.slashCommand('');
    const call = await h.sim.api.waitForCall('views.open');
    const form = h.sim.views().find((v) => v.id === (call.response as { view: { id: string } }).view.id)!;
    const web1 = h.demo.state.server('web-1');
    await h.sim.submitView(form, {
      [`form_ip.${ACTIONS.ipSelect}`]: { text: '192.168.100.201', value: '192.168.100.201' },
      [`form_instance.${ACTIONS.instanceSelect}`]: { text: 'web-1', value: web1.id },
    });
    const shown = h.sim.views().find((v) => v.id === form.id)!;
    expect(renderText(shown)).toContain('Floating IP `192.168.100.201` from pool *public* is attached to');
    const writes = floatingIpWrites(h);
    await h.sim.submitView(shown);
    const request = h.sim.lastRequest!;
    await expect.poll(() => floatingIpWrites(h), { timeout: 10_000 }).toBe(writes + 1);
    const before = demoIps(h);
    const replayed = await h.sim.replay(request);
    expect(replayed.status).toBe(200);
    expect(JSON.stringify(replayed.body)).toContain('Working…');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(floatingIpWrites(h)).toBe(writes + 1);
    expect(demoIps(h)).toEqual(before);
  });

  it('only shows a fresh confirmation when a slash command is replayed after its change ran', async () => {
    const shown = await confirmation(h, 'create public');
    const commandRequest = h.sim.lastRequest!;
    await confirmDone(h, shown);
    const writes = floatingIpWrites(h);
    const before = demoIps(h);
    const replayed = await h.sim.replay(commandRequest);
    expect(replayed.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(floatingIpWrites(h)).toBe(writes);
    expect(demoIps(h)).toEqual(before);
    expect(
      h.sim
        .messages()
        .filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral)
        .at(-1)?.text,
    ).toMatch(/^allocated /);
    humane(h.sim.messages().at(-1)!);
  });
});
