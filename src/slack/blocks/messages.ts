/**
 * The messages fipbot sends: confirmations, progress, results, refusals and
 * diagnoses. Pure builders (no I/O); every message carries a meaningful
 * top-level `text`, because phone notifications show only that. The words
 * come from elsewhere: each operation's entry (src/operations/) words its
 * changes and results, floating-ips/explain.ts every failure; this module
 * lays them out. Help and usage: slack/commands/help.ts.
 */
import { explain, explainDiagnosis, type OperationWords } from '../../floating-ips/explain.js';
import type { Attachment, Failure } from '../../floating-ips/failures.js';
import type { NextStep } from '../../floating-ips/next-steps.js';
import type { Diagnosis } from '../../floating-ips/views.js';
import type { ChangeOperation } from '../../operations/types.js';
import { ACTIONS } from './ids.js';
import { LIMITS } from './limits.js';
import { stepButtons, stepsBlock } from './next-steps.js';
import { bold, button, code, context, escape, escapeName, escapeProse, mention, plural, section, strong } from './text.js';

export interface Message {
  text: string;
  blocks: unknown[];
}

/** Where a floating IP is attached, in a sentence: the instance and its address, or the port. */
export function attachmentText(attachment: Attachment): string {
  const name = attachment.instance
    ? bold(attachment.instance.name)
    : attachment.deviceOwner
      ? escapeName(attachment.deviceOwner)
      : `port ${code(attachment.portId)}`;
  return attachment.fixedIp ? `${name} (${code(attachment.fixedIp)})` : name;
}

/** How long a confirmation stays usable, in words: "15 minutes". */
export function lifetime(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 1 ? plural(minutes, 'minute') : plural(Math.max(1, Math.round(ms / 1000)), 'second');
}

/**
 * A change shown before it happens: what it does, side effects included, with Confirm and Cancel. The message is
 * the confirmation: its Confirm button asks nothing more (red when the change loses something).
 */
export function confirmationMessage(operation: ChangeOperation, plan: unknown, token: string, expiresInMs: number): Message {
  const title = escapeName(operation.summary(plan));
  const confirm = button(operation.confirmLabel(plan), ACTIONS.confirm, token, {
    style: operation.destructive(plan) ? 'danger' : 'primary',
  });
  return {
    // Top-level text is mrkdwn too: a server called "<!channel>" must not notify the channel.
    text: `${title}? Confirm or cancel.`,
    blocks: [
      section(strong(`${title}?`)),
      section(operation.changes(plan).join('\n')),
      {
        type: 'actions',
        elements: [
          confirm,
          button('Cancel', ACTIONS.cancel, token),
          ...stepButtons(operation.alternatives?.(plan) ?? [], { primary: false }),
        ],
      },
      ...(operation.notes?.(plan).length ? [context(...operation.notes(plan))] : []),
      context(`Nothing changes until you confirm. This confirmation expires in ${lifetime(expiresInMs)}.`),
    ],
  };
}

export function workingMessage(operation: ChangeOperation, plan: unknown): Message {
  const text = escapeName(`Working… ${operation.summary(plan)}`);
  return { text, blocks: [section(`:hourglass_flowing_sand: ${text}`)] };
}

/** `summary`: what was cancelled, when still known. */
export function cancelledMessage(summary: string | undefined): Message {
  const text = escapeName(summary ? `Cancelled: ${summary}. Nothing was changed.` : 'Cancelled. Nothing was changed.');
  return { text, blocks: [section(text)] };
}

export function expiredMessage(): Message {
  const text =
    'This confirmation has expired or was already used. Nothing was changed by this click; run the command again to see the current state.';
  return { text, blocks: [section(escape(text))] };
}

/** A second tap on a button (a double tap, a replay): the first one is being handled, or was. */
export function alreadyHandledMessage(): Message {
  const text = 'Already in progress or done: an earlier tap on this button is being handled, or was. This tap changed nothing.';
  return { text, blocks: [section(escape(text))] };
}

export function notAllowedMessage(reason: string): Message {
  return { text: `Not allowed: ${reason}`, blocks: [section(`:lock: ${reason}`), context('Nothing was changed.')] };
}

/** Too much work waiting for OpenStack: this request was not started. */
export function busyMessage(): Message {
  const text = 'fipbot is busy: too many requests are waiting for OpenStack. Nothing was done; try again in a minute.';
  return { text, blocks: [section(`:hourglass: ${escape(text)}`)] };
}

/** A button whose value fipbot cannot read (sent by an older version, or tampered with). */
export function staleButtonMessage(): Message {
  const text = 'This button is out of date. Nothing was changed; run /fip list for the current floating IPs.';
  return { text, blocks: [section(escape(text))] };
}

/** Slack did not open the form (views.open failed): say so, and how to do without it. */
export function formUnavailableMessage(): Message {
  const text =
    'Slack did not let fipbot open the form just now. Try /fip again in a moment, or type the command instead (/fip help lists them). Nothing was changed.';
  return { text, blocks: [section(`:warning: ${escape(text)}`)] };
}

/** A bug or an unexpected state inside fipbot: say so plainly, with a reference for the logs. */
export function internalErrorMessage(reference: string): Message {
  const text = `Something went wrong inside fipbot (reference ${reference}). As far as fipbot knows, nothing was changed; check with /fip list.`;
  return { text, blocks: [section(`:warning: ${escape(text)}`)] };
}

/**
 * Why the operation did not happen, for a phone: the answer and what to do first, then the next step as
 * buttons; the detail and what did not change follow in small print. A question (which pool?) is no error.
 */
export function refusalMessage(
  failure: Failure,
  operation: OperationWords,
  /** `steps: false` where no response_url can answer a tap (modals, Home); `extraSteps` first (the typed command's choices). */
  options: { steps?: boolean; extraSteps?: readonly NextStep[] } = {},
): Message {
  const words = explain(failure, operation);
  return {
    text: refusalText(failure, words.title, words.unchanged),
    blocks: [
      section(`${words.question ? '' : ':no_entry: '}${strong(escapeProse(words.title))}\n${escapeProse(words.remedy)}`),
      ...(options.steps === false ? [] : stepsBlock([...(options.extraSteps ?? []), ...words.steps])),
      context(escapeProse(words.cause)),
      context(escapeProse(words.unchanged), words.requestId ? `OpenStack request ${code(words.requestId)}` : ''),
    ],
  };
}

/**
 * The notification line: the title, prefixed with the instance when the title
 * does not name it ("Which pool?"), then what did not change. Escaped: the
 * names in it come from the cloud.
 */
function refusalText(failure: Failure, title: string, unchanged: string): string {
  const instance = 'instance' in failure ? failure.instance : undefined;
  const named = instance && !title.includes(instance.name) ? `${instance.name}: ${title}` : title;
  return escapeProse(`${named}${/[.?!:]$/.test(named) ? '' : '.'} ${unchanged}`);
}

/** The parts of a result, worded by its operation. */
export interface DoneParts {
  /** mrkdwn, with the person mentioned. */
  sentence: string;
  /** The notification line, plain: "attached 192.168.100.12 to web-1". */
  plainText: string;
  /** The pool, for the small print: only when the sentence does not name it already. */
  pool?: string;
  requestId: string | undefined;
  /** The answer was lost, and fipbot checked that the change was made. */
  recovered: boolean;
}

/** The result, posted for everyone: who did what, to which instance and IP. */
export function doneMessage(parts: DoneParts, userId: string): Message {
  const recovered = parts.recovered ? 'The answer from OpenStack was lost; fipbot checked that the change was made.' : '';
  const details = context(
    parts.pool ? `pool ${escapeName(parts.pool)}` : '',
    parts.requestId ? `OpenStack request ${code(parts.requestId)}` : '',
    recovered,
  );
  return {
    text: `${escapeName(parts.plainText)} (by ${mention(userId)})`,
    blocks: [section(`:white_check_mark: ${parts.sentence}`), ...(details.elements.length > 0 ? [details] : [])],
  };
}

/** Pool lines shown in a diagnosis: room is left for the title, the "more" line and the attached line. */
const MAX_POOL_LINES = LIMITS.messageBlocks - 10;

export function diagnosisMessage(diagnosis: Diagnosis): Message {
  const words = explainDiagnosis(diagnosis);
  const hidden = words.pools.length - MAX_POOL_LINES;
  return {
    text: escapeProse(words.title),
    blocks: [
      section(strong(escapeProse(words.title))),
      ...stepsBlock(words.steps),
      ...words.pools.slice(0, MAX_POOL_LINES).map((line) => section(escapeProse(line))),
      // Say what was left out rather than drop pools silently.
      ...(hidden > 0 ? [context(`…and ${plural(hidden, 'more pool')} not shown.`)] : []),
      ...(words.attached ? [context(escapeProse(words.attached))] : []),
    ],
  };
}

/** A value offered for copying ("Use 192.168.100.178"): alone on its line, so a long press copies it. */
export function copyMessage(value: string, note: string): Message {
  return { text: escape(value), blocks: [section(code(value)), context(escape(note))] };
}
