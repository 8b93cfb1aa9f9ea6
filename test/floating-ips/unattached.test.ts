/** The leak report's order: oldest first, those without a readable time last, ties by address as numbers. */
import { describe, expect, it } from 'vitest';
import { sortOldestFirst } from '../../src/floating-ips/unattached.js';

describe('oldest first', () => {
  it('orders by time, puts IPs without a readable time last, and breaks ties by address as numbers', () => {
    const ips = [
      { address: '10.0.0.10', since: '2026-12-01T00:00:00Z' },
      { address: '10.0.0.7', since: undefined },
      { address: '10.0.0.9', since: '2026-12-01T00:00:00Z' },
      { address: '2001:db8::1', since: '2026-11-30T00:00:00Z' },
      { address: '10.0.0.8', since: 'not a time' },
      { address: '10.0.0.200', since: '2026-12-01T00:00:00.000Z' },
    ];
    expect(sortOldestFirst(ips).map((ip) => ip.address)).toEqual([
      '2001:db8::1',
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.200',
      '10.0.0.7',
      '10.0.0.8',
    ]);
  });
});
