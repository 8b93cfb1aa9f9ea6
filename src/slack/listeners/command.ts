/**
 * /fip: acknowledged at once (Slack allows 3 s), then answered through the
 * response_url. Quick answers (help, bad input, policy refusals) ride on the
 * ack itself. Bare /fip opens the form: views.open is the first call, before
 * any OpenStack request, because the trigger expires after 3 s.
 */
import type { App, RespondFn } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { withinBudget } from '../ack-budget.js';
import { alreadyAttachedMessage, confirmationMessage, diagnosisMessage, formUnavailableMessage, helpMessage, internalErrorMessage, invalidCommandMessage, notAllowedMessage, refusalMessage } from '../blocks/messages.js';
import { listMessage } from '../blocks/list.js';
import { type Command, parseCommand } from '../commands/parse.js';
import type { SlackDeps } from '../deps.js';
import { authorize, type ChangeRequest, outcomeOf, POLICY_ACTION, prepareChange } from '../flows/changes.js';
import { openForm } from '../flows/form.js';
import type { PendingInteraction } from '../pending.js';
import { actorOf } from './actor.js';

export function registerCommand(app: App, deps: SlackDeps): void {
  app.command('/fip', async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(command.text ?? '');
    const actor = actorOf(command);
    const log = deps.logger.child({ user: actor.userId, channel: actor.channelId, command: parsed.kind });
    if (parsed.kind === 'modal') {
      await ack();
      const opened = await openForm(deps, client, command.trigger_id, { operation: 'attach', channelId: command.channel_id, responseUrl: command.response_url, via: 'command' });
      // Slack refused views.open (down, rate limited, the trigger expired meanwhile): without a word the person would wait for a form that never comes.
      if (!opened) await respond({ response_type: 'ephemeral', ...formUnavailableMessage() }).catch((error: unknown) => log.warn('could not say the form did not open', { error }));
      return;
    }
    if (parsed.kind === 'help') return ack({ response_type: 'ephemeral', ...helpMessage(parsed.topic) });
    if (parsed.kind === 'invalid') return ack({ response_type: 'ephemeral', ...invalidCommandMessage(parsed.problem, parsed.topic, parsed.suggestion) });

    // A refusal rides on the ack when the policy answers in time; a user-group lookup held up by Slack
    // (retried 500s, a 429's Retry-After) must not make the ack miss Slack's 3 s: ack, then say it.
    const deciding = authorize(deps, actor, policyActionOf(parsed));
    const early = await withinBudget(deciding, deps.timing.slack.ackBudgetMs);
    if (early && !early.allowed) return ack({ response_type: 'ephemeral', ...notAllowedMessage(early.reason) });
    await ack();
    const decision = early ?? (await deciding);
    if (!decision.allowed) return void (await respond({ response_type: 'ephemeral', ...notAllowedMessage(decision.reason) }));
    try {
      await answer(deps, parsed, actor, command.response_url, respond);
    } catch (error) {
      const reference = randomUUID().slice(0, 8);
      log.error('command failed', { reference, error });
      await respond({ response_type: 'ephemeral', ...internalErrorMessage(reference) });
    }
  });
}

type Runnable = Exclude<Command, { kind: 'modal' | 'help' | 'invalid' }>;

function policyActionOf(command: Runnable) {
  switch (command.kind) {
    case 'list':
    case 'explain':
      return command.kind;
    case 'create':
      return 'create';
    default:
      return POLICY_ACTION[command.kind];
  }
}

async function answer(deps: SlackDeps, command: Runnable, actor: ReturnType<typeof actorOf>, responseUrl: string, respond: RespondFn): Promise<void> {
  switch (command.kind) {
    case 'list': {
      const [list, scope] = await Promise.all([deps.service.list(command.filter), deps.service.inventory.scope().catch(() => undefined)]);
      deps.metrics?.operations.inc({ action: 'list', outcome: list.ok ? 'done' : outcomeOf(list.failure) });
      await respond({ response_type: 'ephemeral', ...(list.ok ? listMessage(list.value, 1, scope?.projectName) : refusalMessage(list.failure)) });
      return;
    }
    case 'explain': {
      const diagnosis = await deps.service.diagnose(command.instance);
      deps.metrics?.operations.inc({ action: 'explain', outcome: diagnosis.ok ? 'done' : outcomeOf(diagnosis.failure) });
      await respond({ response_type: 'ephemeral', ...(diagnosis.ok ? diagnosisMessage(diagnosis.value) : refusalMessage(diagnosis.failure)) });
      return;
    }
    default: {
      const request: ChangeRequest = command.kind === 'create' ? { kind: 'allocate', ...(command.pool ? { pool: command.pool } : {}) } : command;
      const prepared = await prepareChange(deps, actor, request);
      if (!prepared.ok) {
        await respond({ response_type: 'ephemeral', ...refusalMessage(prepared.failure) });
        return;
      }
      if (prepared.alreadyDone && prepared.action.kind === 'attach') {
        await respond({ response_type: 'ephemeral', ...alreadyAttachedMessage(prepared.action) });
        return;
      }
      const pending: PendingInteraction = { action: prepared.action, actor, via: 'command', responseUrl };
      const token = await deps.store.put(pending, deps.timing.interactions.planTtlMs);
      await respond({ response_type: 'ephemeral', ...confirmationMessage(prepared.action, token) });
    }
  }
}
