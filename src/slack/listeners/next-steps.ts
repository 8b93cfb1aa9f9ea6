/**
 * The next-step buttons of an answer ("Allocate from public", "Why?", "Use 192.168.100.178").
 * A command step runs as if the person who tapped had typed it: parsed, asked of the policy,
 * then answered like /fip (a change still goes through its confirmation). Every tap is answered.
 */
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { operationNamed } from '../../operations/registry.js';
import { ACTIONS } from '../blocks/ids.js';
import {
  copyMessage,
  formUnavailableMessage,
  internalErrorMessage,
  type Message,
  notAllowedMessage,
  staleButtonMessage,
} from '../blocks/messages.js';
import { parseCommand } from '../commands/parse.js';
import { chooseCloud, namedForCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { DEFAULT_FORM_OPERATION, openForm } from '../flows/form.js';
import { authorizeOperation } from '../flows/changes.js';
import { actorOf } from './actor.js';
import { answer } from './command.js';
import { parseJson, replyTo } from './reply.js';

const stepSchema = z.union([
  z.object({ command: z.string().min(1).max(500) }),
  z.object({ copy: z.string().min(1).max(100), note: z.string().max(300) }),
]);

export function registerNextSteps(app: App, root: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.step}:`), async ({ ack, body, action, respond, client }) => {
    await ack();
    const actor = actorOf(body);
    let deps = root;
    let reply = replyTo(deps, body, respond, client);
    try {
      const step = stepSchema.safeParse(parseJson(action.value));
      if (!step.success) return void (await reply(staleButtonMessage()));
      if ('copy' in step.data) return void (await reply(copyMessage(step.data.copy, step.data.note)));
      const parsed = parseCommand(step.data.command);
      if (parsed.kind === 'help' || parsed.kind === 'invalid') return void (await reply(staleButtonMessage()));
      // The step names its cloud (`--cloud`, see slack/clouds.ts); "Which cloud?" is its own answer.
      const chosen = await chooseCloud(
        root,
        actor,
        parsed.cloud,
        parsed.kind === 'modal' ? DEFAULT_FORM_OPERATION : parsed.kind,
        step.data.command,
      );
      if (!chosen.ok) return void (await reply(chosen.message));
      deps = chosen.deps;
      reply = (message, options) => replyTo(deps, body, respond, client)(namedForCloud(deps, message), options);
      // "Which cloud?" for the form: the chosen cloud's form opens.
      if (parsed.kind === 'modal') {
        const opened = await openForm(deps, client, body.trigger_id, {
          operation: DEFAULT_FORM_OPERATION,
          via: 'button',
          ...(body.channel?.id ? { channelId: body.channel.id } : {}),
          ...(body.response_url ? { responseUrl: body.response_url } : {}),
        });
        if (!opened) await reply(formUnavailableMessage());
        return;
      }
      const { kind, cloud: _cloud, ...request } = parsed;
      const operation = operationNamed(kind);
      if (!operation) return void (await reply(staleButtonMessage()));
      const decision = await authorizeOperation(deps, actor, operation, { request });
      if (!decision.allowed) return void (await reply(notAllowedMessage(decision.reason)));
      // A choice replaces the question it answers; an explanation ("Why?") goes beside the answer it explains.
      const replace = operation.kind === 'change';
      const respondHere = ((payload: Message) => reply(payload, { replace })) as RespondFn;
      await answer(deps, operation, request, actor, body.response_url ?? '', respondHere, step.data.command);
    } catch (error) {
      const reference = randomUUID().slice(0, 8);
      deps.logger.error('next step failed', { reference, error });
      await reply(internalErrorMessage(reference)).catch(() => undefined);
    }
  });
}
