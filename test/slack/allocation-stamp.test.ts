import { describe, expect, it } from 'vitest';
import { allocatedBy, floatingIpDescription } from '../../src/slack/allocation-stamp.js';

describe('the description of an allocated floating IP', () => {
  const now = new Date('2026-11-28T23:30:00Z');

  it('names who asked and where, with names and ids, and the UTC date', () => {
    expect(floatingIpDescription({ userId: 'U0789', userName: 'alice', channelId: 'C0456', channelName: 'ops', now })).toBe(
      'fipbot: requested by @alice (U0789) in #ops (C0456) on 2026-11-28',
    );
  });

  it('falls back to the ids when names are unknown, and leaves out a missing channel', () => {
    expect(floatingIpDescription({ userId: 'U0789', channelId: 'C0456', now })).toBe('fipbot: requested by U0789 in C0456 on 2026-11-28');
    expect(floatingIpDescription({ userId: 'U0789', userName: '@alice', now })).toBe('fipbot: requested by @alice (U0789) on 2026-11-28');
  });

  it('stays on one line within 200 characters, keeping ids and date, however long and odd the names are', () => {
    const description = floatingIpDescription({
      userId: 'U0789ALICE',
      userName: `alice\n${'a'.repeat(300)}`,
      channelId: 'C0456OPS',
      channelName: '😀'.repeat(300),
      now,
    });
    expect(description.length).toBeLessThanOrEqual(200);
    expect(description).not.toMatch(/[\r\n]/);
    expect(description).toMatch(/^fipbot: requested by @alice a+… \(U0789ALICE\) in #😀+… \(C0456OPS\) on 2026-11-28$/u);
    expect(description).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no emoji cut in half
  });
});

describe('who allocated an IP, read back from its description', () => {
  const now = new Date('2026-11-28T12:00:00Z');

  it('reads the user id (and name) and the date from every form the stamp takes, tag appended or not', () => {
    const full = floatingIpDescription({ userId: 'U0789', userName: 'alice', channelId: 'C0456', channelName: 'ops', now });
    expect(allocatedBy(`${full} (fipbot op 1a2b3c4d)`)).toEqual({ userId: 'U0789', userName: 'alice', date: '2026-11-28' });
    expect(allocatedBy(floatingIpDescription({ userId: 'U0789', now }))).toEqual({ userId: 'U0789', date: '2026-11-28' });
    // A name that looks like the rest of the stamp does not fool it.
    const tricky = floatingIpDescription({ userId: 'U1', userName: 'x (U666) on 2020-01-01', channelId: 'C1', now });
    expect(allocatedBy(tricky)).toMatchObject({ userId: 'U1', date: '2026-11-28' });
  });

  it('says nothing for IPs allocated elsewhere', () => {
    for (const description of ['', 'spare', 'fipbot op 1a2b3c4d', 'requested by @alice (U0789) on 2026-11-28'])
      expect(allocatedBy(description)).toBeUndefined();
  });
});

describe('the owner, read back only where fipbot wrote the description', () => {
  const now = new Date('2026-11-28T23:30:00Z');

  it('is who asked and the day, whatever else it names', () => {
    const tag = ' (fipbot op 1a2b3c4d)';
    const owner = { userId: 'U0789', date: '2026-11-28' };
    expect(allocatedBy(floatingIpDescription({ userId: 'U0789', channelId: 'C0456', now }))).toEqual(owner);
    expect(allocatedBy(floatingIpDescription({ userId: 'U0789', now }) + tag)).toEqual(owner);
    expect(allocatedBy(floatingIpDescription({ userId: 'W0789', userName: 'al (ice)', now }))).toEqual({
      userId: 'W0789',
      userName: 'al (ice)',
      date: '2026-11-28',
    });
    expect(allocatedBy('web frontend, ask bob')).toBeUndefined();
    expect(allocatedBy('fipbot: requested by <!channel> on 2026-11-28')).toBeUndefined();
    expect(allocatedBy(`seed story${tag}`)).toBeUndefined();
  });
});
