/** `/fip list [free|attached|all]`: the project's floating IPs, a row each with its buttons. */
import type { Outcome } from '../../floating-ips/failures.js';
import type { FloatingIpList, ListFilter } from '../../floating-ips/views.js';
import { listMessage } from '../../slack/blocks/list.js';
import { clipWord } from '../../slack/commands/arguments.js';
import type { FloatingIpService } from '../service.js';
import type { ReadOperation } from '../types.js';

/** The words people use for each filter. */
const FILTER_WORDS: Record<string, ListFilter> = {
  all: 'all',
  free: 'free',
  unused: 'free',
  available: 'free',
  attached: 'attached',
  used: 'attached',
  associated: 'attached',
};

export interface ListView {
  list: FloatingIpList;
  projectName: string | undefined;
}

export const list: ReadOperation<'list', { filter: ListFilter }, ListView> = {
  kind: 'read',
  answerTitle: 'Floating IPs',
  name: 'list',
  aliases: ['ls', 'show'],
  usage: '/fip list [free|attached|all]',
  help: "show the project's floating IPs, with buttons to attach, detach or release each",
  activity: 'Listing floating IPs',
  words: { verb: 'list floating IPs', nothingChanged: 'Nothing was changed.' },
  parse(args) {
    if (args.length === 0) return { ok: true, request: { filter: 'all' } };
    const word = args[0]!.toLowerCase();
    if (args.length === 1 && Object.hasOwn(FILTER_WORDS, word)) return { ok: true, request: { filter: FILTER_WORDS[word]! } };
    return { ok: false, problem: `"${clipWord(args.join(' '))}" is not a list filter: use free, attached or all.` };
  },
  run: (service, request) => listWithProject(service, request.filter),
  render: (view, now) => listMessage(view.list, 1, view.projectName, now),
};

/** The list and the project's name for its header (the name is a nicety: its lookup may fail). */
export async function listWithProject(service: FloatingIpService, filter: ListFilter): Promise<Outcome<ListView>> {
  const [listed, scope] = await Promise.all([service.list(filter), service.inventory.scope().catch(() => undefined)]);
  return listed.ok ? { ok: true, value: { list: listed.value, projectName: scope?.projectName } } : listed;
}
