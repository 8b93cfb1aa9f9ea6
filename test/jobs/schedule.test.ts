/** The digest's schedule: parsing, and slots that keep their local time across DST in the named zone, each posted once. */
import { describe, expect, it } from 'vitest';
import { instantOf, isTimeZone, nextSlotAfter, parseSchedule, type Schedule, slotAtOrBefore } from '../../src/jobs/schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function schedule(text: string): Schedule {
  const parsed = parseSchedule(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.schedule;
}

describe('parseSchedule', () => {
  it('reads days and a 24-hour time', () => {
    expect([...schedule('mon 09:00').days]).toEqual([1]);
    expect([...schedule('daily 9:05').days].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...schedule('weekdays 08:30').days].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...schedule('Monday,thu 23:59').days].sort()).toEqual([1, 4]);
    expect(schedule('mon 09:00')).toMatchObject({ hour: 9, minute: 0 });
  });

  it('names what it expects for anything else', () => {
    for (const bad of ['09:00', 'mon', 'mon 24:00', 'mon 09:60', 'someday 09:00', 'every monday', 'mon 9am'])
      expect(parseSchedule(bad)).toEqual({ ok: false, problem: expect.stringContaining(`not "${bad}"`) as string });
  });
});

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('slots across DST (Europe/Berlin: 29 March 2026 02:00 -> 03:00, 25 October 2026 03:00 -> 02:00)', () => {
  const zone = 'Europe/Berlin';

  it('keeps 09:00 local on both sides of a change: 08:00 UTC in winter, 07:00 UTC in summer', () => {
    const daily = schedule('daily 09:00');
    expect(iso(nextSlotAfter(daily, zone, at('2026-03-28T09:00:00Z')).at)).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextSlotAfter(daily, zone, at('2026-03-27T12:00:00Z')).at)).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(nextSlotAfter(daily, zone, at('2026-10-24T12:00:00Z')).at)).toBe('2026-10-25T08:00:00.000Z');
    expect(iso(nextSlotAfter(daily, zone, at('2026-10-23T12:00:00Z')).at)).toBe('2026-10-24T07:00:00.000Z');
  });

  it('a time skipped at spring-forward moves on by the gap, and comes once', () => {
    const sunday = schedule('sun 02:30');
    const slot = nextSlotAfter(sunday, zone, at('2026-03-28T12:00:00Z'));
    // 02:30 does not exist that night: 03:30 CEST, 01:30 UTC.
    expect(slot).toEqual({ at: at('2026-03-29T01:30:00Z'), key: '2026-03-29T02:30' });
    expect(slotAtOrBefore(sunday, zone, at('2026-03-29T05:00:00Z'))).toEqual(slot);
    expect(nextSlotAfter(sunday, zone, slot.at).key).toBe('2026-04-05T02:30');
  });

  it('a time that happens twice at fall-back is the first, and both hours name the same slot', () => {
    const sunday = schedule('sun 02:30');
    const first = nextSlotAfter(sunday, zone, at('2026-10-24T12:00:00Z'));
    // 02:30 CEST (00:30 UTC), not 02:30 CET (01:30 UTC).
    expect(first).toEqual({ at: at('2026-10-25T00:30:00Z'), key: '2026-10-25T02:30' });
    // An hour later the wall clock reads 02:30 again: still that one slot, already due, and the next is a week away.
    expect(slotAtOrBefore(sunday, zone, at('2026-10-25T01:30:00Z'))).toEqual(first);
    expect(nextSlotAfter(sunday, zone, at('2026-10-25T01:30:00Z')).key).toBe('2026-11-01T02:30');
  });

  it('finds the latest slot of a weekly schedule, and none before it in a fresh week', () => {
    const monday = schedule('mon 09:00');
    expect(slotAtOrBefore(monday, zone, at('2026-12-02T12:00:00Z'))).toEqual({ at: at('2026-11-30T08:00:00Z'), key: '2026-11-30T09:00' });
    expect(slotAtOrBefore(monday, zone, at('2026-11-30T07:59:59Z'))?.key).toBe('2026-11-23T09:00');
  });

  it('reads a zone far from UTC on the right local date', () => {
    const monday = schedule('mon 09:00');
    // Monday 09:00 in Auckland (NZDT, +13) is Sunday 20:00 UTC.
    expect(nextSlotAfter(monday, 'Pacific/Auckland', at('2026-11-29T00:00:00Z'))).toEqual({
      at: at('2026-11-29T20:00:00Z'),
      key: '2026-11-30T09:00',
    });
    expect(instantOf(Date.UTC(2026, 0, 1, 0, 0), 'UTC')).toBe(at('2026-01-01T00:00:00Z'));
  });
});
