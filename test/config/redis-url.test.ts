/** REDIS_URL in fipbot's settings: optional, redis:// or rediss:// only, and a bad one is refused without echoing its password. */
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/settings.js';
import { describeRedisUrl } from '../../src/config/redis-url.js';

describe('REDIS_URL', () => {
  it('is optional: without it the state stays in-process', () => {
    const loaded = loadAppConfig({});
    expect(loaded.ok && loaded.config.redisUrl).toBeUndefined();
    const blank = loadAppConfig({ REDIS_URL: '  ' });
    expect(blank.ok && blank.config.redisUrl).toBeUndefined();
  });

  it('accepts redis:// and rediss:// URLs, with a password and a database number', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'redis://:s3cret@redis.internal:6379/2',
      'rediss://fipbot:s3cret@cache.example.com:6380/0',
      'redis://redis',
    ]) {
      const loaded = loadAppConfig({ REDIS_URL: url });
      expect(loaded.ok && loaded.config.redisUrl).toBe(url);
    }
  });

  it('refuses anything else, naming REDIS_URL and never repeating the password', () => {
    for (const url of [
      'http://:pa55word-x@redis:6379',
      'redis://:pa55word-x@redis:6379/cache',
      'pa55word-x',
      'redis://:pa55word-x@:6379',
    ]) {
      const loaded = loadAppConfig({ REDIS_URL: url });
      expect(loaded.ok).toBe(false);
      const problems = loaded.ok ? [] : loaded.problems;
      expect(problems.map((problem) => problem.where)).toEqual(['REDIS_URL']);
      expect(JSON.stringify(problems)).not.toContain('pa55word-x');
    }
  });

  it('is shown in logs as host:port only', () => {
    expect(describeRedisUrl('redis://:s3cret@redis.internal/1')).toBe('redis.internal:6379');
    expect(describeRedisUrl('rediss://user:s3cret@cache.example.com:6380')).toBe('cache.example.com:6380');
  });
});
