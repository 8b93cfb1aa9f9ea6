/** `/fip create [POOL]` (allocate, new): allocate a floating IP to the project, attached to nothing yet. */
import type { Allocated, AllocatePlan } from '../../floating-ips/views.js';
import { headroomNotes, reuseSteps } from '../../slack/blocks/headroom.js';
import { doneMessage } from '../../slack/blocks/messages.js';
import { bold, code, mention } from '../../slack/blocks/text.js';
import { splitOptions } from '../../slack/commands/arguments.js';
import { parseLeaseDuration } from '../../floating-ips/lease.js';
import { leaseChangeLine, withLease } from '../../slack/blocks/lease.js';
import type { ChangeOperation } from '../types.js';

export interface CreateCommand {
  pool?: string;
  /** `--for 2h`: the lease's length. */
  leaseMs?: number;
}

export const create: ChangeOperation<'create', CreateCommand, AllocatePlan, Allocated> = {
  kind: 'change',
  name: 'create',
  aliases: ['allocate', 'new'],
  usage: '/fip create [POOL] [--for 30m|2h|3d]',
  help: 'allocate a floating IP (from the default pool, or the one named); `--for 2h` releases it by itself after that',
  activity: 'Creating floating IPs',
  words: { verb: 'allocate a floating IP', nothingChanged: 'No floating IP was allocated.' },
  parse(args) {
    const { positional, options, problem } = splitOptions(args, ['pool', 'for']);
    if (problem) return { ok: false, problem };
    const pool = options.pool ?? positional[0];
    if (positional.length > (options.pool ? 0 : 1)) return { ok: false, problem: 'create takes at most one pool name.' };
    const lease = options.for === undefined ? undefined : parseLeaseDuration(options.for);
    if (lease && !lease.ok) return lease;
    return { ok: true, request: { ...(pool ? { pool } : {}), ...(lease ? { leaseMs: lease.ms } : {}) } };
  },
  form: {
    label: 'Allocate a new floating IP',
    submit: 'Next',
    fields: [{ field: 'pool', label: 'Pool', placeholder: 'Optional: the only pool, or the one your routers use', required: false }],
    read: (values) => ({ request: values.pool ? { pool: values.pool } : {} }),
  },
  plan: ({ service, description, owner }, { leaseMs, ...request }) =>
    service.prepareAllocate({
      ...request,
      description: description(),
      owner,
      ...(leaseMs !== undefined ? { lease: { ms: leaseMs, owner } } : {}),
    }),
  execute: (service, plan) => service.executeAllocate(plan),
  summary: (plan) => `Allocate a floating IP from pool ${plan.pool.name}`,
  changes(plan) {
    const why =
      plan.poolChoice === 'only_pool'
        ? ' (the only pool)'
        : plan.poolChoice === 'router_gateway'
          ? " (the pool the project's routers use)"
          : '';
    return [
      `• A floating IP is allocated from pool ${bold(plan.pool.name)}${why} to the project.`,
      '• It is not attached to anything yet: use Attach on it afterwards.',
      ...(plan.lease ? [leaseChangeLine(plan.lease)] : []),
    ];
  },
  confirmLabel: () => 'Allocate',
  notes: (plan) => headroomNotes(plan.headroom, plan.pool),
  alternatives: (plan) => reuseSteps(plan.headroom),
  destructive: () => false,
  result: (done, userId) =>
    withLease(
      doneMessage(
        {
          sentence: `${mention(userId)} allocated ${code(done.floatingIp.address)} from pool ${bold(done.floatingIp.pool.name)}.`,
          plainText: `allocated ${done.floatingIp.address} from pool ${done.floatingIp.pool.name}`,
          requestId: done.requestId,
          recovered: done.recovered,
        },
        userId,
      ),
      done.lease,
    ),
  audit: (plan, done) => ({ pool: plan.pool.name, ...(done ? { ip: done.floatingIp.address } : {}) }),
  past: 'created',
  auditWhat: ({ ip, pool }) => `${ip ?? 'a floating IP'}${pool ? ` from pool ${pool}` : ''}`,
};
