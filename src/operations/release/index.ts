/** `/fip release IP` (delete): give a floating IP back to its pool, detaching it first when attached. */
import type { ReleasePlan, ReleaseResult } from '../../floating-ips/views.js';
import { attachmentText, doneMessage } from '../../slack/blocks/messages.js';
import { bold, code, mention } from '../../slack/blocks/text.js';
import { clipWord, looksLikeIp, splitOptions } from '../../slack/commands/arguments.js';
import type { ChangeOperation } from '../types.js';

export const release: ChangeOperation<'release', { ip: string }, ReleasePlan, ReleaseResult> = {
  kind: 'change',
  name: 'release',
  aliases: ['delete'],
  usage: '/fip release IP',
  help: 'give a floating IP back to its pool',
  activity: 'Releasing floating IPs',
  words: { verb: 'release the floating IP', nothingChanged: 'Nothing was changed: the floating IP was not released.' },
  parse(args) {
    const { positional, problem } = splitOptions(args, []);
    if (problem) return { ok: false, problem };
    if (positional.length !== 1) return { ok: false, problem: 'release takes exactly one floating IP.' };
    if (!looksLikeIp(positional[0]!)) return { ok: false, problem: `"${clipWord(positional[0]!)}" is not a floating IP address.` };
    return { ok: true, request: { ip: positional[0]! } };
  },
  form: {
    label: 'Release a floating IP',
    submit: 'Next',
    fields: [{ field: 'ip', label: 'Floating IP', placeholder: 'Pick the IP to give back', required: true }],
    ipPicker: { filter: 'all', offersNew: false },
    read: ({ ip }) => ({ request: { ip: ip! } }),
  },
  plan: ({ service }, request) => service.prepareRelease(request.ip),
  execute: (service, plan) => service.executeRelease(plan),
  summary: (plan) => `Release ${plan.floatingIp.address}`,
  changes(plan) {
    const lines = [
      `• ${code(plan.floatingIp.address)} goes back to pool ${bold(plan.floatingIp.pool.name)}; the project may not get this address again.`,
    ];
    if (plan.attachedTo)
      lines.push(`:warning: It is attached to ${attachmentText(plan.attachedTo)}: releasing it also detaches it from there.`);
    return lines;
  },
  confirmLabel: () => 'Release',
  destructive: () => true,
  result: ({ plan, requestId, recovered }, userId) =>
    doneMessage(
      {
        sentence: `${mention(userId)} released ${code(plan.floatingIp.address)}${plan.attachedTo ? ` (it was attached to ${attachmentText(plan.attachedTo)})` : ''}.`,
        plainText: `released ${plan.floatingIp.address}`,
        pool: plan.floatingIp.pool.name,
        requestId,
        recovered,
      },
      userId,
    ),
  audit: (plan) => ({
    ip: plan.floatingIp.address,
    ...(plan.attachedTo?.instance ? { instance: plan.attachedTo.instance.name } : {}),
    pool: plan.floatingIp.pool.name,
  }),
  past: 'released',
  auditWhat: ({ ip }) => ip ?? 'a floating IP',
  row: { request: (row) => ({ ip: row.id }), floatingIp: (plan) => plan.floatingIp },
};
