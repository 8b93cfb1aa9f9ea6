/**
 * fipbot's own changes, remembered where every replica can read them, so the
 * watch (whichever replica polls) does not report them as made elsewhere.
 * Every change passes executeChange, which marks the addresses it is about
 * to change (and those it made, such as a new IP's) for a while; the mark is
 * a claim in the interaction store, shared in Redis.
 */
import type { Timing } from '../config/timing.js';
import type { InteractionStore } from '../slack/state/interaction-store.js';

export interface OwnChanges {
  /** These addresses are being changed by fipbot now. */
  mark(addresses: readonly string[]): Promise<void>;
  /** fipbot changed this address recently. */
  isMarked(address: string): Promise<boolean>;
}

/**
 * How long a mark lasts: the change itself (a request and its retries) plus
 * the poll that sees it, with one interval to spare.
 */
export function ownChangeMemoryMs(timing: Timing): number {
  return 2 * timing.jobs.watchIntervalMs + 2 * timing.openstack.timeoutMs;
}

export function ownChangesIn(store: InteractionStore, ttlMs: number): OwnChanges {
  const key = (address: string) => `fipbot-change:${address}`;
  return {
    async mark(addresses) {
      for (const address of new Set(addresses)) {
        // A mark left by an earlier change would keep its old expiry: start it again.
        await store.release(key(address));
        await store.claim(key(address), ttlMs);
      }
    },
    isMarked: (address) => store.isClaimed(key(address)),
  };
}
