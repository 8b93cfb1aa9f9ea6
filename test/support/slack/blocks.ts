/**
 * Walking Block Kit JSON the way Slack's client does: finding the element a
 * user would click, and filling the ids Slack fills itself.
 */
import type { Ids } from './ids.js';

/** A block or element as the bot sent it: plain JSON. */
export type Json = Record<string, unknown>;

export interface PlacedElement {
  block: Json;
  blockId: string;
  element: Json;
  actionId: string;
}

export interface ElementQuery {
  actionId?: string;
  /** The visible text (buttons) or placeholder (selects), compared whole. */
  text?: string;
  value?: string;
  type?: string;
  /** The block it sits in (a list row's block, for its overflow menu). */
  blockId?: string;
}

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The text of a text object ({type, text}) or undefined. */
export function textOf(value: unknown): string | undefined {
  return isJson(value) ? str(value.text) : undefined;
}

export function asBlocks(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isJson) : [];
}

/** The interactive elements of one block: actions' elements, a section's accessory, an input's element. */
export function elementsOf(block: Json): Json[] {
  if (block.type === 'actions') return asBlocks(block.elements);
  if (block.type === 'section' && isJson(block.accessory)) return [block.accessory];
  if (block.type === 'input' && isJson(block.element)) return [block.element];
  return [];
}

export function placedElements(blocks: Json[]): PlacedElement[] {
  return blocks.flatMap((block) =>
    elementsOf(block).map((element) => ({ block, blockId: str(block.block_id) ?? '', element, actionId: str(element.action_id) ?? '' })),
  );
}

/**
 * Slack gives every block a block_id and every interactive element an
 * action_id when the app leaves them out, and echoes those in payloads: a
 * listener matching on ids must cope with generated ones. Returns a copy.
 */
export function withSlackIds(blocks: unknown, ids: Ids): Json[] {
  const copy = structuredClone(asBlocks(blocks));
  for (const block of copy) {
    if (str(block.block_id) === undefined) block.block_id = ids.blockId();
    for (const element of elementsOf(block)) {
      if (str(element.action_id) === undefined && element.type !== 'image') element.action_id = ids.blockId();
    }
  }
  return copy;
}

function describe(placed: PlacedElement): string {
  const label = textOf(placed.element.text) ?? textOf(placed.element.placeholder) ?? '';
  return `${String(placed.element.type)} ${placed.blockId}/${placed.actionId}${label ? ` "${label}"` : ''}`;
}

/** The one element matching `query`; throws, naming what is there, when none or several match. */
export function findElement(blocks: Json[], query: ElementQuery): PlacedElement {
  const all = placedElements(blocks);
  const matches = all.filter(
    ({ element, actionId, blockId }) =>
      (query.actionId === undefined || actionId === query.actionId) &&
      (query.type === undefined || element.type === query.type) &&
      (query.blockId === undefined || blockId === query.blockId) &&
      (query.value === undefined || element.value === query.value) &&
      (query.text === undefined || textOf(element.text) === query.text || textOf(element.placeholder) === query.text),
  );
  if (matches.length === 1) return matches[0]!;
  const wanted = JSON.stringify(query);
  const present = all.map(describe).join('; ') || 'no interactive elements';
  throw new Error(`${matches.length === 0 ? 'No' : 'More than one'} element matches ${wanted}; present: ${present}`);
}

/** The options of a select, radio group or overflow, option groups flattened. */
export function optionsOf(element: Json): Json[] {
  const grouped = asBlocks(element.option_groups).flatMap((group) => asBlocks(group.options));
  return [...asBlocks(element.options), ...grouped];
}

/** The option whose value, or else visible text, is `wanted`. */
export function findOption(element: Json, wanted: string): Json {
  const options = optionsOf(element);
  const option = options.find((o) => o.value === wanted) ?? options.find((o) => textOf(o.text) === wanted);
  if (option === undefined) {
    const present = options.map((o) => `${String(o.value)} "${textOf(o.text) ?? ''}"`).join(', ');
    throw new Error(`No option "${wanted}" in ${String(element.type)} ${String(element.action_id)}; options: ${present}`);
  }
  return option;
}
