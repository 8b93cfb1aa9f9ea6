/**
 * The buttons of a two-person approval (flows/approval.ts): Approve and Deny
 * on the request in the channel, Cancel request on the requester's waiting
 * line. Every click is answered: who may approve, "someone else must
 * approve", "expired at 14:30 UTC", "already decided"; only one click ends a
 * request, and an approval runs the stored plan once.
 */
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { APPROVAL_REPLIES, approvalRequestMessage, decidedRequest, OUTCOME, withApproval } from '../blocks/approval.js';
import { ACTIONS } from '../blocks/ids.js';
import {
  cancelledMessage,
  internalErrorMessage,
  type Message,
  notAllowedMessage,
  refusalMessage,
  staleButtonMessage,
} from '../blocks/messages.js';
import { messageView } from '../blocks/modals.js';
import { context, section } from '../blocks/text.js';
import { approversText } from '../policy/engine.js';
import { inCloud, namedForCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { postResult, slackError } from '../deliver.js';
import { type ApprovalRecord, auditStep, closeRequest, isApprovalRecord, tellRequester } from '../flows/approval.js';
import { authorizeOperation, executeChange, operationOf } from '../flows/changes.js';
import type { Actor } from '../pending.js';
import { actorOf } from './actor.js';
import { parseJson } from './reply.js';

const valueSchema = z.object({ t: z.string().min(1).max(64), e: z.number().int() });

type Click = { deps: SlackDeps; client: WebClient; body: BlockAction; respond: RespondFn; clicker: Actor };

export function registerApprovals(app: App, deps: SlackDeps): void {
  const on = (actionId: string, handle: (click: Click, token: string, expiresAt: number) => Promise<void>) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const click: Click = { deps, client, body, respond, clicker: actorOf(body) };
      try {
        const value = valueSchema.safeParse(parseJson(action.value));
        if (!value.success) return void (await ephemeral(click, staleButtonMessage()));
        await handle(click, value.data.t, value.data.e);
      } catch (error) {
        const reference = randomUUID().slice(0, 8);
        deps.logger.error('approval click failed', { reference, error });
        await ephemeral(click, internalErrorMessage(reference)).catch(() => undefined);
      }
    });
  on(ACTIONS.approve, (click, token, expiresAt) => decide(click, token, expiresAt, 'approve'));
  on(ACTIONS.deny, (click, token, expiresAt) => decide(click, token, expiresAt, 'deny'));
  on(ACTIONS.cancelApproval, cancel);
}

/** Approve or Deny, clicked on the request in the channel. */
async function decide(click: Click, token: string, shownExpiry: number, choice: 'approve' | 'deny'): Promise<void> {
  const { deps, clicker } = click;
  const record = await peekRecord(deps, token);
  const now = deps.now().getTime();
  if (!record) return closedAlready(click, token, shownExpiry, now);
  if (now >= record.expiresAt) return expire(click, token, record);
  const requester = record.pending.actor.userId;
  if (clicker.userId === requester) {
    // The requester's Deny withdraws the request; their Approve would be no second person.
    if (choice === 'deny') return cancelRecord(click, token);
    return ephemeral(
      click,
      APPROVAL_REPLIES.ownRequest(
        approversText(deps.policy.approvalFor({ action: record.action, cloud: record.cloud })?.approvers ?? NOBODY),
      ),
    );
  }
  const decision = await deps.policy.mayApprove({
    userId: clicker.userId,
    ...(click.body.channel?.id ? { channelId: click.body.channel.id } : {}),
    action: record.action,
    cloud: record.cloud,
  });
  if (!decision.allowed) return ephemeral(click, notAllowedMessage(decision.reason));

  const closed = await closeRequest(deps, token);
  if (closed === 'duplicate') return ephemeral(click, APPROVAL_REPLIES.alreadyDecided());
  if (closed === 'gone') return closedAlready(click, token, record.expiresAt, now);
  if (choice === 'deny') {
    await replaceRequest(click, closed, 'Denied', [section(OUTCOME.denied(clicker.userId))]);
    await auditStep(deps, closed, 'denied', clicker);
    const summary = operationOf(closed.pending.change).summary(closed.pending.change.plan);
    return tellRequester(deps, click.client, closed, APPROVAL_REPLIES.denied(clicker.userId, summary));
  }
  // The change runs on the cloud its confirmation showed (several clouds), whichever channel the approval came from.
  await approve({ ...click, deps: inCloud(deps, closed.pending.cloud ?? closed.cloud) }, closed);
}

/** Runs the stored plan: the requester's permission asked again, the revision guard of their plan, both named in the result. */
async function approve(click: Click, record: ApprovalRecord): Promise<void> {
  const { deps, clicker, client } = click;
  const { pending } = record;
  const operation = operationOf(pending.change);
  await auditStep(deps, record, 'approved', clicker);
  const allowed = await authorizeOperation(deps, pending.actor, operation, { plan: pending.change.plan });
  if (!allowed.allowed) {
    const refusal = notAllowedMessage(allowed.reason);
    await replaceRequest(click, record, refusal.text, refusal.blocks);
    return tellRequester(deps, client, record, refusal);
  }
  await replaceRequest(click, record, 'Working…', [section(OUTCOME.working(clicker.userId))]);
  const executed = await executeChange(deps, pending, clicker);
  if (!executed.ok) {
    const refusal = refusalMessage(executed.failure, operation.words, { steps: false });
    await replaceRequest(click, record, refusal.text, [...refusal.blocks, context(OUTCOME.failed(clicker.userId))]);
    return tellRequester(deps, client, record, refusal);
  }
  const result = namedForCloud(deps, withApproval(executed.message, pending.actor.userId, clicker.userId));
  // The result for the channel, as a confirmed change's; the request keeps what was asked and says it is done.
  const posted = await click
    .respond({ response_type: 'in_channel', replace_original: false, ...result })
    .then(() => true)
    .catch(() => false);
  if (!posted)
    await postResult(
      { client, fetch: deps.fetch, logger: deps.logger },
      { userId: clicker.userId, channelId: record.request.channelId },
      result,
    );
  await replaceRequest(click, record, 'Approved and done', [section(OUTCOME.done(clicker.userId))]);
  await tellRequester(deps, client, record, APPROVAL_REPLIES.done(clicker.userId, operation.summary(pending.change.plan)));
}

/** Cancel request, on the requester's waiting line. */
async function cancel(click: Click, token: string, shownExpiry: number): Promise<void> {
  const { deps, clicker } = click;
  const record = await peekRecord(deps, token);
  const now = deps.now().getTime();
  if (record && clicker.userId !== record.pending.actor.userId)
    return ephemeral(click, APPROVAL_REPLIES.notRequester(record.pending.actor.userId));
  if (!record) return closedAlready(click, token, shownExpiry, now);
  if (now >= record.expiresAt) return expire(click, token, record);
  await cancelRecord(click, token);
}

async function cancelRecord(click: Click, token: string): Promise<void> {
  const { deps, clicker } = click;
  const closed = await closeRequest(deps, token);
  if (closed === 'duplicate' || closed === 'gone') return ephemeral(click, APPROVAL_REPLIES.alreadyDecided());
  const line = [section(OUTCOME.cancelled(clicker.userId))];
  const summary = operationOf(closed.pending.change).summary(closed.pending.change.plan);
  const cancelled = cancelledMessage(summary);
  if (isRequestMessage(click.body)) {
    await replaceRequest(click, closed, 'Cancelled', line);
    await tellRequester(deps, click.client, closed, cancelled);
  } else {
    // Clicked on the waiting line: it becomes the answer, and the request in the channel is updated by the Web API.
    await replaceClicked(click, cancelled);
    await updateRequestByApi(click, closed, line);
  }
  await auditStep(deps, closed, 'cancelled');
}

/**
 * The first click after a request's expiry closes it (audited once) and every place says when it expired:
 * the request in the channel, the requester's line, the clicker. Nothing runs.
 */
async function expire(click: Click, token: string, record: ApprovalRecord): Promise<void> {
  const { deps } = click;
  const closed = await closeRequest(deps, token);
  if (closed === 'duplicate' || closed === 'gone') return closedAlready(click, token, record.expiresAt, deps.now().getTime());
  await deps.store.claim(expiredKey(token), deps.timing.interactions.usedTokenMs);
  await auditStep(deps, closed, 'expired');
  const line = [section(OUTCOME.expired(closed.expiresAt))];
  const answer = APPROVAL_REPLIES.expired(closed.expiresAt);
  if (isRequestMessage(click.body)) {
    await replaceRequestWith(click, closed, 'Expired', line);
    await tellRequester(deps, click.client, closed, answer);
    return ephemeral(click, answer);
  }
  // Cancel request on the waiting line: it becomes the answer.
  await updateRequestByApi(click, closed, line);
  await replaceClicked(click, answer);
}

/**
 * A click on a request the store no longer holds: expired (closed by an earlier click, or forgotten), or decided.
 * Only the clicker is told; the request message is left to whoever closed it (their outcome line must stay).
 */
async function closedAlready(click: Click, token: string, shownExpiry: number, now: number): Promise<void> {
  const { store } = click.deps;
  if (await store.isClaimed(expiredKey(token))) return ephemeral(click, APPROVAL_REPLIES.expired(shownExpiry));
  if (await store.isClaimed(`used:${token}`)) return ephemeral(click, APPROVAL_REPLIES.alreadyDecided());
  return ephemeral(click, now >= shownExpiry ? APPROVAL_REPLIES.expired(shownExpiry) : APPROVAL_REPLIES.alreadyDecided());
}

const expiredKey = (token: string) => `approval-expired:${token}`;

/** The request in the channel, its buttons replaced by the outcome: through the click's response_url when it came from there. */
async function replaceRequest(click: Click, record: ApprovalRecord, text: string, outcome: unknown[]): Promise<void> {
  if (isRequestMessage(click.body)) return replaceRequestWith(click, record, text, outcome);
  await updateRequestByApi(click, record, outcome);
}

async function replaceRequestWith(click: Click, record: ApprovalRecord | undefined, text: string, outcome: unknown[]): Promise<void> {
  const blocks = (click.body.message?.blocks as unknown[] | undefined) ?? (record ? requestBlocks(record) : []);
  await click
    .respond({ replace_original: true, ...decidedRequest(blocks, `${text}: ${click.body.message?.text ?? ''}`.slice(0, 3000), outcome) })
    .catch((error: unknown) => click.deps.logger.warn('could not update the approval request', { error: slackError(error) }));
}

/** The request, when the click came from elsewhere (the waiting line): chat.update, if it was posted by the Web API. */
async function updateRequestByApi(click: Click, record: ApprovalRecord, outcome: unknown[]): Promise<void> {
  const { channelId, ts } = record.request;
  if (!ts || isRequestMessage(click.body)) return;
  const message = decidedRequest(
    requestBlocks(record),
    `Approval request: ${operationOf(record.pending.change).summary(record.pending.change.plan)}`,
    outcome,
  );
  try {
    await click.client.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks as never });
  } catch (error) {
    click.deps.logger.warn('could not update the approval request', { error: slackError(error) });
  }
}

/** The request's blocks as they were posted, rebuilt from the record (buttons left out by decidedRequest). */
function requestBlocks(record: ApprovalRecord): unknown[] {
  const { pending } = record;
  return approvalRequestMessage({
    operation: operationOf(pending.change),
    plan: pending.change.plan,
    requester: pending.actor.userId,
    approvers: '',
    expiresAt: record.expiresAt,
    value: { t: '', e: record.expiresAt },
  }).blocks.slice(0, 2);
}

/** The click came from the request in the channel (Approve or Deny), not from the waiting line. */
function isRequestMessage(body: BlockAction): boolean {
  const action = body.actions?.[0] as { action_id?: string } | undefined;
  return action?.action_id === ACTIONS.approve || action?.action_id === ACTIONS.deny;
}

async function peekRecord(deps: SlackDeps, token: string): Promise<ApprovalRecord | undefined> {
  const value = await deps.store.peek<unknown>(token);
  return isApprovalRecord(value) ? value : undefined;
}

/** The message clicked in (the waiting line) becomes `message`: by its response_url, or in its modal. */
async function replaceClicked(click: Click, message: Message): Promise<void> {
  try {
    if (click.body.response_url) await click.respond({ replace_original: true, ...message });
    else if (click.body.view?.id)
      await click.client.views.update({ view_id: click.body.view.id, view: messageView('Cancelled', message) as never });
  } catch (error) {
    click.deps.logger.warn('could not replace the waiting line', { error: slackError(error) });
  }
}

/** To the person who clicked only. From a modal (no response_url): a direct message. */
async function ephemeral(click: Click, message: Message): Promise<void> {
  if (click.body.response_url) await click.respond({ response_type: 'ephemeral', replace_original: false, ...message });
  else
    await postResult(
      { client: click.client, fetch: click.deps.fetch, logger: click.deps.logger },
      { userId: click.clicker.userId },
      message,
    );
}

const NOBODY = { everyone: false, users: [], usergroups: [], channels: [] };
