/**
 * The life of a change, whatever started it (slash command, form, list row,
 * Home tab): check the policy, prepare a plan (nothing changes), and later
 * execute exactly that plan, audit it, and say what happened.
 */
import type { Failure, Outcome } from '../../floating-ips/failures.js';
import { floatingIpDescription } from '../audit.js';
import { type Message, resultMessage } from '../blocks/messages.js';
import type { SlackDeps } from '../deps.js';
import type { Actor, ChangeKind, PendingAction, PendingInteraction } from '../pending.js';
import type { PolicyAction } from '../policy.js';

export type ChangeRequest =
  | { kind: 'allocate'; pool?: string }
  | { kind: 'attach'; ip: string; instance: string; fixedIp?: string; pool?: string }
  | { kind: 'detach'; ip: string; instance?: string }
  | { kind: 'release'; ip: string };

export const POLICY_ACTION: Record<ChangeKind, PolicyAction> = {
  allocate: 'create',
  attach: 'attach',
  detach: 'detach',
  release: 'release',
};

export type Prepared =
  | { ok: true; action: PendingAction; alreadyDone: boolean }
  | { ok: false; failure: Failure };

/** Reads and checks; nothing in OpenStack changes here. */
export async function prepareChange(deps: SlackDeps, actor: Actor, request: ChangeRequest): Promise<Prepared> {
  const description = () =>
    floatingIpDescription({
      userId: actor.userId,
      ...(actor.userName ? { userName: actor.userName } : {}),
      ...(actor.channelId ? { channelId: actor.channelId } : {}),
      ...(actor.channelName ? { channelName: actor.channelName } : {}),
      now: deps.now(),
    });
  switch (request.kind) {
    case 'allocate':
      return wrap(await deps.service.prepareAllocate({ ...(request.pool ? { pool: request.pool } : {}), description: description() }), (plan) => ({ kind: 'allocate', plan }));
    case 'attach': {
      const outcome = await deps.service.prepareAttach({ ...request, description: description() });
      if (!outcome.ok) return outcome;
      return { ok: true, action: { kind: 'attach', plan: outcome.value }, alreadyDone: outcome.value.alreadyAttached };
    }
    case 'detach':
      return wrap(await deps.service.prepareDetach(request), (plan) => ({ kind: 'detach', plan }));
    case 'release':
      return wrap(await deps.service.prepareRelease(request.ip), (plan) => ({ kind: 'release', plan }));
  }
}

function wrap<T>(outcome: Outcome<T>, toAction: (plan: T) => PendingAction): Prepared {
  return outcome.ok ? { ok: true, action: toAction(outcome.value), alreadyDone: false } : outcome;
}

export type Executed = { ok: true; message: Message } | { ok: false; failure: Failure };

/** Makes exactly the planned change, records it in the audit trail and words the result. */
export async function executeChange(deps: SlackDeps, pending: PendingInteraction): Promise<Executed> {
  const { action, actor } = pending;
  const executed = await run(deps, action);
  const base = {
    team: actor.teamId,
    user: actor.userId,
    ...(actor.userName ? { userName: actor.userName } : {}),
    ...(actor.channelId ? { channel: actor.channelId } : {}),
    ...(actor.channelName ? { channelName: actor.channelName } : {}),
    action: POLICY_ACTION[action.kind] as 'create' | 'attach' | 'detach' | 'release',
    via: pending.via,
    ...auditSubject(action),
  };
  if (executed.ok) {
    const requestId = executed.done.result.requestId;
    const ip = executed.done.kind === 'allocate' ? executed.done.result.floatingIp.address : executed.done.kind === 'attach' ? executed.done.result.floatingIp.address : undefined;
    await deps.audit.record({ ...base, ...(ip ? { ip } : {}), outcome: 'done', ...(requestId ? { requestId } : {}) });
    deps.metrics?.operations.inc({ action: base.action, outcome: 'done' });
    return { ok: true, message: resultMessage(executed.done, actor.userId) };
  }
  const failure = executed.failure;
  const outcome = outcomeOf(failure);
  deps.metrics?.operations.inc({ action: base.action, outcome });
  await deps.audit.record({
    ...base,
    outcome,
    failureCode: failure.code,
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
  });
  return { ok: false, failure };
}

type Done = Parameters<typeof resultMessage>[0];

/** refused: OpenStack or fipbot said no for a reason (nothing changed); failed: OpenStack could not be used; unknown: sent, unconfirmed. */
export function outcomeOf(failure: Failure): 'refused' | 'failed' | 'unknown' {
  if (failure.changed === 'unknown') return 'unknown';
  return failure.code.startsWith('openstack_') || failure.code === 'auth_failed' || failure.code === 'endpoint_not_found' ? 'failed' : 'refused';
}

async function run(deps: SlackDeps, action: PendingAction): Promise<{ ok: true; done: Done } | { ok: false; failure: Failure }> {
  const service = deps.service;
  switch (action.kind) {
    case 'allocate': {
      const outcome = await service.executeAllocate(action.plan);
      return outcome.ok ? { ok: true, done: { kind: 'allocate', result: outcome.value } } : outcome;
    }
    case 'attach': {
      // The confirmation showed the move, so confirming it is consent to move.
      const outcome = await service.executeAttach(action.plan, { confirmMove: true });
      return outcome.ok ? { ok: true, done: { kind: 'attach', result: outcome.value } } : outcome;
    }
    case 'detach': {
      const outcome = await service.executeDetach(action.plan);
      return outcome.ok ? { ok: true, done: { kind: 'detach', result: outcome.value } } : outcome;
    }
    case 'release': {
      const outcome = await service.executeRelease(action.plan);
      return outcome.ok ? { ok: true, done: { kind: 'release', result: outcome.value } } : outcome;
    }
  }
}

function auditSubject(action: PendingAction): { ip?: string; instance?: string; fixedIp?: string; pool?: string } {
  switch (action.kind) {
    case 'allocate':
      return { pool: action.plan.pool.name };
    case 'attach':
      return {
        ...(action.plan.floatingIp ? { ip: action.plan.floatingIp.address } : {}),
        instance: action.plan.instance.name,
        fixedIp: action.plan.target.address,
        pool: action.plan.pool.name,
      };
    case 'detach':
      return {
        ip: action.plan.floatingIp.address,
        ...(action.plan.from.instance ? { instance: action.plan.from.instance.name } : {}),
        ...(action.plan.from.fixedIp ? { fixedIp: action.plan.from.fixedIp } : {}),
        pool: action.plan.floatingIp.pool.name,
      };
    case 'release':
      return {
        ip: action.plan.floatingIp.address,
        ...(action.plan.attachedTo?.instance ? { instance: action.plan.attachedTo.instance.name } : {}),
        pool: action.plan.floatingIp.pool.name,
      };
  }
}

/** Who may do this here: the policy, asked with the ids from the payload. */
export async function authorize(deps: SlackDeps, actor: Actor, action: PolicyAction): Promise<{ allowed: true } | { allowed: false; reason: string }> {
  return deps.policy.decide({ userId: actor.userId, ...(actor.channelId ? { channelId: actor.channelId } : {}), action });
}

/**
 * A confirmation token is usable once. The claim comes first so that, even
 * across replicas, exactly one click proceeds; a later click learns whether
 * it was a duplicate (ignore quietly) or simply too late (say so).
 */
export async function takeOnce(deps: SlackDeps, token: string): Promise<PendingInteraction | 'duplicate' | 'expired'> {
  if (!(await deps.store.claim(`used:${token}`, deps.timing.interactions.usedTokenMs))) return 'duplicate';
  return (await deps.store.take<PendingInteraction>(token)) ?? 'expired';
}
