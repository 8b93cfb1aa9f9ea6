/** The Home tab's room line: the quota, each pool's free addresses, or once that they are not visible. */
import { describe, expect, it } from 'vitest';
import { roomNote } from '../../../src/slack/blocks/headroom.js';

const pool = (name: string) => ({ id: `id-${name}`, name });

describe('the room line', () => {
  it('names each pool with its free addresses, then how many more pools there are', () => {
    expect(
      roomNote({
        quota: { used: 3, limit: 10 },
        pools: [
          { pool: pool('public'), free: 239 },
          { pool: pool('public-b'), free: 1 },
          { pool: pool('public-c'), free: 'unknown' },
        ],
        morePools: 2,
      }),
    ).toBe('Quota: 3 of 10 floating IPs used · Pool public: 239 addresses free · Pool public-b: 1 address free · …and 2 more pools');
  });

  it('says once that the free addresses are not visible, and says "no limit" for an unlimited quota', () => {
    expect(
      roomNote({
        quota: { used: 4, limit: -1 },
        pools: [
          { pool: pool('public'), free: 'not_visible' },
          { pool: pool('public-b'), free: 'not_visible' },
        ],
        morePools: 1,
      }),
    ).toBe('Quota: 4 floating IPs used, no limit · Free addresses in the pools not visible with these credentials');
    expect(roomNote({ pools: [], morePools: 0 })).toBe('');
  });
});
