/**
 * REDIS_URL, read and shown without its password: config.ts validates it with
 * `checkRedisUrl`, logs and errors name the server with `describeRedisUrl`
 * (host:port, never the credentials).
 */

/** A problem with the URL, worded without repeating the URL (it may hold a password). */
export function checkRedisUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL such as redis://redis.internal:6379/0 or rediss://:password@redis.example.com:6380';
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `must start with redis:// or rediss:// (not ${url.protocol}//)`;
  if (url.hostname === '') return 'names no host (redis://HOST:PORT/DB)';
  if (!/^\/?(\d+)?$/.test(url.pathname)) return 'may end only with a database number, as in redis://host:6379/0';
  return undefined;
}

/** host:port (default port 6379), for logs and error messages. */
export function describeRedisUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.hostname}:${url.port || '6379'}`;
  } catch {
    return 'REDIS_URL (unparsable)';
  }
}

/** The password written in the URL, as written and percent-decoded (as the client sends it): to scrub from messages. */
export function redisUrlSecrets(text: string): string[] {
  try {
    const url = new URL(text);
    return [url.password, decodeURIComponent(url.password)].filter((value) => value.length > 0);
  } catch {
    return [];
  }
}
