/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { clientFor, login } from './support.js';

let cloud: DemoCloud;
let api: ReturnType<typeof clientFor>;
// Correctness at benchmark scale only: how fast it answers is measured by `npm run bench`, not asserted here.
beforeAll(async () => {
  cloud = await startDemoCloud({ scale: { servers: 10_000, floatingIps: 2_000 } });
  api = clientFor(cloud, await login(cloud));
}, 60_000);
afterAll(async () => {
  await cloud.close();
});

describe('Demo cloud at benchmark scale (10,000 servers, 2,000 floating IPs)', () => {
  it('starts with everything seeded', () => {
    expect(cloud.state.floatingIps('demo').length).toBe(2_002);
    expect(cloud.state.store.servers.size).toBeGreaterThan(10_000);
  });

  it('answers filtered Neutron lists with exactly the matching resources', async () => {
    const server = cloud.state.server('bench-04321');
    const port = cloud.state.portsOf('bench-04321')[0]!;
    expect((await api.neutron('GET', `/v2.0/ports?device_id=${server.id}`)).json.ports.map((p: { id: string }) => p.id)).toEqual([port.id]);
    const byPort = (await api.neutron('GET', `/v2.0/floatingips?port_id=${port.id}`)).json.floatingips;
    expect(byPort.every((f: { port_id: string }) => f.port_id === port.id)).toBe(true);
    expect(
      (await api.neutron('GET', '/v2.0/floatingips?floating_ip_address=100.64.4.0')).json.floatingips.map(
        (f: { floating_ip_address: string }) => f.floating_ip_address,
      ),
    ).toEqual(['100.64.4.0']);
  });

  it('answers a Nova name search over 10,000 servers with every match and only them', async () => {
    const reply = await api.nova('GET', '/servers?name=bench-0999');
    expect(reply.json.servers.map((s: { name: string }) => s.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `bench-0999${i}`));
    const exact = await api.nova('GET', `/servers?name=${encodeURIComponent('^bench\\-04321$')}`);
    expect(exact.json.servers.map((s: { name: string }) => s.name)).toEqual(['bench-04321']);
  });

  it("caps an unfiltered server list at Nova's max_limit of 1000 with a next link", async () => {
    const reply = await api.nova('GET', '/servers');
    expect(reply.json.servers).toHaveLength(1000);
    expect(reply.json.servers_links[0].rel).toBe('next');
  });

  it('pages through all floating IPs with limit and marker', async () => {
    let href: string | undefined = `${cloud.baseUrl}/network/v2.0/floatingips?limit=500`;
    const token = await login(cloud);
    let count = 0;
    while (href) {
      const page: any = await fetch(href, { headers: { 'X-Auth-Token': token } }).then((r) => r.json());
      count += page.floatingips.length;
      href = page.floatingips.length === 500 ? page.floatingips_links.find((l: { rel: string }) => l.rel === 'next')?.href : undefined;
    }
    expect(count).toBe(2_002);
  });
});
