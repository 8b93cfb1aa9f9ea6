/**
 * Where a result goes. A result is for everyone in the conversation where
 * the change was asked for:
 *  - through the slash command's response_url with response_type in_channel
 *    (works in any channel the command was typed in, no membership needed);
 *  - else into the channel with chat.postMessage (the bot must be a member);
 *  - else, or when that fails, to the person directly (App Home, DMs).
 * Refusals and errors stay with the person who asked (ephemeral / modal).
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { Message } from './blocks/messages.js';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ ok: boolean; status: number }>;

export interface ResultTarget {
  userId: string;
  responseUrl?: string;
  channelId?: string;
}

/** POSTs to a response_url (5 uses within 30 minutes, Slack's rule). Returns false when Slack refused it. */
export async function postToResponseUrl(fetch: FetchLike, url: string, body: Record<string, unknown>, logger: Logger): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) logger.warn('response_url refused the message', { status: response.status });
    return response.ok;
  } catch (error) {
    logger.warn('response_url unreachable', { error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}

export async function postResult(
  deps: { client: WebClient; fetch: FetchLike; logger: Logger },
  target: ResultTarget,
  message: Message,
): Promise<void> {
  if (
    target.responseUrl &&
    (await postToResponseUrl(
      deps.fetch,
      target.responseUrl,
      { ...message, response_type: 'in_channel', replace_original: false },
      deps.logger,
    ))
  )
    return;
  if (target.channelId && !target.channelId.startsWith('D')) {
    try {
      await deps.client.chat.postMessage({ channel: target.channelId, text: message.text, blocks: message.blocks as never });
      return;
    } catch (error) {
      // Typically not_in_channel: the bot was never invited there. The person still needs the result.
      deps.logger.warn('could not post the result in the channel; sending it directly', {
        channel: target.channelId,
        error: slackError(error),
      });
    }
  }
  try {
    await deps.client.chat.postMessage({ channel: target.userId, text: message.text, blocks: message.blocks as never });
  } catch (error) {
    deps.logger.error('could not deliver a result', { user: target.userId, error: slackError(error) });
  }
}

export function slackError(error: unknown): string {
  const data = (error as { data?: { error?: string } } | undefined)?.data;
  if (data?.error) return data.error;
  return error instanceof Error ? error.message : String(error);
}

/** The Slack error code of a Web API failure (`missing_scope`...), else the client's own code. */
export function slackErrorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const data = (error as { data?: unknown }).data;
    if (typeof data === 'object' && data !== null && typeof (data as { error?: unknown }).error === 'string')
      return (data as { error: string }).error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : 'unknown_error';
}
