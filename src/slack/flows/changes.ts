/**
 * The life of a change, whatever started it (slash command, form, list row,
 * Home tab) and whichever operation it is: prepare a plan (nothing changes),
 * and later execute exactly that plan, audit it, and say what happened. The
 * policy is asked by the listener before either.
 */
import type { Failure } from '../../floating-ips/failures.js';
import { type ChangeName, changeNamed, type OperationName } from '../../operations/registry.js';
import type { AnyOperation, ChangeOperation } from '../../operations/types.js';
import { floatingIpDescription } from '../allocation-stamp.js';
import type { Message } from '../blocks/messages.js';
import type { SlackDeps } from '../deps.js';
import type { Actor, PendingChange, PendingInteraction } from '../pending.js';

export type Prepared = { ok: true; change: PendingChange; alreadyDone: Message | undefined } | { ok: false; failure: Failure };

/** Reads and checks; nothing in OpenStack changes here. */
export async function prepareChange(deps: SlackDeps, actor: Actor, operation: ChangeOperation, request: unknown): Promise<Prepared> {
  const description = () =>
    floatingIpDescription({
      userId: actor.userId,
      ...(actor.userName ? { userName: actor.userName } : {}),
      ...(actor.channelId ? { channelId: actor.channelId } : {}),
      ...(actor.channelName ? { channelName: actor.channelName } : {}),
      now: deps.now(),
    });
  const outcome = await operation.plan({ service: deps.service, description, owner: actor.userId }, request);
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    change: { operation: operation.name as ChangeName, plan: outcome.value },
    alreadyDone: operation.alreadyDone?.(outcome.value),
  };
}

/** The operation a stored change belongs to. */
export function operationOf(change: PendingChange): ChangeOperation {
  const operation = changeNamed(change.operation);
  // Only fipbot writes the store: an unknown name is a plan from another version of fipbot.
  if (!operation) throw new Error(`no operation "${change.operation}" for a stored change`);
  return operation;
}

export type Executed = { ok: true; message: Message } | { ok: false; failure: Failure };

/** Makes exactly the planned change, records it in the audit trail and words the result; `approver`: the second person. */
export async function executeChange(deps: SlackDeps, pending: PendingInteraction, approver?: Actor): Promise<Executed> {
  const { change, actor } = pending;
  const operation = operationOf(change);
  // Marked before the change is sent: a watch poll may see it before this returns.
  await markOwn(deps, operation.audit(change.plan).ip);
  const executed = await operation.execute(deps.service, change.plan);
  // And what only the result names (a new IP's address).
  if (executed.ok) await markOwn(deps, operation.audit(change.plan, executed.value).ip);
  const base = {
    team: actor.teamId,
    user: actor.userId,
    ...(actor.userName ? { userName: actor.userName } : {}),
    ...(actor.channelId ? { channel: actor.channelId } : {}),
    ...(actor.channelName ? { channelName: actor.channelName } : {}),
    action: change.operation,
    via: pending.via,
    ...((pending.cloud ?? deps.cloud) ? { cloud: pending.cloud ?? deps.cloud } : {}),
    ...(approver ? { approver: approver.userId, ...(approver.userName ? { approverName: approver.userName } : {}) } : {}),
  };
  if (executed.ok) {
    const requestId = executed.value.requestId;
    await deps.audit.record({
      ...base,
      ...operation.audit(change.plan, executed.value),
      outcome: 'done',
      ...(requestId ? { requestId } : {}),
    });
    deps.metrics?.operations.inc({ action: change.operation, outcome: 'done' });
    return { ok: true, message: operation.result(executed.value, actor.userId) };
  }
  const failure = executed.failure;
  const outcome = outcomeOf(failure);
  deps.metrics?.operations.inc({ action: change.operation, outcome });
  await deps.audit.record({
    ...base,
    ...operation.audit(change.plan),
    outcome,
    failureCode: failure.code,
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
  });
  return { ok: false, failure };
}

/** Tells the watch these addresses are fipbot's doing; a failing store never stops the change (the watch then reports it). */
async function markOwn(deps: SlackDeps, addresses: string | undefined): Promise<void> {
  if (!deps.ownChanges || !addresses) return;
  await deps.ownChanges
    .mark(addresses.split(' '))
    .catch((error: unknown) => deps.logger.warn("could not mark a change as fipbot's own", { error }));
}

/** Codes that mean OpenStack could not be used, besides the openstack_* ones. */
const FAILED = new Set(['auth_failed', 'endpoint_not_found', 'service_unavailable']);

/** refused: OpenStack or fipbot said no for a reason (nothing changed); failed: OpenStack could not be used; unknown: sent, unconfirmed. */
export function outcomeOf(failure: Failure): 'refused' | 'failed' | 'unknown' {
  if (failure.changed === 'unknown') return 'unknown';
  return failure.code.startsWith('openstack_') || FAILED.has(failure.code) ? 'failed' : 'refused';
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** Who may do this here: the policy, asked with the ids from the payload. */
export async function authorize(deps: SlackDeps, actor: Actor, action: OperationName): Promise<Decision> {
  return deps.policy.decide({
    userId: actor.userId,
    ...(actor.channelId ? { channelId: actor.channelId } : {}),
    action,
    ...(deps.cloud ? { cloud: deps.cloud } : {}),
  });
}

/**
 * May this person run this operation, for this request or plan: its own
 * action, and any other it needs (an attach that allocates needs create).
 * The first refusal is the answer.
 */
export async function authorizeOperation(
  deps: SlackDeps,
  actor: Actor,
  operation: AnyOperation,
  subject: { request?: unknown; plan?: unknown } = {},
): Promise<Decision> {
  const actions = [operation.name as OperationName, ...(operation.alsoNeeds?.(subject) ?? [])];
  for (const action of actions) {
    const decision = await authorize(deps, actor, action);
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}

/**
 * A confirmation token is usable once. The claim comes first so that, even
 * across replicas, exactly one click proceeds; a later click learns whether
 * it was a duplicate (ignore quietly) or simply too late (say so).
 */
export async function takeOnce(deps: SlackDeps, token: string): Promise<PendingInteraction | 'duplicate' | 'expired'> {
  if (!(await deps.store.claim(`used:${token}`, deps.timing.interactions.usedTokenMs))) return 'duplicate';
  const taken = await deps.store.take<PendingInteraction>(token);
  // A plan stored by another version of fipbot (a rolling upgrade with Redis) is as good as expired.
  return taken && typeof taken.change?.operation === 'string' && changeNamed(taken.change.operation) ? taken : 'expired';
}
