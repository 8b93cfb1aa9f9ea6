/**
 * The description fipbot gives the floating IPs it allocates ("fipbot:
 * requested by @alice (U0789) in #ops (C0456) on 2026-11-28"), and reading it
 * back: who asked for an IP, shown by the leak report. No imports: the audit,
 * the flows and the reports all use it.
 */
/** Neutron allows 255; the service appends " (fipbot op xxxxxxxx)". */
const MAX_DESCRIPTION = 200;
/** Long enough for any real name; short enough that two of them and the ids fit. */
const MAX_NAME = 60;

/**
 * "fipbot: requested by @alice (U0789) in #ops (C0456) on 2026-11-28": one
 * line, at most 200 characters (names are shortened with "…"), the date in
 * UTC. Names help the reader; ids stay true when names change.
 */
export function floatingIpDescription(input: {
  userId: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  now: Date;
}): string {
  const userName = input.userName === undefined ? '' : shorten(oneLine(input.userName).replace(/^@+/, ''), MAX_NAME);
  const channelName = input.channelName === undefined ? '' : shorten(oneLine(input.channelName).replace(/^#+/, ''), MAX_NAME);
  const userId = oneLine(input.userId);
  const channelId = input.channelId === undefined ? '' : oneLine(input.channelId);
  const who = userName ? `@${userName} (${userId})` : userId;
  const where = channelId ? ` in ${channelName ? `#${channelName} (${channelId})` : channelId}` : '';
  return shorten(`fipbot: requested by ${who}${where} on ${input.now.toISOString().slice(0, 10)}`, MAX_DESCRIPTION);
}

/** Who fipbot allocated an IP for, read back from its description stamp; undefined for IPs allocated elsewhere. */
export function allocatedBy(description: string): { userId: string; userName?: string; date: string } | undefined {
  // Read from the right: a display name may contain anything, "(U666) on 2020-01-01" too; channel names cannot.
  // User ids start with U or W, channel ids with C, G or D: what a name imitates cannot take their place.
  const match = STAMP.exec(description);
  if (!match) return undefined;
  const [, userName, namedId, bareId, date] = match;
  return { userId: (namedId ?? bareId)!, ...(userName ? { userName } : {}), date: date! };
}

/**
 * Who fipbot allocated the IP for: its allocation tag first (a description may
 * be edited in Horizon), its description stamp otherwise; the date when the
 * stamp names the same person.
 */
export function allocationOwner(ip: { description: string; allocatedBy?: string }): { userId: string; date?: string } | undefined {
  const stamp = allocatedBy(ip.description);
  if (!ip.allocatedBy) return stamp;
  return { userId: ip.allocatedBy, ...(stamp?.userId === ip.allocatedBy ? { date: stamp.date } : {}) };
}

const STAMP =
  /^fipbot: requested by (?:@(.+) \(([UW][A-Z0-9]+)\)|([UW][A-Z0-9]+))(?: in (?:#[^\s()]+ \([CGD][A-Z0-9]+\)|[CGD][A-Z0-9]+))? on (\d{4}-\d{2}-\d{2})(?: \(fipbot op [0-9a-f]+\))?$/;

/** Control characters and line breaks become single spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/gu, ' ').trim();
}

/**
 * At most `max` UTF-16 units (what JavaScript's `length` and the service's
 * `slice` count), cut between code points so an emoji is never halved.
 */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept.trimEnd()}…`;
}
