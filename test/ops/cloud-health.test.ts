/** Readiness follows the cloud: not ready once it has failed, without one answer, for the grace; ready at the next answer. */
import { describe, expect, it } from 'vitest';
import { CloudHealth, isOutageStatus } from '../../src/ops/cloud-health.js';

describe('the cloud’s health', () => {
  it('stays ready through a blip, turns not ready after the grace, and ready again at the first answer', () => {
    let now = 0;
    const health = new CloudHealth({ graceMs: 30_000, now: () => now });
    expect(health.report()).toEqual({ ok: true, detail: 'answering' });
    health.failed('Neutron answered HTTP 503');
    now += 29_000;
    health.failed('Neutron answered HTTP 503');
    expect(health.report()).toEqual({ ok: true, detail: 'failing for 29 s: Neutron answered HTTP 503' });
    now += 1_000;
    health.failed('Keystone did not answer (ECONNREFUSED)');
    expect(health.report()).toEqual({ ok: false, detail: 'failing for 30 s: Keystone did not answer (ECONNREFUSED)' });
    health.answered();
    expect(health.report()).toEqual({ ok: true, detail: 'answering' });
  });

  it('counts refusals as answers: only no answer or a 5xx is an outage', () => {
    expect([undefined, 0, 500, 502, 503, 504].map(isOutageStatus)).toEqual([true, true, true, true, true, true]);
    expect([200, 204, 401, 403, 404, 409, 412, 429].map(isOutageStatus)).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('is not ready at once, grace or not, when the cloud has not answered since start; ready at its first answer', () => {
    let now = 0;
    const health = new CloudHealth({ graceMs: 30_000, now: () => now });
    health.failed('Keystone did not answer (ECONNREFUSED)');
    health.failedAtStart('could not reach Keystone');
    expect(health.report()).toEqual({ ok: false, detail: 'no answer since fipbot started: Keystone did not answer (ECONNREFUSED)' });
    now += 1_000;
    health.answered();
    expect(health.report()).toEqual({ ok: true, detail: 'answering' });
    // Later blips get the grace again.
    health.failed('Neutron answered HTTP 503');
    expect(health.report().ok).toBe(true);
  });
});
