/**
 * The leak report's controls. Ticking a checkbox only changes Slack's state
 * (acknowledged, nothing else); "Reclaim ticked" reads the ticks from the
 * message's state and "Reclaim all" takes the oldest: both answer like
 * `/fip reclaim`, with a confirmation that names every IP. The report stays.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { reclaim } from '../../operations/reclaim/index.js';
import type { ReclaimRequest } from '../../operations/reclaim/use-case.js';
import { ACTIONS, BLOCKS } from '../blocks/ids.js';
import { internalErrorMessage, type Message, notAllowedMessage } from '../blocks/messages.js';
import { cloudOfValue, inCloud, namedForCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { authorizeOperation } from '../flows/changes.js';
import { actorOf } from './actor.js';
import { answer } from './command.js';
import { parseJson, type Reply, replyTo } from './reply.js';

const pickSchema = z.object({ id: z.string().min(1).max(64), revision: z.number().int().optional() });

export function registerLeakReport(app: App, root: SlackDeps): void {
  app.action(ACTIONS.leakPick, async ({ ack }) => ack());

  for (const actionId of [ACTIONS.reclaimPicked, ACTIONS.reclaimAll]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const actor = actorOf(body);
      // The report's cloud (its buttons carry it), else the channel's.
      const named = cloudOfValue(action.value);
      const deps = inCloud(root, named && root.clouds?.names.includes(named) ? named : root.clouds?.bound(body.channel?.id));
      const reply: Reply = (message, options) => replyTo(deps, body, respond, client)(namedForCloud(deps, message), options);
      try {
        const request: ReclaimRequest = actionId === ACTIONS.reclaimAll ? { all: true } : { ips: ticked(body) };
        if ('ips' in request && request.ips.length === 0) {
          const text = 'Tick the floating IPs to reclaim first, or use Reclaim all. Nothing was changed.';
          return void (await reply({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }));
        }
        const decision = await authorizeOperation(deps, actor, reclaim, { request });
        if (!decision.allowed) return void (await reply(notAllowedMessage(decision.reason)));
        await answer(deps, reclaim, request, actor, body.response_url ?? '', ((payload: Message) => reply(payload)) as never);
      } catch (error) {
        const reference = randomUUID().slice(0, 8);
        deps.logger.error('reclaim from the report failed', { reference, error });
        await reply(internalErrorMessage(reference)).catch(() => undefined);
      }
    });
  }
}

/** The ticked IPs, as the message's state holds them; a value fipbot did not write is left out. */
function ticked(body: BlockAction): Array<{ ip: string; revision?: number }> {
  const state = body.state?.values?.[BLOCKS.leakPick]?.[ACTIONS.leakPick] as { selected_options?: Array<{ value?: string }> } | undefined;
  return (state?.selected_options ?? []).flatMap((option) => {
    const pick = pickSchema.safeParse(parseJson(option.value));
    return pick.success ? [{ ip: pick.data.id, ...(pick.data.revision !== undefined ? { revision: pick.data.revision } : {}) }] : [];
  });
}
