/**
 * The leak report: unattached floating IPs, oldest first, each with how long
 * and who allocated it; tick some to reclaim them, or reclaim all. One
 * checkbox group holds Block Kit's ten; the rest are counted, never dropped.
 */
import type { Leak, LeakReport } from '../../floating-ips/views.js';
import { MAX_RECLAIM } from '../../operations/reclaim/use-case.js';
import { allocationOwner } from '../allocation-stamp.js';
import { ACTIONS, BLOCKS } from './ids.js';
import { LIMITS } from './limits.js';
import type { Message } from './messages.js';
import { button, clip, code, context, escape, mention, plain, section } from './text.js';

/** What a checkbox carries: the IP, and the revision the person saw (reclaiming it is guarded by it). */
export interface LeakPick {
  id: string;
  revision?: number;
}

export function leakReportMessage(report: LeakReport, projectName?: string): Message {
  const count = report.leaks.length;
  const where = projectName ? ` in project ${escape(projectName)}` : '';
  if (count === 0) {
    const text = `No unattached floating IPs${where}: nothing is leaking.`;
    return { text, blocks: [section(`:white_check_mark: ${text}`)] };
  }
  const title = `${count} unattached floating IP${count === 1 ? '' : 's'}${where}`;
  const shown = report.leaks.slice(0, LIMITS.checkboxOptions);
  const hidden = count - shown.length;
  return {
    text: `${title}, the oldest unattached ${age(report.leaks[0]!, report.asOf)}.`,
    blocks: [
      section(`*${title}*\nOldest first. Tick the ones nobody needs and reclaim them, or reclaim them all.`),
      {
        type: 'actions',
        block_id: BLOCKS.leakPick,
        elements: [{ type: 'checkboxes', action_id: ACTIONS.leakPick, options: shown.map((leak) => option(leak, report.asOf)) }],
      },
      {
        type: 'actions',
        elements: [
          button('Reclaim ticked', ACTIONS.reclaimPicked, 'picked', { style: 'primary' }),
          button(count > MAX_RECLAIM ? `Reclaim the oldest ${MAX_RECLAIM}` : `Reclaim all ${count}`, ACTIONS.reclaimAll, 'all'),
        ],
      },
      ...(hidden > 0 ? [context(`…and ${hidden} more, not shown. Reclaiming all takes the oldest ${MAX_RECLAIM} at a time.`)] : []),
      context('Nothing changes until you confirm on the next message.'),
    ],
  };
}

/** A message (a quota refusal) with the report's checkboxes and buttons under it: the way out in the same message. */
export function withLeakReport(message: Message, report: LeakReport): Message {
  const [, ...controls] = leakReportMessage(report).blocks;
  return { text: message.text, blocks: [...message.blocks, ...controls] };
}

function option(leak: Leak, asOf: string) {
  const owner = allocationOwner(leak);
  const value: LeakPick = { id: leak.id, ...(leak.revision !== undefined ? { revision: leak.revision } : {}) };
  return {
    // mrkdwn, so that the owner shows as a mention; the address alone stays copyable.
    text: {
      type: 'mrkdwn',
      text: clip(`${code(leak.address)} · ${owner ? `by ${mention(owner.userId)}` : 'outside fipbot'}`, LIMITS.optionText),
    },
    description: plain(`unattached ${age(leak, asOf)} · pool ${leak.pool.name}`, LIMITS.optionDescription),
    value: JSON.stringify(value),
  };
}

/** "12 days", "5 hours", "20 minutes": how long it has been unattached; "for an unknown time" without timestamps. */
export function age(leak: Pick<Leak, 'since'>, asOf: string): string {
  if (!leak.since) return 'for an unknown time';
  const minutes = Math.max(0, Math.floor((Date.parse(asOf) - Date.parse(leak.since)) / 60_000));
  if (Number.isNaN(minutes)) return 'for an unknown time';
  const [n, unit] =
    minutes < 120 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.floor(minutes / 60), 'hour'] : [Math.floor(minutes / 1440), 'day'];
  return `for ${n} ${unit}${n === 1 ? '' : 's'}`;
}
