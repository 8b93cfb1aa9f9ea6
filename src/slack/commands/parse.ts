/**
 * `/fip` text -> a command. Forgiving where people are: aliases (associate,
 * add, allocate, delete, why...), the two attach arguments in either order
 * (the IP is recognised by its shape), `--fixed-ip` typed as a phone's long
 * dash, Slack's <...|...> link wrapping, smart quotes. Strict where mistakes
 * cost: an unknown word gets help with the closest command, never a guess.
 */

export type ListFilter = 'all' | 'free' | 'attached';

export type Command =
  | { kind: 'modal' }
  | { kind: 'help'; topic?: CommandName }
  | { kind: 'list'; filter: ListFilter }
  | { kind: 'create'; pool?: string }
  | { kind: 'attach'; ip: string; instance: string; fixedIp?: string; pool?: string }
  | { kind: 'detach'; ip: string; instance?: string }
  | { kind: 'release'; ip: string }
  | { kind: 'explain'; instance: string }
  | { kind: 'invalid'; problem: string; topic?: CommandName; suggestion?: CommandName };

export type CommandName = 'help' | 'list' | 'create' | 'attach' | 'detach' | 'release' | 'explain';

const ALIASES: Record<string, CommandName> = {
  help: 'help',
  '?': 'help',
  list: 'list',
  ls: 'list',
  show: 'list',
  create: 'create',
  allocate: 'create',
  new: 'create',
  attach: 'attach',
  associate: 'attach',
  add: 'attach',
  detach: 'detach',
  disassociate: 'detach',
  remove: 'detach',
  release: 'release',
  delete: 'release',
  explain: 'explain',
  why: 'explain',
  diagnose: 'explain',
};

/**
 * The command a typed word names. Own keys only: a plain object also answers
 * "constructor", "__proto__" or "toString" (with a function), which made
 * `/fip constructor` throw before the ack.
 */
function aliasOf(word: string): CommandName | undefined {
  const key = word.toLowerCase();
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

export const USAGE: Record<CommandName, string> = {
  help: '/fip help [COMMAND]',
  list: '/fip list [free|attached|all]',
  create: '/fip create [POOL]',
  attach: '/fip attach IP|new INSTANCE [--fixed-ip ADDRESS] [--pool POOL]',
  detach: '/fip detach IP [INSTANCE]',
  release: '/fip release IP',
  explain: '/fip explain INSTANCE',
};

/** Longest sane argument: an instance name (Nova allows 255) or an address. */
const MAX_ARGUMENT = 255;
const MAX_TEXT = 2000;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An IPv4 address or a floating IP id: what may stand where an IP is expected. */
export function looksLikeIp(word: string): boolean {
  return IPV4.test(word) || UUID.test(word);
}

export function parseCommand(raw: string): Command {
  if (raw.length > MAX_TEXT) return { kind: 'invalid', problem: `That is ${raw.length} characters long; fipbot commands are short.` };
  const tokens = tokenize(normalize(raw));
  if (tokens.length === 0) return { kind: 'modal' };
  const [first, ...rest] = tokens;
  const name = aliasOf(first!);
  if (!name) {
    const suggestion = closest(first!.toLowerCase());
    return {
      kind: 'invalid',
      problem: `"${clip(first!)}" is not a fipbot command.`,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  const tooLong = rest.find((token) => token.length > MAX_ARGUMENT);
  if (tooLong) return { kind: 'invalid', topic: name, problem: `"${clip(tooLong)}" is too long to be a name or an address.` };

  switch (name) {
    case 'help':
      return { kind: 'help', ...(rest[0] && aliasOf(rest[0]) ? { topic: aliasOf(rest[0]) } : {}) };
    case 'list':
      return parseList(rest);
    case 'create':
      return parseCreate(rest);
    case 'attach':
      return parseAttach(rest);
    case 'detach':
      return parseDetach(rest);
    case 'release':
      return parseRelease(rest);
    case 'explain':
      return parseExplain(rest);
  }
}

function parseList(args: string[]): Command {
  if (args.length === 0) return { kind: 'list', filter: 'all' };
  const filter = args[0]!.toLowerCase();
  if (args.length === 1 && (filter === 'all' || filter === 'free' || filter === 'attached')) return { kind: 'list', filter };
  if (args.length === 1 && (filter === 'used' || filter === 'associated')) return { kind: 'list', filter: 'attached' };
  if (args.length === 1 && (filter === 'unused' || filter === 'available')) return { kind: 'list', filter: 'free' };
  return { kind: 'invalid', topic: 'list', problem: `"${clip(args.join(' '))}" is not a list filter: use free, attached or all.` };
}

function parseCreate(args: string[]): Command {
  const { positional, options, problem } = splitOptions(args, ['pool']);
  if (problem) return { kind: 'invalid', topic: 'create', problem };
  const pool = options.pool ?? positional[0];
  if (positional.length > (options.pool ? 0 : 1)) return { kind: 'invalid', topic: 'create', problem: 'create takes at most one pool name.' };
  return { kind: 'create', ...(pool ? { pool } : {}) };
}

function parseAttach(args: string[]): Command {
  const { positional, options, problem } = splitOptions(args, ['fixed-ip', 'pool']);
  if (problem) return { kind: 'invalid', topic: 'attach', problem };
  if (positional.length !== 2) {
    return { kind: 'invalid', topic: 'attach', problem: 'attach needs a floating IP (or "new") and an instance.' };
  }
  // Either order: the IP is the word shaped like an address, an id, or "new".
  const isIpWord = (word: string) => looksLikeIp(word) || word.toLowerCase() === 'new';
  const [a, b] = positional as [string, string];
  let ip: string;
  let instance: string;
  if (isIpWord(a) && !isIpWord(b)) [ip, instance] = [a, b];
  else if (isIpWord(b) && !isIpWord(a)) [ip, instance] = [b, a];
  else if (isIpWord(a) && isIpWord(b)) [ip, instance] = a.toLowerCase() === 'new' || looksLikeIp(a) ? [a, b] : [b, a];
  else return { kind: 'invalid', topic: 'attach', problem: `Neither "${clip(a)}" nor "${clip(b)}" is a floating IP address (or "new").` };
  const fixedIp = options['fixed-ip'];
  if (fixedIp !== undefined && !IPV4.test(fixedIp) && !fixedIp.includes(':')) {
    return { kind: 'invalid', topic: 'attach', problem: `--fixed-ip needs an address of the instance, not "${clip(fixedIp)}".` };
  }
  if (options.pool && ip.toLowerCase() !== 'new') {
    return { kind: 'invalid', topic: 'attach', problem: '--pool only applies to "new": an existing floating IP already belongs to a pool.' };
  }
  return {
    kind: 'attach',
    ip: ip.toLowerCase() === 'new' ? 'new' : ip,
    instance,
    ...(fixedIp ? { fixedIp } : {}),
    ...(options.pool ? { pool: options.pool } : {}),
  };
}

function parseDetach(args: string[]): Command {
  const { positional, problem } = splitOptions(args, []);
  if (problem) return { kind: 'invalid', topic: 'detach', problem };
  if (positional.length < 1 || positional.length > 2) return { kind: 'invalid', topic: 'detach', problem: 'detach needs a floating IP, optionally followed by its instance.' };
  const [a, b] = positional as [string, string | undefined];
  const [ip, instance] = b !== undefined && looksLikeIp(b) && !looksLikeIp(a) ? [b, a] : [a, b];
  if (!looksLikeIp(ip)) return { kind: 'invalid', topic: 'detach', problem: `"${clip(ip)}" is not a floating IP address.` };
  return { kind: 'detach', ip, ...(instance !== undefined ? { instance } : {}) };
}

function parseRelease(args: string[]): Command {
  const { positional, problem } = splitOptions(args, []);
  if (problem) return { kind: 'invalid', topic: 'release', problem };
  if (positional.length !== 1) return { kind: 'invalid', topic: 'release', problem: 'release takes exactly one floating IP.' };
  if (!looksLikeIp(positional[0]!)) return { kind: 'invalid', topic: 'release', problem: `"${clip(positional[0]!)}" is not a floating IP address.` };
  return { kind: 'release', ip: positional[0]! };
}

function parseExplain(args: string[]): Command {
  const { positional, problem } = splitOptions(args, []);
  if (problem) return { kind: 'invalid', topic: 'explain', problem };
  if (positional.length !== 1) return { kind: 'invalid', topic: 'explain', problem: 'explain takes one instance name or id.' };
  return { kind: 'explain', instance: positional[0]! };
}

/** Separates `--name value` / `--name=value` options from positional words. */
function splitOptions(args: string[], known: string[]): { positional: string[]; options: Record<string, string>; problem?: string } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [rawName, inline] = splitOnce(word.slice(2), '=');
    const name = rawName.toLowerCase().replace(/_/g, '-');
    const canonical = name === 'fixed' || name === 'fixedip' ? 'fixed-ip' : name;
    if (!known.includes(canonical)) {
      return { positional, options, problem: `Unknown option --${clip(rawName)}${known.length ? `; this command takes ${known.map((k) => `--${k}`).join(', ')}` : ''}.` };
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return { positional, options, problem: `--${canonical} needs a value.` };
    options[canonical] = value;
  }
  return { positional, options };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Undo what chat clients do to text: phones turn `--` into an en or em dash,
 * quotes become curly, Slack wraps links as <url|label>, and non-breaking
 * spaces sneak in from copy and paste.
 */
export function normalize(text: string): string {
  return text
    .replace(/<(?:https?:\/\/|mailto:)?([^<>|]*)(?:\|([^<>]*))?>/g, (_match, target: string, label?: string) => label ?? target)
    .replace(/(^|\s)[\u2012\u2013\u2014\u2015\u2212]{1,2}(?=[A-Za-z])/g, '$1--')
    .replace(/(^|\s)-(?=[a-z][a-z-]*(?:[=\s]|$))/g, '$1--')
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ')
    .trim();
}

/** Splits on whitespace, keeping "quoted words" together (instance names may contain spaces). */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3]!);
  return tokens.filter((token) => token.length > 0);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The command a mistyped word most likely meant (edit distance <= 2), if any. */
export function closest(word: string): CommandName | undefined {
  let best: { name: CommandName; distance: number } | undefined;
  for (const [alias, name] of Object.entries(ALIASES)) {
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
