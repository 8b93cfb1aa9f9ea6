/**
 * Modal submissions: the form (-> confirmation, inline errors, or an
 * explanation) and the confirmation (-> the change, its result in the
 * conversation it came from).
 */
import type { App, BlockAction, ExternalSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { randomUUID } from 'node:crypto';
import { withinBudget } from '../ack-budget.js';
import { ACTIONS, VIEWS } from '../blocks/ids.js';
import { expiredMessage, internalErrorMessage, notAllowedMessage } from '../blocks/messages.js';
import { attachIpView, loadingView, messageView, refusalView } from '../blocks/modals.js';
import { escape, section } from '../blocks/text.js';
import type { FormContext } from '../blocks/modals.js';
import { inCloud, namedForCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { postResult, slackError } from '../deliver.js';
import { approvalNeeded, requestApproval } from '../flows/approval.js';
import { authorizeOperation, executeChange, operationOf, takeOnce } from '../flows/changes.js';
import {
  answerSubmission,
  attachChoice,
  formOperation,
  givenValues,
  readForm,
  readFormContext,
  type SubmissionAnswer,
} from '../flows/form.js';
import type { PendingInteraction } from '../pending.js';
import { actorOf } from './actor.js';

export function registerViews(app: App, root: SlackDeps): void {
  app.view(VIEWS.form, async ({ ack, body, view, client }) => {
    const form = readFormContext(view.private_metadata);
    const deps = formCloud(root, form);
    const actor = { ...actorOf(body), ...(form.channelId ? { channelId: form.channelId } : {}) };
    const operation = formOperation(form.operation);
    const read = readForm(operation, view.state.values, givenValues(form));
    if ('errors' in read) return ack({ response_action: 'errors', errors: read.errors });

    // The policy (a user-group lookup Slack may hold up) and OpenStack share one budget under Slack's 3 s.
    const work: Promise<SubmissionAnswer> = authorizeOperation(deps, actor, operation, { request: read.request })
      .then((decision): Promise<SubmissionAnswer> | SubmissionAnswer =>
        decision.allowed
          ? answerSubmission(deps, actor, form, operation, read.request)
          : { response_action: 'update', view: messageView('Not allowed', notAllowedMessage(decision.reason)) },
      )
      .catch((error: unknown) => {
        const reference = randomUUID().slice(0, 8);
        deps.logger.error('form submission failed', { reference, error });
        return {
          response_action: 'update',
          view: messageView('Something went wrong', internalErrorMessage(reference)),
        } satisfies SubmissionAnswer;
      });
    // Inline field errors only exist in the ack: wait for OpenStack while Slack's 3 s allow it.
    const early = await withinBudget(work, deps.timing.slack.ackBudgetMs);
    if (early)
      return ack((early.response_action === 'update' ? { ...early, view: namedForCloud(deps, early.view as object) } : early) as never);
    await ack({ response_action: 'update', view: loadingView('Checking with OpenStack…') as never });
    const late = await work;
    await update(client, view.id, late.response_action === 'errors' ? errorsView(late.errors) : late.view, deps);
  });

  // The short attach form (a list row's Attach…): once an instance is picked, ask for its fixed IP if there is a choice.
  app.action<BlockAction<ExternalSelectAction>>(ACTIONS.instanceSelect, async ({ ack, body, action, client }) => {
    await ack();
    const form = readFormContext(body.view?.private_metadata);
    const deps = formCloud(root, form);
    const picked = action.selected_option;
    if (!body.view || !form.ip || !picked?.value) return;
    const actor = { ...actorOf(body), ...(form.channelId ? { channelId: form.channelId } : {}) };
    const operation = formOperation(form.operation);
    const instance = { value: picked.value, label: picked.text.text };
    const request = { ip: form.ip, instance: instance.value };
    try {
      // Asked as on every surface; refused, the form stays as it is and its submission says why.
      const decision = await authorizeOperation(deps, actor, operation, { request });
      if (!decision.allowed) return void deps.logger.info('fixed IP choice not allowed by the policy', { user: actor.userId });
      const choice = await attachChoice(deps, actor, { ...form, ip: form.ip }, instance);
      await client.views.update({
        view_id: body.view.id,
        hash: body.view.hash,
        view: namedForCloud(deps, attachIpView(operation, { ...form, ip: form.ip }, choice)) as never,
      });
    } catch (error) {
      // hash_conflict (a newer pick won) or OpenStack: the submission still checks and asks.
      deps.logger.info('attach form not updated after the instance was picked', { error: slackError(error) });
    }
  });

  app.view(VIEWS.confirm, async ({ ack, body, view, client }) => {
    let deps = root;
    const peeked = await deps.store.peek<PendingInteraction>(view.private_metadata);
    if (peeked && peeked.actor?.userId !== body.user.id) {
      return ack({
        response_action: 'update',
        view: messageView('Not allowed', notAllowedMessage('This confirmation belongs to someone else.')) as never,
      });
    }
    const taken = await takeOnce(deps, view.private_metadata);
    if (taken === 'duplicate') return ack({ response_action: 'update', view: loadingView('Working…') as never });
    if (taken === 'expired') return ack({ response_action: 'update', view: messageView('Expired', expiredMessage()) as never });
    if (taken.actor.userId !== body.user.id) {
      return ack({
        response_action: 'update',
        view: messageView('Not allowed', notAllowedMessage('This confirmation belongs to someone else.')) as never,
      });
    }
    // The cloud the confirmation showed, whichever channel the form was opened in.
    deps = inCloud(root, taken.cloud);
    // As for the command: a slow user-group lookup must not hold the ack past Slack's 3 s.
    const operation = operationOf(taken.change);
    const deciding = authorizeOperation(deps, taken.actor, operation, { plan: taken.change.plan });
    const early = await withinBudget(deciding, deps.timing.slack.ackBudgetMs);
    if (early && !early.allowed)
      return ack({ response_action: 'update', view: messageView('Not allowed', notAllowedMessage(early.reason)) as never });

    await ack({ response_action: 'update', view: loadingView(`Working… ${operation.summary(taken.change.plan)}`) as never });
    const decision = early ?? (await deciding);
    if (!decision.allowed) return update(client, view.id, messageView('Not allowed', notAllowedMessage(decision.reason)), deps);
    try {
      // A second person must approve: the modal becomes the waiting line, the request goes in the form's channel.
      const need = approvalNeeded(deps, taken.change);
      if (need) {
        const asked = await requestApproval(deps, client, taken, need, { viewId: view.id });
        return await update(client, view.id, messageView(asked.requested ? 'Waiting for approval' : 'Not sent', asked.message), deps);
      }
      const executed = await executeChange(deps, taken);
      if (!executed.ok) return await update(client, view.id, refusalView(executed.failure, operation.words), deps);
      await update(client, view.id, messageView('Done', executed.message), deps);
      await postResult(
        { client, fetch: deps.fetch, logger: deps.logger },
        {
          userId: taken.actor.userId,
          ...(taken.responseUrl ? { responseUrl: taken.responseUrl } : {}),
          ...(taken.resultChannel ? { channelId: taken.resultChannel } : {}),
        },
        namedForCloud(deps, executed.message),
      );
    } catch (error) {
      const reference = randomUUID().slice(0, 8);
      deps.logger.error('confirmed change failed', { reference, error });
      await update(client, view.id, messageView('Something went wrong', internalErrorMessage(reference)), deps);
    }
  });
}

function errorsView(errors: Record<string, string>) {
  // The errors quote what was typed; in a section they are mrkdwn, so escape them (inline field errors are plain text).
  return messageView('Check the form', {
    blocks: [section(escape(Object.values(errors).join('\n'))), section('Close this and run `/fip` again with the corrected values.')],
  });
}

/** The deps of the cloud the form acts on: the one it recorded, else the channel's. */
function formCloud(root: SlackDeps, form: FormContext): SlackDeps {
  return inCloud(root, form.cloud ?? root.clouds?.bound(form.channelId));
}

async function update(client: WebClient, viewId: string, view: unknown, deps: SlackDeps): Promise<void> {
  try {
    await client.views.update({ view_id: viewId, view: namedForCloud(deps, view as object) as never });
  } catch (error) {
    // The person may have closed the modal meanwhile: the result still went to the conversation.
    deps.logger.warn('could not update the modal', { error: slackError(error) });
  }
}
