/**
 * The floating-IP service's scenarios, written once and run against any
 * cloud: the real one (`npm run test:cloud`) and the embedded demo cloud
 * (`npm test`). Identical outcomes on both are what proves the demo cloud
 * faithful and the preflight equal to Neutron's own rule.
 *
 * Every scenario leaves the cloud as it found it: the floating IPs it
 * creates are released by the builder even when an assertion fails.
 */
import { afterEach, expect, it } from 'vitest';
import { explain, explainAsText } from '../../../src/floating-ips/explain.js';
import { attach } from '../../../src/operations/attach/index.js';
import type { Failure, FailureCode, Outcome } from '../../../src/floating-ips/failures.js';
import { OpenStackApiError } from '../../../src/openstack/errors.js';
import { allocatedBy, floatingIpDescription } from '../../../src/slack/allocation-stamp.js';
import { createAudit } from '../../../src/slack/audit.js';
import { ownChangesIn } from '../../../src/jobs/own-changes.js';
import { ChangeWatch } from '../../../src/jobs/watch.js';
import { LeaseKeeper } from '../../../src/jobs/lease-keeper.js';
import { leaseOf } from '../../../src/floating-ips/lease.js';
import { createLogger } from '../../../src/log.js';
import type { SlackDeps } from '../../../src/slack/deps.js';
import { executeChange } from '../../../src/slack/flows/changes.js';
import { allowAll } from '../../../src/slack/policy/engine.js';
import { MemoryInteractionStore } from '../../../src/slack/state/interaction-store.js';
import { ManualClock } from '../../support/clock.js';
import { TEST_TIMING } from '../../support/timing.js';
import { type CloudUnderTest, newService } from './cloud-under-test.js';

export function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok)
    throw new Error(`expected success, got:\n${explainAsText(outcome.failure, attach.words)}\n${JSON.stringify(outcome.failure)}`);
  return outcome.value;
}

export function refusal<T, C extends FailureCode>(outcome: Outcome<T>, code: C): Extract<Failure, { code: C }> {
  if (outcome.ok) throw new Error(`expected ${code}, got success: ${JSON.stringify(outcome.value).slice(0, 500)}`);
  expect(outcome.failure.code, explainAsText(outcome.failure, attach.words)).toBe(code);
  return outcome.failure as Extract<Failure, { code: C }>;
}

export function defineServiceScenarios(cloud: () => CloudUnderTest): void {
  /** What the current scenario must undo, newest first, so the next one starts from the seed state. */
  const undo: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    while (undo.length) {
      try {
        await undo.pop()!();
      } catch (error) {
        // Already gone (the scenario released it itself) is fine.
        if (!(error instanceof OpenStackApiError && error.status === 404)) throw error;
      }
    }
  });

  function releaseAfter(id: string): void {
    undo.push(() => cloud().bot.neutron.deleteFloatingIp(id));
  }

  /** Allocates a free IP from a pool (default: public), released after the scenario. */
  async function freeIp(pool = 'public'): Promise<string> {
    const { service } = cloud();
    const allocated = value(await service.allocate({ pool, description: 'integration test' }));
    releaseAfter(allocated.floatingIp.id);
    return allocated.floatingIp.address;
  }

  async function state(address: string) {
    const { bot } = cloud();
    const [fip] = await bot.neutron.listFloatingIps({ address, projectId: (await bot.client.scope()).projectId });
    return fip;
  }

  it('runs the seed story: allocate from public, refuse test_instance with the reason, attach to web-1, detach, release', async () => {
    const { service } = cloud();
    const allocated = value(await service.allocate({ pool: 'public', description: 'seed story' }));
    releaseAfter(allocated.floatingIp.id);
    const ip = allocated.floatingIp.address;
    expect(allocated.floatingIp.pool.name).toBe('public');
    expect(allocated.poolChoice).toBe('requested');

    const listed = value(await service.list('free'));
    expect(listed.floatingIps.map((fip) => fip.address)).toContain(ip);

    const before = await state(ip);
    const onPublic = refusal(await service.attach({ ip, instance: 'test_instance' }), 'instance_on_external_network');
    expect(onPublic.instance.name).toBe('test_instance');
    expect(onPublic.addresses.map((a) => a.network.name)).toEqual(['public']);
    expect(explain(onPublic, attach.words).title).toBe(`"test_instance" needs no floating IP: use ${onPublic.addresses[0]!.address}`);
    expect(await state(ip)).toEqual(before);

    const attached = value(await service.attach({ ip, instance: 'web-1' }));
    expect(attached.floatingIp.attachment?.instance?.name).toBe('web-1');
    expect(attached.plan.target.router?.name).toBe('router1');
    expect((await state(ip))?.portId).toBe(attached.plan.target.portId);

    const detached = value(await service.detach({ ip, instance: 'web-1' }));
    expect(detached.floatingIp.attachment).toBeNull();
    expect((await state(ip))?.portId).toBeNull();

    value(await service.release(ip));
    expect(await state(ip)).toBeUndefined();
  });

  it('refuses, before calling Neutron, exactly where Neutron itself refuses with ExternalGatewayForFloatingIPNotFound', async () => {
    const { service, bot, extra } = cloud();
    const ip = await freeIp();
    const fip = (await state(ip))!;
    for (const instance of ['test_instance', extra.stranded.name]) {
      const plan = await service.prepareAttach({ ip, instance });
      expect(plan.ok).toBe(false);
      const server = await bot.nova.findServer(instance);
      if (server.kind !== 'found') throw new Error(`no ${instance}`);
      const [port] = (await bot.neutron.listPorts({ deviceIds: [server.server.id] })).sort((a, b) =>
        a.networkId.localeCompare(b.networkId),
      );
      const neutron = await bot.neutron
        .updateFloatingIp(fip.id, { portId: port!.id, fixedIpAddress: port!.fixedIps[0]!.ipAddress })
        .catch((error: unknown) => error);
      expect(neutron).toBeInstanceOf(OpenStackApiError);
      expect((neutron as OpenStackApiError).status).toBe(404);
      expect((neutron as OpenStackApiError).type).toBe('ExternalGatewayForFloatingIPNotFound');
    }
    expect((await state(ip))?.portId).toBeNull();
  });

  it('explains an instance on a subnet with no router and one behind a router without gateway, changing nothing', async () => {
    const { service, extra } = cloud();
    const ip = await freeIp();
    const failure = refusal(await service.attach({ ip, instance: extra.stranded.name }), 'not_reachable');
    expect(failure.targets.map((t) => [t.network.name, t.verdict.kind])).toEqual([
      [extra.isolated.name, 'no_router'],
      [extra.nogw.name, 'router_without_gateway'],
    ]);
    const words = explain(failure, attach.words);
    expect(words.cause).toContain(`no router is connected to subnet "${extra.isolated.subnetName}"`);
    expect(words.cause).toContain(
      `router "${extra.routerNoGateway.name}" serves subnet "${extra.nogw.subnetName}" but has no external gateway`,
    );
    expect((await state(ip))?.portId).toBeNull();
  });

  it('asks which pool when an instance reaches two, and attaches a new IP from the one named, through the right router', async () => {
    const { service, extra } = cloud();
    const ambiguous = refusal(await service.attach({ ip: 'new', instance: extra.twoNics.name }), 'pool_ambiguous');
    expect(ambiguous.pools.map((pool) => pool.name).sort()).toEqual(['public', extra.poolB.name].sort());

    const fromB = value(await service.attach({ ip: 'new', instance: extra.twoNics.name, pool: extra.poolB.name }));
    releaseAfter(fromB.floatingIp.id);
    expect(fromB.floatingIp.address).toMatch(/^203\.0\.113\./);
    expect(fromB.plan.target.network.name).toBe(extra.backend.name);
    expect(fromB.plan.target.router?.name).toBe(extra.router2.name);
    expect(fromB.floatingIp.attachment?.instance?.name).toBe(extra.twoNics.name);
    value(await service.release(fromB.floatingIp.address));
  });

  it('says the router goes to another pool when a public IP is asked for the backend address', async () => {
    const { service, extra } = cloud();
    const ip = await freeIp();
    const servers = await cloud().bot.neutron.listPorts({ deviceIds: [extra.twoNics.id] });
    const backendAddress = servers.find((port) => port.networkId === extra.backend.id)!.fixedIps[0]!.ipAddress;
    const failure = refusal(await service.attach({ ip, instance: extra.twoNics.name, fixedIp: backendAddress }), 'not_reachable');
    expect(failure.targets.map((t) => t.verdict)).toEqual([
      {
        kind: 'gateway_to_other_pool',
        routes: [{ router: { id: extra.router2.id, name: extra.router2.name }, pool: { id: extra.poolB.id, name: extra.poolB.name } }],
      },
    ]);
  });

  it('explains an instance with only IPv6 addresses', async () => {
    const { service, extra } = cloud();
    const failure = refusal(await service.attach({ ip: 'new', instance: extra.v6only.name, pool: 'public' }), 'only_ipv6');
    expect(failure.addresses[0]).toMatch(/^2001:db8:1:/);
  });

  it('diagnoses per pool which addresses can take a floating IP and why not', async () => {
    const { service, extra } = cloud();
    const diagnosis = value(await service.diagnose(extra.twoNics.name));
    const byPool = Object.fromEntries(
      diagnosis.pools.map((pool) => [pool.pool.name, pool.targets.map((t) => `${t.network.name}:${t.verdict.kind}`)]),
    );
    // The cloud may offer more pools than these two (the demo cloud seeds a third): those are not this scenario's.
    expect(byPool.public).toEqual([`${extra.backend.name}:gateway_to_other_pool`, 'private:reachable']);
    expect(byPool[extra.poolB.name]).toEqual([`${extra.backend.name}:reachable`, 'private:gateway_to_other_pool']);
    expect(
      diagnosis.pools
        .filter((pool) => pool.reachable)
        .map((pool) => pool.pool.name)
        .sort(),
    ).toEqual(['public', extra.poolB.name].sort());
  });

  it('does not move an IP silently: would_move first, then moved only when confirmed', async () => {
    const { service, extra } = cloud();
    const ip = await freeIp();
    value(await service.attach({ ip, instance: 'web-1' }));
    const move = refusal(await service.attach({ ip, instance: extra.twoNics.name }), 'would_move');
    expect(move.from.instance?.name).toBe('web-1');
    expect((await state(ip))?.fixedIpAddress).toBe(move.from.fixedIp);
    const moved = value(await service.attach({ ip, instance: extra.twoNics.name }, { confirmMove: true }));
    expect(moved.floatingIp.attachment?.instance?.name).toBe(extra.twoNics.name);
    expect(moved.plan.moveFrom?.instance?.name).toBe('web-1');
  });

  it('refuses a confirmed change when the IP changed after the plan was made (If-Match), leaving the newer state alone', async () => {
    const { service, bot } = cloud();
    const ip = await freeIp();
    value(await service.attach({ ip, instance: 'web-1' }));
    const plan = value(await service.prepareDetach({ ip }));
    const fip = (await state(ip))!;
    await bot.neutron.updateFloatingIp(fip.id, { description: 'changed by someone else' });
    refusal(await service.executeDetach(plan), 'changed_concurrently');
    expect((await state(ip))?.portId).toBe(plan.from.portId);
    const release = value(await service.prepareRelease(ip));
    value(await service.executeRelease(release));
    const again = await service.executeRelease(release);
    expect(again.ok).toBe(false);
  });

  it('refuses a second floating IP on an address that already has one from the pool, naming it', async () => {
    const { service } = cloud();
    const first = await freeIp();
    const second = await freeIp();
    value(await service.attach({ ip: first, instance: 'web-1' }));
    const failure = refusal(await service.attach({ ip: second, instance: 'web-1' }), 'fixed_ip_has_floating_ip');
    expect(failure.existing).toBe(first);
    expect((await state(second))?.portId).toBeNull();
  });

  it('checks that a detached IP really is on the instance named, and that there is something to detach', async () => {
    const { service, extra } = cloud();
    const ip = await freeIp();
    refusal(await service.detach({ ip }), 'not_attached');
    value(await service.attach({ ip, instance: 'web-1' }));
    const elsewhere = refusal(await service.detach({ ip, instance: extra.twoNics.name }), 'attached_elsewhere');
    expect(elsewhere.actual.instance?.name).toBe('web-1');
    expect((await state(ip))?.portId).not.toBeNull();
  });

  it('reports the used and allowed quota when the project has no floating IP left to allocate', async () => {
    const { service, builder, bot } = cloud();
    const used = (await bot.neutron.getQuotaDetails((await bot.client.scope()).projectId)).floatingIps.used;
    undo.push(await builder.floatingIpQuota(used + 1));
    await freeIp();
    const failure = refusal(await service.allocate({ pool: 'public' }), 'quota_exceeded');
    expect([failure.used, failure.limit]).toEqual([used + 1, used + 1]);
  });

  it('says the pool is exhausted, naming it, once its last address is taken', async () => {
    const { service, extra } = cloud();
    await freeIp(extra.poolB.name);
    await freeIp(extra.poolB.name);
    const failure = refusal(await service.allocate({ pool: extra.poolB.name }), 'pool_exhausted');
    expect(failure.pool.name).toBe(extra.poolB.name);
  });

  it('answers unknown names and addresses with the right failure, never a crash', async () => {
    const { service } = cloud();
    refusal(await service.attach({ ip: '192.168.100.254', instance: 'web-1' }), 'floating_ip_not_found');
    refusal(await service.release('not-an-ip'), 'invalid_address');
    refusal(await service.attach({ ip: 'new', instance: 'web-.' }), 'instance_not_found');
    refusal(await service.attach({ ip: 'new', instance: 'web-' }), 'instance_not_found');
    refusal(await service.allocate({ pool: 'pubic' }), 'pool_not_found');
    refusal(await service.allocate({ pool: 'private' }), 'not_a_pool');
  });

  it('reports the unattached IPs oldest first, with who allocated them; attached ones stay out', async () => {
    const { service, extra } = cloud();
    const stamp = floatingIpDescription({ userId: 'U0ALICE01', userName: 'alice', now: new Date('2026-11-28T12:00:00Z') });
    const older = value(await service.allocate({ pool: 'public', description: stamp, owner: 'U0ALICE01' }));
    releaseAfter(older.floatingIp.id);
    const attached = await freeIp();
    value(await service.attach({ ip: attached, instance: 'web-1' }));
    // Attached, then detached: its last change is newer than the other's allocation.
    const detached = await freeIp();
    value(await service.attach({ ip: detached, instance: extra.twoNics.name }));
    await sleep(1_100);
    value(await service.detach({ ip: detached }));

    const report = value(await service.leaks());
    const addresses = report.leaks.map((leak) => leak.address);
    expect(addresses).not.toContain(attached);
    expect(addresses.indexOf(older.floatingIp.address)).toBeGreaterThanOrEqual(0);
    expect(addresses.indexOf(detached)).toBeGreaterThan(addresses.indexOf(older.floatingIp.address));
    const since = report.leaks.filter((leak) => leak.since).map((leak) => Date.parse(leak.since!));
    expect(since).toEqual([...since].sort((a, b) => a - b));
    const mine = report.leaks.find((leak) => leak.address === older.floatingIp.address)!;
    expect(allocatedBy(mine.description)).toEqual({ userId: 'U0ALICE01', userName: 'alice', date: '2026-11-28' });
    // And its allocation tag, which the cloud has (standard-attr-tag).
    expect(mine.allocatedBy).toBe('U0ALICE01');
    expect(mine.pool.name).toBe('public');
    expect(mine.revision).toEqual(expect.any(Number));
  });

  it('reclaims the IPs ticked, each guarded by the revision seen: one attached and one changed since are skipped and named', async () => {
    const { service, bot } = cloud();
    const [gone, attachedSince, changedSince] = [await freeIp(), await freeIp(), await freeIp()];
    const seen = value(await service.leaks()).leaks.filter((leak) => [gone, attachedSince, changedSince].includes(leak.address));
    expect(seen).toHaveLength(3);
    const plan = value(await service.prepareReclaim({ ips: seen.map((leak) => ({ ip: leak.id, revision: leak.revision! })) }));
    expect(plan.floatingIps.map((fip) => fip.address).sort()).toEqual([gone, attachedSince, changedSince].sort());

    value(await service.attach({ ip: attachedSince, instance: 'web-1' }));
    await bot.neutron.updateFloatingIp((await state(changedSince))!.id, { description: 'claimed by someone else' });
    const done = value(await service.executeReclaim(plan));
    expect(done.released).toEqual([gone]);
    expect(done.skipped.sort((a, b) => a.address.localeCompare(b.address))).toEqual(
      [
        { address: attachedSince, reason: 'attached' },
        { address: changedSince, reason: 'changed' },
      ].sort((a, b) => a.address.localeCompare(b.address)),
    );
    expect(await state(gone)).toBeUndefined();
    expect((await state(attachedSince))?.portId).not.toBeNull();
    expect((await state(changedSince))?.description).toBe('claimed by someone else');
  });

  it('leaves attached and unknown IPs out of a typed reclaim, and says so before anything happens', async () => {
    const { service } = cloud();
    const [free, attached] = [await freeIp(), await freeIp()];
    value(await service.attach({ ip: attached, instance: 'web-1' }));
    const plan = value(await service.prepareReclaim({ ips: [{ ip: free }, { ip: attached }, { ip: '192.168.100.254' }, { ip: free }] }));
    expect(plan.floatingIps.map((fip) => fip.address)).toEqual([free]);
    expect(plan.left).toEqual([
      { address: attached, reason: 'attached' },
      { address: '192.168.100.254', reason: 'not_found' },
    ]);
    expect((await state(free))?.portId).toBeNull();
  });

  it("shows the room before an allocation: the quota, the pool's free addresses to an admin only, unattached IPs to reuse", async () => {
    const { service, bot, admin } = cloud();
    const spare = await freeIp();
    const scope = await bot.client.scope();
    const plan = value(await service.prepareAllocate({ pool: 'public' }));
    expect(plan.headroom?.quota).toEqual((await bot.neutron.getQuotaDetails(scope.projectId)).floatingIps);
    expect(plan.headroom?.poolFree).toBe('not_visible');
    const free = (await bot.neutron.listFloatingIps({ projectId: scope.projectId }))
      .filter((fip) => fip.portId === null)
      .map((fip) => fip.address);
    expect(plan.headroom?.reusable.length).toBeGreaterThan(0);
    for (const reusable of plan.headroom!.reusable) expect(free).toContain(reusable.address);
    if (free.length === 1) expect(plan.headroom?.reusable.map((r) => r.address)).toEqual([spare]);
    const asAdmin = value(await newService(admin).prepareAllocate({ pool: 'public' }));
    expect(asAdmin.headroom?.poolFree).toEqual(expect.any(Number));
    expect(asAdmin.headroom?.poolFree).toBeGreaterThan(0);
    // The Home tab's room: the same quota; every pool's free addresses to the admin, none to the bot.
    const room = value(await service.room());
    expect(room.quota).toEqual(plan.headroom?.quota);
    expect(room.pools.map(({ pool }) => pool.name)).toContain('public');
    expect(room.pools.every(({ free }) => free === 'not_visible')).toBe(true);
    const adminRoom = value(await newService(admin).room());
    expect(adminRoom.pools.find(({ pool }) => pool.name === 'public')?.free).toEqual(expect.any(Number));
  });

  it('refuses an allocation the quota has no room for before sending it, naming used and limit', async () => {
    const { service, builder, bot } = cloud();
    const used = (await bot.neutron.getQuotaDetails((await bot.client.scope()).projectId)).floatingIps.used;
    undo.push(await builder.floatingIpQuota(used));
    const before = (await bot.neutron.listFloatingIps({ projectId: (await bot.client.scope()).projectId })).length;
    const failure = refusal(await service.prepareAllocate({ pool: 'public' }), 'quota_exceeded');
    expect([failure.used, failure.limit, failure.changed]).toEqual([used, used, 'nothing']);
    refusal(await service.prepareAttach({ ip: 'new', instance: 'web-1' }), 'quota_exceeded');
    expect(await bot.neutron.listFloatingIps({ projectId: (await bot.client.scope()).projectId })).toHaveLength(before);
  });

  it('the watch sees changes made straight through Neutron, and not a change fipbot made', async () => {
    const { service, bot } = cloud();
    const [outside, own] = [await freeIp(), await freeIp()];
    const store = new MemoryInteractionStore();
    const logger = createLogger({ level: 'error', write: () => {} });
    const posted: string[] = [];
    const client = { chat: { postMessage: (args: unknown) => (posted.push(JSON.stringify(args)), Promise.resolve({ ok: true })) } };
    const clock = new ManualClock(Date.now());
    const watch = new ChangeWatch(
      { service, store, clock, logger, client: client as never },
      { channel: 'C0WATCH001', intervalMs: 60_000 },
      ownChangesIn(store, 600_000),
    );
    const poll = () => clock.runUntil(clock.now() + 60_000, () => watch.settled());
    watch.start();
    try {
      await poll();
      expect(posted).toEqual([]);

      // Outside fipbot: a release and an allocation sent to Neutron directly.
      const { id, networkId } = (await state(outside))!;
      await bot.neutron.deleteFloatingIp(id);
      const allocated = (await bot.neutron.createFloatingIp({ networkId })).value;
      releaseAfter(allocated.id);
      // fipbot's own: an attach through executeChange, as a Confirm click runs it.
      const deps = {
        service,
        store,
        policy: allowAll(),
        audit: createAudit({ logger }),
        logger,
        now: () => new Date(),
        timing: TEST_TIMING,
        ownChanges: ownChangesIn(store, 600_000),
      };
      const plan = value(await service.prepareAttach({ ip: own, instance: 'web-1' }));
      const done = await executeChange(deps as unknown as SlackDeps, {
        change: { operation: 'attach', plan },
        actor: { userId: 'U0ALICE01', teamId: 'T0TEAM001' },
        via: 'command',
      });
      expect(done.ok).toBe(true);
      expect((await state(own))?.portId).not.toBeNull();

      await poll();
      expect(posted).toHaveLength(1);
      expect(posted[0]).toContain(`\`${outside}\` released`);
      expect(posted[0]).toContain(`\`${allocated.address}\` allocated from pool *public*`);
      expect(posted[0]).not.toContain(own);
    } finally {
      await watch.stop();
    }
  });

  it('leases: --for writes the lease as tags; at the end the keeper releases each IP attached where the lease left it (attached or not, moved and back, described anew)', async () => {
    const { service, bot } = cloud();
    const owner = 'U0ALICE01';
    const lease = { ms: 30 * 60_000, owner };
    const allocate = async () => {
      const plan = value(await service.prepareAllocate({ pool: 'public', description: 'lease test', lease }));
      const done = value(await service.executeAllocate(plan));
      releaseAfter(done.floatingIp.id);
      expect(done.lease).toMatchObject({ written: true });
      return done.floatingIp.address;
    };
    const [free, byHand] = [await allocate(), await allocate()];
    // A new IP attached in the same request: Neutron's agent moves it from DOWN to ACTIVE afterwards (a revision bump no person made).
    const attachPlan = value(await service.prepareAttach({ ip: 'new', instance: 'web-1', description: 'lease test', lease }));
    const attached = value(await service.executeAttach(attachPlan));
    releaseAfter(attached.floatingIp.id);
    expect(attached.lease).toMatchObject({ written: true });
    expect(leaseOf((await state(attached.floatingIp.address))!.tags)).toMatchObject({ owner, portId: attachPlan.target.portId });
    // Detached by hand meanwhile: moved from where the lease left it.
    const handIp = (await state(byHand))!;
    await bot.neutron.updateFloatingIp(attached.floatingIp.id, { portId: null });
    await bot.neutron.updateFloatingIp(handIp.id, { portId: attachPlan.target.portId, fixedIpAddress: attachPlan.target.address });
    // ...and the attached one attached again where it was: as the lease left it.
    await bot.neutron.updateFloatingIp(handIp.id, { portId: null });
    await bot.neutron.updateFloatingIp(attached.floatingIp.id, {
      portId: attachPlan.target.portId,
      fixedIpAddress: attachPlan.target.address,
    });
    await bot.neutron.updateFloatingIp(handIp.id, { description: 'touched' });
    const store = new MemoryInteractionStore();
    const logger = createLogger({ level: 'error', write: () => {} });
    const dms: string[] = [];
    const client = { chat: { postMessage: (args: { text: string }) => (dms.push(args.text), Promise.resolve({ ok: true })) } };
    const clock = new ManualClock(Date.now());
    const keeper = new LeaseKeeper(
      { service, store, clock, logger, client: client as never },
      { intervalMs: 60_000, claimMs: 3_600_000 },
      { audit: createAudit({ logger }) },
    );
    keeper.start();
    try {
      await clock.runUntil(clock.now() + 16 * 60_000, () => keeper.settled());
      expect(dms.filter((text) => text.includes('its lease ends'))).toHaveLength(3);
      await clock.runUntil(clock.now() + 16 * 60_000, () => keeper.settled());
      expect(await state(free)).toBeUndefined();
      expect(await state(attached.floatingIp.address)).toBeUndefined();
      // byHand: attached to nothing, as the lease left it, but its description changed: it is only the attachment that counts.
      expect(await state(byHand)).toBeUndefined();
      expect(dms.filter((text) => text.includes('was released: its lease ended'))).toHaveLength(3);
    } finally {
      await keeper.stop();
    }
  });

  it('leases: an IP attached by hand since its lease was set is left alone at the end, its lease removed, the owner told', async () => {
    const { service, bot } = cloud();
    const plan = value(
      await service.prepareAllocate({ pool: 'public', description: 'lease test', lease: { ms: 10 * 60_000, owner: 'U0ALICE01' } }),
    );
    const done = value(await service.executeAllocate(plan));
    releaseAfter(done.floatingIp.id);
    const target = value(await service.prepareAttach({ ip: done.floatingIp.address, instance: 'web-1' })).target;
    await bot.neutron.updateFloatingIp(done.floatingIp.id, { portId: target.portId, fixedIpAddress: target.address });
    const logger = createLogger({ level: 'error', write: () => {} });
    const dms: string[] = [];
    const client = { chat: { postMessage: (args: { text: string }) => (dms.push(args.text), Promise.resolve({ ok: true })) } };
    const clock = new ManualClock(Date.now());
    const keeper = new LeaseKeeper(
      { service, store: new MemoryInteractionStore(), clock, logger, client: client as never },
      { intervalMs: 60_000, claimMs: 3_600_000 },
      { audit: createAudit({ logger }) },
    );
    keeper.start();
    try {
      await clock.runUntil(clock.now() + 11 * 60_000, () => keeper.settled());
      const fip = (await state(done.floatingIp.address))!;
      expect(fip.portId).toBe(target.portId);
      expect(leaseOf(fip.tags)).toBeUndefined();
      expect(dms.at(-1)).toBe(`${done.floatingIp.address}: lease ended, but the IP changed since, so fipbot left it alone`);
    } finally {
      await keeper.stop();
    }
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
