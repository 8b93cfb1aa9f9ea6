/**
 * The floating-IP use cases: allocate, list, attach, detach, release and
 * diagnose. Knows nothing of Slack: callers get an Outcome (a value, or a
 * coded Failure that explain.ts puts into words).
 *
 * Changes come in two steps so a person can confirm what will happen:
 * `prepareX` reads and checks everything and returns a plan (plain data);
 * `executeX(plan)` makes exactly that change, guarded by Neutron's revision
 * number (If-Match) so that an IP that changed in between is refused (412)
 * rather than moved or deleted behind someone's back. `attach`, `detach` and
 * `release` do both steps at once for callers without a confirmation step.
 *
 * When a change was sent but no answer came back (timeout, reset, 5xx), the
 * outcome is checked by reading the IP again (or, for a new IP, finding it by
 * its unique description) before anything is reported: nothing is leaked and
 * nothing is reported as failed that in fact happened.
 */
import { randomUUID } from 'node:crypto';
import { PRODUCTION_TIMING } from '../config/timing.js';
import { hasErrorType, mayHaveApplied, OpenStackApiError, OpenStackError } from '../openstack/errors.js';
import type { FloatingIp, Network, Port } from '../openstack/schemas/neutron.js';
import type { ServerSummary } from '../openstack/schemas/nova.js';
import { Cached } from './cache.js';
import {
  type Attachment,
  type Failure,
  type FailureBody,
  FailureSignal,
  failure,
  type Named,
  type Operation,
  type Outcome,
  stop,
  succeed,
} from './failures.js';
import { Inventory, type InventoryDeps, type InventoryOptions, isIpv4Address, type PoolChoice } from './inventory.js';
import { failureFromError } from './openstack-failures.js';
import { compareAddresses, named, targetsFor, type Topology } from './reachability.js';
import { chooseTarget } from './target-choice.js';
import type {
  AllocatePlan,
  Allocated,
  AttachPlan,
  AttachResult,
  DetachPlan,
  DetachResult,
  Diagnosis,
  FloatingIpList,
  FloatingIpView,
  ListFilter,
  ReleasePlan,
  ReleaseResult,
} from './views.js';

export interface AllocateRequest {
  /** Pool name or id; omitted = the default pool. */
  pool?: string;
  /** Shown in Horizon and the CLI, e.g. "requested by @alice in #ops via fipbot". */
  description?: string;
}

export interface AttachRequest {
  /** An address or id of an existing floating IP, or "new" to allocate one and attach it in the same request. */
  ip: string;
  instance: string;
  fixedIp?: string;
  /** For "new": the pool; omitted = the pool the instance can reach. */
  pool?: string;
  /** For "new": the description the IP gets. */
  description?: string;
}

export interface DetachRequest {
  ip: string;
  /** When given, the IP must be attached to this instance. */
  instance?: string;
}

export interface ServiceOptions extends InventoryOptions {
  /** A short unique tag appended to descriptions of IPs we create, to find them again after a lost response. */
  newOperationTag: () => string;
  /**
   * How long the project's floating IPs, listed for typeahead, serve the
   * following keystrokes. Neutron cannot filter addresses by substring, so
   * each suggestion request would otherwise list them all again (five pages
   * with 2,000 IPs). Suggestions only: every plan reads the IP fresh.
   */
  typeaheadTtlMs: number;
}

export class FloatingIpService {
  readonly inventory: Inventory;
  private readonly newOperationTag: () => string;
  /** The project's floating IPs for typeahead; dropped whenever this service sends a change. */
  private readonly typeaheadIps: Cached<FloatingIp[]>;

  constructor(
    private readonly deps: InventoryDeps,
    options: Partial<ServiceOptions> = {},
  ) {
    this.inventory = new Inventory(deps, options);
    this.newOperationTag = options.newOperationTag ?? (() => randomUUID().slice(0, 8));
    this.typeaheadIps = new Cached(
      async () => this.deps.neutron.listFloatingIps({ projectId: (await this.inventory.scope()).projectId }),
      options.typeaheadTtlMs ?? PRODUCTION_TIMING.caches.typeaheadTtlMs,
      options.now,
    );
  }

  // ---------------------------------------------------------------- allocate

  /** Chooses the pool and the description; nothing is allocated yet. */
  prepareAllocate(request: AllocateRequest = {}): Promise<Outcome<AllocatePlan>> {
    return this.run('allocate', {}, async () => {
      const { pool, choice } = request.pool
        ? { pool: await this.inventory.resolvePool('allocate', request.pool), choice: 'requested' as PoolChoice }
        : await this.inventory.defaultPool('allocate');
      return { kind: 'allocate', pool: named(pool, pool.id), poolChoice: choice, description: this.uniqueDescription(request.description) };
    });
  }

  executeAllocate(plan: AllocatePlan): Promise<Outcome<Allocated>> {
    return this.run('allocate', {}, async (progress) => {
      try {
        progress.sent = true;
        const created = await this.deps.neutron.createFloatingIp({ networkId: plan.pool.id, description: plan.description });
        progress.done = true;
        return { floatingIp: await this.view(created.value), poolChoice: plan.poolChoice, requestId: created.requestId, recovered: false };
      } catch (error) {
        const found = await this.findCreated(error, plan.description);
        if (found) return { floatingIp: await this.view(found), poolChoice: plan.poolChoice, requestId: undefined, recovered: true };
        throw await this.creationFailure('allocate', error, plan.pool);
      }
    });
  }

  async allocate(request: AllocateRequest = {}): Promise<Outcome<Allocated>> {
    const plan = await this.prepareAllocate(request);
    return plan.ok ? this.executeAllocate(plan.value) : plan;
  }

  // -------------------------------------------------------------------- list

  list(filter: ListFilter = 'all'): Promise<Outcome<FloatingIpList>> {
    return this.run('list', {}, async () => {
      const scope = await this.inventory.scope();
      const all = await this.deps.neutron.listFloatingIps({ projectId: scope.projectId });
      const fips = all.filter((fip) => filter === 'all' || (filter === 'free') === (fip.portId === null));
      const { attachments, namesUnavailable } = await this.attachmentsTolerant(fips);
      const views = await Promise.all(fips.map((fip, index) => this.view(fip, attachments[index] ?? null)));
      return { filter, floatingIps: views.sort(byAddress), namesUnavailable };
    });
  }

  /** Pools (external networks) by name: for pickers. */
  listPools(): Promise<Outcome<Named[]>> {
    return this.run('list', {}, async () => (await this.inventory.pools.get()).map((pool) => named(pool, pool.id)).sort(byName));
  }

  /**
   * Floating IPs whose address contains `query`, for typeahead: at most
   * `limit`, free ones first. The listing serves the next keystrokes for a
   * few seconds (typeaheadTtlMs); instance names come from the cache and a
   * few lookups only, never a listing of every server, so the answer stays fast.
   */
  searchFloatingIps(query: string, filter: ListFilter, limit = 100): Promise<Outcome<FloatingIpView[]>> {
    return this.run('list', {}, async () => {
      const text = query.trim();
      const matches = (await this.typeaheadIps.get())
        .filter((fip) => (filter === 'all' || (filter === 'free') === (fip.portId === null)) && fip.address.includes(text))
        .sort((a, b) => Number(a.portId !== null) - Number(b.portId !== null) || compareAddresses(a.address, b.address))
        .slice(0, limit);
      const attachments = await this.inventory.attachmentsOf(matches, { names: 'cached' }).catch(() => this.inventory.attachmentsOf(matches, { names: 'none' }));
      return Promise.all(matches.map((fip, index) => this.view(fip, attachments[index] ?? null)));
    });
  }

  /** Instances whose name starts with `prefix`, for typeahead. */
  searchInstances(prefix: string, limit = 20): Promise<Outcome<Named[]>> {
    return this.run('list', {}, async () => {
      const typed = prefix.trim().toLowerCase();
      const servers = await this.deps.nova.searchServersByPrefix(prefix.trim(), limit);
      // What was typed exactly comes first ("web-1" before "web-10"), then by name.
      return servers
        .map((server) => named(server, server.id))
        .sort((a, b) => Number(b.name.toLowerCase() === typed) - Number(a.name.toLowerCase() === typed) || a.name.localeCompare(b.name));
    });
  }

  // ------------------------------------------------------------------ attach

  prepareAttach(request: AttachRequest): Promise<Outcome<AttachPlan>> {
    return this.run('attach', { address: request.ip }, () => this.planAttach(request));
  }

  executeAttach(plan: AttachPlan, options: { confirmMove?: boolean } = {}): Promise<Outcome<AttachResult>> {
    return this.run('attach', { address: plan.floatingIp?.address }, async (progress) => {
      if (plan.alreadyAttached && plan.floatingIp) {
        const current = await this.deps.neutron.getFloatingIp(plan.floatingIp.id);
        return { plan, floatingIp: await this.view(current), requestId: undefined, recovered: false };
      }
      if (plan.moveFrom && plan.floatingIp && !options.confirmMove) {
        stop('attach', {
          code: 'would_move',
          address: plan.floatingIp.address,
          from: plan.moveFrom,
          to: { instance: plan.instance, fixedIp: plan.target.address },
        });
      }
      return plan.floatingIp ? this.associate(plan, plan.floatingIp, progress) : this.createAttached(plan, progress);
    });
  }

  /** Prepare and execute in one go; an IP attached elsewhere is moved only with `confirmMove`. */
  async attach(request: AttachRequest, options: { confirmMove?: boolean } = {}): Promise<Outcome<AttachResult>> {
    const plan = await this.prepareAttach(request);
    return plan.ok ? this.executeAttach(plan.value, options) : plan;
  }

  private async planAttach(request: AttachRequest): Promise<AttachPlan> {
    const isNew = request.ip.trim().toLowerCase() === 'new';
    const fixedIp = request.fixedIp?.trim();
    if (fixedIp !== undefined && !isIpv4Address(fixedIp) && !fixedIp.includes(':')) {
      stop('attach', { code: 'invalid_input', field: 'fixed IP', problem: `"${fixedIp}" is not an IP address` });
    }
    const [server, fip, topology] = await Promise.all([
      this.inventory.findInstance('attach', request.instance),
      isNew ? Promise.resolve(null) : this.inventory.findFloatingIp('attach', request.ip),
      this.inventory.topology(),
    ]);
    const { ports, topology: known } = await this.portsWithTopology(server, topology);
    const instance = named(server, server.id);

    let pool: Named;
    if (fip) pool = await this.inventory.poolOf(fip.networkId);
    else if (request.pool) pool = named(await this.inventory.resolvePool('attach', request.pool), '');
    else pool = await this.poolForNewIp(ports, known, instance, fixedIp);

    const target = chooseTarget(targetsFor(ports, known, pool.id), { instance, pool, ...(fixedIp ? { fixedIp } : {}) });
    const router = target.verdict.kind === 'reachable' ? target.verdict.router : null;
    const alreadyAttached = fip !== null && fip.portId === target.portId && fip.fixedIpAddress === target.address;
    const moveFrom = fip?.portId && !alreadyAttached ? await this.inventory.attachmentOf(fip) : null;
    return {
      kind: 'attach',
      floatingIp: fip ? { id: fip.id, address: fip.address, revision: fip.revision } : null,
      pool,
      instance,
      target: { portId: target.portId, address: target.address, network: target.network, subnet: target.subnet, router },
      moveFrom,
      alreadyAttached,
      description: isNew ? this.uniqueDescription(request.description) : '',
    };
  }

  /**
   * For "new" without a pool: the one pool the instance can reach. When none
   * is reachable, the default pool is analysed so the refusal names a
   * concrete reason.
   */
  private async poolForNewIp(ports: Port[], topology: Topology, instance: Named, fixedIp: string | undefined): Promise<Named> {
    const pools = await this.inventory.pools.get();
    if (pools.length === 0) stop('attach', { code: 'no_pools' });
    const reachable = pools.filter((pool) =>
      targetsFor(ports, topology, pool.id).some((target) => target.verdict.kind === 'reachable' && (fixedIp === undefined || target.address === fixedIp)),
    );
    if (reachable.length === 1) return named(reachable[0], '');
    if (reachable.length > 1) stop('attach', { code: 'pool_ambiguous', pools: reachable.map((pool) => named(pool, pool.id)), instance });
    try {
      return named((await this.inventory.defaultPool('attach')).pool, '');
    } catch (error) {
      // Several pools and none reachable: the reason (public network, no router) rarely depends on the pool.
      if (error instanceof FailureSignal && error.failure.code === 'pool_ambiguous') return named(pools[0], '');
      throw error;
    }
  }

  private async associate(plan: AttachPlan, fip: NonNullable<AttachPlan['floatingIp']>, progress: Progress): Promise<AttachResult> {
    await this.verifyUnchanged('attach', fip, plan.moveFrom?.portId ?? null);
    try {
      progress.sent = true;
      const updated = await this.deps.neutron.updateFloatingIp(
        fip.id,
        { portId: plan.target.portId, fixedIpAddress: plan.target.address },
        { ...(fip.revision !== undefined ? { ifRevision: fip.revision } : {}) },
      );
      progress.done = true;
      return { plan, floatingIp: await this.view(updated.value), requestId: updated.requestId, recovered: false };
    } catch (error) {
      if (mayHaveApplied(error)) {
        const now = await this.readQuietly(fip.id);
        if (now && now.portId === plan.target.portId && now.fixedIpAddress === plan.target.address) {
          return { plan, floatingIp: await this.view(now), requestId: undefined, recovered: true };
        }
      }
      throw await this.associationFailure(error, plan);
    }
  }

  private async createAttached(plan: AttachPlan, progress: Progress): Promise<AttachResult> {
    try {
      progress.sent = true;
      const created = await this.deps.neutron.createFloatingIp({
        networkId: plan.pool.id,
        portId: plan.target.portId,
        fixedIpAddress: plan.target.address,
        description: plan.description,
      });
      progress.done = true;
      return { plan, floatingIp: await this.view(created.value), requestId: created.requestId, recovered: false };
    } catch (error) {
      const found = await this.findCreated(error, plan.description);
      if (found) return { plan, floatingIp: await this.view(found), requestId: undefined, recovered: true };
      if (hasErrorType(error, 'OverQuota', 'IpAddressGenerationFailure', 'ExternalIpAddressExhausted')) {
        throw await this.creationFailure('attach', error, plan.pool);
      }
      throw await this.associationFailure(error, plan);
    }
  }

  /** Turns Neutron's refusal of an association into the failure a person can act on. */
  private async associationFailure(error: unknown, plan: AttachPlan): Promise<unknown> {
    const requestId = error instanceof OpenStackError ? error.requestId : undefined;
    if (hasErrorType(error, 'ExternalGatewayForFloatingIPNotFound')) {
      // Our preflight thought otherwise (routers changed, or we could not see them): re-read and explain.
      const ports = await this.inventory.portsOf(plan.instance.id);
      const topology = await this.inventory.topology({ networkIds: ports.map((port) => port.networkId) });
      const targets = targetsFor(ports, topology, plan.pool.id).filter((target) => target.address === plan.target.address);
      try {
        chooseTarget(targets, { instance: plan.instance, pool: plan.pool, fixedIp: plan.target.address });
      } catch (signal) {
        if (signal instanceof FailureSignal) return new FailureSignal({ ...signal.failure, ...(requestId ? { requestId } : {}) });
        throw signal;
      }
      return signalOf('attach', { code: 'not_reachable', instance: plan.instance, pool: plan.pool, targets }, requestId);
    }
    if (hasErrorType(error, 'FloatingIPPortAlreadyAssociated')) {
      const [existing] = await this.deps.neutron
        .listFloatingIps({ portId: plan.target.portId, fixedIpAddress: plan.target.address })
        .catch(() => [] as FloatingIp[]);
      return signalOf('attach', { code: 'fixed_ip_has_floating_ip', instance: plan.instance, fixedIp: plan.target.address, existing: existing?.address ?? null }, requestId);
    }
    return error;
  }

  // ------------------------------------------------------------------ detach

  prepareDetach(request: DetachRequest): Promise<Outcome<DetachPlan>> {
    return this.run('detach', { address: request.ip }, async () => {
      const [fip, server] = await Promise.all([
        this.inventory.findFloatingIp('detach', request.ip),
        request.instance ? this.inventory.findInstance('detach', request.instance) : Promise.resolve(null),
      ]);
      const from = await this.attachmentTolerant(fip);
      if (!from) stop('detach', { code: 'not_attached', address: fip.address });
      if (server && from.instance?.id !== server.id) {
        stop('detach', { code: 'attached_elsewhere', address: fip.address, expected: named(server, server.id), actual: from });
      }
      return { kind: 'detach', floatingIp: await this.identity(fip), from };
    });
  }

  executeDetach(plan: DetachPlan): Promise<Outcome<DetachResult>> {
    const fip = plan.floatingIp;
    return this.run('detach', { address: fip.address }, async (progress) => {
      await this.verifyUnchanged('detach', fip, plan.from.portId);
      try {
        progress.sent = true;
        const updated = await this.deps.neutron.updateFloatingIp(fip.id, { portId: null }, revisionGuard(fip));
        progress.done = true;
        return { plan, floatingIp: await this.view(updated.value), requestId: updated.requestId, recovered: false };
      } catch (error) {
        if (mayHaveApplied(error)) {
          const now = await this.readQuietly(fip.id);
          if (now && now.portId === null) return { plan, floatingIp: await this.view(now), requestId: undefined, recovered: true };
        }
        throw error;
      }
    });
  }

  async detach(request: DetachRequest): Promise<Outcome<DetachResult>> {
    const plan = await this.prepareDetach(request);
    return plan.ok ? this.executeDetach(plan.value) : plan;
  }

  // ----------------------------------------------------------------- release

  prepareRelease(ip: string): Promise<Outcome<ReleasePlan>> {
    return this.run('release', { address: ip }, async () => {
      const fip = await this.inventory.findFloatingIp('release', ip);
      return { kind: 'release', floatingIp: await this.identity(fip), attachedTo: await this.attachmentTolerant(fip) };
    });
  }

  executeRelease(plan: ReleasePlan): Promise<Outcome<ReleaseResult>> {
    const fip = plan.floatingIp;
    return this.run('release', { address: fip.address }, async (progress) => {
      await this.verifyUnchanged('release', fip, plan.attachedTo?.portId ?? null);
      try {
        progress.sent = true;
        const deleted = await this.deps.neutron.deleteFloatingIp(fip.id, revisionGuard(fip));
        progress.done = true;
        return { plan, requestId: deleted.requestId, recovered: false };
      } catch (error) {
        // A retried DELETE answered 404: our first attempt got through.
        if (hasErrorType(error, 'FloatingIPNotFound') && error.attempts > 1) return { plan, requestId: error.requestId, recovered: true };
        if (mayHaveApplied(error) && (await this.readQuietly(fip.id)) === null) return { plan, requestId: undefined, recovered: true };
        throw error;
      }
    });
  }

  async release(ip: string): Promise<Outcome<ReleaseResult>> {
    const plan = await this.prepareRelease(ip);
    return plan.ok ? this.executeRelease(plan.value) : plan;
  }

  // ---------------------------------------------------------------- diagnose

  diagnose(instanceQuery: string): Promise<Outcome<Diagnosis>> {
    return this.run('diagnose', {}, async () => {
      const [server, topology, pools] = await Promise.all([
        this.inventory.findInstance('diagnose', instanceQuery),
        this.inventory.topology(),
        this.inventory.pools.get(),
      ]);
      const { ports, topology: known } = await this.portsWithTopology(server, topology);
      const attached = ports.length ? await this.deps.neutron.listFloatingIps({ portId: ports.map((port) => port.id) }) : [];
      const attachments = await this.inventory.attachmentsOf(attached);
      return {
        instance: named(server, server.id),
        pools: pools
          .map((pool) => {
            const targets = targetsFor(ports, known, pool.id);
            return { pool: named(pool, pool.id), reachable: targets.some((target) => target.verdict.kind === 'reachable'), targets };
          })
          .sort((a, b) => Number(b.reachable) - Number(a.reachable) || byName(a.pool, b.pool)),
        floatingIps: await Promise.all(attached.map((fip, index) => this.view(fip, attachments[index] ?? null))),
      };
    });
  }

  // ----------------------------------------------------------------- helpers

  /**
   * Runs a use case: coded failures and OpenStack errors become a failed Outcome; bugs still throw.
   * A lost answer can mean "changed: unknown" only once the change was sent: the body marks `progress`
   * (sent just before the mutating request, done once it succeeded). Before that (every prepare step, a read
   * before the change) nothing was sent; and a Keystone failure while sending (a 401, then no new token) means
   * the change never reached Neutron. Saying "fipbot could not confirm whether the change was made" there
   * would send people checking for a change that cannot have happened.
   */
  private async run<T>(operation: Operation, context: { address?: string | undefined }, body: (progress: Progress) => Promise<T>): Promise<Outcome<T>> {
    const progress: Progress = { sent: false, done: false };
    try {
      return succeed(await body(progress));
    } catch (error) {
      const reachedNeutron = progress.done || (progress.sent && !(error instanceof OpenStackError && error.service === 'identity'));
      const mapped: Failure = failureFromError(operation, error, {
        ...(context.address && isIpv4Address(context.address.trim()) ? { address: context.address.trim() } : {}),
        changed: reachedNeutron && mayHaveApplied(error) ? 'unknown' : 'nothing',
      });
      return { ok: false, failure: mapped };
    } finally {
      // A change went out (made, refused or unknown): the person's next suggestions must show it.
      if (progress.sent) this.typeaheadIps.invalidate();
    }
  }

  private async portsWithTopology(server: ServerSummary, topology: Topology): Promise<{ ports: Port[]; topology: Topology }> {
    const ports = await this.inventory.portsOf(server.id);
    const networkIds = ports.map((port) => port.networkId);
    const subnetIds = ports.flatMap((port) => port.fixedIps.map((ip) => ip.subnetId));
    const complete = networkIds.every((id) => topology.networks.has(id)) && subnetIds.every((id) => topology.subnets.has(id));
    return { ports, topology: complete ? topology : await this.inventory.topology({ networkIds, subnetIds }) };
  }

  /**
   * Without revision numbers (a cloud lacking the extension) If-Match is not
   * available: re-read the IP and refuse if its attachment is not what the plan saw.
   */
  private async verifyUnchanged(operation: Operation, fip: { id: string; address: string; revision: number | undefined }, expectedPortId: string | null): Promise<void> {
    if (fip.revision !== undefined) return;
    const now = await this.deps.neutron.getFloatingIp(fip.id);
    if (now.portId !== expectedPortId) stop(operation, { code: 'changed_concurrently', address: fip.address });
  }

  /** The IP as it is now; null when it no longer exists; undefined when we could not tell. */
  private async readQuietly(id: string): Promise<FloatingIp | null | undefined> {
    try {
      return await this.deps.neutron.getFloatingIp(id);
    } catch (error) {
      if (error instanceof OpenStackApiError && error.status === 404) return null;
      return undefined;
    }
  }

  /** After a create whose answer was lost: the IP, found by the unique description it was created with. */
  private async findCreated(error: unknown, description: string): Promise<FloatingIp | undefined> {
    if (!mayHaveApplied(error)) return undefined;
    try {
      const scope = await this.inventory.scope();
      const found = await this.deps.neutron.listFloatingIps({ projectId: scope.projectId, description });
      return found.length === 1 ? found[0] : undefined;
    } catch {
      return undefined;
    }
  }

  private async creationFailure(operation: Operation, error: unknown, pool: Network | Named): Promise<unknown> {
    const requestId = error instanceof OpenStackError ? error.requestId : undefined;
    if (hasErrorType(error, 'IpAddressGenerationFailure', 'ExternalIpAddressExhausted')) {
      return signalOf(operation, { code: 'pool_exhausted', pool: named(pool, pool.id) }, requestId);
    }
    if (hasErrorType(error, 'OverQuota')) {
      const quota = await this.inventory
        .scope()
        .then((scope) => this.deps.neutron.getQuotaDetails(scope.projectId))
        .catch(() => undefined);
      return signalOf(operation, { code: 'quota_exceeded', used: quota?.floatingIps.used ?? null, limit: quota?.floatingIps.limit ?? null }, requestId);
    }
    return error;
  }

  private uniqueDescription(description: string | undefined): string {
    const tag = `fipbot op ${this.newOperationTag()}`;
    const text = description?.trim();
    // Neutron limits descriptions to 255 characters.
    return text ? `${text.slice(0, 255 - tag.length - 3)} (${tag})` : tag;
  }

  private async identity(fip: FloatingIp): Promise<{ id: string; address: string; revision: number | undefined; pool: Named }> {
    return { id: fip.id, address: fip.address, revision: fip.revision, pool: await this.inventory.poolOf(fip.networkId) };
  }

  private async view(fip: FloatingIp, attachment?: Attachment | null): Promise<FloatingIpView> {
    return {
      id: fip.id,
      address: fip.address,
      pool: await this.inventory.poolOf(fip.networkId),
      status: fip.status,
      description: fip.description,
      attachment: attachment !== undefined ? attachment : await this.inventory.attachmentOf(fip),
      revision: fip.revision,
    };
  }

  /** Where one IP is attached; as for lists, Nova down only costs the instance's name (detach and release are Neutron's business). */
  private async attachmentTolerant(fip: FloatingIp): Promise<Attachment | null> {
    const { attachments } = await this.attachmentsTolerant([fip]);
    return attachments[0] ?? null;
  }

  /** Attachments with names; if Nova fails, the list still works with ids in place of names. */
  private async attachmentsTolerant(fips: FloatingIp[]): Promise<{ attachments: Array<Attachment | null>; namesUnavailable: boolean }> {
    try {
      return { attachments: await this.inventory.attachmentsOf(fips), namesUnavailable: false };
    } catch (error) {
      if (!(error instanceof OpenStackError) || error.service !== 'compute') throw error;
      return { attachments: await this.inventory.attachmentsOf(fips, { names: 'none' }), namesUnavailable: true };
    }
  }
}

/** How far an execute step got: the change sent (an answer may be lost), or done (Neutron confirmed it). */
interface Progress {
  sent: boolean;
  done: boolean;
}

function revisionGuard(fip: { revision: number | undefined }): { ifRevision?: number } {
  return fip.revision !== undefined ? { ifRevision: fip.revision } : {};
}

function signalOf(operation: Operation, body: FailureBody, requestId: string | undefined): FailureSignal {
  return new FailureSignal(failure(operation, body, { requestId }));
}

function byName(a: Named, b: Named): number {
  return a.name.localeCompare(b.name);
}

function byAddress(a: FloatingIpView, b: FloatingIpView): number {
  return compareAddresses(a.address, b.address);
}
