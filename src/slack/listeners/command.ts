/**
 * /fip: acknowledged at once (Slack allows 3 s), then answered through the
 * response_url. Quick answers (help, bad input, policy refusals) ride on the
 * ack itself. Bare /fip opens the form: views.open is the first call, before
 * any OpenStack request, because the trigger expires after 3 s.
 */
import type { App, RespondFn } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import type { Failure } from '../../floating-ips/failures.js';
import { leakReport, leaks } from '../../operations/leaks/index.js';
import { operationNamed } from '../../operations/registry.js';
import { withLeakReport } from '../blocks/leaks.js';
import type { AnyOperation } from '../../operations/types.js';
import { withinBudget } from '../ack-budget.js';
import {
  confirmationMessage,
  formUnavailableMessage,
  internalErrorMessage,
  type Message,
  notAllowedMessage,
  refusalMessage,
} from '../blocks/messages.js';
import { helpMessage, invalidCommandMessage } from '../commands/help.js';
import { parseCommand } from '../commands/parse.js';
import { retrySteps } from '../commands/retry.js';
import { chooseCloud, cloudsHelp, namedForCloud, respondInCloud, severalClouds } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { authorizeOperation, outcomeOf, prepareChange } from '../flows/changes.js';
import { DEFAULT_FORM_OPERATION, openForm } from '../flows/form.js';
import type { Actor, PendingInteraction } from '../pending.js';
import { actorOf } from './actor.js';

export function registerCommand(app: App, root: SlackDeps): void {
  app.command('/fip', async ({ command, ack, respond: respondHere, client }) => {
    const parsed = parseCommand(command.text ?? '');
    const actor = actorOf(command);
    const log = root.logger.child({ user: actor.userId, channel: actor.channelId, command: parsed.kind });
    if (parsed.kind === 'help') return ack({ response_type: 'ephemeral', ...helpMessage(parsed.topic, cloudsHelp(root, actor.channelId)) });
    if (parsed.kind === 'invalid')
      return ack({ response_type: 'ephemeral', ...invalidCommandMessage(parsed.problem, parsed.topic, parsed.suggestion) });
    // The cloud: `--cloud`, else the channel's; none, or one that does not exist, is asked about before anything else.
    // "Which cloud?" asks the policy (perhaps Slack, for user groups): acknowledged first, and sent after the ack, as its
    // buttons need the message's response_url.
    const asking = severalClouds(root) && parsed.cloud === undefined && !root.clouds!.bound(actor.channelId);
    if (asking) await ack();
    const action = parsed.kind === 'modal' ? DEFAULT_FORM_OPERATION : parsed.kind;
    const chosen = await chooseCloud(root, actor, parsed.cloud, action, command.text ?? '');
    if (!chosen.ok) {
      if (!asking) return ack({ response_type: 'ephemeral', ...chosen.message });
      return void (await respondHere({ response_type: 'ephemeral', ...chosen.message }));
    }
    const deps = chosen.deps;
    const respond = respondInCloud(deps, respondHere);
    if (parsed.kind === 'modal') {
      await ack();
      const opened = await openForm(deps, client, command.trigger_id, {
        operation: DEFAULT_FORM_OPERATION,
        channelId: command.channel_id,
        responseUrl: command.response_url,
        via: 'command',
      });
      // Slack refused views.open (down, rate limited, the trigger expired meanwhile): without a word the person would wait for a form that never comes.
      if (!opened)
        await respond({ response_type: 'ephemeral', ...formUnavailableMessage() }).catch((error: unknown) =>
          log.warn('could not say the form did not open', { error }),
        );
      return;
    }
    const { kind, cloud: _cloud, ...request } = parsed;
    const operation = operationNamed(kind)!;

    // A refusal rides on the ack when the policy answers in time; a user-group lookup held up by Slack
    // (retried 500s, a 429's Retry-After) must not make the ack miss Slack's 3 s: ack, then say it.
    const deciding = authorizeOperation(deps, actor, operation, { request });
    const early = await withinBudget(deciding, deps.timing.slack.ackBudgetMs);
    if (early && !early.allowed) return ack({ response_type: 'ephemeral', ...namedForCloud(deps, notAllowedMessage(early.reason)) });
    await ack();
    const decision = early ?? (await deciding);
    if (!decision.allowed) return void (await respond({ response_type: 'ephemeral', ...notAllowedMessage(decision.reason) }));
    try {
      await answer(deps, operation, request, actor, command.response_url, respond, command.text ?? '');
    } catch (error) {
      const reference = randomUUID().slice(0, 8);
      log.error('command failed', { reference, error });
      await respond({ response_type: 'ephemeral', ...internalErrorMessage(reference) });
    }
  });
}

/**
 * A refusal; when the quota is used up, with the unattached IPs to reclaim in the same message (if the person
 * may see them), so that room is one tick and one confirmation away.
 */
async function refusalWithLeaks(
  deps: SlackDeps,
  actor: Actor,
  failure: Failure,
  operation: AnyOperation,
  typed: string | undefined,
): Promise<Message> {
  if (failure.code !== 'quota_exceeded' || !(await authorizeOperation(deps, actor, leaks)).allowed)
    return refusalMessage(failure, operation.words, { extraSteps: retrySteps(failure, typed) });
  const report = await leakReport(deps.service);
  if (!report.ok || report.value.report.leaks.length === 0) return refusalMessage(failure, operation.words);
  return withLeakReport(refusalMessage(failure, operation.words, { steps: false }), report.value.report);
}

/** A command's answer once the policy allowed it: a read's result, or a change's confirmation (or why not). */
export async function answer(
  deps: SlackDeps,
  operation: AnyOperation,
  request: unknown,
  actor: Actor,
  responseUrl: string,
  respond: RespondFn,
  /** The command as typed (or as a button carried it): a refusal's choices run it again with the choice in place. */
  typed?: string,
): Promise<void> {
  if (operation.kind === 'read') {
    const outcome = await operation.run(deps.service, request);
    deps.metrics?.operations.inc({ action: operation.name, outcome: outcome.ok ? 'done' : outcomeOf(outcome.failure) });
    await respond({
      response_type: 'ephemeral',
      ...(outcome.ok
        ? operation.render(outcome.value, deps.now())
        : refusalMessage(outcome.failure, operation.words, { extraSteps: retrySteps(outcome.failure, typed) })),
    });
    return;
  }
  const prepared = await prepareChange(deps, actor, operation, request);
  if (!prepared.ok)
    return void (await respond({
      response_type: 'ephemeral',
      ...(await refusalWithLeaks(deps, actor, prepared.failure, operation, typed)),
    }));
  if (prepared.alreadyDone) return void (await respond({ response_type: 'ephemeral', ...prepared.alreadyDone }));
  const pending: PendingInteraction = {
    change: prepared.change,
    actor,
    via: 'command',
    responseUrl,
    ...(deps.cloud ? { cloud: deps.cloud } : {}),
  };
  const planTtlMs = deps.timing.interactions.planTtlMs;
  const token = await deps.store.put(pending, planTtlMs);
  await respond({ response_type: 'ephemeral', ...confirmationMessage(operation, prepared.change.plan, token, planTtlMs) });
}
