/** The allocation tag: written with every allocation (with the lease, in one request), read by the list and the leak report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocatedByTag, allocationTag } from '../../src/floating-ips/allocation-tag.js';
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { FloatingIpService } from '../../src/operations/service.js';
import { allocationOwner } from '../../src/slack/allocation-stamp.js';
import { connectDemo, type DemoCloud, startDemoCloud } from '../support/demo.js';

describe('the allocation tag', () => {
  it('names a Slack user; anything else on the tag is not one', () => {
    expect(allocationTag('U0ALICE01')).toBe('fipbot-by:U0ALICE01');
    expect(allocatedByTag(['other', 'fipbot-by:U0ALICE01'])).toBe('U0ALICE01');
    expect(allocatedByTag(['fipbot-by:<!channel>'])).toBeUndefined();
    expect(allocatedByTag([])).toBeUndefined();
    expect(allocatedByTag(undefined)).toBeUndefined();
  });

  it('is believed before the description, which anyone may edit; the date comes from a stamp naming the same person', () => {
    const stamp = 'fipbot: requested by @alice (U0ALICE01) in #ops (C0OPS0001) on 2026-11-28';
    expect(allocationOwner({ description: stamp, allocatedBy: 'U0ALICE01' })).toEqual({ userId: 'U0ALICE01', date: '2026-11-28' });
    expect(allocationOwner({ description: 'edited in Horizon', allocatedBy: 'U0ALICE01' })).toEqual({ userId: 'U0ALICE01' });
    expect(allocationOwner({ description: stamp.replace('U0ALICE01', 'U0MALLORY'), allocatedBy: 'U0ALICE01' })).toEqual({
      userId: 'U0ALICE01',
    });
    expect(allocationOwner({ description: stamp })).toEqual({ userId: 'U0ALICE01', userName: 'alice', date: '2026-11-28' });
    expect(allocationOwner({ description: '' })).toBeUndefined();
  });
});

describe('tagging what fipbot allocates', () => {
  let demo: DemoCloud;
  let bot: CloudConnection;
  let service: FloatingIpService;
  const tagWrites = () => demo.stats.requests().filter((r) => r.method === 'PUT' && r.path.includes('/tags'));
  beforeAll(async () => {
    demo = await startDemoCloud({ port: 0 });
    bot = connectDemo(demo, 'demo');
    service = new FloatingIpService({ neutron: bot.neutron, nova: bot.nova, scope: () => bot.client.scope() });
  });
  afterAll(async () => {
    await bot.close();
    await demo.close();
  });

  it('writes who asked on the new IP, in one request with its lease, and the list and leak report read it back', async () => {
    const before = tagWrites().length;
    const plain = await service.allocate({ pool: 'public', owner: 'U0ALICE01', description: 'edited later' });
    if (!plain.ok) throw new Error(JSON.stringify(plain.failure));
    expect(demo.state.floatingIp(plain.value.floatingIp.address)!.tags).toEqual(['fipbot-by:U0ALICE01']);

    const leased = await service.allocate({ pool: 'public', owner: 'U0BOB0001', lease: { ms: 3_600_000, owner: 'U0BOB0001' } });
    if (!leased.ok) throw new Error(JSON.stringify(leased.failure));
    expect(leased.value.lease?.written).toBe(true);
    const tags = demo.state.floatingIp(leased.value.floatingIp.address)!.tags;
    expect(tags[0]).toBe('fipbot-by:U0BOB0001');
    expect(tags.some((tag) => tag.startsWith('fipbot-lease:'))).toBe(true);
    expect(tagWrites().length - before).toBe(2);

    const list = await service.list('free');
    if (!list.ok) throw new Error('list failed');
    expect(list.value.floatingIps.find((fip) => fip.address === plain.value.floatingIp.address)?.allocatedBy).toBe('U0ALICE01');
    const report = await service.leaks();
    if (!report.ok) throw new Error('leaks failed');
    expect(report.value.leaks.find((leak) => leak.address === leased.value.floatingIp.address)?.allocatedBy).toBe('U0BOB0001');
    // An IP allocated outside fipbot carries no tag.
    expect(report.value.leaks.find((leak) => leak.address === '192.168.100.201')?.allocatedBy).toBeUndefined();
  });

  it('sends no tag request to a cloud without standard-attr-tag, and says the lease could not be written', async () => {
    const neutron = new Proxy(bot.neutron, {
      get: (target, key): unknown => (key === 'hasExtension' ? () => Promise.resolve(false) : Reflect.get(target, key, target)),
    });
    const untagged = new FloatingIpService({ neutron, nova: bot.nova, scope: () => bot.client.scope() });
    const before = tagWrites().length;
    const leased = await untagged.allocate({ pool: 'public', owner: 'U0ALICE01', lease: { ms: 3_600_000, owner: 'U0ALICE01' } });
    if (!leased.ok) throw new Error(JSON.stringify(leased.failure));
    expect(leased.value.lease?.written).toBe(false);
    expect(tagWrites().length).toBe(before);
    expect(demo.state.floatingIp(leased.value.floatingIp.address)!.tags).toEqual([]);
  });
});
