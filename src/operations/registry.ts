/**
 * Every operation fipbot offers, once: adding one is a folder beside these
 * and a line here. The command parser, /fip help, the form, the policy file,
 * confirmations, results, the audit trail and the metrics all read this list.
 */
import { attach } from './attach/index.js';
import { create } from './create/index.js';
import { detach } from './detach/index.js';
import { explain } from './explain/index.js';
import { leaks } from './leaks/index.js';
import { list } from './list/index.js';
import { reclaim } from './reclaim/index.js';
import { release } from './release/index.js';
import type { AnyOperation, ChangeOperation } from './types.js';

/** In the order help and the form show them. */
export const OPERATIONS = [list, leaks, create, attach, detach, release, reclaim, explain] as const;

export type OperationName = (typeof OPERATIONS)[number]['name'];
export type ChangeName = Extract<(typeof OPERATIONS)[number], { kind: 'change' }>['name'];

const BY_WORD = new Map<string, AnyOperation>(
  OPERATIONS.flatMap((operation) => [operation.name, ...operation.aliases].map((word) => [word, operation as AnyOperation])),
);

/** The operation a typed word names (its name or an alias, any case). */
export function operationFor(word: string): AnyOperation | undefined {
  return BY_WORD.get(word.toLowerCase());
}

/** The operation stored under `name` (a pending change, a form, a button). */
export function operationNamed(name: string): AnyOperation | undefined {
  return OPERATIONS.find((operation) => operation.name === name);
}

export function changeNamed(name: string): ChangeOperation | undefined {
  const operation = operationNamed(name);
  return operation?.kind === 'change' ? operation : undefined;
}

/** Every word that names an operation, with the operation's name: for "did you mean". */
export function operationWords(): Array<[string, OperationName]> {
  return [...BY_WORD.entries()].map(([word, operation]) => [word, operation.name as OperationName]);
}
