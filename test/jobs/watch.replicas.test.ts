/**
 * The watch on two replicas sharing one store: one polls each interval and
 * keeps polling (the other stays quiet), a change is posted once, a mark
 * left by either replica hides fipbot's own change from whichever polls,
 * and when the poller stops the other takes over with a baseline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDeps } from '../../src/jobs/job.js';
import { ownChangesIn } from '../../src/jobs/own-changes.js';
import { ChangeWatch } from '../../src/jobs/watch.js';
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { FloatingIpService } from '../../src/operations/service.js';
import { MemoryInteractionStore } from '../../src/slack/state/interaction-store.js';
import { ManualClock } from '../support/clock.js';
import { connectDemo, type DemoCloud, startDemoCloud } from '../support/demo.js';
import { capturedLogger } from '../support/logs.js';

const INTERVAL = 60_000;
const T0 = Date.parse('2026-11-30T10:00:00Z');

let demo: DemoCloud;
let bot: CloudConnection;
const store = new MemoryInteractionStore();
const clock = new ManualClock(T0);
const posts: Array<{ replica: string; text: string }> = [];
let replicas: Array<{ name: string; watch: ChangeWatch; polls: () => number }>;

function replica(name: string): { name: string; watch: ChangeWatch; polls: () => number } {
  const service = new FloatingIpService({ neutron: bot.neutron, nova: bot.nova, scope: () => bot.client.scope() });
  let polls = 0;
  const deps: JobDeps = {
    service,
    store,
    clock,
    logger: capturedLogger().logger,
    client: {
      chat: {
        postMessage: (args: { text?: string }) => (posts.push({ replica: name, text: args.text ?? '' }), Promise.resolve({ ok: true })),
      },
    } as never,
  };
  // Counted where the watch reads: one listing per poll.
  const context = service.context;
  const run = context.run.bind(context);
  context.run = ((...args: Parameters<typeof run>) => (polls++, run(...args))) as typeof run;
  return {
    name,
    watch: new ChangeWatch(deps, { channel: 'C0WATCH001', intervalMs: INTERVAL }, ownChangesIn(store, 5 * INTERVAL)),
    polls: () => polls,
  };
}

beforeAll(async () => {
  demo = await startDemoCloud({ port: 0 });
  bot = connectDemo(demo, 'demo');
  replicas = [replica('a'), replica('b')];
  for (const r of replicas) r.watch.start();
});
afterAll(async () => {
  for (const r of replicas) await r.watch.stop();
  await bot.close();
  await demo.close();
});

const settled = () => Promise.all(replicas.map((r) => r.watch.settled()));
const poll = () => clock.runUntil(clock.now() + INTERVAL, settled);
const idOf = (address: string) => demo.state.floatingIp(address)!.id;

describe('the watch on two replicas', () => {
  it('polls once per interval, always on the same replica', async () => {
    // Both try half an interval in; one wins and takes a baseline.
    await clock.runUntil(T0 + INTERVAL / 2, settled);
    expect(replicas.map((r) => r.polls()).sort()).toEqual([0, 1]);
    // From then on the poller claims each interval at its start, before the other tries.
    await poll();
    await poll();
    expect(replicas.map((r) => r.polls()).sort()).toEqual([0, 3]);
  });

  it('posts a change once', async () => {
    await bot.neutron.updateFloatingIp(idOf('192.168.100.202'), { portId: null });
    await poll();
    expect(posts.map((p) => p.text)).toEqual([expect.stringMatching(/^Made outside fipbot: 192\.168\.100\.202 detached from /)]);
  });

  it("leaves out a change the other replica marked as fipbot's own", async () => {
    const poller = replicas.find((r) => r.polls() > 0)!;
    const other = replicas.find((r) => r !== poller)!;
    // As executeChange does on the replica where the Confirm click landed.
    await ownChangesIn(store, 5 * INTERVAL).mark(['192.168.100.201']);
    await bot.neutron.deleteFloatingIp(idOf('192.168.100.201'));
    await poll();
    expect(posts).toHaveLength(1);
    expect(other.polls()).toBe(0);
  });

  it('is taken over when the poller stops: a baseline first, then changes again', async () => {
    const poller = replicas.find((r) => r.polls() > 0)!;
    const other = replicas.find((r) => r !== poller)!;
    await poller.watch.stop();
    await bot.neutron.deleteFloatingIp(idOf('192.168.100.202'));
    // The slot the poller had claimed passes; the other claims the next, half an interval in.
    await poll();
    await poll();
    expect(other.polls()).toBeGreaterThan(0);
    // Its first poll was a baseline: the release made meanwhile goes unsaid (the README says so).
    expect(posts).toHaveLength(1);
    const pool = (await bot.neutron.listExternalNetworks()).find((network) => network.name === 'public')!.id;
    const created = await bot.neutron.createFloatingIp({ networkId: pool });
    await poll();
    expect(posts.at(-1)).toEqual({
      replica: other.name,
      text: `Made outside fipbot: ${created.value.address} allocated from pool public.`,
    });
  });
});
