/**
 * The messages fipbot sends: help, confirmations, progress, results,
 * refusals and diagnoses. Pure builders (no I/O); every message carries a
 * meaningful top-level `text`, because phone notifications show only that.
 * Failure wording comes from floating-ips/explain.ts; this module only lays
 * it out.
 */
import { explain, explainDiagnosis } from '../../floating-ips/explain.js';
import type { Attachment, Failure } from '../../floating-ips/failures.js';
import type { Allocated, AttachResult, DetachResult, Diagnosis, ReleaseResult } from '../../floating-ips/views.js';
import { type CommandName, USAGE } from '../commands/parse.js';
import type { PendingAction } from '../pending.js';
import { ACTIONS } from './ids.js';
import { bold, button, code, context, escape, header, mention, section } from './text.js';

export interface Message {
  text: string;
  blocks: unknown[];
}

const HELP_LINES: Array<[CommandName, string]> = [
  ['list', 'show the project\'s floating IPs, with buttons to attach, detach or release each'],
  ['create', 'allocate a floating IP (from the default pool, or the one named)'],
  ['attach', 'attach a floating IP, or `new` for a fresh one, to an instance'],
  ['detach', 'detach a floating IP (checked against the instance, if named)'],
  ['release', 'give a floating IP back to its pool'],
  ['explain', 'why an instance can or cannot take a floating IP'],
];

export function helpMessage(topic?: CommandName): Message {
  const lines = (topic && topic !== 'help' ? HELP_LINES.filter(([name]) => name === topic) : HELP_LINES).map(
    ([name, what]) => `${code(USAGE[name])}\n${what}`,
  );
  return {
    text: 'fipbot: OpenStack floating IPs from Slack. /fip list, create, attach, detach, release, explain.',
    blocks: [
      header('fipbot: floating IPs'),
      section(lines.join('\n\n')),
      context('`/fip` alone opens a form. Every change is shown first and happens only when you confirm.'),
    ],
  };
}

export function invalidCommandMessage(problem: string, topic?: CommandName, suggestion?: CommandName): Message {
  const lines = [escape(problem)];
  if (suggestion) lines.push(`Did you mean ${code(USAGE[suggestion])}?`);
  else if (topic) lines.push(`Usage: ${code(USAGE[topic])}`);
  return {
    text: `${escape(problem)} ${suggestion ? `Did you mean /fip ${suggestion}?` : 'Try /fip help.'}`,
    blocks: [section(lines.join('\n')), context('`/fip help` lists every command; `/fip` alone opens a form.')],
  };
}

function where(attachment: Attachment): string {
  const name = attachment.instance ? bold(attachment.instance.name) : attachment.deviceOwner ? escape(attachment.deviceOwner) : `port ${code(attachment.portId)}`;
  return attachment.fixedIp ? `${name} (${code(attachment.fixedIp)})` : name;
}

/** One line saying what a pending change does, for titles and notifications (plain text). */
export function summarise(action: PendingAction): string {
  switch (action.kind) {
    case 'allocate':
      return `Allocate a floating IP from pool ${action.plan.pool.name}`;
    case 'attach': {
      const { plan } = action;
      const ip = plan.floatingIp ? plan.floatingIp.address : `a new floating IP from ${plan.pool.name}`;
      return `${plan.moveFrom ? 'Move' : 'Attach'} ${ip} to ${plan.instance.name}`;
    }
    case 'detach':
      return `Detach ${action.plan.floatingIp.address} from ${action.plan.from.instance?.name ?? action.plan.from.portId}`;
    case 'release':
      return `Release ${action.plan.floatingIp.address}`;
  }
}

/** Exactly what will change, side effects included. */
export function describeChange(action: PendingAction): string[] {
  switch (action.kind) {
    case 'allocate': {
      const { plan } = action;
      const why = plan.poolChoice === 'only_pool' ? ' (the only pool)' : plan.poolChoice === 'router_gateway' ? " (the pool the project's routers use)" : '';
      return [
        `• A floating IP is allocated from pool ${bold(plan.pool.name)}${why} to the project.`,
        '• It is not attached to anything yet: use Attach on it afterwards.',
      ];
    }
    case 'attach': {
      const { plan } = action;
      const target = `${code(plan.target.address)} of ${bold(plan.instance.name)} on network ${bold(plan.target.network.name)}${plan.target.router ? ` (through router ${bold(plan.target.router.name)})` : ''}`;
      const lines = plan.floatingIp
        ? [`• Floating IP ${code(plan.floatingIp.address)} from pool ${bold(plan.pool.name)} is attached to ${target}.`]
        : [`• A new floating IP from pool ${bold(plan.pool.name)} is allocated and attached to ${target} in one step.`];
      if (plan.moveFrom) {
        lines.push(`:warning: ${code(plan.floatingIp!.address)} is attached to ${where(plan.moveFrom)} now: this moves it away from there, and that instance loses the address.`);
      }
      return lines;
    }
    case 'detach': {
      const { plan } = action;
      return [
        `• ${code(plan.floatingIp.address)} is detached from ${where(plan.from)}, which is no longer reachable at that address.`,
        '• The floating IP stays allocated to the project (release it to give it back to the pool).',
      ];
    }
    case 'release': {
      const { plan } = action;
      const lines = [`• ${code(plan.floatingIp.address)} goes back to pool ${bold(plan.floatingIp.pool.name)}; the project may not get this address again.`];
      if (plan.attachedTo) lines.push(`:warning: It is attached to ${where(plan.attachedTo)}: releasing it also detaches it from there.`);
      return lines;
    }
  }
}

export function confirmationMessage(action: PendingAction, token: string): Message {
  const title = summarise(action);
  const destructive = action.kind === 'release' || (action.kind === 'attach' && action.plan.moveFrom !== null);
  const confirm = button(confirmLabel(action), ACTIONS.confirm, token, {
    style: destructive ? 'danger' : 'primary',
    ...(destructive
      ? { confirm: { title: `${title}?`, text: describeChange(action).join('\n'), confirm: confirmLabel(action), deny: 'Keep it', style: 'danger' as const } }
      : {}),
  });
  return {
    // Top-level text is mrkdwn too: a server called "<!channel>" must not notify the channel.
    text: `${escape(title)}? Confirm or cancel.`,
    blocks: [
      section(`*${escape(title)}?*`),
      section(describeChange(action).join('\n')),
      { type: 'actions', elements: [confirm, button('Cancel', ACTIONS.cancel, token)] },
      context('Nothing changes until you confirm. This confirmation expires in 15 minutes.'),
    ],
  };
}

/** The verb on the Confirm button (and the modal's submit): what the click does. */
export function confirmLabel(action: PendingAction): string {
  switch (action.kind) {
    case 'allocate':
      return 'Allocate';
    case 'attach':
      return action.plan.moveFrom ? 'Move it' : 'Attach';
    case 'detach':
      return 'Detach';
    case 'release':
      return 'Release';
  }
}

export function alreadyAttachedMessage(action: Extract<PendingAction, { kind: 'attach' }>): Message {
  const { plan } = action;
  const text = `${plan.floatingIp?.address ?? 'The floating IP'} is already attached to ${plan.instance.name} (${plan.target.address}). Nothing to do.`;
  return { text: escape(text), blocks: [section(`${code(plan.floatingIp?.address ?? '')} is already attached to ${bold(plan.instance.name)} (${code(plan.target.address)}). Nothing to do.`)] };
}

export function workingMessage(action: PendingAction): Message {
  const text = `Working… ${summarise(action)}`;
  return { text: escape(text), blocks: [section(`:hourglass_flowing_sand: ${escape(text)}`)] };
}

export function cancelledMessage(action: PendingAction | undefined): Message {
  const text = action ? `Cancelled: ${summarise(action)}. Nothing was changed.` : 'Cancelled. Nothing was changed.';
  return { text: escape(text), blocks: [section(escape(text))] };
}

export function expiredMessage(): Message {
  const text = 'This confirmation has expired or was already used. Nothing was changed by this click; run the command again to see the current state.';
  return { text, blocks: [section(escape(text))] };
}

export function notAllowedMessage(reason: string): Message {
  return { text: `Not allowed: ${reason}`, blocks: [section(`:lock: ${reason}`), context('Nothing was changed.')] };
}

/** Slack did not open the form (views.open failed): say so, and how to do without it. */
export function formUnavailableMessage(): Message {
  const text = 'Slack did not let fipbot open the form just now. Try /fip again in a moment, or type the command instead (/fip help lists them). Nothing was changed.';
  return { text, blocks: [section(`:warning: ${escape(text)}`)] };
}

/** A bug or an unexpected state inside fipbot: say so plainly, with a reference for the logs. */
export function internalErrorMessage(reference: string): Message {
  const text = `Something went wrong inside fipbot (reference ${reference}). As far as fipbot knows, nothing was changed; check with /fip list.`;
  return { text, blocks: [section(`:warning: ${escape(text)}`)] };
}

export function refusalMessage(failure: Failure): Message {
  const words = explain(failure);
  return {
    text: refusalText(failure, words.title, words.unchanged),
    blocks: [
      section(`:no_entry: *${escape(words.title)}*`),
      section(escape(words.cause)),
      section(`*What to do:* ${escape(words.remedy)}`),
      context(escape(words.unchanged), words.requestId ? `OpenStack request ${code(words.requestId)}` : ''),
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
  return escape(`${named}${/[.?!:]$/.test(named) ? '' : '.'} ${unchanged}`);
}

type Done =
  | { kind: 'allocate'; result: Allocated }
  | { kind: 'attach'; result: AttachResult }
  | { kind: 'detach'; result: DetachResult }
  | { kind: 'release'; result: ReleaseResult };

/** The result, posted for everyone: who did what, to which instance and IP. */
export function resultMessage(done: Done, userId: string): Message {
  const who = mention(userId);
  let sentence: string;
  let plainText: string;
  let requestId: string | undefined;
  let pool: string;
  switch (done.kind) {
    case 'allocate': {
      const fip = done.result.floatingIp;
      sentence = `${who} allocated ${code(fip.address)} from pool ${bold(fip.pool.name)}.`;
      plainText = `allocated ${fip.address} from pool ${fip.pool.name}`;
      requestId = done.result.requestId;
      pool = fip.pool.name;
      break;
    }
    case 'attach': {
      const { plan, floatingIp } = done.result;
      const target = `${bold(plan.instance.name)} (${code(plan.target.address)} on ${bold(plan.target.network.name)})`;
      const moved = plan.moveFrom ? `, moving it from ${where(plan.moveFrom)}` : '';
      sentence = plan.floatingIp
        ? `${who} attached ${code(floatingIp.address)} to ${target}${moved}.`
        : `${who} allocated ${code(floatingIp.address)} from pool ${bold(plan.pool.name)} and attached it to ${target}.`;
      // Phones show only this line: whoever watches the other instance must see that it lost the address.
      plainText = plan.moveFrom
        ? `moved ${floatingIp.address} from ${plan.moveFrom.instance?.name ?? (plan.moveFrom.deviceOwner || `port ${plan.moveFrom.portId}`)} to ${plan.instance.name}`
        : `attached ${floatingIp.address} to ${plan.instance.name}`;
      requestId = done.result.requestId;
      pool = plan.pool.name;
      break;
    }
    case 'detach': {
      const { plan } = done.result;
      sentence = `${who} detached ${code(plan.floatingIp.address)} from ${where(plan.from)}. It stays allocated to the project.`;
      plainText = `detached ${plan.floatingIp.address} from ${plan.from.instance?.name ?? 'its port'}`;
      requestId = done.result.requestId;
      pool = plan.floatingIp.pool.name;
      break;
    }
    case 'release': {
      const { plan } = done.result;
      sentence = `${who} released ${code(plan.floatingIp.address)}${plan.attachedTo ? ` (it was attached to ${where(plan.attachedTo)})` : ''}.`;
      plainText = `released ${plan.floatingIp.address}`;
      requestId = done.result.requestId;
      pool = plan.floatingIp.pool.name;
      break;
    }
  }
  const recovered = done.result.recovered ? 'The answer from OpenStack was lost; fipbot checked that the change was made.' : '';
  return {
    text: `${escape(plainText)} (by ${who})`,
    blocks: [
      section(`:white_check_mark: ${sentence}`),
      context(`pool ${escape(pool)}`, requestId ? `OpenStack request ${code(requestId)}` : '', recovered),
    ],
  };
}

/** Pool lines shown in a diagnosis: with the title, the "more" line and the attached line, within a message's 50 blocks. */
const MAX_POOL_LINES = 40;

export function diagnosisMessage(diagnosis: Diagnosis): Message {
  const words = explainDiagnosis(diagnosis);
  const hidden = words.pools.length - MAX_POOL_LINES;
  return {
    text: escape(words.title),
    blocks: [
      section(`*${escape(words.title)}*`),
      ...words.pools.slice(0, MAX_POOL_LINES).map((line) => section(escape(line))),
      // Say what was left out rather than drop pools silently.
      ...(hidden > 0 ? [context(`…and ${hidden} more pools not shown.`)] : []),
      ...(words.attached ? [context(escape(words.attached))] : []),
    ],
  };
}
