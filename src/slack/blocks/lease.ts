/** How a lease reads in a confirmation, a result and a row: one wording for every surface. */
import type { LeaseRequest, LeaseWritten } from '../../floating-ips/lease-write.js';
import { type Lease, LEASE_LIMITS, spoken, whenLeaseEnds } from '../../floating-ips/lease.js';
import { ACTIONS } from './ids.js';
import type { Message } from './messages.js';
import { stepButtons, stepsBlock } from './next-steps.js';
import { button, code, context, section } from './text.js';

/** The confirmation's line: the lease starts when the IP is allocated, so it is said as a length. */
export function leaseChangeLine(lease: LeaseRequest): string {
  return `• It is released automatically ${spoken(lease.ms)} after it is allocated; you get a direct message ${spoken(LEASE_LIMITS.remindBeforeMs)} before, to extend it or release it at once.`;
}

/** The result's line: when, or that no lease was written (the IP then stays until someone releases it). */
export function leaseResultLine(lease: LeaseWritten): string {
  return lease.written
    ? `:hourglass_flowing_sand: Released automatically ${whenLeaseEnds(lease.expiresAt, lease.expiresAt - lease.ms)}.`
    : ':warning: The lease could not be written on the IP, so it will *not* be released automatically. Release it yourself when you are done.';
}

/** A result with its lease line under the sentence. */
export function withLease(message: Message, lease: LeaseWritten | undefined): Message {
  if (!lease) return message;
  const line = leaseResultLine(lease);
  const [first, ...rest] = message.blocks;
  return {
    text: `${message.text}${lease.written ? '' : ' (no lease: it will not be released automatically)'}`,
    blocks: [...(first ? [first] : []), section(line), ...rest],
  };
}

/** What the Extend button carries: the IP, and the lease tag the owner was shown (extended only if still that one). */
export interface ExtendValue {
  id: string;
  tag: string;
}

/** The reminder, a direct message to the owner: when it goes, Extend as the primary, Release now through the normal release. */
export function leaseReminderMessage(address: string, floatingIpId: string, lease: Lease, now: number): Message {
  const value: ExtendValue = { id: floatingIpId, tag: lease.tag };
  const extend = `Extend ${spoken(LEASE_LIMITS.extendByMs)}`;
  return {
    text: `${address} is released ${whenLeaseEnds(lease.expiresAt, now)} (its lease ends)`,
    blocks: [
      section(`:hourglass: Your floating IP ${code(address)} is released ${whenLeaseEnds(lease.expiresAt, now)}, when its lease ends.`),
      context(`${extend} to keep it longer, or release it now if you are done.`),
      {
        type: 'actions',
        elements: [
          button(extend, ACTIONS.leaseExtend, JSON.stringify(value), { style: 'primary' }),
          ...stepButtons([{ kind: 'command', label: 'Release now', command: `release ${floatingIpId}` }], { primary: false }),
        ],
      },
    ],
  };
}

/** The lease ended and fipbot released the IP. */
export function leaseReleasedMessage(address: string): Message {
  return {
    text: `${address} was released: its lease ended`,
    blocks: [section(`:white_check_mark: Your floating IP ${code(address)} was released: its lease ended.`)],
  };
}

/** The lease ended, but the IP changed since it was set: fipbot leaves it alone and says what to do. */
export function leaseLeftAloneMessage(address: string): Message {
  return {
    text: `${address}: lease ended, but the IP changed since, so fipbot left it alone`,
    blocks: [
      section(
        `:warning: The lease of ${code(address)} ended, but the IP was attached, detached or changed since the lease was set, so fipbot left it alone.`,
      ),
      context('Release it yourself if nobody needs it.'),
      ...stepsBlock([{ kind: 'command', label: `Release ${address}`, command: `release ${address}` }]),
    ],
  };
}

/** Extend's answers, replacing the reminder. */
export function leaseExtendedMessage(address: string, lease: Lease, now: number): Message {
  return {
    text: `${address}: lease extended`,
    blocks: [
      section(`:white_check_mark: Extended: ${code(address)} is released ${whenLeaseEnds(lease.expiresAt, now)}.`),
      context(`You get another reminder ${spoken(LEASE_LIMITS.remindBeforeMs)} before.`),
    ],
  };
}

export function leaseNotExtendedMessage(address: string | undefined, why: 'gone' | 'changed' | 'not_owner', owner?: string): Message {
  const ip = address ? code(address) : 'The floating IP';
  const sentence =
    why === 'gone'
      ? `${ip} no longer exists: nothing to extend.`
      : why === 'changed'
        ? `${ip}'s lease changed since this reminder (extended, released, or edited by hand): nothing was extended.`
        : `Only ${owner ? `<@${owner}>` : 'the person who set the lease'} can extend it.`;
  return { text: sentence.replace(/`/g, ''), blocks: [section(`:information_source: ${sentence}`)] };
}
