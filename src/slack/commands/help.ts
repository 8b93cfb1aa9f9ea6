/** `/fip help [COMMAND]`, usage lines and the answer to a command fipbot could not read, from the registry. */
import { OPERATIONS, type OperationName } from '../../operations/registry.js';
import type { Message } from '../blocks/messages.js';
import { code, context, escape, header, section } from '../blocks/text.js';
import type { CommandName } from './parse.js';

/** Each command's usage line, by name. */
export const USAGE: Readonly<Record<CommandName, string>> = Object.freeze({
  help: '/fip help [COMMAND]',
  ...(Object.fromEntries(OPERATIONS.map((operation) => [operation.name, operation.usage])) as Record<OperationName, string>),
});

/** `clouds`: with several clouds, which ones and which this channel acts on (slack/clouds.ts, cloudsHelp). */
export function helpMessage(topic?: CommandName, clouds?: string): Message {
  const shown = topic && topic !== 'help' ? OPERATIONS.filter((operation) => operation.name === topic) : OPERATIONS;
  return {
    text: `fipbot: OpenStack floating IPs from Slack. /fip ${OPERATIONS.map((operation) => operation.name).join(', ')}.`,
    blocks: [
      header('fipbot: floating IPs'),
      section(shown.map((operation) => `${code(operation.usage)}\n${operation.help}`).join('\n\n')),
      context('`/fip` alone opens a form. Every change is shown first and happens only when you confirm.'),
      ...(clouds ? [context(clouds)] : []),
    ],
  };
}

export function invalidCommandMessage(problem: string, topic?: CommandName, suggestion?: CommandName): Message {
  const lines = [escape(problem)];
  if (suggestion) lines.push(`Did you mean ${code(USAGE[suggestion])}?`);
  else if (topic) lines.push(`Usage: ${code(USAGE[topic])}`);
  return {
    text: `${escape(problem)} ${suggestion ? `Did you mean /fip ${suggestion}?` : 'Try /fip help.'}`,
    blocks: [section(lines.join('\n')), context('`/fip help` lists every command; `/fip` alone opens a form.')],
  };
}
