/** How a lease reads in a confirmation, a result and a row: one wording for every surface. */
import type { LeaseRequest, LeaseWritten } from '../../floating-ips/lease-write.js';
import { LEASE_LIMITS, spoken, whenLeaseEnds } from '../../floating-ips/lease.js';
import type { Message } from './messages.js';
import { section } from './text.js';

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
