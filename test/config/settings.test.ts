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
