/**
 * The abuse suite's checks (reliability/abuse.test.ts) at ten times the
 * volume and with more people typing at once: 10,000 generated texts (a
 * different seed), 16 in flight at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, limitProblems, startHarness } from '../slack/e2e/harness.js';
import { abuseTexts, isEscapedNameFilter, novaNameFilters, sendAll } from '../reliability/abuse-support.js';
import { demoIps, expectStillWorks, INTERNALS } from '../reliability/support.js';

const TEXTS = 10_000;

describe(`${TEXTS.toLocaleString('en')} generated hostile command texts, 16 at a time`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('are each acknowledged within 3 s and answered without internals, change nothing, and send Nova no live regex', async () => {
    const started = performance.now();
    const before = demoIps(h);
    const results = await sendAll(h, abuseTexts(TEXTS, 4_242), 16);
    expect(results).toHaveLength(TEXTS);
    expect(
      results
        .filter((r) => r.ack.status !== 200 || !r.ack.withinDeadline)
        .map((r) => ({ text: r.text, status: r.ack.status, ms: Math.round(r.ack.ackMs) })),
    ).toEqual([]);
    expect(
      results.filter((r) => INTERNALS.test(r.answer ?? '') || r.kind === 'other').map((r) => ({ text: r.text, answer: r.answer })),
    ).toEqual([]);
    expect(h.demo.stats.requests({ service: 'network' }).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(demoIps(h)).toEqual(before);
    const filters = novaNameFilters(h);
    expect(filters.filter((filter) => !isEscapedNameFilter(filter))).toEqual([]);
    expect(h.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    const kinds: Record<string, number> = {};
    for (const r of results) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    console.log(
      `abuse soak: ${results.length} texts, answers ${JSON.stringify(kinds)}, ${filters.length} Nova name filters, slowest ack ${Math.round(Math.max(...results.map((r) => r.ack.ackMs)))} ms, ${Math.round(performance.now() - started)} ms`,
    );
    await expectStillWorks(h);
    expect(limitProblems(h.sim).problems).toEqual([]);
  });
});
