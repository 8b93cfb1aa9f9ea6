/** What the watch reports between two polls, and its message: one per poll, capped, within Block Kit's limits. */
import { describe, expect, it } from 'vitest';
import { type Change, changesBetween, type Seen } from '../../src/jobs/watch-diff.js';
import { MAX_WATCH_LINES, watchMessage } from '../../src/slack/blocks/watch.js';
import { assertWithinLimits } from '../support/slack/block-kit.js';
import { renderText } from '../support/slack/text.js';

function ip(id: string, changes: Partial<Seen> = {}): Seen {
  return {
    id,
    address: `192.168.100.${id}`,
    pool: 'public',
    portId: null,
    fixedIp: null,
    revision: 1,
    updatedAt: '2026-11-30T10:00:00Z',
    description: '',
    ...changes,
  };
}
const byId = (...ips: Seen[]) => new Map(ips.map((seen) => [seen.id, seen]));
const kinds = (changes: Change[]) => changes.map((change) => `${change.kind} ${change.ip.address}`);

describe('changesBetween', () => {
  it('names allocations, attachments, detachments, moves and releases, by address', () => {
    const before = byId(ip('10'), ip('11', { portId: 'p1', fixedIp: '10.0.0.1' }), ip('12', { portId: 'p2' }), ip('13'), ip('14'));
    const after = byId(
      ip('10', { portId: 'p3', fixedIp: '10.0.0.3', revision: 2 }),
      ip('11', { revision: 2 }),
      ip('12', { portId: 'p4', revision: 3 }),
      ip('14'),
      ip('9'),
    );
    expect(kinds(changesBetween(before, after))).toEqual([
      'allocated 192.168.100.9',
      'attached 192.168.100.10',
      'detached 192.168.100.11',
      'moved 192.168.100.12',
      'released 192.168.100.13',
    ]);
  });

  it('is quiet about edits that leave the port alone (a description, a tag) and about IPs that did not change', () => {
    const before = byId(ip('10'), ip('11', { portId: 'p1' }));
    const after = byId(ip('10', { revision: 2, description: 'renamed' }), ip('11', { portId: 'p1' }));
    expect(changesBetween(before, after)).toEqual([]);
  });
});

describe('watchMessage', () => {
  it('says one change in its notification text, with a button to the list', () => {
    const message = watchMessage([{ kind: 'detached', ip: ip('11'), was: ip('11', { portId: 'p1', fixedIp: '10.0.0.1' }) }]);
    expect(message.text).toBe('Made outside fipbot: 192.168.100.11 detached from 10.0.0.1.');
    expect(renderText(message)).toContain('• `192.168.100.11` detached from `10.0.0.1`');
    expect(JSON.stringify(message.blocks)).toContain('"Show the list"');
    assertWithinLimits('message', message);
  });

  it(`shows at most ${MAX_WATCH_LINES} lines and counts the rest, within Block Kit's limits even with long pool names`, () => {
    const many: Change[] = Array.from({ length: 45 }, (_, i) => ({ kind: 'allocated', ip: ip(String(i), { pool: 'p'.repeat(255) }) }));
    const message = watchMessage(many);
    expect(message.text).toBe('45 floating IP changes made outside fipbot.');
    assertWithinLimits('message', message);
    const short = watchMessage(many.map((change) => ({ ...change, ip: { ...change.ip, pool: 'public' } })));
    expect(renderText(short).match(/^• /gm)).toHaveLength(MAX_WATCH_LINES);
    expect(renderText(short)).toContain('…and 25 more.');
  });
});
