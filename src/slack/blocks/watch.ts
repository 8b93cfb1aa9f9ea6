/**
 * The watch's post: floating IPs changed outside fipbot (Horizon, the CLI,
 * Terraform) since the last poll, one line each, in one message. The lines
 * stop at a number a phone can read; the rest are counted, never dropped.
 */
import type { Change } from '../../jobs/watch-diff.js';
import type { Message } from './messages.js';
import { stepsBlock } from './next-steps.js';
import { bold, code, context, section } from './text.js';

/** Lines in one post; more are counted in a last line. */
export const MAX_WATCH_LINES = 20;

export function watchMessage(changes: readonly Change[]): Message {
  const count = changes.length;
  const title = `${count} floating IP change${count === 1 ? '' : 's'} made outside fipbot`;
  const shown = changes.slice(0, MAX_WATCH_LINES).map((change) => `• ${line(change)}`);
  const more = count - shown.length;
  // The section clips at Block Kit's 3,000 characters should long pool names make twenty lines longer.
  const lines = [...shown, ...(more > 0 ? [`…and ${more} more.`] : [])].join('\n');
  return {
    text: count === 1 ? `Made outside fipbot: ${plainLine(changes[0]!)}.` : `${title}.`,
    blocks: [
      section(`*${title}*\n${lines}`),
      ...stepsBlock([
        { kind: 'command', label: 'Show the list', command: 'list' },
        { kind: 'command', label: 'Unattached IPs', command: 'leaks' },
      ]),
      context("Seen by fipbot's watch: made in Horizon, the CLI or another tool. Changes made through fipbot are not listed."),
    ],
  };
}

/** "`192.168.100.201` attached to `10.0.0.5`": what happened to one IP. */
function line(change: Change): string {
  const ip = code(change.ip.address);
  const fixed = (address: string | null) => (address ? code(address) : 'a port');
  switch (change.kind) {
    case 'allocated':
      return `${ip} allocated from pool ${bold(change.ip.pool)}${change.ip.portId ? `, attached to ${fixed(change.ip.fixedIp)}` : ''}`;
    case 'attached':
      return `${ip} attached to ${fixed(change.ip.fixedIp)}`;
    case 'detached':
      return `${ip} detached from ${fixed(change.was.fixedIp)}`;
    case 'moved':
      return `${ip} moved from ${fixed(change.was.fixedIp)} to ${fixed(change.ip.fixedIp)}`;
    case 'released':
      return `${ip} released (pool ${bold(change.ip.pool)})`;
  }
}

/** The line without markup, for the notification text. */
function plainLine(change: Change): string {
  return line(change).replace(/[`*]/g, '');
}
