/** Small helpers shared by the Block Kit builders. Pure, no I/O; every cap is one of Block Kit's LIMITS. */
import { LIMITS } from './limits.js';

/**
 * Slack mrkdwn treats &, < and > as control characters: text from people or the cloud must not inject links or
 * mentions. For sentences that carry markup of their own (a `code` span in an explanation); names: `escapeName`.
 */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A name (or a sentence made of plain words and names) for mrkdwn: `escape`, and more. `*`, `_`, `~` and backtick
 * format text where they stand at a word's edge: "*prod*" would turn bold and lose its stars. Slack has no escape
 * for them; a zero-width space on each side keeps the character and breaks the pair. Inside a word
 * ("test_instance") Slack formats nothing, so the name stays as typed, readable and copyable; a backtick may open
 * code even there, so it is always broken.
 */
export function escapeName(text: string): string {
  return escape(text).replace(FORMATTING_MARK, (mark: string, at: number, whole: string) =>
    mark !== '`' && isLetterOrDigit(whole[at - 1]) && isLetterOrDigit(whole[at + 1])
      ? mark
      : `${ZERO_WIDTH_SPACE}${mark}${ZERO_WIDTH_SPACE}`,
  );
}

/**
 * A sentence that names things and quotes `commands` or `addresses` in backticks (floating-ips/explain.ts):
 * the code spans kept as code, the rest escaped as names are, so a server called *prod* cannot turn it bold.
 */
export function escapeProse(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    out += escapeName(text.slice(last, match.index)) + `\`${escape(match[0].slice(1, -1))}\``;
    last = match.index + match[0].length;
  }
  return out + escapeName(text.slice(last));
}

/** The code spans explanations quote: addresses, `/fip …` and `openstack …` commands, `--option value`. A name's backtick opens none. */
const CODE_SPAN = /`(?:[0-9a-fA-F.:]+|\/fip [^`\n]*|openstack [^`\n]*|--[a-z-]+ [^`\n]*)`/g;

/** What `escapeName` puts beside a formatting character; the command parser strips it from text copied back. */
export const ZERO_WIDTH_SPACE = '\u200b';

const FORMATTING_MARK = /[*_~`]/g;

function isLetterOrDigit(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

/** "1 free floating IP", "2 free floating IPs": every count in a message. `many` where adding "s" is wrong. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
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

/** A dialog Slack shows before sending a click. Plain text throughout: Slack's reference takes no mrkdwn in its text. */
export interface DialogWords {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
  style?: 'primary' | 'danger';
}

export function confirmDialog(words: DialogWords) {
  return {
    title: plain(words.title, LIMITS.confirmTitle),
    text: plain(words.text, LIMITS.confirmText),
    confirm: plain(words.confirm, LIMITS.confirmButton),
    deny: plain(words.deny ?? 'Cancel', LIMITS.confirmButton),
    ...(words.style ? { style: words.style } : {}),
  };
}

export interface ButtonOptions {
  style?: 'primary' | 'danger';
  confirm?: DialogWords;
}

export function button(text: string, actionId: string, value: string, options: ButtonOptions = {}) {
  return {
    type: 'button' as const,
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: confirmDialog(options.confirm) } : {}),
  };
}

/**
 * `code` for addresses and commands in mrkdwn. Escaped too: &, < and > are control characters anywhere in mrkdwn,
 * code spans included. A backtick would end the span early: such a text is shown as a name, outside a span, unaltered.
 */
export const code = (text: string) => (text.includes('`') ? escapeName(text) : `\`${escape(text)}\``);

/** A name in bold. */
export const bold = (text: string) => strong(escapeName(text));

/** Bold around mrkdwn already escaped; left plain when it holds escaped marks, as bold around those would not hold. */
export function strong(escaped: string): string {
  return escaped.includes(ZERO_WIDTH_SPACE) ? escaped : `*${escaped}*`;
}
