/** fipbot's own settings (src/config.ts): the limits toward OpenStack, each with its default and its bounds. */
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/settings.js';

function openstack(env: Record<string, string>) {
  const loaded = loadAppConfig(env);
  return loaded.ok ? loaded.config.openstack : loaded.problems;
}

describe('the limits toward OpenStack', () => {
  it('default to 8 requests in flight, no spacing, a 30 s timeout and a 10 s typeahead listing', () => {
    expect(openstack({})).toEqual({ maxConcurrent: 8, minTimeMs: 0, timeoutMs: 30_000, typeaheadCacheMs: 10_000 });
  });

  it('take FIPBOT_TYPEAHEAD_CACHE_MS from 0 (list on every keystroke) to a minute', () => {
    expect(openstack({ FIPBOT_TYPEAHEAD_CACHE_MS: '0' })).toMatchObject({ typeaheadCacheMs: 0 });
    expect(openstack({ FIPBOT_TYPEAHEAD_CACHE_MS: '60000' })).toMatchObject({ typeaheadCacheMs: 60_000 });
  });

  it('refuse a value out of bounds or not a number, naming the variable', () => {
    for (const value of ['60001', '-1', 'ten seconds']) {
      const problems = openstack({ FIPBOT_TYPEAHEAD_CACHE_MS: value });
      expect(Array.isArray(problems) && problems.map((problem) => problem.where)).toEqual(['FIPBOT_TYPEAHEAD_CACHE_MS']);
    }
  });
});

describe('the log settings', () => {
  it('take LOG_FORMAT json or pretty, and name any other value as a problem', () => {
    for (const value of ['json', 'pretty', 'PRETTY']) expect(loadAppConfig({ LOG_FORMAT: value }).ok).toBe(true);
    const loaded = loadAppConfig({ LOG_FORMAT: 'yaml' });
    expect(loaded.ok ? [] : loaded.problems).toEqual([{ where: 'LOG_FORMAT', message: 'must be json or pretty, not "yaml"' }]);
  });
});

describe('the scheduled leak report and the watch', () => {
  const problems = (env: Record<string, string>) => {
    const loaded = loadAppConfig(env);
    return loaded.ok ? [] : loaded.problems;
  };

  it('are off unless their channel is set', () => {
    const loaded = loadAppConfig({});
    expect(loaded.ok && [loaded.config.report, loaded.config.watch]).toEqual([undefined, undefined]);
  });

  it('post the report on Mondays at 09:00 UTC by default, or on the schedule and in the zone given', () => {
    const loaded = loadAppConfig({ FIPBOT_REPORT_CHANNEL: 'C0REPORT01' });
    expect(loaded.ok && loaded.config.report).toMatchObject({ channel: 'C0REPORT01', timeZone: 'UTC', schedule: { text: 'mon 09:00' } });
    const berlin = loadAppConfig({
      FIPBOT_REPORT_CHANNEL: 'C0REPORT01',
      FIPBOT_REPORT_SCHEDULE: 'daily 08:30',
      FIPBOT_REPORT_TIMEZONE: 'Europe/Berlin',
    });
    expect(berlin.ok && berlin.config.report).toMatchObject({ timeZone: 'Europe/Berlin', schedule: { hour: 8, minute: 30 } });
  });

  it('name a bad schedule, an unknown time zone and a channel name instead of an id', () => {
    expect(
      problems({ FIPBOT_REPORT_CHANNEL: '#fip-report', FIPBOT_REPORT_SCHEDULE: 'mondays at 9', FIPBOT_REPORT_TIMEZONE: 'Berlin' }),
    ).toEqual([
      { where: 'FIPBOT_REPORT_CHANNEL', message: 'must be a channel id such as C0123456789 (names change), not "#fip-report"' },
      {
        where: 'FIPBOT_REPORT_SCHEDULE',
        message:
          'must be days and a 24-hour time such as "mon 09:00", "daily 09:00", "weekdays 09:00" or "mon,thu 08:30", not "mondays at 9"',
      },
      { where: 'FIPBOT_REPORT_TIMEZONE', message: 'must be an IANA time zone such as Europe/Berlin or UTC, not "Berlin"' },
    ]);
  });

  it('say when a schedule, a zone or an interval is set without the channel it is for', () => {
    expect(problems({ FIPBOT_REPORT_SCHEDULE: 'mon 09:00', FIPBOT_WATCH_INTERVAL_MS: '30000' }).map((p) => p.where)).toEqual([
      'FIPBOT_REPORT_SCHEDULE',
      'FIPBOT_WATCH_INTERVAL_MS',
    ]);
  });

  it('poll every minute by default, from 10 s to a day', () => {
    const loaded = loadAppConfig({ FIPBOT_WATCH_CHANNEL: 'C0WATCH001' });
    expect(loaded.ok && loaded.config.watch).toEqual({ channel: 'C0WATCH001', intervalMs: 60_000 });
    expect(problems({ FIPBOT_WATCH_CHANNEL: 'C0WATCH001', FIPBOT_WATCH_INTERVAL_MS: '5000' })).toEqual([
      { where: 'FIPBOT_WATCH_INTERVAL_MS', message: 'must be a whole number from 10000 to 86400000, not "5000"' },
    ]);
  });
});
