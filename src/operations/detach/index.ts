/** `/fip detach IP [INSTANCE]` (disassociate, remove): checked against the instance when named; the IP stays allocated. */
import type { DetachPlan, DetachResult } from '../../floating-ips/views.js';
import { attachmentText, doneMessage } from '../../slack/blocks/messages.js';
import { code, mention } from '../../slack/blocks/text.js';
import { clipWord, looksLikeIp, splitOptions } from '../../slack/commands/arguments.js';
import type { ChangeOperation } from '../types.js';

export const detach: ChangeOperation<'detach', { ip: string; instance?: string }, DetachPlan, DetachResult> = {
  kind: 'change',
  name: 'detach',
  aliases: ['disassociate', 'remove'],
  usage: '/fip detach IP [INSTANCE]',
  help: 'detach a floating IP (checked against the instance, if named)',
  activity: 'Detaching floating IPs',
  words: { verb: 'detach the floating IP', nothingChanged: 'Nothing was changed: the floating IP is still where it was.' },
  parse(args) {
    const { positional, problem } = splitOptions(args, []);
    if (problem) return { ok: false, problem };
    if (positional.length < 1 || positional.length > 2)
      return { ok: false, problem: 'detach needs a floating IP, optionally followed by its instance.' };
    const [a, b] = positional as [string, string | undefined];
    const [ip, instance] = b !== undefined && looksLikeIp(b) && !looksLikeIp(a) ? [b, a] : [a, b];
    if (!looksLikeIp(ip)) return { ok: false, problem: `"${clipWord(ip)}" is not a floating IP address.` };
    return { ok: true, request: { ip, ...(instance !== undefined ? { instance } : {}) } };
  },
  form: {
    label: 'Detach a floating IP',
    submit: 'Next',
    fields: [{ field: 'ip', label: 'Floating IP', placeholder: 'Pick an attached IP', required: true }],
    ipPicker: { filter: 'attached', offersNew: false },
    read: ({ ip }) => ({ request: { ip: ip! } }),
  },
  plan: ({ service }, request) => service.prepareDetach(request),
  execute: (service, plan) => service.executeDetach(plan),
  summary: (plan) => `Detach ${plan.floatingIp.address} from ${plan.from.instance?.name ?? plan.from.portId}`,
  changes: (plan) => [
    `• ${code(plan.floatingIp.address)} is detached from ${attachmentText(plan.from)}, which is no longer reachable at that address.`,
    '• The floating IP stays allocated to the project (release it to give it back to the pool).',
  ],
  confirmLabel: () => 'Detach',
  destructive: () => false,
  result: ({ plan, requestId, recovered }, userId) =>
    doneMessage(
      {
        sentence: `${mention(userId)} detached ${code(plan.floatingIp.address)} from ${attachmentText(plan.from)}. It stays allocated to the project.`,
        plainText: `detached ${plan.floatingIp.address} from ${plan.from.instance?.name ?? 'its port'}`,
        pool: plan.floatingIp.pool.name,
        requestId,
        recovered,
      },
      userId,
    ),
  audit: (plan) => ({
    ip: plan.floatingIp.address,
    ...(plan.from.instance ? { instance: plan.from.instance.name } : {}),
    ...(plan.from.fixedIp ? { fixedIp: plan.from.fixedIp } : {}),
    pool: plan.floatingIp.pool.name,
  }),
  past: 'detached',
  auditWhat: ({ ip, instance }) => `${ip ?? 'a floating IP'}${instance ? ` from ${instance}` : ''}`,
  row: { request: (row) => ({ ip: row.id }), floatingIp: (plan) => plan.floatingIp },
};
