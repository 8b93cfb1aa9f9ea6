/** Answering a click: beside the message it came from (ephemeral), or directly when it came with no response_url. */
import type { BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Message } from '../blocks/messages.js';
import type { SlackDeps } from '../deps.js';
import { postResult } from '../deliver.js';

export type Reply = (message: Message, options?: { replace?: boolean }) => Promise<unknown>;

export function replyTo(deps: SlackDeps, body: BlockAction, respond: RespondFn, client: WebClient): Reply {
  return (message, options = {}) =>
    body.response_url
      ? respond({ response_type: 'ephemeral', replace_original: options.replace ?? false, ...message })
      : postResult({ client, fetch: deps.fetch, logger: deps.logger }, { userId: body.user.id }, message);
}

/** A button's or option's value as JSON; undefined when it is not (an old or forged payload). */
export function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
