/**
 * connectSharedState with no Redis to reach: it fails fast and names
 * REDIS_URL and host:port, never the password. Node only; the tests against
 * a real Redis are in connect.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { connectSharedState } from '../../src/shared-state/index.js';
import { freePort } from '../support/ports.js';
import { rejectionOf } from '../support/expect-error.js';
import { capturedLogger } from '../support/logs.js';

const PASSWORD = 'hunter2-redis-Pa55';

describe('connecting the shared state', () => {
  it('fails fast when Redis cannot be reached, naming REDIS_URL and host:port but not the password', async () => {
    const port = await freePort();
    const { logger, lines } = capturedLogger();
    const error = (await rejectionOf(
      connectSharedState(`redis://:${PASSWORD}@127.0.0.1:${port}/0`, { maxConcurrent: 2, minTimeMs: 0, logger }),
    )) as Error;
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message + lines.join('\n')).not.toContain(PASSWORD);
  });
});
