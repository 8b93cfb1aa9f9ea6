/**
 * searchFloatingIps answers typeahead keystrokes. Neutron cannot filter
 * addresses by substring, so one listing of the project's floating IPs
 * (several pages in a big project) serves the keystrokes that follow for a
 * few seconds, and is dropped as soon as this service sends a change, so
 * the person's own allocation or release shows in the next suggestions.
 * Against the demo cloud, counting what Neutron is asked.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FloatingIpService } from '../../src/operations/service.js';
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { connectDemo, type DemoCloud, startDemoCloud } from '../support/demo.js';

let demo: DemoCloud;
let connection: CloudConnection;
let clock = 0;

beforeAll(async () => {
  demo = await startDemoCloud();
  connection = connectDemo(demo);
});
afterAll(async () => {
  await connection.close();
  await demo.close();
});
afterEach(() => {
  demo.faults.reset();
});

function service(): FloatingIpService {
  clock = 1_000_000;
  return new FloatingIpService(
    { neutron: connection.neutron, nova: connection.nova, scope: () => connection.client.scope() },
    { typeaheadTtlMs: 10_000, now: () => clock },
  );
}

const listings = () => demo.stats.count({ method: 'GET', path: '/v2.0/floatingips' });

async function suggest(s: FloatingIpService, typed: string): Promise<string[]> {
  const found = await s.searchFloatingIps(typed, 'all');
  if (!found.ok) throw new Error(found.failure.code);
  return found.value.map((view) => view.address);
}

describe('typeahead over floating IPs', () => {
  it('lists the project once for the keystrokes within a few seconds, filtering each keystroke itself', async () => {
    const s = service();
    const before = listings();
    expect(await suggest(s, '192')).toEqual(expect.arrayContaining(['192.168.100.201', '192.168.100.202']));
    expect(await suggest(s, '192.168.100.20')).toEqual(expect.arrayContaining(['192.168.100.201', '192.168.100.202']));
    expect(await suggest(s, '192.168.100.201')).toEqual(['192.168.100.201']);
    expect(listings()).toBe(before + 1);
  });

  it('lists again once the listing is older than typeaheadTtlMs', async () => {
    const s = service();
    const before = listings();
    await suggest(s, '1');
    clock += 9_999;
    await suggest(s, '19');
    expect(listings()).toBe(before + 1);
    clock += 2;
    await suggest(s, '192');
    expect(listings()).toBe(before + 2);
  });

  it("shows the person's own change at the next keystroke: allocating and releasing drop the listing", async () => {
    const s = service();
    const shown = await suggest(s, '192.168');
    const allocated = await s.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
    const ip = allocated.value.floatingIp.address;
    expect(shown).not.toContain(ip);
    expect(await suggest(s, '192.168')).toContain(ip);

    const released = await s.release(ip);
    expect(released.ok).toBe(true);
    expect(await suggest(s, '192.168')).not.toContain(ip);
  });

  it('drops the listing after a change whose outcome is unknown too, and does not keep a failed listing', async () => {
    const s = service();
    await suggest(s, '192');
    demo.faults.failNext({ method: 'POST', path: '/v2.0/floatingips' }, { status: 500, count: 1 });
    const allocated = await s.allocate({ pool: 'public' });
    expect(allocated.ok).toBe(false);
    const before = listings();
    await suggest(s, '192');
    expect(listings()).toBe(before + 1);

    clock += 10_001;
    demo.faults.failNext({ method: 'GET', path: '/v2.0/floatingips' }, { status: 500, count: 1 });
    expect((await s.searchFloatingIps('192', 'all')).ok).toBe(false);
    // The failure was not cached: the next keystroke asks Neutron again and gets an answer.
    expect((await s.searchFloatingIps('192', 'all')).ok).toBe(true);
  });
});

const serverListings = () => demo.stats.count({ method: 'GET', path: '/compute/v2.1/servers' });

async function instances(s: FloatingIpService, typed: string): Promise<Array<{ name: string; address?: string }>> {
  const found = await s.searchInstances(typed, 100);
  if (!found.ok) throw new Error(found.failure.code);
  return found.value.map(({ name, address }) => ({ name, ...(address ? { address } : {}) }));
}

describe('typeahead both ways', () => {
  it('finds a floating IP by the name of the instance it is attached to, in any case, and by its pool', async () => {
    const s = service();
    expect(await suggest(s, 'web-2')).toEqual(['192.168.100.202']);
    expect(await suggest(s, 'WEB-2')).toEqual(['192.168.100.202']);
    expect(await suggest(s, 'web-1')).toEqual([]);
    const pool = await suggest(s, 'public');
    expect(pool).toEqual(expect.arrayContaining(['192.168.100.201', '192.168.100.202']));
  });

  it('matches digits against addresses only, without asking Nova for every name', async () => {
    const s = service();
    await suggest(s, 'web');
    const before = serverListings();
    expect(await suggest(s, '192.168.100.202')).toEqual(['192.168.100.202']);
    expect(serverListings()).toBe(before);
  });

  it('finds an instance by a fixed address and by its floating address, saying which', async () => {
    const s = service();
    const fixed = demo.state.portsOf('web-1')[0]!.fixedIps[0]!.ipAddress;
    // Addresses match as they do in the IP field (10.0.0.1 also finds 10.0.0.12): the whole address typed comes first.
    expect((await instances(s, fixed))[0]).toEqual({ name: 'web-1', address: fixed });
    expect((await instances(s, fixed)).every((found) => found.address?.includes(fixed))).toBe(true);
    expect(await instances(s, '192.168.100.202')).toEqual([{ name: 'web-2', address: '192.168.100.202' }]);
    expect(await instances(s, '2001:db8::2c7')).toEqual([{ name: 'test_instance', address: '2001:db8::2c7' }]);
  });

  it('lists instances by name in natural order, what was typed exactly first', async () => {
    const s = service();
    expect((await instances(s, 'web')).map((i) => i.name)).toEqual(['web-1', 'web-2', 'web-10']);
    expect((await instances(s, 'web-10')).map((i) => i.name)).toEqual(['web-10']);
    expect((await instances(s, 'web-1')).map((i) => i.name)).toEqual(['web-1', 'web-10']);
  });
});
