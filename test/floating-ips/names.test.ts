/** The one order for names people choose from: natural and case-insensitive. */
import { describe, expect, it } from 'vitest';
import { byName, compareNames } from '../../src/floating-ips/names.js';

describe('compareNames', () => {
  it('puts web-2 before web-10, ignoring case, and keeps ties stable', () => {
    expect(['web-10', 'Web-3', 'web-2', 'db-1', 'web-1'].sort(compareNames)).toEqual(['db-1', 'web-1', 'web-2', 'Web-3', 'web-10']);
    expect(['web', 'Web'].sort(compareNames)).toEqual(['Web', 'web']);
    expect(['Web', 'web'].sort(compareNames)).toEqual(['Web', 'web']);
  });

  it('orders named things by name, then id', () => {
    const named = [
      { id: 'b', name: 'public-10' },
      { id: 'c', name: 'public-2' },
      { id: 'a', name: 'public-2' },
    ];
    expect(named.sort(byName).map((n) => n.id)).toEqual(['a', 'c', 'b']);
  });
});
