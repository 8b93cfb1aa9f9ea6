/**
 * The timing profile tests run with: production values, except the waits a
 * test would otherwise sit through (retry and reconnect backoffs, the drain
 * of a graceful stop). Timeouts a test provokes are set by that test.
 */
import { PRODUCTION_TIMING, type Timing } from '../../src/config/timing.js';

export const TEST_TIMING: Timing = Object.freeze({
  ...PRODUCTION_TIMING,
  slack: {
    ...PRODUCTION_TIMING.slack,
    webApiRetries: { retries: 3, minTimeoutMs: 20, maxTimeoutMs: 100 },
    reconnect: { firstMs: 20, maxMs: 200 },
  },
  openstack: { ...PRODUCTION_TIMING.openstack, retryBaseDelayMs: 5, retryMaxDelayMs: 20, lateAllocationChecksMs: [50, 100] },
  ops: { ...PRODUCTION_TIMING.ops, drainMs: 10_000 },
});

/** TEST_TIMING with some values changed, section by section. */
export function testTiming(changes: { [K in keyof Timing]?: Partial<Timing[K]> } = {}): Timing {
  return {
    slack: { ...TEST_TIMING.slack, ...changes.slack },
    openstack: { ...TEST_TIMING.openstack, ...changes.openstack },
    caches: { ...TEST_TIMING.caches, ...changes.caches },
    interactions: { ...TEST_TIMING.interactions, ...changes.interactions },
    ops: { ...TEST_TIMING.ops, ...changes.ops },
    jobs: { ...TEST_TIMING.jobs, ...changes.jobs },
  };
}
