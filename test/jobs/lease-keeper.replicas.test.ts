/**
 * The lease keeper on two replicas sharing one store, on a clock the test
 * moves: the reminder goes out once, exactly 15 minutes before the end; the
 * IP is released once, at the end, and audited; an IP re-attached by hand is
 * left alone and its owner told; a replica started afresh (a restart without
 * Redis) finds the lease on the tags and does not remind again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LEASE_LIMITS, leaseOf, leaseTags, REMINDED_TAG } from '../../src/floating-ips/lease.js';
import type { JobDeps } from '../../src/jobs/job.js';
import { LeaseKeeper } from '../../src/jobs/lease-keeper.js';
import { type OwnChanges, ownChangesIn } from '../../src/jobs/own-changes.js';
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { FloatingIpService } from '../../src/operations/service.js';
import type { AuditEvent } from '../../src/slack/audit.js';
import { MemoryInteractionStore } from '../../src/slack/state/interaction-store.js';
import { ManualClock } from '../support/clock.js';
import { connectDemo, type DemoCloud, startDemoCloud } from '../support/demo.js';
import { capturedLogger } from '../support/logs.js';

const INTERVAL = 60_000;
const T0 = Date.parse('2026-11-30T10:00:00Z');
const OWNER = 'U0OWNER01';
const SPARE = '192.168.100.201';

let demo: DemoCloud;
let bot: CloudConnection;
let clock: ManualClock;
let dms: Array<{ replica: string; channel: string; text: string; blocks: unknown }>;
let audits: AuditEvent[];
let keepers: LeaseKeeper[];

function keeper(name: string, store: MemoryInteractionStore, ownChanges?: OwnChanges): LeaseKeeper {
  const service = new FloatingIpService({ neutron: bot.neutron, nova: bot.nova, scope: () => bot.client.scope() });
  const deps: JobDeps = {
    service,
    store,
    clock,
    logger: capturedLogger().logger,
    client: {
      chat: {
        postMessage: (args: { channel: string; text?: string; blocks?: unknown }) => (
          dms.push({ replica: name, channel: args.channel, text: args.text ?? '', blocks: args.blocks }),
          Promise.resolve({ ok: true })
        ),
      },
    } as never,
  };
  const audit = { record: (event: AuditEvent) => (audits.push(event), Promise.resolve()) };
  const started = new LeaseKeeper(
    deps,
    { intervalMs: INTERVAL, claimMs: 24 * 3_600_000 },
    { audit, ...(ownChanges ? { ownChanges } : {}) },
  );
  started.start();
  keepers.push(started);
  return started;
}

beforeAll(async () => {
  demo = await startDemoCloud({ port: 0 });
  bot = connectDemo(demo, 'demo');
});
afterAll(async () => {
  await bot.close();
  await demo.close();
});
beforeEach(async () => {
  for (const k of keepers ?? []) await k.stop();
  keepers = [];
  dms = [];
  audits = [];
  clock = new ManualClock(T0);
});

const settled = () => Promise.all(keepers.map((k) => k.settled()));
const runTo = (at: number) => clock.runUntil(at, settled);

async function lease(address: string, endsIn: number): Promise<{ id: string; expiresAt: number }> {
  const fip = demo.state.floatingIp(address)!;
  const expiresAt = T0 + endsIn;
  await bot.neutron.replaceFloatingIpTags(fip.id, leaseTags({ expiresAt, owner: OWNER, portId: fip.portId }));
  return { id: fip.id, expiresAt };
}

describe('the lease keeper on two replicas', () => {
  it('reminds the owner once, 15 minutes before the end, with Extend and Release now; releases once at the end', async () => {
    const shared = new MemoryInteractionStore();
    const own = ownChangesIn(shared, 10 * INTERVAL);
    keeper('a', shared, own);
    keeper('b', shared, own);
    const { id, expiresAt } = await lease(SPARE, 60 * 60_000);
    await runTo(expiresAt - LEASE_LIMITS.remindBeforeMs - 1);
    expect(dms).toEqual([]);
    await runTo(expiresAt - LEASE_LIMITS.remindBeforeMs);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.channel).toBe(OWNER);
    expect(dms[0]!.text).toBe(`${SPARE} is released at 11:00 UTC, in 15 minutes (its lease ends)`);
    expect(JSON.stringify(dms[0]!.blocks)).toContain('Extend 1 hour');
    expect(JSON.stringify(dms[0]!.blocks)).toContain('Release now');
    expect(JSON.stringify(dms[0]!.blocks)).toContain(`release ${id}`);
    expect(demo.state.floatingIp(SPARE)!.tags).toContain(REMINDED_TAG);

    await runTo(expiresAt - 1);
    expect(dms).toHaveLength(1);
    expect(demo.state.floatingIp(SPARE)).toBeDefined();
    await runTo(expiresAt);
    expect(demo.state.floatingIp(SPARE)).toBeUndefined();
    // fipbot's own change: the watch leaves it out.
    expect(await own.isMarked(SPARE)).toBe(true);
    expect(dms.map((dm) => dm.text)).toEqual([dms[0]!.text, `${SPARE} was released: its lease ended`]);
    expect(audits).toEqual([expect.objectContaining({ user: OWNER, action: 'release', ip: SPARE, outcome: 'done', via: 'lease' })]);
    await runTo(expiresAt + 5 * INTERVAL);
    expect(dms).toHaveLength(2);
  });

  it('leaves alone an IP attached by hand since the lease was set, removes the lease, and tells the owner', async () => {
    const shared = new MemoryInteractionStore();
    keeper('a', shared);
    keeper('b', shared);
    const address = (await bot.neutron.createFloatingIp({ networkId: demo.state.floatingIps('demo')[0]!.floatingNetworkId })).value.address;
    const { id, expiresAt } = await lease(address, 30 * 60_000);
    const port = demo.state.portsOf('web-10')[0]!;
    try {
      await bot.neutron.updateFloatingIp(id, { portId: port.id });
      await runTo(expiresAt);
      const fip = demo.state.floatingIp(address)!;
      expect(fip.portId).toBe(port.id);
      expect(leaseOf(fip.tags)).toBeUndefined();
      expect(dms.at(-1)!.text).toBe(`${address}: lease ended, but the IP changed since, so fipbot left it alone`);
      expect(dms.filter((dm) => dm.text.includes('left it alone'))).toHaveLength(1);
      expect(audits).toEqual([]);
    } finally {
      await bot.neutron.deleteFloatingIp(id);
    }
  });

  it('after a restart (a new replica, a new store) finds the lease on the tags: no second reminder, released at the end', async () => {
    const address = (await bot.neutron.createFloatingIp({ networkId: demo.state.floatingIps('demo')[0]!.floatingNetworkId })).value.address;
    const { expiresAt } = await lease(address, 20 * 60_000);
    const first = keeper('before', new MemoryInteractionStore());
    await runTo(expiresAt - LEASE_LIMITS.remindBeforeMs + 1);
    expect(dms).toHaveLength(1);
    await first.stop();
    keepers = [];
    keeper('after', new MemoryInteractionStore());
    await runTo(expiresAt);
    expect(dms.map((dm) => `${dm.replica}: ${dm.text}`)).toEqual([
      `before: ${address} is released at 10:20 UTC, in 15 minutes (its lease ends)`,
      `after: ${address} was released: its lease ended`,
    ]);
    expect(demo.state.floatingIp(address)).toBeUndefined();
  });

  it('tries a release the cloud refused again at the next wake, and releases once it answers', async () => {
    keeper('a', new MemoryInteractionStore());
    const address = (await bot.neutron.createFloatingIp({ networkId: demo.state.floatingIps('demo')[0]!.floatingNetworkId })).value.address;
    const { expiresAt } = await lease(address, 20 * 60_000);
    demo.faults.failNext({ method: 'DELETE', path: '/v2.0/floatingips/*' }, { status: 500, count: 50 });
    try {
      await runTo(expiresAt);
      expect(demo.state.floatingIp(address)).toBeDefined();
      expect(audits).toEqual([expect.objectContaining({ ip: address, outcome: 'failed', via: 'lease' })]);
    } finally {
      demo.faults.reset();
    }
    await runTo(expiresAt + INTERVAL);
    expect(demo.state.floatingIp(address)).toBeUndefined();
    expect(audits.at(-1)).toMatchObject({ ip: address, outcome: 'done' });
    expect(dms.filter((dm) => dm.text.includes('was released'))).toHaveLength(1);
  });
});
