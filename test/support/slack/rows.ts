/**
 * A list's rows as a person uses them: each IP's row carries its actions in
 * one overflow menu. Tests find the row of an address and pick an action
 * from its menu, as Slack's client would (`sim.selectOverflowOption`).
 */
import { ACTIONS, readRowMenuValue, type RowAction, type RowOperation } from '../../../src/slack/blocks/ids.js';
import { asBlocks, type ElementQuery, isJson, type Json, optionsOf, str, textOf } from './blocks.js';

export interface RowPick {
  /** The row's menu. */
  query: ElementQuery;
  /** The option's value (what `selectOverflowOption` picks). */
  option: string;
  row: RowAction;
}

function blocksOf(surface: unknown): Json[] {
  return Array.isArray(surface) ? asBlocks(surface) : asBlocks(isJson(surface) ? surface.blocks : undefined);
}

/** The row blocks: sections whose accessory is the row menu. */
function rowBlocks(surface: unknown): Json[] {
  return blocksOf(surface).filter((block) => isJson(block.accessory) && block.accessory.action_id === ACTIONS.rowMenu);
}

/** The address a row shows first (`203.0.113.7` → ...). */
function addressOf(block: Json): string | undefined {
  return /^`([^`]+)`/.exec(textOf(block.text) ?? '')?.[1];
}

/** The rows' addresses, in the order shown. */
export function rowAddresses(surface: unknown): string[] {
  return rowBlocks(surface).flatMap((block) => addressOf(block) ?? []);
}

/** The labels of a row's menu ("Detach", "Release"). */
export function rowOptions(surface: unknown, address: string): string[] {
  return optionsOf(rowBlock(surface, address).accessory as Json).map((option) => textOf(option.text) ?? '');
}

function rowBlock(surface: unknown, address: string): Json {
  const block = rowBlocks(surface).find((candidate) => addressOf(candidate) === address);
  if (!block) throw new Error(`No row for ${address}; rows: ${rowAddresses(surface).join(', ') || 'none'}`);
  return block;
}

/** `operation` on the row of `address` (the first row when omitted). */
export function rowPick(surface: unknown, operation: RowOperation, address?: string): RowPick {
  const block = address === undefined ? rowBlocks(surface)[0] : rowBlock(surface, address);
  if (!block) throw new Error('The list has no rows');
  for (const option of optionsOf(block.accessory as Json)) {
    const value = str(option.value) ?? '';
    const read = readRowMenuValue(value);
    if (read?.operation === operation)
      return {
        query: { type: 'overflow', actionId: ACTIONS.rowMenu, blockId: str(block.block_id)! },
        option: value,
        row: read.row as unknown as RowAction,
      };
  }
  throw new Error(`The row of ${addressOf(block)} offers no ${operation}`);
}
