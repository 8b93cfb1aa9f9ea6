import { describe, expect, it } from 'vitest';
import { Readiness } from '../../src/ops/health.js';

describe('readiness', () => {
  it('is ready when every check passes, and names the one that fails', async () => {
    let slackUp = true;
    const readiness = new Readiness(
      [
        { name: 'openstack', run: () => Promise.resolve('project demo') },
        { name: 'slack', run: () => (slackUp ? Promise.resolve('team T1') : Promise.reject(new Error('invalid_auth'))) },
      ],
      { cacheMs: 0, timeoutMs: 1_000, now: () => Date.now() },
    );
    expect(await readiness.ready()).toEqual({
      ok: true,
      checks: { openstack: { ok: true, detail: 'project demo' }, slack: { ok: true, detail: 'team T1' } },
    });
    slackUp = false;
    expect(await readiness.ready()).toMatchObject({ ok: false, checks: { slack: { ok: false, detail: 'invalid_auth' } } });
  });

  it('caches results so probes cannot load the cloud, and shares one run among concurrent probes', async () => {
    let runs = 0;
    let now = 0;
    const readiness = new Readiness([{ name: 'openstack', run: () => Promise.resolve(`run ${++runs}`) }], {
      cacheMs: 5_000,
      timeoutMs: 1_000,
      now: () => now,
    });
    await Promise.all(Array.from({ length: 10 }, () => readiness.ready()));
    expect(runs).toBe(1);
    now += 4_999;
    await readiness.ready();
    expect(runs).toBe(1);
    now += 2;
    await readiness.ready();
    expect(runs).toBe(2);
  });

  it('fails a check that does not answer in time instead of hanging the probe', async () => {
    const readiness = new Readiness([{ name: 'openstack', run: () => new Promise<string>(() => undefined) }], {
      cacheMs: 0,
      timeoutMs: 50,
      now: () => Date.now(),
    });
    expect(await readiness.ready()).toEqual({ ok: false, checks: { openstack: { ok: false, detail: 'no answer within 50 ms' } } });
  });

  it('reports alive until shutdown starts, then not alive and not ready', async () => {
    const readiness = new Readiness([{ name: 'openstack', run: () => Promise.resolve('ok') }]);
    expect(readiness.alive()).toEqual({ ok: true, status: 'ok' });
    readiness.shuttingDown = true;
    expect(readiness.alive()).toEqual({ ok: false, status: 'stopping' });
    expect((await readiness.ready()).ok).toBe(false);
  });
});
