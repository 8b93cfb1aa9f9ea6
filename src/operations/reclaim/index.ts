/** `/fip reclaim all | IP...`: release unattached floating IPs together, from the leak report or typed. */
import type { ReclaimPlan, ReclaimResult } from '../../floating-ips/views.js';
import { doneMessage } from '../../slack/blocks/messages.js';
import { bold, code, escape, mention } from '../../slack/blocks/text.js';
import { clipWord, looksLikeIp, splitOptions } from '../../slack/commands/arguments.js';
import type { ChangeOperation } from '../types.js';
import { MAX_RECLAIM, type ReclaimRequest } from './use-case.js';

const SKIPPED: Record<ReclaimResult['skipped'][number]['reason'], string> = {
  attached: 'attached in the meantime',
  changed: 'changed since you saw it',
  gone: 'already released',
  not_sent: 'not tried: OpenStack stopped answering',
};

export const reclaim: ChangeOperation<'reclaim', ReclaimRequest, ReclaimPlan, ReclaimResult> = {
  kind: 'change',
  name: 'reclaim',
  aliases: ['cleanup'],
  usage: '/fip reclaim all | IP [IP ...]',
  help: `release unattached floating IPs together (all: the oldest ${MAX_RECLAIM}); attached ones are never touched`,
  activity: 'Reclaiming floating IPs',
  words: { verb: 'release the unattached floating IPs', nothingChanged: 'Nothing was changed: no floating IP was released.' },
  // It releases: whoever may not release may not reclaim either.
  alsoNeeds: () => ['release'],
  parse(args) {
    const { positional, problem } = splitOptions(args, []);
    if (problem) return { ok: false, problem };
    if (positional.length === 1 && positional[0]!.toLowerCase() === 'all') return { ok: true, request: { all: true } };
    if (positional.length === 0) return { ok: false, problem: 'reclaim takes "all" or the floating IPs to release.' };
    if (positional.length > MAX_RECLAIM) return { ok: false, problem: `reclaim takes at most ${MAX_RECLAIM} floating IPs at a time.` };
    const bad = positional.find((word) => !looksLikeIp(word));
    if (bad) return { ok: false, problem: `"${clipWord(bad)}" is not a floating IP address.` };
    return { ok: true, request: { ips: positional.map((ip) => ({ ip })) } };
  },
  plan: ({ service }, request) => service.prepareReclaim(request),
  execute: (service, plan) => service.executeReclaim(plan),
  alreadyDone(plan) {
    if (plan.floatingIps.length > 0) return undefined;
    const text = plan.left.length
      ? `Nothing to reclaim: ${plan.left.map((left) => `${left.address} (${left.reason === 'attached' ? 'attached' : "not one of this project's floating IPs"})`).join(', ')}.`
      : 'Nothing to reclaim: no floating IP of this project is unattached.';
    return { text: escape(text), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escape(text) } }] };
  },
  summary: (plan) => `Release ${count(plan.floatingIps.length)}`,
  changes(plan) {
    const lines = plan.floatingIps.map((fip) => `• ${code(fip.address)} goes back to pool ${bold(fip.pool.name)}`);
    for (const left of plan.left)
      lines.push(
        `• ${code(left.address)} stays: ${left.reason === 'attached' ? 'it is attached' : "it is not one of this project's floating IPs"}`,
      );
    if (plan.more > 0) lines.push(`_${plan.more} more unattached stay for the next reclaim (at most ${MAX_RECLAIM} at a time)._`);
    lines.push('Any of them attached or changed before you confirm is skipped, not released.');
    return lines;
  },
  confirmLabel: (plan) => `Release ${plan.floatingIps.length}`,
  destructive: () => true,
  result: (done, userId) => {
    const released = done.released.length;
    const skipped = done.skipped.map((skip) => `${code(skip.address)} (${SKIPPED[skip.reason]})`);
    return doneMessage(
      {
        sentence:
          `${mention(userId)} reclaimed ${count(released)}${released ? `: ${done.released.map(code).join(', ')}` : ''}.` +
          (skipped.length ? `\nSkipped ${skipped.join(', ')}.` : ''),
        plainText: `reclaimed ${count(released)}${skipped.length ? `, skipped ${skipped.length}` : ''}`,
        pool: [...new Set(done.plan.floatingIps.map((fip) => fip.pool.name))].join(', '),
        requestId: done.requestId,
        recovered: done.recovered,
      },
      userId,
    );
  },
  audit: (plan, done) => ({ ip: (done?.released ?? plan.floatingIps.map((fip) => fip.address)).join(' ') }),
  past: 'reclaimed',
  auditWhat: ({ ip }) => (ip ? ip.split(' ').join(', ') : 'no floating IP'),
};

function count(n: number): string {
  return `${n} floating IP${n === 1 ? '' : 's'}`;
}
