/**
 * `/fip` text -> a command. Forgiving where people are: aliases (associate,
 * add, allocate, delete, why...), `--fixed-ip` typed as a phone's long dash,
 * Slack's <...|...> link wrapping, smart quotes. Strict where mistakes cost:
 * an unknown word gets help with the closest command, never a guess. The
 * words and each operation's arguments come from the registry
 * (src/operations/); this module only splits the text and routes it.
 */
import { operationFor, operationWords, type OperationName } from '../../operations/registry.js';
import { clipWord } from './arguments.js';

/** What may follow `help`, and what `help` names: an operation, or help itself. */
export type CommandName = OperationName | 'help';

/** An operation with its request (the operation's own fields), or one of the command-level answers. */
export type Command =
  | { kind: 'modal'; cloud?: string }
  | { kind: 'help'; topic?: CommandName }
  | { kind: 'invalid'; problem: string; topic?: CommandName; suggestion?: CommandName }
  | ({ kind: OperationName; cloud?: string } & Record<string, unknown>);

const HELP_WORDS = ['help', '?'];

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&' };

/** Longest sane argument: an instance name (Nova allows 255) or an address. */
const MAX_ARGUMENT = 255;
const MAX_TEXT = 2000;

/** The command a typed word names; own entries only (a plain object would also answer "constructor"). */
function commandFor(word: string): CommandName | undefined {
  return HELP_WORDS.includes(word.toLowerCase()) ? 'help' : (operationFor(word)?.name as OperationName | undefined);
}

export function parseCommand(raw: string): Command {
  if (raw.length > MAX_TEXT) return { kind: 'invalid', problem: `That is ${raw.length} characters long; fipbot commands are short.` };
  const all = tokenize(normalize(raw));
  // `--cloud NAME` belongs to every command (several clouds): taken out before the operation reads its words.
  const cloud = takeCloud(all);
  if (cloud.problem) return { kind: 'invalid', problem: cloud.problem };
  const tokens = cloud.rest;
  const inCloud = cloud.name !== undefined ? { cloud: cloud.name } : {};
  if (tokens.length === 0) return { kind: 'modal', ...inCloud };
  const [first, ...rest] = tokens as [string, ...string[]];
  const name = commandFor(first);
  if (!name) {
    const suggestion = closest(first.toLowerCase());
    return { kind: 'invalid', problem: `"${clipWord(first)}" is not a fipbot command.`, ...(suggestion ? { suggestion } : {}) };
  }
  const tooLong = rest.find((token) => token.length > MAX_ARGUMENT);
  if (tooLong) return { kind: 'invalid', topic: name, problem: `"${clipWord(tooLong)}" is too long to be a name or an address.` };
  if (name === 'help') {
    const topic = rest[0] === undefined ? undefined : commandFor(rest[0]);
    return { kind: 'help', ...(topic ? { topic } : {}) };
  }
  const parsed = operationFor(name)!.parse(rest);
  return parsed.ok
    ? { kind: name, ...(parsed.request as Record<string, unknown>), ...inCloud }
    : { kind: 'invalid', topic: name, problem: parsed.problem };
}

/** `--cloud NAME` / `--cloud=NAME` anywhere among the words. */
function takeCloud(tokens: readonly string[]): { name?: string; rest: string[]; problem?: string } {
  const rest: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const lower = token.toLowerCase();
    if (lower !== '--cloud' && !lower.startsWith('--cloud=')) {
      rest.push(token);
      continue;
    }
    const value = lower === '--cloud' ? tokens[++i] : token.slice('--cloud='.length);
    if (value === undefined || value === '' || value.startsWith('--')) return { rest, problem: '--cloud needs the name of a cloud.' };
    if (value.length > 64) return { rest, problem: `"${clipWord(value)}" is too long to be a cloud's name.` };
    name = value;
  }
  return { ...(name !== undefined ? { name } : {}), rest };
}

/**
 * Undo what chat clients do to text: phones turn `--` into an en or em dash,
 * quotes become curly, Slack wraps links as <url|label> and sends &, < and >
 * as entities (after the links, which are real markup), and non-breaking
 * spaces sneak in from copy and paste, zero-width ones too.
 */
export function normalize(text: string): string {
  return (
    text
      .replace(/<(?:https?:\/\/|mailto:)?([^<>|]*)(?:\|([^<>]*))?>/g, (_match, target: string, label?: string) => label ?? target)
      .replace(/&(lt|gt|amp);/g, (_match, name: string) => ENTITIES[name]!)
      .replace(/(^|\s)[\u2012\u2013\u2014\u2015\u2212]{1,2}(?=[A-Za-z])/g, '$1--')
      .replace(/(^|\s)-(?=[a-z][a-z-]*(?:[=\s]|$))/g, '$1--')
      .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
      .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
      // Zero-width spaces come with names copied from fipbot's own messages (see escapeName): they are not part of the name.
      .replace(/[\u200b\u2060\ufeff]/g, '')
      .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
      .trim()
  );
}

/**
 * The typed command with one word (an ambiguous or unknown name) replaced by another (an id): the choices a
 * refusal offers run the person's own command again. Undefined when the word is not one of the command's.
 */
export function withWordReplaced(text: string, from: string, to: string): string | undefined {
  const tokens = tokenize(normalize(text).replace(/^\/fip\s+/i, ''));
  if (!tokens.includes(from)) return undefined;
  return tokens.map((token) => (token === from ? to : /[\s"']/.test(token) ? `"${token.replace(/"/g, '')}"` : token)).join(' ');
}

/** Splits on whitespace, keeping "quoted words" together (instance names may contain spaces). */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3]!);
  return tokens.filter((token) => token.length > 0);
}

/** The command a mistyped word most likely meant (edit distance <= 2), if any. */
export function closest(word: string): CommandName | undefined {
  let best: { name: CommandName; distance: number } | undefined;
  for (const [alias, name] of [...HELP_WORDS.map((help): [string, CommandName] => [help, 'help']), ...operationWords()]) {
    if (alias.length < 2) continue;
    const distance = editDistance(word, alias);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
