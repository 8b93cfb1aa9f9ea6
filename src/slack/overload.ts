/**
 * Overload: beyond FIPBOT_MAX_IN_FLIGHT Slack requests being worked on, a new
 * one is not started. It is answered at once, in the way its kind allows,
 * that fipbot is busy and nothing was done, so the work waiting for
 * OpenStack (and the memory it holds) stays bounded whatever Slack sends.
 */
import type { ReceiverEvent } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { BLOCKS, VIEWS } from './blocks/ids.js';
import { busyMessage, type Message } from './blocks/messages.js';
import { messageView } from './blocks/modals.js';
import { type FetchLike, postToResponseUrl } from './deliver.js';

/** Where a busy click is told (it has no ack body): its response_url, or the person directly. */
export type Notify = (target: { responseUrl?: string; userId?: string }, message: Message) => Promise<void>;

/** Tells the person only: ephemeral through the response_url, else a direct message. Never throws. */
export function tellPerson(deps: { client: WebClient; fetch: FetchLike; logger: Logger }): Notify {
  return async (target, message) => {
    if (
      target.responseUrl &&
      (await postToResponseUrl(
        deps.fetch,
        target.responseUrl,
        { ...message, response_type: 'ephemeral', replace_original: false },
        deps.logger,
      ))
    )
      return;
    if (!target.userId) return;
    await deps.client.chat
      .postMessage({ channel: target.userId, text: message.text, blocks: message.blocks as never })
      .catch((error: unknown) =>
        deps.logger.warn('could not tell the person', { error: error instanceof Error ? error.message : String(error) }),
      );
  };
}

type Body = {
  type?: string;
  command?: string;
  response_url?: string;
  user?: { id?: string };
  view?: { callback_id?: string };
};

/** Acknowledges `event` with "busy" (and, for a click, tells the person); starts none of its work. */
export async function answerBusy(event: ReceiverEvent, notify: Notify): Promise<void> {
  const body = event.body as Body;
  const message = busyMessage();
  if (body.command) return event.ack({ response_type: 'ephemeral', ...message });
  switch (body.type) {
    case 'block_suggestion':
      return event.ack({ options: [] });
    case 'view_submission':
      // On the form, the message sits on its first field and the values stay; a confirmation shows it instead.
      return event.ack(
        body.view?.callback_id === VIEWS.form
          ? { response_action: 'errors', errors: { [BLOCKS.formOperation]: message.text } }
          : { response_action: 'update', view: messageView('Busy', message) },
      );
    case 'block_actions':
      await event.ack();
      return notify(
        { ...(body.response_url ? { responseUrl: body.response_url } : {}), ...(body.user?.id ? { userId: body.user.id } : {}) },
        message,
      );
    default:
      // Events (Home opened) have no one to answer: acknowledged, and Slack does not send them again.
      return event.ack();
  }
}
