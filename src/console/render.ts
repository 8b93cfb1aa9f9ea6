/**
 * Block Kit as terminal text: sections and context as lines, headers
 * underlined, buttons and the options of overflow menus as numbered choices
 * ("[1] Attach"). Slack's mrkdwn is turned into plain text a terminal can show.
 */
import { type Json, str } from './loopback-slack.js';

export interface Choice {
  number: number;
  label: string;
  element: Json;
  blockId: string;
  /** The option picked, when the choice is one of an overflow menu's. */
  selected?: Json;
  /** The dialog Slack would show before sending the click. */
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  no_entry: '⛔',
  warning: '⚠️',
  hourglass_flowing_sand: '⏳',
  lock: '🔒',
};

export function plainText(mrkdwn: string, names: ReadonlyMap<string, string> = new Map()): string {
  return (
    mrkdwn
      .replace(/:([a-z_]+):/g, (match, name: string) => EMOJI[name] ?? match)
      .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `@${names.get(id) ?? id}`)
      .replace(/<#([A-Z0-9]+)(\|([^>]*))?>/g, (_m, id: string, _l, name?: string) => `#${name ?? id}`)
      .replace(/<!subteam\^([A-Z0-9]+)(\|([^>]*))?>/g, (_m, id: string, _l, name?: string) => `@${name ?? id}`)
      .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
      // Put there by escapeName to keep * _ ~ ` from formatting: a terminal shows them as they are.
      .replace(/\u200b/g, '')
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, '$1$2')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  );
}

let currentNames: ReadonlyMap<string, string> = new Map();

function textOf(value: unknown): string {
  const text = (value as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? plainText(text, currentNames) : '';
}

/** Renders blocks to lines; numbers every button from `first`. */
export function renderBlocks(
  blocks: Json[],
  first = 1,
  names: ReadonlyMap<string, string> = new Map(),
): { lines: string[]; choices: Choice[] } {
  currentNames = names;
  const lines: string[] = [];
  const choices: Choice[] = [];
  for (const block of blocks) {
    const blockId = str(block.block_id);
    switch (block.type) {
      case 'header': {
        const title = textOf(block.text);
        lines.push(title, '─'.repeat(Math.min(60, title.length)));
        break;
      }
      case 'section': {
        if (block.text) lines.push(...textOf(block.text).split('\n'));
        for (const field of (block.fields as unknown[] | undefined) ?? []) lines.push(textOf(field));
        const accessory = block.accessory as Json | undefined;
        const row = accessory ? numbered(accessory, blockId, first, choices) : [];
        if (row.length) lines.push(`  ${row.join('   ')}`);
        break;
      }
      case 'context':
        lines.push(`  ${((block.elements as unknown[] | undefined) ?? []).map(textOf).filter(Boolean).join(' · ')}`);
        break;
      case 'divider':
        lines.push('');
        break;
      case 'actions': {
        const elements = (block.elements as Json[] | undefined) ?? [];
        // Checkboxes cannot be ticked here: their options are shown, and typed commands do what ticking does.
        for (const element of elements.filter((e) => e.type === 'checkboxes'))
          for (const option of (element.options as Json[] | undefined) ?? [])
            lines.push(`  • ${[textOf(option.text), textOf(option.description)].filter(Boolean).join(' · ')}`);
        const row = elements.flatMap((element) => numbered(element, blockId, first, choices));
        if (row.length) lines.push(`  ${row.join('   ')}`);
        break;
      }
      default:
        break;
    }
  }
  return { lines, choices };
}

/** A button is one choice; an overflow menu one per option, each sending that option. Other elements: none here. */
function numbered(element: Json, blockId: string, first: number, choices: Choice[]): string[] {
  const confirm = element.confirm as Json | undefined;
  const dialog = confirm
    ? {
        confirm: { title: textOf(confirm.title), text: textOf(confirm.text), confirm: textOf(confirm.confirm), deny: textOf(confirm.deny) },
      }
    : {};
  const picks: Array<{ label: string; selected?: Json }> =
    element.type === 'button'
      ? [{ label: textOf(element.text) }]
      : element.type === 'overflow'
        ? ((element.options as Json[] | undefined) ?? []).map((option) => ({ label: textOf(option.text), selected: option }))
        : [];
  return picks.map(({ label, selected }) => {
    const number = first + choices.length;
    choices.push({ number, label, element, blockId, ...(selected ? { selected } : {}), ...dialog });
    return `[${number}] ${label}`;
  });
}
