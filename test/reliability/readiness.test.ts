/**
 * /readyz follows the cloud, end to end (the real Bolt app's HTTP listener,
 * the demo cloud behind): not ready, with the reason, once OpenStack has
 * failed for longer than FIPBOT_NOT_READY_AFTER_MS (300 ms here), whether
 * Neutron answers 503, Keystone is down with the token revoked, or the cloud
 * is gone; ready again as soon as it answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../slack/e2e/harness.js';
import { sleep } from './support.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ timing: { ops: { notReadyAfterMs: 300, readinessCacheMs: 0 }, openstack: { timeoutMs: 1_000 } } });
});
afterAll(async () => {
  await h.close();
});

async function readyz(): Promise<{ status: number; openstack: { ok: boolean; detail: string } }> {
  const response = await fetch(`http://127.0.0.1:${h.bot.port}/readyz`);
  const body = (await response.json()) as { checks: { openstack: { ok: boolean; detail: string } } };
  return { status: response.status, openstack: body.checks.openstack };
}

describe('readiness when the cloud fails', () => {
  it('stays ready through a short Neutron outage, turns not ready past the grace with the reason, and ready again when Neutron answers', async () => {
    expect(await readyz()).toEqual({ status: 200, openstack: { ok: true, detail: 'project demo, cloud answering' } });
    h.demo.faults.failNext({ method: 'GET', path: '/v2.0/networks' }, { status: 503, count: 1_000 });
    const first = await readyz();
    expect(first.status).toBe(200);
    expect(first.openstack.detail).toMatch(/failing for 0 s: Neutron answered HTTP 503/);
    await sleep(350);
    expect(await readyz()).toMatchObject({
      status: 503,
      openstack: { ok: false, detail: expect.stringMatching(/^failing for \d+ s: Neutron answered HTTP 503$/) as string },
    });
    h.demo.faults.reset();
    expect(await readyz()).toEqual({ status: 200, openstack: { ok: true, detail: 'project demo, cloud answering' } });
  });

  it('turns not ready when Keystone is down and the token was revoked', async () => {
    h.demo.faults.expireAllTokens();
    h.demo.faults.failNext({ method: 'POST', path: '/identity/v3/auth/tokens' }, { status: 503, count: 1_000 });
    await readyz();
    await sleep(350);
    expect(await readyz()).toMatchObject({
      status: 503,
      openstack: { detail: expect.stringMatching(/Keystone answered HTTP 503/) as string },
    });
    h.demo.faults.reset();
    expect((await readyz()).status).toBe(200);
  });

  it('turns not ready when Neutron hangs, long before its requests time out (30 s here)', async () => {
    const slow = await startHarness({ timing: { ops: { notReadyAfterMs: 300, readinessCacheMs: 0, readinessCheckTimeoutMs: 400 } } });
    try {
      const probe = async () => (await fetch(`http://127.0.0.1:${slow.bot.port}/readyz`)).status;
      expect(await probe()).toBe(200);
      slow.demo.faults.hang({ method: 'GET', path: '/v2.0/networks' });
      await probe();
      await sleep(350);
      const response = await fetch(`http://127.0.0.1:${slow.bot.port}/readyz`);
      expect(response.status).toBe(503);
      expect(JSON.stringify(await response.json())).toMatch(/OpenStack did not answer within 0\.2 s/);
    } finally {
      // The hung requests end with the cloud (their own timeout is 30 s).
      await slow.demo.close();
      await slow.close();
    }
  });

  it('turns not ready when the cloud is gone altogether', async () => {
    await h.demo.close();
    await readyz();
    await sleep(350);
    expect(await readyz()).toMatchObject({
      status: 503,
      openstack: { detail: expect.stringMatching(/did not answer \(ECONNREFUSED\)/) as string },
    });
  });
});
