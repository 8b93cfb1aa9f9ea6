/**
 * Two-person approval. When the policy says a change needs a second person
 * (`approvals:` in the policy file), the requester's confirmation does not
 * run it: the request is posted in the channel and kept in the interaction
 * store (any replica can take the click), and an approver's click runs the
 * stored plan once, guarded by the revision the requester saw. Deny, Cancel
 * and expiry end it with nothing changed. Every step is audited.
 */
import type { WebClient } from '@slack/web-api';
import type { PolicyAction, ApprovalRequirement } from '../policy/engine.js';
import { approversText } from '../policy/engine.js';
import type { AuditEvent, ApprovalStep } from '../audit.js';
import { APPROVAL_REPLIES, approvalRequestMessage, type ApprovalValue, waitingMessage } from '../blocks/approval.js';
import type { Message } from '../blocks/messages.js';
import { messageView } from '../blocks/modals.js';
import { namedForCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { postToResponseUrl, slackError } from '../deliver.js';
import type { Actor, PendingChange, PendingInteraction } from '../pending.js';
import { operationOf } from './changes.js';

/** Where the requester's "Waiting for approval" line is, so its outcome can replace it (or follow it). */
export interface RequesterPlace {
  /** A response_url of the requester's: `replace` when its message is the confirmation the line replaced. */
  responseUrl?: string;
  replace?: boolean;
  /** The modal the line is shown in. */
  viewId?: string;
}

/** What the store keeps for an open request. Plain JSON. */
export interface ApprovalRecord {
  kind: 'approval';
  pending: PendingInteraction;
  /** The action whose `approvals:` rule applies (reclaim is approved under release's rule when only release has one). */
  action: PolicyAction;
  cloud?: string;
  requestedAt: number;
  expiresAt: number;
  /** The request message in the channel; `ts` when it was posted by the Web API (a cancel can then update it). */
  request: { channelId: string; ts?: string };
  requester: RequesterPlace;
}

/** The approval this change needs here, if any: its own action's rule, else that of an action it also needs. */
export function approvalNeeded(deps: SlackDeps, change: PendingChange): ApprovalRequirement | undefined {
  const operation = operationOf(change);
  for (const action of [operation.name as PolicyAction, ...(operation.alsoNeeds?.({ plan: change.plan }) ?? [])]) {
    const need = deps.policy.approvalFor({ action, cloud: deps.cloud ?? deps.cloudName });
    if (need) return need;
  }
  return undefined;
}

/**
 * Posts the request in the channel and stores it. Returns the requester's waiting line, or why no request was
 * made (no channel to ask in, or Slack refused the post): nothing changed either way.
 */
export async function requestApproval(
  deps: SlackDeps,
  client: WebClient,
  pending: PendingInteraction,
  need: ApprovalRequirement,
  requester: RequesterPlace,
): Promise<{ requested: true; message: Message } | { requested: false; message: Message }> {
  const operation = operationOf(pending.change);
  const approvers = approversText(need.approvers);
  const channelId = pending.actor.channelId ?? pending.resultChannel;
  // Approvers must see the request: App Home and direct messages have nobody else in them.
  if (!channelId || channelId.startsWith('D'))
    return { requested: false, message: APPROVAL_REPLIES.needsChannel(operation.activity, approvers) };

  const now = deps.now().getTime();
  const expiresAt = now + (need.expiresMs ?? deps.timing.interactions.approvalTtlMs);
  const record: ApprovalRecord = {
    kind: 'approval',
    pending,
    action: need.action,
    ...((deps.cloud ?? deps.cloudName) ? { cloud: deps.cloud ?? deps.cloudName } : {}),
    requestedAt: now,
    expiresAt,
    request: { channelId },
    requester,
  };
  // Kept past its expiry (as long as a spent confirmation is remembered), so a late click can say what expired.
  const token = await deps.store.put(record, expiresAt - now + deps.timing.interactions.usedTokenMs);
  const value: ApprovalValue = { t: token, e: expiresAt };
  // With several clouds the request says which one it changes (namedForCloud).
  const message = namedForCloud(
    deps,
    approvalRequestMessage({
      operation,
      plan: pending.change.plan,
      requester: pending.actor.userId,
      approvers,
      expiresAt,
      value,
    }),
  );

  const ts = await postRequest(deps, client, channelId, message, requester.responseUrl ?? pending.responseUrl);
  if (ts === false) {
    await deps.store.take(token);
    return { requested: false, message: APPROVAL_REPLIES.notPosted() };
  }
  if (ts) await deps.store.update(token, { ...record, request: { channelId, ts } });
  await auditStep(deps, record, 'requested');
  return { requested: true, message: waitingMessage(operation.summary(pending.change.plan), approvers, expiresAt, value) };
}

/** In the channel by the Web API (its ts lets a cancel update it); else through a response_url; false: neither took it. */
async function postRequest(
  deps: SlackDeps,
  client: WebClient,
  channelId: string,
  message: Message,
  responseUrl: string | undefined,
): Promise<string | undefined | false> {
  try {
    const posted = await client.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks as never });
    return posted.ts ?? undefined;
  } catch (error) {
    deps.logger.warn('could not post the approval request with the Web API', { channel: channelId, error: slackError(error) });
  }
  if (
    responseUrl &&
    (await postToResponseUrl(deps.fetch, responseUrl, { ...message, response_type: 'in_channel', replace_original: false }, deps.logger))
  )
    return undefined;
  return false;
}

/** One audit line for a step of the approval; `approver` for approved and denied. */
export async function auditStep(deps: SlackDeps, record: ApprovalRecord, step: ApprovalStep, approver?: Actor): Promise<void> {
  const { pending } = record;
  const operation = operationOf(pending.change);
  const event: AuditEvent = {
    team: pending.actor.teamId,
    user: pending.actor.userId,
    ...(pending.actor.userName ? { userName: pending.actor.userName } : {}),
    ...(pending.actor.channelId ? { channel: pending.actor.channelId } : {}),
    ...(pending.actor.channelName ? { channelName: pending.actor.channelName } : {}),
    action: pending.change.operation,
    ...operation.audit(pending.change.plan),
    outcome: step,
    via: pending.via,
    ...(approver ? { approver: approver.userId, ...(approver.userName ? { approverName: approver.userName } : {}) } : {}),
  };
  await deps.audit.record(event);
  deps.metrics?.operations.inc({ action: pending.change.operation, outcome: `approval_${step}` });
}

/**
 * The one way a request ends: the claim on its token (the same one a confirmation uses), then the record taken.
 * Exactly one click (approve, deny, cancel, or a click after expiry) gets the record, across replicas.
 */
export async function closeRequest(deps: SlackDeps, token: string): Promise<ApprovalRecord | 'duplicate' | 'gone'> {
  if (!(await deps.store.claim(`used:${token}`, deps.timing.interactions.usedTokenMs))) return 'duplicate';
  const taken = await deps.store.take<ApprovalRecord>(token);
  return isApprovalRecord(taken) ? taken : 'gone';
}

export function isApprovalRecord(value: unknown): value is ApprovalRecord {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'approval';
}

/** The requester's waiting line gives way to the outcome (or the outcome follows it); best effort, logged. */
export async function tellRequester(deps: SlackDeps, client: WebClient, record: ApprovalRecord, message: Message): Promise<void> {
  const place = record.requester;
  try {
    if (place.viewId) {
      await client.views.update({ view_id: place.viewId, view: messageView('Approval', message) as never });
      return;
    }
    if (
      place.responseUrl &&
      (await postToResponseUrl(
        deps.fetch,
        place.responseUrl,
        place.replace ? { ...message, replace_original: true } : { ...message, response_type: 'ephemeral', replace_original: false },
        deps.logger,
      ))
    )
      return;
    await client.chat.postMessage({ channel: record.pending.actor.userId, text: message.text, blocks: message.blocks as never });
  } catch (error) {
    deps.logger.warn('could not tell the requester how their approval request ended', { error: slackError(error) });
  }
}
