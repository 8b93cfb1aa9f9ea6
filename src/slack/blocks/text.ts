/** Small helpers shared by the Block Kit builders. Pure, no I/O; every cap is one of Block Kit's LIMITS. */
import { LIMITS } from './limits.js';

/** Slack mrkdwn treats &, < and > as control characters: names typed by people must not inject links or mentions. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  // Never cut an emoji (a surrogate pair) in half: a lone surrogate is not text, and Slack may refuse the payload.
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

export const mention = (userId: string) => `<@${userId}>`;

/** plain_text, clipped to `max` (the limit of the field it goes in). */
export function plain(text: string, max: number) {
  return { type: 'plain_text' as const, text: clip(text, max), emoji: true };
}

export function mrkdwn(text: string, max: number = LIMITS.text) {
  return { type: 'mrkdwn' as const, text: clip(text, max) };
}

export function section(text: string, blockId?: string) {
  return { type: 'section' as const, text: mrkdwn(text), ...(blockId ? { block_id: blockId } : {}) };
}

export function context(...texts: string[]) {
  return {
    type: 'context' as const,
    elements: texts
      .filter(Boolean)
      .slice(0, LIMITS.contextElements)
      .map((text) => mrkdwn(text)),
  };
}

export function header(text: string) {
  return { type: 'header' as const, text: plain(text, LIMITS.headerText) };
}

export interface ButtonOptions {
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny?: string; style?: 'primary' | 'danger' };
}

export function button(text: string, actionId: string, value: string, options: ButtonOptions = {}) {
  return {
    type: 'button' as const,
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm
      ? {
          confirm: {
            title: plain(options.confirm.title, LIMITS.confirmTitle),
            // Slack's reference: a confirm dialog's text is plain_text only.
            text: plain(unmark(options.confirm.text), LIMITS.confirmText),
            confirm: plain(options.confirm.confirm, LIMITS.confirmButton),
            deny: plain(options.confirm.deny ?? 'Cancel', LIMITS.confirmButton),
            ...(options.confirm.style ? { style: options.confirm.style } : {}),
          },
        }
      : {}),
  };
}

/** `code` for addresses and commands in mrkdwn. Escaped too: &, < and > are control characters anywhere in mrkdwn, code spans included. */
export const code = (text: string) => `\`${escape(text.replace(/`/g, "'"))}\``;
export const bold = (text: string) => `*${escape(text)}*`;

/** mrkdwn to plain text for places that take no markup: drops bold/code markers and unescapes entities. */
export function unmark(text: string): string {
  return text.replace(/[*`]/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
