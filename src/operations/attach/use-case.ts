/**
 * Attach a floating IP (or a new one, allocated and attached in the same
 * request, so a refusal allocates nothing) to an instance: pick the port and
 * fixed IP, check Neutron's association rule before any change, then send
 * exactly the planned change, guarded by the revision seen.
 */
import { type FloatingIpIdentity, type Progress, signalOf, type UseCaseContext } from '../../floating-ips/context.js';
import { FailureSignal, type Named, type Outcome, stop } from '../../floating-ips/failures.js';
import { readHeadroom, refuseOverQuota } from '../../floating-ips/headroom.js';
import { byName } from '../../floating-ips/names.js';
import { isIpv4Address } from '../../floating-ips/inventory.js';
import { named, targetsFor, type Topology } from '../../floating-ips/reachability.js';
import { chooseTarget } from '../../floating-ips/target-choice.js';
import type { AttachPlan, AttachResult } from '../../floating-ips/views.js';
import { type LeaseRequest, tagNewIp } from '../../floating-ips/lease-write.js';
import { hasErrorType, OpenStackError } from '../../openstack/errors.js';
import type { FloatingIp, Port } from '../../openstack/schemas/neutron.js';

export interface AttachRequest {
  /** An address or id of an existing floating IP, or "new" to allocate one and attach it in the same request. */
  ip: string;
  instance: string;
  fixedIp?: string;
  /** For "new": the pool; omitted = the pool the instance can reach. */
  pool?: string;
  /** For "new": the description the IP gets. */
  description?: string;
  /** For "new", `--for`: released by itself this long after the allocation. */
  lease?: LeaseRequest;
  /** For "new": the Slack user it is allocated for. */
  owner?: string;
}

export function prepareAttach(ctx: UseCaseContext, request: AttachRequest): Promise<Outcome<AttachPlan>> {
  return ctx.run({ address: request.ip }, () => planAttach(ctx, request));
}

/** An IP attached elsewhere is moved only with `confirmMove` (the confirmation showed the move). */
export function executeAttach(
  ctx: UseCaseContext,
  plan: AttachPlan,
  options: { confirmMove?: boolean } = {},
): Promise<Outcome<AttachResult>> {
  return ctx.run({ address: plan.floatingIp?.address }, async (progress) => {
    if (plan.alreadyAttached && plan.floatingIp) {
      const current = await ctx.neutron.getFloatingIp(plan.floatingIp.id);
      return { plan, floatingIp: await ctx.view(current), requestId: undefined, recovered: false };
    }
    if (plan.moveFrom && plan.floatingIp && !options.confirmMove) {
      stop({
        code: 'would_move',
        address: plan.floatingIp.address,
        from: plan.moveFrom,
        to: { instance: plan.instance, fixedIp: plan.target.address },
      });
    }
    return plan.floatingIp ? associate(ctx, plan, plan.floatingIp, progress) : createAttached(ctx, plan, progress);
  });
}

async function planAttach(ctx: UseCaseContext, request: AttachRequest): Promise<AttachPlan> {
  const isNew = request.ip.trim().toLowerCase() === 'new';
  const fixedIp = request.fixedIp?.trim();
  if (fixedIp !== undefined && !isIpv4Address(fixedIp) && !fixedIp.includes(':')) {
    stop({ code: 'invalid_input', field: 'fixed IP', problem: `"${fixedIp}" is not an IP address` });
  }
  const [server, fip, topology] = await Promise.all([
    ctx.inventory.findInstance(request.instance),
    isNew ? Promise.resolve(null) : ctx.inventory.findFloatingIp(request.ip),
    ctx.inventory.topology(),
  ]);
  const { ports, topology: known } = await ctx.portsWithTopology(server, topology);
  const instance = named(server, server.id);

  let pool: Named;
  if (fip) pool = await ctx.inventory.poolOf(fip.networkId);
  else if (request.pool) pool = named(await ctx.inventory.resolvePool(request.pool), '');
  else pool = await poolForNewIp(ctx, ports, known, instance, fixedIp);

  const target = chooseTarget(targetsFor(ports, known, pool.id), {
    instance,
    pool,
    ...(fixedIp ? { fixedIp } : {}),
    ...(fip ? { floatingIp: fip.address } : {}),
  });
  const router = target.verdict.kind === 'reachable' ? target.verdict.router : null;
  const alreadyAttached = fip !== null && fip.portId === target.portId && fip.fixedIpAddress === target.address;
  const moveFrom = fip?.portId && !alreadyAttached ? await ctx.inventory.attachmentOf(fip) : null;
  const headroom = isNew ? await readHeadroom(ctx, pool.id) : undefined;
  if (headroom) refuseOverQuota(headroom);
  return {
    floatingIp: fip ? { id: fip.id, address: fip.address, revision: fip.revision } : null,
    pool,
    instance,
    target: { portId: target.portId, address: target.address, network: target.network, subnet: target.subnet, router },
    moveFrom,
    alreadyAttached,
    description: isNew ? ctx.uniqueDescription(request.description) : '',
    ...(headroom ? { headroom } : {}),
    ...(isNew && request.lease ? { lease: request.lease } : {}),
    ...(isNew && request.owner ? { owner: request.owner } : {}),
  };
}

/**
 * For "new" without a pool: the one pool the instance can reach. When none
 * is reachable, the default pool is analysed so the refusal names a
 * concrete reason.
 */
async function poolForNewIp(
  ctx: UseCaseContext,
  ports: Port[],
  topology: Topology,
  instance: Named,
  fixedIp: string | undefined,
): Promise<Named> {
  const pools = await ctx.inventory.pools.get();
  if (pools.length === 0) stop({ code: 'no_pools' });
  const reachable = pools.filter((pool) =>
    targetsFor(ports, topology, pool.id).some(
      (target) => target.verdict.kind === 'reachable' && (fixedIp === undefined || target.address === fixedIp),
    ),
  );
  if (reachable.length === 1) return named(reachable[0], '');
  if (reachable.length > 1) stop({ code: 'pool_ambiguous', pools: reachable.map((pool) => named(pool, pool.id)).sort(byName), instance });
  try {
    return named((await ctx.inventory.defaultPool()).pool, '');
  } catch (error) {
    // Several pools and none reachable: the reason (public network, no router) rarely depends on the pool.
    if (error instanceof FailureSignal && error.failure.code === 'pool_ambiguous') return named(pools[0], '');
    throw error;
  }
}

async function associate(ctx: UseCaseContext, plan: AttachPlan, fip: FloatingIpIdentity, progress: Progress): Promise<AttachResult> {
  await ctx.verifyUnchanged(fip, plan.moveFrom?.portId ?? null);
  try {
    progress.sent = true;
    const updated = await ctx.neutron.updateFloatingIp(
      fip.id,
      { portId: plan.target.portId, fixedIpAddress: plan.target.address },
      { ...(fip.revision !== undefined ? { ifRevision: fip.revision } : {}) },
    );
    progress.done = true;
    return { plan, floatingIp: await ctx.view(updated.value), requestId: updated.requestId, recovered: false };
  } catch (error) {
    const now = await ctx.readBackAfter(error, fip);
    if (now && now.portId === plan.target.portId && now.fixedIpAddress === plan.target.address) {
      return { plan, floatingIp: await ctx.view(now), requestId: undefined, recovered: true };
    }
    throw await associationFailure(ctx, error, plan);
  }
}

async function createAttached(ctx: UseCaseContext, plan: AttachPlan, progress: Progress): Promise<AttachResult> {
  try {
    progress.sent = true;
    const created = await ctx.neutron.createFloatingIp({
      networkId: plan.pool.id,
      portId: plan.target.portId,
      fixedIpAddress: plan.target.address,
      description: plan.description,
    });
    progress.done = true;
    const lease = await tagNewIp(ctx, created.value, plan);
    return { plan, floatingIp: await ctx.view(created.value), requestId: created.requestId, recovered: false, ...lease };
  } catch (error) {
    const found = await ctx.findCreated(error, plan.description);
    if (found) {
      const lease = await tagNewIp(ctx, found, plan);
      return { plan, floatingIp: await ctx.view(found), requestId: undefined, recovered: true, ...lease };
    }
    if (hasErrorType(error, 'OverQuota', 'IpAddressGenerationFailure', 'ExternalIpAddressExhausted'))
      throw await ctx.creationFailure(error, plan.pool);
    throw await associationFailure(ctx, error, plan);
  }
}

/** Turns Neutron's refusal of an association into the failure a person can act on. */
async function associationFailure(ctx: UseCaseContext, error: unknown, plan: AttachPlan): Promise<unknown> {
  const requestId = error instanceof OpenStackError ? error.requestId : undefined;
  if (hasErrorType(error, 'ExternalGatewayForFloatingIPNotFound')) {
    // Our preflight thought otherwise (routers changed, or we could not see them): re-read and explain.
    const ports = await ctx.inventory.portsOf(plan.instance.id);
    const topology = await ctx.inventory.topology({ networkIds: ports.map((port) => port.networkId) });
    const targets = targetsFor(ports, topology, plan.pool.id).filter((target) => target.address === plan.target.address);
    try {
      chooseTarget(targets, { instance: plan.instance, pool: plan.pool, fixedIp: plan.target.address });
    } catch (signal) {
      if (signal instanceof FailureSignal) return new FailureSignal({ ...signal.failure, ...(requestId ? { requestId } : {}) });
      throw signal;
    }
    return signalOf({ code: 'not_reachable', instance: plan.instance, pool: plan.pool, targets }, requestId);
  }
  if (hasErrorType(error, 'FloatingIPPortAlreadyAssociated')) {
    const [existing] = await ctx.neutron
      .listFloatingIps({ portId: plan.target.portId, fixedIpAddress: plan.target.address })
      .catch(() => [] as FloatingIp[]);
    return signalOf(
      { code: 'fixed_ip_has_floating_ip', instance: plan.instance, fixedIp: plan.target.address, existing: existing?.address ?? null },
      requestId,
    );
  }
  return error;
}
