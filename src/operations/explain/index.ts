/** `/fip explain INSTANCE` (why, diagnose): per pool, can the instance take a floating IP, through which router, or why not. */
import type { Diagnosis } from '../../floating-ips/views.js';
import { diagnosisMessage } from '../../slack/blocks/messages.js';
import { splitOptions } from '../../slack/commands/arguments.js';
import type { ReadOperation } from '../types.js';

export const explain: ReadOperation<'explain', { instance: string }, Diagnosis> = {
  kind: 'read',
  answerTitle: 'Explanation',
  name: 'explain',
  aliases: ['why', 'diagnose'],
  usage: '/fip explain INSTANCE',
  help: 'why an instance can or cannot take a floating IP',
  activity: 'Asking fipbot to explain an instance',
  words: { verb: 'check the instance', nothingChanged: 'Nothing was changed.' },
  parse(args) {
    const { positional, problem } = splitOptions(args, []);
    if (problem) return { ok: false, problem };
    if (positional.length !== 1) return { ok: false, problem: 'explain takes one instance name or id.' };
    return { ok: true, request: { instance: positional[0]! } };
  },
  form: {
    label: 'Explain an instance',
    submit: 'Explain',
    note: 'This only looks at the instance and its networks: nothing changes.',
    fields: [{ field: 'instance', label: 'Instance', placeholder: 'Type a name', required: true }],
    read: ({ instance }) => ({ request: { instance: instance! } }),
  },
  run: (service, request) => service.diagnose(request.instance),
  render: (diagnosis) => diagnosisMessage(diagnosis),
};
