/**
 * The one order for names people choose from (instances, pools, networks):
 * natural and case-insensitive, so web-2 comes before web-10 and Web-3
 * sits between them. Ties (names equal but for case) fall back to plain
 * text order, so the same list always reads the same way.
 */
import type { Named } from './failures.js';

const NATURAL = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareNames(a: string, b: string): number {
  return NATURAL.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Named things by name (then id, so two with one name keep a stable order). */
export function byName(a: Named, b: Named): number {
  return compareNames(a.name, b.name) || compareNames(a.id, b.id);
}
