/**
 * OpenStack failing in every way the demo cloud can fail, end to end (the
 * real Bolt app over HTTP, the simulated Slack in front), with the bot's
 * OpenStack transport timeout lowered to 1 s so "slower than the timeout"
 * takes a second and a half. For each fault:
 *  - the person gets a plain explanation (no stack trace, no `undefined`),
 *    and every request is acknowledged within Slack's 3 s;
 *  - the process survives: a later command works;
 *  - no floating IP is leaked or half-changed: the project's floating IPs
 *    are compared before and after, and where the change may have happened
 *    the message says the outcome is unknown and the IP is in one of the two
 *    states (before, or as confirmed).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectDemo } from '../support/demo.js';
import { closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';
import {
  acks,
  command,
  confirm,
  confirmation,
  confirmDone,
  demoIps,
  demoTarget,
  eventually,
  expectStillWorks,
  floatingIpWrites,
  humane,
  sleep,
} from './support.js';

const UNKNOWN = 'fipbot could not confirm whether the change was made';
const TIMEOUT_MS = 1_000;

let h: Harness;
let before: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({
    // Late looks for a timed-out allocation a second apart: undici's timeouts fire up to a second late.
    timing: { openstack: { timeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS, lateAllocationChecksMs: [1_000, 1_500] } },
  });
});

beforeEach(() => {
  before = demoIps(h);
});

afterEach(async () => {
  h.demo.faults.reset();
  // The process survived the fault: the next command works.
  await expectStillWorks(h);
});

afterAll(async () => {
  await closeWithinLimits(h);
  expect(acks.length).toBeGreaterThan(20);
  expect(acks.filter((ack) => !ack.withinDeadline)).toEqual([]);
});

describe('Keystone down', () => {
  it('tells the person Keystone is unreachable when every connection to it is reset, and allocates nothing', async () => {
    h.demo.faults.expireAllTokens();
    h.demo.faults.dropConnections({ path: '/identity/**' }, { count: 10 });
    const { reply } = await command(h, 'create public');
    const text = humane(reply);
    expect(reply.text).toBe('Keystone is unreachable. No floating IP was allocated.');
    expect(text).toContain('Try again in a few minutes');
    expect(demoIps(h)).toEqual(before);
  });

  it('reports Keystone failing at the click as nothing changed, because the change was never sent', async () => {
    const shown = await confirmation(h, 'create public');
    const writes = floatingIpWrites(h);
    h.demo.faults.expireAllTokens();
    h.demo.faults.failNext({ method: 'POST', path: '/identity/v3/auth/tokens' }, { status: 503, count: 10 });
    const answer = await confirm(h, shown);
    const text = humane(answer.body);
    // An outage, said as one: what is down, that nothing changed, and when to try again.
    expect(answer.text).toMatch(/^Keystone is unavailable\. No floating IP was allocated\./);
    expect(text).toContain('Try again in a few minutes');
    expect(text).not.toMatch(/refused/i);
    expect(text).not.toContain(UNKNOWN);
    expect(floatingIpWrites(h)).toBe(writes);
    expect(demoIps(h)).toEqual(before);
  });

  it('says Keystone is not answering when it is slower than the transport timeout', async () => {
    h.demo.faults.expireAllTokens();
    h.demo.faults.setRouteLatency({ method: 'POST', path: '/identity/v3/auth/tokens' }, TIMEOUT_MS + 500);
    const { reply } = await command(h, 'list');
    humane(reply);
    expect(reply.text).toBe('Keystone is not answering. Nothing was changed.');
    h.demo.faults.reset();
    // Its late answer must not confuse the next request.
    await sleep(600);
  });
});

describe('Neutron answering 500 and 503', () => {
  it('says the outcome of an allocation answered 500 is unknown, and no floating IP appeared', async () => {
    const shown = await confirmation(h, 'create public');
    h.demo.faults.failNext({ method: 'POST', path: '/v2.0/floatingips' }, { status: 500 });
    const answer = await confirm(h, shown);
    const text = humane(answer.body);
    expect(text).toContain('Neutron refused');
    expect(text).toContain(UNKNOWN);
    // fipbot looked for the IP by its unique description and found none: nothing leaked.
    expect(demoIps(h)).toEqual(before);
  });

  it('explains a list Neutron answers 503 to, after retrying, as an outage that changed nothing', async () => {
    h.demo.faults.failNext({ method: 'GET', path: '/v2.0/floatingips' }, { status: 503, count: 10 });
    const { reply } = await command(h, 'list');
    humane(reply);
    expect(reply.text).toBe('Neutron is unavailable. Nothing was changed.');
    expect(h.demo.stats.count({ method: 'GET', path: '/v2.0/floatingips', status: 503 })).toBe(3);
  });

  it('releases once when a DELETE is answered 503 once and retried', async () => {
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(await confirmDone(h, await confirmation(h, 'create public')))![1]!;
    const shown = await confirmation(h, `release ${ip}`);
    h.demo.faults.failNext({ method: 'DELETE', path: '/v2.0/floatingips/*' }, { status: 503 });
    expect(await confirmDone(h, shown)).toBe(`released ${ip} (by <@U0ALICE01>)`);
    expect(demoIps(h)).toEqual(before);
  });

  it('says the outcome of a release answered 500 is unknown, and the IP is still there, unchanged', async () => {
    const shown = await confirmation(h, 'release 192.168.100.201');
    h.demo.faults.failNext({ method: 'DELETE', path: '/v2.0/floatingips/*' }, { status: 500 });
    const answer = await confirm(h, shown);
    expect(humane(answer.body)).toContain(UNKNOWN);
    expect(demoIps(h)).toEqual(before);
  });
});

describe('Neutron slower than the transport timeout', () => {
  it('says an attach whose answer timed out has an unknown outcome, and the IP ends free or attached as confirmed', async () => {
    const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
    const puts = h.demo.stats.count({ method: 'PUT', path: '/v2.0/floatingips/*' });
    // Well past the timeout: after giving up, the bot reads the IP back, and finds the change made if the
    // late PUT has landed by then (reported as done, rightly). On a busy machine that read-back can come a
    // second late; 2.5 s keeps this test on the path it is about, the answer that never came.
    h.demo.faults.setRouteLatency({ method: 'PUT', path: '/v2.0/floatingips/*' }, TIMEOUT_MS + 2_500);
    const answer = await confirm(h, shown);
    const text = humane(answer.body);
    expect(answer.text).toMatch(/^Neutron is not answering\./);
    expect(text).toContain(UNKNOWN);
    // The demo cloud carries the PUT out after the bot gave up, as a real one
    // may. Wait for it (a fixed sleep raced it on a loaded machine and left the
    // IP attached for the next test).
    await eventually(() => h.demo.stats.count({ method: 'PUT', path: '/v2.0/floatingips/*' }) > puts, 'the late PUT to be carried out');
    const after = demoIps(h);
    expect([before['192.168.100.201'], demoTarget(h, 'web-1')]).toContain(after['192.168.100.201']);
    expect({ ...after, '192.168.100.201': before['192.168.100.201'] }).toEqual(before);
    // Leave it free for the next test.
    h.demo.faults.reset();
    if (after['192.168.100.201'] !== 'free') await confirmDone(h, await confirmation(h, 'detach 192.168.100.201'));
  });

  it('says Neutron is not answering when a listing never comes back', async () => {
    h.demo.faults.hang({ method: 'GET', path: '/v2.0/floatingips' }, { count: 1 });
    const { reply } = await command(h, 'list free');
    humane(reply);
    expect(reply.text).toBe('Neutron is not answering. Nothing was changed.');
  });
});

describe('connections reset', () => {
  it('retries a detach whose connection was reset and detaches once', async () => {
    await confirmDone(h, await confirmation(h, 'attach 192.168.100.201 web-1'));
    const shown = await confirmation(h, 'detach 192.168.100.201');
    h.demo.faults.dropConnections({ method: 'PUT', path: '/v2.0/floatingips/*' }, { count: 1 });
    expect(await confirmDone(h, shown)).toBe('detached 192.168.100.201 from web-1 (by <@U0ALICE01>)');
    expect(demoIps(h)['192.168.100.201']).toBe('free');
    expect(
      h.demo.stats
        .requests({ method: 'PUT', path: '/v2.0/floatingips/*' })
        .slice(-2)
        .map((r) => r.status),
    ).toEqual([0, 200]);
  });

  it('never sends an allocation twice when its connection is reset, and leaks no floating IP', async () => {
    const shown = await confirmation(h, 'create public');
    const posts = h.demo.stats.count({ method: 'POST', path: '/v2.0/floatingips' });
    h.demo.faults.dropConnections({ method: 'POST', path: '/v2.0/floatingips' }, { count: 1 });
    const answer = await confirm(h, shown);
    expect(humane(answer.body)).toContain(UNKNOWN);
    expect(h.demo.stats.count({ method: 'POST', path: '/v2.0/floatingips' })).toBe(posts + 1);
    expect(demoIps(h)).toEqual(before);
  });

  it('reports an allocation whose answer timed out as allocated once a later look finds the IP', async () => {
    const shown = await confirmation(h, 'create public');
    // Neutron carries the POST out after the bot gave up (its timeout fires 1 to 2 s in): the first look finds
    // nothing, a later one (lateAllocationChecksMs) finds the IP by its description.
    h.demo.faults.setRouteLatency({ method: 'POST', path: '/v2.0/floatingips' }, TIMEOUT_MS + 1_500);
    const answer = await confirm(h, shown);
    expect(answer.text).toMatch(/^allocated 192\.168\.100\.\d+ from pool public/);
    const ip = /^allocated (\S+)/.exec(answer.text!)![1]!;
    expect(demoIps(h)).toEqual({ ...before, [ip]: 'free' });
    h.demo.faults.reset();
    await confirmDone(h, await confirmation(h, `release ${ip}`));
  });

  it('says the outcome is unknown when every attempt of a release loses its connection, and the IP is untouched', async () => {
    const shown = await confirmation(h, 'release 192.168.100.202');
    h.demo.faults.dropConnections({ method: 'DELETE', path: '/v2.0/floatingips/*' }, { count: 10, mode: 'destroy' });
    const answer = await confirm(h, shown);
    expect(humane(answer.body)).toContain(UNKNOWN);
    expect(demoIps(h)).toEqual(before);
  });
});

describe('answers lost after Neutron made the change', () => {
  // Neutron carries the change out and its answer is lost (the connection reset, or a proxy's 504). The
  // transport sends the change again with the same If-Match, which Neutron now refuses with 412: the IP
  // changed, by this very change. The bot reads the IP back and says what happened.
  for (const as of ['reset', 504] as const) {
    it(`reports an attach whose answer was lost (${as}) as attached, not as refused`, async () => {
      const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
      h.demo.faults.loseAnswers({ method: 'PUT', path: '/v2.0/floatingips/*' }, { as });
      const answer = await confirm(h, shown);
      expect(answer.responseType).toBe('in_channel');
      expect(answer.text).toBe(`attached 192.168.100.201 to web-1 (by <@U0ALICE01>)`);
      expect(humane(answer.body)).toContain('The answer from OpenStack was lost; fipbot checked that the change was made.');
      expect(demoIps(h)['192.168.100.201']).toBe(demoTarget(h, 'web-1'));
      expect(
        h
          .records()
          .filter((r) => r.msg === 'audit')
          .at(-1),
      ).toMatchObject({ action: 'attach', outcome: 'done' });

      const detach = await confirmation(h, 'detach 192.168.100.201');
      h.demo.faults.loseAnswers({ method: 'PUT', path: '/v2.0/floatingips/*' }, { as });
      expect(await confirmDone(h, detach)).toBe('detached 192.168.100.201 from web-1 (by <@U0ALICE01>)');
      expect(demoIps(h)['192.168.100.201']).toBe('free');
    });
  }

  it('says the outcome is unknown, with what to check, when the IP cannot be read back either', async () => {
    const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
    h.demo.faults.loseAnswers({ method: 'PUT', path: '/v2.0/floatingips/*' }, { as: 504 });
    // The read-back fails too (after the transport's retries).
    h.demo.faults.failNext({ method: 'GET', path: '/v2.0/floatingips/*' }, { status: 503, count: 10 });
    const answer = await confirm(h, shown);
    const text = humane(answer.body);
    expect(answer.text).toMatch(/^Neutron's answer about 192\.168\.100\.201 was lost/);
    expect(text).toContain(UNKNOWN);
    h.demo.faults.reset();
    expect([before['192.168.100.201'], demoTarget(h, 'web-1')]).toContain(demoIps(h)['192.168.100.201']);
    if (demoIps(h)['192.168.100.201'] !== 'free') await confirmDone(h, await confirmation(h, 'detach 192.168.100.201'));
  });

  it('still says "changed in the meantime" when someone else changed the IP between the confirmation and the click', async () => {
    const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
    const other = await h.connection.neutron.listFloatingIps({ address: '192.168.100.201' });
    await h.connection.neutron.updateFloatingIp(other[0]!.id, { description: 'touched by someone else' });
    const answer = await confirm(h, shown);
    expect(answer.text).toMatch(/changed/);
    expect(answer.responseType).not.toBe('in_channel');
    expect(demoIps(h)['192.168.100.201']).toBe('free');
  });
});

describe('tokens revoked mid-operation', () => {
  it('completes a confirmed allocation when every token is revoked before the click, re-authenticating once', async () => {
    const shown = await confirmation(h, 'create public');
    const authentications = h.demo.stats.authentications();
    h.demo.faults.expireAllTokens();
    const result = await confirmDone(h, shown);
    const ip = /^allocated (\S+) from pool public/.exec(result)![1]!;
    expect(h.demo.stats.authentications()).toBe(authentications + 1);
    expect(demoIps(h)).toEqual({ ...before, [ip]: 'free' });
    await confirmDone(h, await confirmation(h, `release ${ip}`));
  });

  it('prepares an attach whose requests are in flight when the tokens are revoked', async () => {
    h.demo.faults.setRouteLatency({ method: 'GET', path: '/v2.0/ports' }, 300);
    const pending = command(h, 'attach 192.168.100.201 web-2');
    await sleep(150);
    h.demo.faults.expireAllTokens();
    const { reply } = await pending;
    expect(humane(reply)).toContain('Nothing changes until you confirm');
    expect(h.demo.stats.count({ status: 401 })).toBeGreaterThan(0);
    expect(demoIps(h)).toEqual(before);
  });

  it('explains a revoked token that cannot be renewed as a failed login, and changes nothing', async () => {
    const shown = await confirmation(h, 'attach 192.168.100.201 web-1');
    h.demo.faults.expireAllTokens();
    h.demo.faults.failNext({ method: 'POST', path: '/identity/v3/auth/tokens' }, { status: 401, count: 3 });
    const answer = await confirm(h, shown);
    const text = humane(answer.body);
    expect(answer.text).toMatch(/^fipbot could not log in to OpenStack\. Nothing was changed/);
    expect(text).not.toContain(UNKNOWN);
    expect(demoIps(h)).toEqual(before);
  });
});

describe('Nova down while Neutron works', () => {
  /** An IP someone attached outside fipbot (Horizon, the CLI): the bot has never seen the instance's name. */
  async function attachedElsewhere(server: string): Promise<{ id: string; address: string }> {
    const side = connectDemo(h.demo);
    try {
      const port = h.demo.state.portsOf(server)[0]!;
      const created = await side.neutron.createFloatingIp({
        networkId: h.demo.state.network('public').id,
        portId: port.id,
        fixedIpAddress: port.fixedIps[0]!.ipAddress,
        description: 'attached in Horizon',
      });
      return { id: created.value.id, address: created.value.address };
    } finally {
      await side.close();
    }
  }

  it('refuses an attach with an explanation that says nothing was changed, not that the outcome is unknown', async () => {
    h.demo.faults.failNext({ path: '/compute/**' }, { status: 500, count: 1_000 });
    const { reply } = await command(h, 'attach 192.168.100.201 app-07');
    const text = humane(reply);
    expect(reply.text).toMatch(/^Nova refused: computeFault\. Nothing was changed/);
    expect(text).not.toContain(UNKNOWN);
    expect(demoIps(h)).toEqual(before);
  });

  it('still releases an attached floating IP, naming the instance by its id', async () => {
    const fip = await attachedElsewhere('app-08');
    h.demo.faults.failNext({ path: '/compute/**' }, { status: 500, count: 1_000 });
    const shown = await confirmation(h, `release ${fip.address}`);
    expect(humane(shown)).toContain(`It is attached to *${h.demo.state.server('app-08').id}*`);
    expect(await confirmDone(h, shown)).toBe(`released ${fip.address} (by <@U0ALICE01>)`);
    expect(demoIps(h)).toEqual(before);
  });

  it('still detaches a floating IP, naming the instance by its id', async () => {
    const fip = await attachedElsewhere('app-09');
    h.demo.faults.failNext({ path: '/compute/**' }, { status: 500, count: 1_000 });
    const shown = await confirmation(h, `detach ${fip.address}`);
    const appId = h.demo.state.server('app-09').id;
    expect(humane(shown)).toContain(`is detached from *${appId}*`);
    expect(await confirmDone(h, shown)).toBe(`detached ${fip.address} from ${appId} (by <@U0ALICE01>)`);
    expect(demoIps(h)).toEqual({ ...before, [fip.address]: 'free' });
    h.demo.faults.reset();
    await confirmDone(h, await confirmation(h, `release ${fip.address}`));
  });
});
