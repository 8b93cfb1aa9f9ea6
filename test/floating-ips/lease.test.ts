/** Lease lengths, the tags a lease lives in, its wording, and Extend's guard (the lease shown, the owner only). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_LIMITS, leaseOf, leaseRowNote, leaseTags, parseLeaseDuration, whenLeaseEnds } from '../../src/floating-ips/lease.js';
import { extendLease } from '../../src/floating-ips/lease-write.js';
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { FloatingIpService } from '../../src/operations/service.js';
import { connectDemo, type DemoCloud, startDemoCloud } from '../support/demo.js';

describe('lease lengths and tags', () => {
  it('reads 30m, 2h, 3d and refuses what is out of bounds or no length', () => {
    expect(parseLeaseDuration('30m')).toEqual({ ok: true, ms: 30 * 60_000 });
    expect(parseLeaseDuration('2h')).toEqual({ ok: true, ms: 2 * 3_600_000 });
    expect(parseLeaseDuration('3d')).toEqual({ ok: true, ms: 3 * 86_400_000 });
    expect(parseLeaseDuration('9m').ok).toBe(false);
    expect(parseLeaseDuration('31d').ok).toBe(false);
    expect(parseLeaseDuration('1.5h').ok).toBe(false);
  });

  it("writes and reads the lease tags, each well under Neutron's 255 characters", () => {
    const expiresAt = Date.parse('2026-12-04T15:30:00.500Z');
    const tags = leaseTags({ expiresAt, owner: 'U1', portId: null });
    expect(tags).toEqual(['fipbot-lease:2026-12-04T15:30:00Z', 'fipbot-owner:U1', 'fipbot-port:none']);
    expect(leaseOf(['other', ...tags])).toEqual({
      expiresAt: Date.parse('2026-12-04T15:30:00Z'),
      owner: 'U1',
      portId: null,
      tag: 'fipbot-lease:2026-12-04T15:30:00Z',
      reminded: false,
    });
    expect(leaseOf(['fipbot-lease:garbage'])).toBeUndefined();
  });

  it('says when: a time and a length, a date when not today; rows say how long is left', () => {
    const now = Date.parse('2026-12-04T13:30:00Z');
    expect(whenLeaseEnds(now + 2 * 3_600_000, now)).toBe('at 15:30 UTC, in 2 hours');
    expect(whenLeaseEnds(now + 3 * 86_400_000, now)).toBe('at 13:30 UTC on 7 Dec, in 3 days');
    expect(leaseRowNote(now + 80 * 60_000, now)).toBe('lease ends in 1 h 20 min');
    expect(leaseRowNote(now - 1, now)).toBe('lease ended');
  });
});

describe('extending a lease', () => {
  let demo: DemoCloud;
  let bot: CloudConnection;
  let service: FloatingIpService;
  beforeAll(async () => {
    demo = await startDemoCloud({ port: 0 });
    bot = connectDemo(demo, 'demo');
    service = new FloatingIpService({ neutron: bot.neutron, nova: bot.nova, scope: () => bot.client.scope() });
  });
  afterAll(async () => {
    await bot.close();
    await demo.close();
  });

  it('moves the end only for the owner and only while the lease is the one shown, keeping other tags', async () => {
    const fip = demo.state.floatingIp('192.168.100.201')!;
    const expiresAt = Date.parse('2026-12-04T15:30:00Z');
    await bot.neutron.replaceFloatingIpTags(fip.id, ['keep-me', ...leaseTags({ expiresAt, owner: 'U1', portId: null }), 'fipbot-reminded']);
    const shown = leaseOf(demo.state.floatingIp('192.168.100.201')!.tags)!.tag;
    const byMs = 3_600_000;
    expect(await extendLease(service.context, { floatingIpId: fip.id, shownTag: shown, userId: 'U2', byMs })).toMatchObject({
      ok: false,
      why: 'not_owner',
      owner: 'U1',
    });
    expect(await extendLease(service.context, { floatingIpId: fip.id, shownTag: shown, userId: 'U1', byMs })).toMatchObject({ ok: true });
    const tags = demo.state.floatingIp('192.168.100.201')!.tags;
    expect(tags).toContain('keep-me');
    expect(leaseOf(tags)).toMatchObject({ expiresAt: expiresAt + byMs, owner: 'U1', reminded: false });
    // The same reminder tapped again: the lease is no longer the one it showed.
    expect(await extendLease(service.context, { floatingIpId: fip.id, shownTag: shown, userId: 'U1', byMs })).toMatchObject({
      ok: false,
      why: 'changed',
    });
    expect(leaseOf(demo.state.floatingIp('192.168.100.201')!.tags)!.expiresAt).toBe(expiresAt + byMs);
  });

  it('never extends further than the longest lease from now', async () => {
    const fip = demo.state.floatingIp('192.168.100.201')!;
    const near = Math.floor((Date.now() + LEASE_LIMITS.maxMs - 60_000) / 1000) * 1000;
    await bot.neutron.replaceFloatingIpTags(fip.id, leaseTags({ expiresAt: near, owner: 'U1', portId: null }));
    const shown = leaseOf(demo.state.floatingIp('192.168.100.201')!.tags)!.tag;
    const before = Date.now();
    const extended = await extendLease(service.context, { floatingIpId: fip.id, shownTag: shown, userId: 'U1', byMs: 3_600_000 });
    expect(extended.ok && extended.lease.expiresAt).toBeLessThanOrEqual(Date.now() + LEASE_LIMITS.maxMs);
    expect(extended.ok && extended.lease.expiresAt).toBeGreaterThanOrEqual(Math.floor((before + LEASE_LIMITS.maxMs) / 1000) * 1000 - 1000);
  });
});
