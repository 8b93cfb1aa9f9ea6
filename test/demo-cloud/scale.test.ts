/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { clientFor, login } from './support.js';

let cloud: DemoCloud;
let api: ReturnType<typeof clientFor>;
let startupMs = 0;

beforeAll(async () => {
  const start = performance.now();
  cloud = await startDemoCloud({ scale: { servers: 10_000, floatingIps: 2_000 } });
  startupMs = performance.now() - start;
  api = clientFor(cloud, await login(cloud));
}, 60_000);
afterAll(async () => {
  await cloud.close();
});

/** Median wall time of a request over a few runs (first run warms up). */
async function medianMs(work: () => Promise<unknown>, runs = 7): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

// Generous bounds (a loaded CI machine with 2 cores); the point is "no O(n^2)", measured in ms.
const FAST_MS = 25;

describe('Demo cloud at benchmark scale (10,000 servers, 2,000 floating IPs)', () => {
  it('starts in a few seconds with everything seeded', () => {
    expect(cloud.state.floatingIps('demo').length).toBe(2_002);
    expect(cloud.state.store.servers.size).toBeGreaterThan(10_000);
    expect(startupMs).toBeLessThan(15_000);
  });

  it('answers filtered Neutron lists in a few milliseconds', async () => {
    const server = cloud.state.server('bench-04321');
    const port = cloud.state.portsOf('bench-04321')[0]!;
    const byDevice = await medianMs(() => api.neutron('GET', `/v2.0/ports?device_id=${server.id}`));
    const byPort = await medianMs(() => api.neutron('GET', `/v2.0/floatingips?port_id=${port.id}`));
    const byAddress = await medianMs(() => api.neutron('GET', '/v2.0/floatingips?floating_ip_address=100.64.4.0'));
    expect((await api.neutron('GET', `/v2.0/ports?device_id=${server.id}`)).json.ports).toHaveLength(1);
    expect(byDevice).toBeLessThan(FAST_MS);
    expect(byPort).toBeLessThan(FAST_MS);
    expect(byAddress).toBeLessThan(FAST_MS);
  });

  it('answers a Nova name search over 10,000 servers in a few milliseconds', async () => {
    const reply = await api.nova('GET', '/servers?name=bench-0999');
    expect(reply.json.servers.map((s: { name: string }) => s.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `bench-0999${i}`),
    );
    expect(await medianMs(() => api.nova('GET', `/servers?name=${encodeURIComponent('^bench\\-04321$')}`))).toBeLessThan(FAST_MS);
    expect(await medianMs(() => api.nova('GET', '/servers/detail?name=bench-0432'))).toBeLessThan(FAST_MS);
  });

  it('caps an unfiltered server list at Nova\'s max_limit of 1000 with a next link', async () => {
    const reply = await api.nova('GET', '/servers');
    expect(reply.json.servers).toHaveLength(1000);
    expect(reply.json.servers_links[0].rel).toBe('next');
  });

  it('pages through all floating IPs with limit and marker quickly', async () => {
    let href: string | undefined = `${cloud.baseUrl}/network/v2.0/floatingips?limit=500`;
    const token = await login(cloud);
    let count = 0;
    const start = performance.now();
    while (href) {
      const page: any = await fetch(href, { headers: { 'X-Auth-Token': token } }).then((r) => r.json());
      count += page.floatingips.length;
      href = page.floatingips.length === 500 ? page.floatingips_links.find((l: { rel: string }) => l.rel === 'next')?.href : undefined;
    }
    expect(count).toBe(2_002);
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
