/**
 * `/fip attach IP|new INSTANCE [--fixed-ip ADDRESS] [--pool POOL]` (associate,
 * add): the two words in either order (the IP is recognised by its shape);
 * `new` allocates and attaches in one request.
 */
import type { AttachPlan, AttachResult } from '../../floating-ips/views.js';
import { headroomNotes, reuseSteps } from '../../slack/blocks/headroom.js';
import { attachmentText, doneMessage, type Message } from '../../slack/blocks/messages.js';
import { bold, code, escapeName, mention, section } from '../../slack/blocks/text.js';
import { clipWord, isIpv4, looksLikeIp, splitOptions } from '../../slack/commands/arguments.js';
import { parseLeaseDuration } from '../../floating-ips/lease.js';
import { leaseChangeLine, withLease } from '../../slack/blocks/lease.js';
import type { ChangeOperation, Parsed } from '../types.js';

export interface AttachCommand {
  ip: string;
  instance: string;
  fixedIp?: string;
  pool?: string;
  /** `--for 2h` (new only): the lease's length. */
  leaseMs?: number;
}

export const attach: ChangeOperation<'attach', AttachCommand, AttachPlan, AttachResult> = {
  kind: 'change',
  name: 'attach',
  aliases: ['associate', 'add'],
  usage: '/fip attach IP|new INSTANCE [--fixed-ip ADDRESS] [--pool POOL] [--for 30m|2h|3d]',
  help: 'attach a floating IP, or `new` for a fresh one, to an instance',
  activity: 'Attaching floating IPs',
  words: { verb: 'attach the floating IP', nothingChanged: 'Nothing was changed: no floating IP was attached or allocated.' },
  parse,
  form: {
    label: 'Attach a floating IP',
    submit: 'Next',
    fields: [
      { field: 'ip', label: 'Floating IP', placeholder: 'Pick a free IP, or "New floating IP"', required: true },
      { field: 'instance', label: 'Instance', placeholder: 'Type a name', required: true },
      {
        field: 'fixedIp',
        label: 'Fixed IP of the instance',
        placeholder: 'e.g. 10.0.0.12',
        required: false,
        hint: 'Only when the instance has several addresses the IP could go to.',
      },
      { field: 'pool', label: 'Pool (new floating IPs only)', placeholder: 'The pool the instance can reach', required: false },
    ],
    ipPicker: { filter: 'all', offersNew: true },
    read({ ip, instance, fixedIp, pool }) {
      if (pool && ip !== 'new')
        return { errors: { pool: 'Only a new floating IP takes a pool: an existing one already belongs to its pool.' } };
      return { request: { ip: ip!, instance: instance!, ...(fixedIp ? { fixedIp } : {}), ...(pool ? { pool } : {}) } };
    },
  },
  // "new" allocates as well as attaches: whoever may not create floating IPs may not do it this way either.
  alsoNeeds: ({ request, plan }) => (request?.ip === 'new' || plan?.floatingIp === null ? ['create'] : []),
  plan: ({ service, description, owner }, { leaseMs, ...request }) =>
    service.prepareAttach({
      ...request,
      description: description(),
      owner,
      ...(leaseMs !== undefined ? { lease: { ms: leaseMs, owner } } : {}),
    }),
  // The confirmation showed the move, so confirming it is consent to move.
  execute: (service, plan) => service.executeAttach(plan, { confirmMove: true }),
  alreadyDone: (plan) => (plan.alreadyAttached ? alreadyAttachedMessage(plan) : undefined),
  summary(plan) {
    const ip = plan.floatingIp ? plan.floatingIp.address : `a new floating IP from ${plan.pool.name}`;
    return `${plan.moveFrom ? 'Move' : 'Attach'} ${ip} to ${plan.instance.name}`;
  },
  changes(plan) {
    const target = `${code(plan.target.address)} of ${bold(plan.instance.name)} on network ${bold(plan.target.network.name)}${plan.target.router ? ` (through router ${bold(plan.target.router.name)})` : ''}`;
    const lines = plan.floatingIp
      ? [`• Floating IP ${code(plan.floatingIp.address)} from pool ${bold(plan.pool.name)} is attached to ${target}.`]
      : [
          `• A new floating IP from pool ${bold(plan.pool.name)} is allocated and attached to ${target} in one step.`,
          ...(plan.lease ? [leaseChangeLine(plan.lease)] : []),
        ];
    if (plan.moveFrom) {
      lines.push(
        `:warning: ${code(plan.floatingIp!.address)} is attached to ${attachmentText(plan.moveFrom)} now: this moves it away from there, and that instance loses the address.`,
      );
    }
    return lines;
  },
  confirmLabel: (plan) => (plan.moveFrom ? 'Move it' : 'Attach'),
  notes: (plan) => (plan.floatingIp ? [] : headroomNotes(plan.headroom, plan.pool)),
  // A new IP for an instance while the project has unattached ones of that pool: one of them instead.
  alternatives: (plan) => (plan.floatingIp ? [] : reuseSteps(plan.headroom, plan.instance.id || plan.instance.name)),
  destructive: (plan) => plan.moveFrom !== null,
  result({ plan, floatingIp, requestId, recovered, lease }, userId) {
    const who = mention(userId);
    const target = `${bold(plan.instance.name)} (${code(plan.target.address)} on ${bold(plan.target.network.name)})`;
    const moved = plan.moveFrom ? `, moving it from ${attachmentText(plan.moveFrom)}` : '';
    const message = doneMessage(
      {
        sentence: plan.floatingIp
          ? `${who} attached ${code(floatingIp.address)} to ${target}${moved}.`
          : `${who} allocated ${code(floatingIp.address)} from pool ${bold(plan.pool.name)} and attached it to ${target}.`,
        // Phones show only this line: whoever watches the other instance must see that it lost the address.
        plainText: plan.moveFrom
          ? `moved ${floatingIp.address} from ${plan.moveFrom.instance?.name ?? (plan.moveFrom.deviceOwner || `port ${plan.moveFrom.portId}`)} to ${plan.instance.name}`
          : `attached ${floatingIp.address} to ${plan.instance.name}`,
        // A new IP's sentence names its pool already.
        ...(plan.floatingIp ? { pool: plan.pool.name } : {}),
        requestId,
        recovered,
      },
      userId,
    );
    return withLease(message, lease);
  },
  audit: (plan, done) => ({
    ...(done ? { ip: done.floatingIp.address } : plan.floatingIp ? { ip: plan.floatingIp.address } : {}),
    instance: plan.instance.name,
    fixedIp: plan.target.address,
    pool: plan.pool.name,
  }),
  past: 'attached',
  auditWhat: ({ ip, instance, fixedIp }) =>
    `${ip ?? 'a new floating IP'} to ${instance ?? 'an instance'}${fixedIp ? ` (fixed IP ${fixedIp})` : ''}`,
};

function parse(args: readonly string[]): Parsed<AttachCommand> {
  const { positional, options, problem } = splitOptions(args, ['fixed-ip', 'pool', 'for']);
  if (problem) return { ok: false, problem };
  if (positional.length !== 2) return { ok: false, problem: 'attach needs a floating IP (or "new") and an instance.' };
  // Either order: the IP is the word shaped like an address, an id, or "new".
  const isIpWord = (word: string) => looksLikeIp(word) || word.toLowerCase() === 'new';
  const [a, b] = positional as [string, string];
  let ip: string;
  let instance: string;
  if (isIpWord(a) && !isIpWord(b)) [ip, instance] = [a, b];
  else if (isIpWord(b) && !isIpWord(a)) [ip, instance] = [b, a];
  else if (isIpWord(a) && isIpWord(b)) [ip, instance] = a.toLowerCase() === 'new' || looksLikeIp(a) ? [a, b] : [b, a];
  else return { ok: false, problem: `Neither "${clipWord(a)}" nor "${clipWord(b)}" is a floating IP address (or "new").` };
  const fixedIp = options['fixed-ip'];
  if (fixedIp !== undefined && !isIpv4(fixedIp) && !fixedIp.includes(':')) {
    return { ok: false, problem: `--fixed-ip needs an address of the instance, not "${clipWord(fixedIp)}".` };
  }
  if (options.pool && ip.toLowerCase() !== 'new') {
    return { ok: false, problem: '--pool only applies to "new": an existing floating IP already belongs to a pool.' };
  }
  // A lease releases the IP when it ends: fipbot sets one only on an IP it allocates for this, never on one someone holds.
  if (options.for !== undefined && ip.toLowerCase() !== 'new') {
    return {
      ok: false,
      problem: `--for only applies to "new": a lease releases the IP when it ends, so it is set only on an IP allocated for it (/fip attach new ${clipWord(instance)} --for ${clipWord(options.for)}).`,
    };
  }
  const lease = options.for === undefined ? undefined : parseLeaseDuration(options.for);
  if (lease && !lease.ok) return lease;
  return {
    ok: true,
    request: {
      ip: ip.toLowerCase() === 'new' ? 'new' : ip,
      instance,
      ...(fixedIp ? { fixedIp } : {}),
      ...(options.pool ? { pool: options.pool } : {}),
      ...(lease ? { leaseMs: lease.ms } : {}),
    },
  };
}

function alreadyAttachedMessage(plan: AttachPlan): Message {
  const text = `${plan.floatingIp?.address ?? 'The floating IP'} is already attached to ${plan.instance.name} (${plan.target.address}). Nothing to do.`;
  return {
    text: escapeName(text),
    blocks: [
      section(
        `${code(plan.floatingIp?.address ?? '')} is already attached to ${bold(plan.instance.name)} (${code(plan.target.address)}). Nothing to do.`,
      ),
    ],
  };
}
