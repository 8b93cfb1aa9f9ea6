/**
 * connectSharedState with no Redis to reach: it fails fast and names
 * REDIS_URL and host:port, never the password. Node only; the tests against
 * a real redis-server are in connect.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { connectSharedState } from '../../src/shared-state/index.js';
import { freePort } from '../support/ports.js';

const PASSWORD = 'hunter2-redis-Pa55';

function capture(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), lines };
}

const caught = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe('connecting the shared state', () => {
  it('fails fast when Redis cannot be reached, naming REDIS_URL and host:port but not the password', async () => {
    const port = await freePort();
    const { logger, lines } = capture();
    const error = await caught(connectSharedState(`redis://:${PASSWORD}@127.0.0.1:${port}/0`, { maxConcurrent: 2, minTimeMs: 0, logger }));
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message + lines.join('\n')).not.toContain(PASSWORD);
  });
});
