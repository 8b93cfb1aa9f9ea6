/**
 * The digest's schedule: "mon 09:00", "daily 09:00", "weekdays 09:00",
 * "mon,thu 08:30", in a named IANA time zone. Pure functions over instants;
 * Intl knows the zone's rules, so 09:00 stays 09:00 local across DST. A local
 * time that does not exist (skipped at spring-forward) moves forward by the
 * gap; one that happens twice (fall-back) is the earlier one: a slot is
 * named by its local date and time, so it is posted once either way.
 */

export interface Schedule {
  /** Days of the week, 0 = Sunday. */
  days: ReadonlySet<number>;
  hour: number;
  minute: number;
  /** As written, for logs and messages. */
  text: string;
}

export interface Slot {
  /** The instant it falls on (ms since the epoch). */
  at: number;
  /** Its local date and time, e.g. "2026-03-29T02:30": the same slot has the same key on every replica. */
  key: string;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WORDS: Record<string, number[]> = {
  daily: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  ...Object.fromEntries(DAY_NAMES.map((name, day) => [name, [day]])),
};

export const SCHEDULE_EXAMPLE = '"mon 09:00", "daily 09:00", "weekdays 09:00" or "mon,thu 08:30"';

/** The schedule, or why not (the sentence names what is wrong). */
export function parseSchedule(text: string): { ok: true; schedule: Schedule } | { ok: false; problem: string } {
  const bad = { ok: false as const, problem: `must be days and a 24-hour time such as ${SCHEDULE_EXAMPLE}, not "${text}"` };
  const match = /^\s*([a-z,\s]+?)\s+(\d{1,2}):(\d{2})\s*$/i.exec(text);
  if (!match) return bad;
  const [, daysText, hourText, minuteText] = match;
  const days = new Set<number>();
  for (const word of daysText!
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)) {
    // Monday, mondays, MON: the first three letters name the day.
    const known = WORDS[word] ?? (word.length >= 3 && !['daily', 'weekdays'].includes(word) ? WORDS[word.slice(0, 3)] : undefined);
    if (!known) return bad;
    for (const day of known) days.add(day);
  }
  const hour = Number(hourText);
  const minute = Number(minuteText);
  if (days.size === 0 || hour > 23 || minute > 59) return bad;
  return { ok: true, schedule: { days, hour, minute, text: text.trim() } };
}

/** True when Intl knows the zone (an IANA name such as Europe/Berlin, or UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The latest slot at or before `now`, or undefined when there is none within the last eight days. */
export function slotAtOrBefore(schedule: Schedule, zone: string, now: number): Slot | undefined {
  const today = localDate(now, zone);
  for (let back = 0; back <= 8; back++) {
    const slot = slotOn(schedule, zone, addDays(today, -back));
    if (slot && slot.at <= now) return slot;
  }
  return undefined;
}

/** The first slot after `now`. */
export function nextSlotAfter(schedule: Schedule, zone: string, now: number): Slot {
  const today = localDate(now, zone);
  for (let ahead = -1; ahead <= 8; ahead++) {
    const slot = slotOn(schedule, zone, addDays(today, ahead));
    if (slot && slot.at > now) return slot;
  }
  // Unreachable: every schedule names at least one weekday.
  throw new Error(`no slot of "${schedule.text}" within a week`);
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The schedule's slot on that local date, if the date is one of its days. */
function slotOn(schedule: Schedule, zone: string, date: LocalDate): Slot | undefined {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  if (!schedule.days.has(weekday)) return undefined;
  const local = Date.UTC(date.year, date.month - 1, date.day, schedule.hour, schedule.minute);
  const key = new Date(local).toISOString().slice(0, 16);
  return { at: instantOf(local, zone), key };
}

/**
 * The instant whose wall-clock time in `zone` is `local` (written as if UTC).
 * The offsets half a day before and after bracket any one transition: both
 * fit in an overlap (the earlier wins); neither fits in a gap, where the
 * offset before it carries the time forward by the gap's length.
 */
export function instantOf(local: number, zone: string): number {
  const before = local - offsetAt(local - 12 * 3_600_000, zone);
  const after = local - offsetAt(local + 12 * 3_600_000, zone);
  const fits = [before, after].filter((at) => wallClock(at, zone) === local);
  return fits.length > 0 ? Math.min(...fits) : before;
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetAt(at: number, zone: string): number {
  const instant = Math.floor(at / 60_000) * 60_000;
  return wallClock(instant, zone) - instant;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's wall-clock time at that instant, to the minute, written as if UTC. */
function wallClock(at: number, zone: string): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute);
}

function localDate(at: number, zone: string): LocalDate {
  const date = new Date(wallClock(at, zone));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}
