/**
 * Every duration fipbot waits on, in one profile. Production values live
 * here; FIPBOT_OPENSTACK_TIMEOUT_MS, FIPBOT_TYPEAHEAD_CACHE_MS,
 * FIPBOT_NOT_READY_AFTER_MS and FIPBOT_WATCH_INTERVAL_MS override theirs;
 * tests pass a compressed copy (test/support/timing.ts) instead of sleeping
 * through the real ones.
 */
import type { AppConfig } from './settings.js';

export interface Timing {
  slack: {
    /** How long work may hold up an ack (Slack allows 3 s): a form check, a typeahead search, a user-group lookup. */
    ackBudgetMs: number;
    /** Web API retries: bounded, since a result held up for minutes helps nobody. */
    webApiRetries: { retries: number; minTimeoutMs: number; maxTimeoutMs: number };
    /** Socket Mode reconnects: first wait, doubling up to the maximum, plus up to a quarter at random. */
    reconnect: { firstMs: number; maxMs: number };
    /** How long user-group members answer policy decisions before Slack is asked again. */
    userGroupsTtlMs: number;
  };
  openstack: {
    connectTimeoutMs: number;
    /** Header and body timeout of each request. */
    timeoutMs: number;
    retryBaseDelayMs: number;
    retryMaxDelayMs: number;
    /** A Keystone token is renewed when less than this remains. */
    tokenRenewBeforeMs: number;
    /**
     * An allocation whose request timed out may still be carried out: after the first look finds nothing,
     * look again after each of these waits before answering "could not confirm".
     */
    lateAllocationChecksMs: readonly number[];
  };
  caches: {
    /** Pools, networks and subnets: a minute of staleness costs at most a wrong name. */
    topologyTtlMs: number;
    serverNamesTtlMs: number;
    /** One listing of the project's floating IPs answers the IP picker's keystrokes this long. */
    typeaheadTtlMs: number;
  };
  interactions: {
    /** A confirmation expires: after this long a plan is stale enough to be looked at again. */
    planTtlMs: number;
    /** A used confirmation token is remembered this long, so a late double tap is recognised. */
    usedTokenMs: number;
    /** A list-row click is claimed this long: it outlives any double tap or Slack retry. */
    rowClickClaimMs: number;
    /** An approval request stays open this long unless the policy's `expires:` says otherwise. */
    approvalTtlMs: number;
  };
  ops: {
    /** /readyz answers from its last checks this long, so probes cannot load the cloud. */
    readinessCacheMs: number;
    readinessCheckTimeoutMs: number;
    /** A graceful stop waits this long for work already acknowledged. */
    drainMs: number;
    /** /readyz says not ready once the cloud has failed, without one answer, this long. */
    notReadyAfterMs: number;
  };
  jobs: {
    /** A digest slot missed (every replica down, the cloud failing) is still posted this long after its time, never later. */
    reportLateMs: number;
    /** After a digest the cloud could not make, it is tried again this much later (within reportLateMs). */
    reportRetryMs: number;
    /** The watch polls the project's floating IPs this often (FIPBOT_WATCH_INTERVAL_MS). */
    watchIntervalMs: number;
    /** The lease keeper looks at the leases this often (and at each reminder or end it knows is due sooner). */
    leaseIntervalMs: number;
    /** A reminder or an expiry claimed by one replica is not done by another for this long. */
    leaseClaimMs: number;
  };
}

export const PRODUCTION_TIMING: Timing = Object.freeze({
  slack: {
    ackBudgetMs: 2_200,
    webApiRetries: { retries: 3, minTimeoutMs: 500, maxTimeoutMs: 5_000 },
    reconnect: { firstMs: 1_000, maxMs: 30_000 },
    userGroupsTtlMs: 5 * 60_000,
  },
  openstack: {
    connectTimeoutMs: 5_000,
    timeoutMs: 30_000,
    retryBaseDelayMs: 200,
    retryMaxDelayMs: 2_000,
    tokenRenewBeforeMs: 120_000,
    lateAllocationChecksMs: [5_000, 10_000],
  },
  caches: { topologyTtlMs: 60_000, serverNamesTtlMs: 5 * 60_000, typeaheadTtlMs: 10_000 },
  interactions: { planTtlMs: 15 * 60_000, usedTokenMs: 60 * 60_000, rowClickClaimMs: 10 * 60_000, approvalTtlMs: 30 * 60_000 },
  ops: { readinessCacheMs: 5_000, readinessCheckTimeoutMs: 3_000, drainMs: 25_000, notReadyAfterMs: 30_000 },
  jobs: {
    reportLateMs: 60 * 60_000,
    reportRetryMs: 5 * 60_000,
    watchIntervalMs: 60_000,
    leaseIntervalMs: 60_000,
    leaseClaimMs: 10 * 60_000,
  },
});

/** The production profile with the durations fipbot's settings let an operator change. */
export function timingFor(config: Pick<AppConfig, 'openstack' | 'notReadyAfterMs' | 'watch'>, base: Timing = PRODUCTION_TIMING): Timing {
  return {
    ...base,
    openstack: { ...base.openstack, timeoutMs: config.openstack.timeoutMs },
    caches: { ...base.caches, typeaheadTtlMs: config.openstack.typeaheadCacheMs },
    ops: { ...base.ops, notReadyAfterMs: config.notReadyAfterMs },
    jobs: { ...base.jobs, ...(config.watch ? { watchIntervalMs: config.watch.intervalMs } : {}) },
  };
}
