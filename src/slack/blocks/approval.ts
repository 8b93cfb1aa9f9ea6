/**
 * The messages of a two-person approval: the request in the channel (who
 * asked, exactly what will change, when it expires, Approve / Deny), the
 * requester's "Waiting for approval" line, the outcome lines that replace the
 * request's buttons, and the answers to a click that cannot decide.
 */
import type { ChangeOperation } from '../../operations/types.js';
import { ACTIONS } from './ids.js';
import type { Message } from './messages.js';
import { button, context, escapeName, mention, section, strong } from './text.js';

/** What the Approve, Deny and Cancel request buttons carry: the store's token and the request's expiry (epoch ms). */
export interface ApprovalValue {
  t: string;
  e: number;
}

/** "14:30 UTC": the request's expiry as everyone reads it (the lease messages use the same clock). */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

export interface ApprovalRequestWords {
  operation: ChangeOperation;
  plan: unknown;
  requester: string;
  /** Who may approve, as mrkdwn ("members of <!subteam^S…>"): they are notified, which is the point. */
  approvers: string;
  expiresAt: number;
  value: ApprovalValue;
}

/** The request, in the channel for everyone: exactly what the requester confirmed, and the two buttons. */
export function approvalRequestMessage(words: ApprovalRequestWords): Message {
  const summary = escapeName(words.operation.summary(words.plan));
  const value = JSON.stringify(words.value);
  return {
    text: `${mention(words.requester)} asks for approval: ${summary} (until ${clockTime(words.expiresAt)})`,
    blocks: [
      section(`:raised_hand: ${mention(words.requester)} asks for approval: ${strong(summary)}`),
      section(words.operation.changes(words.plan).join('\n')),
      context(
        `Who may approve: ${words.approvers}. Nothing changes until one of them approves; the request expires at ${clockTime(words.expiresAt)}.`,
      ),
      {
        type: 'actions',
        elements: [button('Approve', ACTIONS.approve, value, { style: 'primary' }), button('Deny', ACTIONS.deny, value)],
      },
    ],
  };
}

/** The requester's one line while the request is open, with the only way to withdraw it. */
export function waitingMessage(summary: string, approvers: string, expiresAt: number, value: ApprovalValue): Message {
  const text = `Waiting for approval from ${approvers}: ${escapeName(summary)} (the request in the channel expires at ${clockTime(expiresAt)}).`;
  return {
    text,
    blocks: [
      section(`:hourglass: ${text}`),
      { type: 'actions', elements: [button('Cancel request', ACTIONS.cancelApproval, JSON.stringify(value))] },
    ],
  };
}

/** The request as decided: what it asked stays readable, its buttons give way to the outcome. */
export function decidedRequest(requestBlocks: readonly unknown[], text: string, outcome: unknown[]): Message {
  const kept = requestBlocks.filter((block) => (block as { type?: string }).type !== 'actions');
  return { text, blocks: [...kept, ...outcome] };
}

/** Outcome lines (mrkdwn) that replace the request's buttons. */
export const OUTCOME = {
  working: (approver: string) => `:hourglass_flowing_sand: Approved by ${mention(approver)}. Working…`,
  done: (approver: string) => `:white_check_mark: Approved by ${mention(approver)} and done.`,
  failed: (approver: string) => `Approved by ${mention(approver)}, but not done (see above).`,
  denied: (approver: string) => `:no_entry_sign: Denied by ${mention(approver)}. Nothing was changed.`,
  cancelled: (requester: string) => `Cancelled by ${mention(requester)}, who asked. Nothing was changed.`,
  expired: (expiresAt: number) => `:hourglass: This request expired at ${clockTime(expiresAt)} without approval. Nothing was changed.`,
} as const;

/** The result for the channel, naming both people. */
export function withApproval(result: Message, requester: string, approver: string): Message {
  const both = `asked by ${mention(requester)}, approved by ${mention(approver)}`;
  return { text: `${result.text} — ${both}`, blocks: [...result.blocks, context(`${both.charAt(0).toUpperCase()}${both.slice(1)}.`)] };
}

/** One line of mrkdwn made of mentions, escaped names and fipbot's own words (nothing left to escape). */
function line(text: string, emoji = ''): Message {
  return { text, blocks: [section(`${emoji}${text}`)] };
}

/** Answers to the person who clicked (ephemeral), and the requester's line once decided. */
export const APPROVAL_REPLIES = {
  ownRequest: (approvers: string) =>
    line(`You asked for this, so someone else must approve it: ${approvers}. This tap changed nothing.`, ':raised_hand: '),
  expired: (expiresAt: number) => line(`This request expired at ${clockTime(expiresAt)}; ask again. Nothing was changed.`, ':hourglass: '),
  alreadyDecided: () => line('This request was already approved, denied or cancelled. This tap changed nothing.'),
  notRequester: (requester: string) =>
    line(`Only ${mention(requester)}, who asked, can cancel this request. This tap changed nothing.`, ':lock: '),
  done: (approver: string, summary: string) =>
    line(`Approved by ${mention(approver)}: ${escapeName(summary)} is done; the result is in the channel.`, ':white_check_mark: '),
  denied: (approver: string, summary: string) =>
    line(`Denied by ${mention(approver)}: ${escapeName(summary)}. Nothing was changed.`, ':no_entry_sign: '),
  /** The change needs approval, which is asked in a channel, and there is none here (App Home, a direct message). */
  needsChannel: (activity: string, approvers: string) =>
    line(
      `${activity} needs a second person's approval (${approvers}), asked for in a channel: run the command in a channel they are in. Nothing was changed.`,
      ':raised_hand: ',
    ),
  /** The request could not be posted in the channel (the bot is not in it, Slack refused). */
  notPosted: () =>
    line(
      'fipbot could not post the approval request in this channel (invite fipbot to it, or try again in a minute). Nothing was changed.',
      ':warning: ',
    ),
} as const;
