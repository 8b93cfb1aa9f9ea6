/**
 * After a click on Confirm, the change does not wait for Slack to show
 * "Working…": both go out at once (found by npm run bench: the Slack round
 * trip sat in front of the OpenStack call), and the result still comes after
 * "Working…". A refused "Working…" update changes nothing about the outcome:
 * the click was the consent, the change is made and its result posted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { readBody } from '../../support/slack/http.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { DEFAULT_CHANNEL } from '../../support/slack/workspace.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

type Decision = { delayMs?: number; status?: number };

/** Puts a hand on response_url posts: `decide` sees each body and may hold it up or refuse it; the times posts were answered are noted. */
function interceptResponses(decide: (body: string) => Decision): { answered: Array<{ text: string; at: number }> } {
  const answered: Array<{ text: string; at: number }> = [];
  const handle = h.sim.responseUrls.handle;
  h.sim.api.mount('/response/', async (req: IncomingMessage, res: ServerResponse, rest: string) => {
    const raw = await readBody(req);
    const decision = decide(raw);
    if (decision.delayMs) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    const text = String((JSON.parse(raw) as { text?: string }).text ?? '');
    if (decision.status) {
      res.writeHead(decision.status, { 'content-type': 'text/plain' }).end('scripted failure');
    } else {
      const replay = Object.assign(Readable.from([Buffer.from(raw)]), {
        method: req.method,
        headers: req.headers,
        url: req.url,
      }) as unknown as IncomingMessage;
      await handle(replay, res, rest);
    }
    answered.push({ text, at: Date.now() });
  });
  return { answered };
}

async function confirmation(ip: string, instance: string): Promise<SimMessage> {
  const ack = await h.sim.slashCommand(`attach ${ip} ${instance}`);
  expect(ack.status).toBe(200);
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBe(1);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

const inChannel = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);

describe('Confirm', () => {
  it('sends the change while Slack is still showing "Working…", and posts the result after it', async () => {
    const allocated = await h.service.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
    const ip = allocated.value.floatingIp.address;
    const message = await confirmation(ip, 'web-1');
    const { answered } = interceptResponses((body) => (body.includes('Working') ? { delayMs: 400 } : {}));
    const before = inChannel().length;
    await h.sim.clickButton(message, { actionId: ACTIONS.confirm });
    await expect.poll(() => inChannel().length, { timeout: 10_000 }).toBe(before + 1);
    expect(inChannel().at(-1)!.text).toMatch(new RegExp(`^attached ${ip.replace(/\./g, '\\.')} to web-1`));

    const put = h.demo.stats.requests({ method: 'PUT' }).at(-1)!;
    const working = answered.find((post) => post.text.startsWith('Working'))!;
    expect(put.at).toBeLessThan(working.at);
    // "Working…" first, then the result, then the confirmation goes away (posted right after the result: wait for it).
    await expect.poll(() => answered.length, { timeout: 5_000 }).toBe(3);
    expect(answered.map((post) => post.text.split(' ')[0])).toEqual(['Working…', 'attached', '']);
  });

  it('makes the change and posts its result when Slack refuses the "Working…" update', async () => {
    const allocated = await h.service.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
    const ip = allocated.value.floatingIp.address;
    const message = await confirmation(ip, 'app-01');
    interceptResponses((body) => (body.includes('Working') ? { status: 500 } : {}));
    const before = inChannel().length;
    await h.sim.clickButton(message, { actionId: ACTIONS.confirm });
    await expect.poll(() => inChannel().length, { timeout: 10_000 }).toBe(before + 1);
    expect(inChannel().at(-1)!.text).toMatch(new RegExp(`^attached ${ip.replace(/\./g, '\\.')} to app-01`));
    expect(h.demo.state.floatingIps('demo').find((fip) => fip.floatingIpAddress === ip)?.portId).not.toBeNull();
    expect(h.records().some((record) => record.msg === 'could not show "Working…"')).toBe(true);
  });
});
