/**
 * What every floating-IP use case works with: the cloud's ports, the
 * inventory, and the reads and checks they share. Each use case (one module
 * per operation, src/operations/<name>/use-case.ts) runs its body through
 * `run`, its boundary: inside, a failure is thrown (a FailureSignal or an
 * OpenStack error); out of it comes an Outcome, with "changed: unknown" only
 * when a change was sent and its answer lost.
 */
import { allocatedByTag } from './allocation-tag.js';
import { randomUUID } from 'node:crypto';
import { PRODUCTION_TIMING } from '../config/timing.js';
import {
  hasErrorType,
  isRetriedConflict,
  mayHaveApplied,
  OpenStackApiError,
  OpenStackError,
  OpenStackTimeoutError,
} from '../openstack/errors.js';
import type { FloatingIp, Network, Port } from '../openstack/schemas/neutron.js';
import type { ServerSummary } from '../openstack/schemas/nova.js';
import { Cached } from './cache.js';
import {
  type Attachment,
  type Failure,
  type FailureBody,
  FailureSignal,
  failure,
  type Named,
  type Outcome,
  stop,
  succeed,
} from './failures.js';
import { Inventory, type InventoryOptions, isIpv4Address } from './inventory.js';
import { failureFromError } from './openstack-failures.js';
import type { CloudPorts, ComputePort, NetworkPort } from './ports.js';
import { leaseOf } from './lease.js';
import { named, type Topology } from './reachability.js';
import type { FloatingIpView } from './views.js';

export interface UseCaseOptions extends InventoryOptions {
  /** A short unique tag appended to descriptions of IPs we create, to find them again after a lost response. */
  newOperationTag: () => string;
  /**
   * How long the project's floating IPs, listed for typeahead, serve the
   * following keystrokes. Neutron cannot filter addresses by substring, so
   * each suggestion request would otherwise list them all again (five pages
   * with 2,000 IPs). Suggestions only: every plan reads the IP fresh.
   */
  typeaheadTtlMs: number;
  /** See Timing.openstack.lateAllocationChecksMs; none by default (tests building a service by hand). */
  lateAllocationChecksMs: readonly number[];
}

/** How far an execute step got: the change sent (an answer may be lost), or done (Neutron confirmed it). */
export interface Progress {
  sent: boolean;
  done: boolean;
}

/** A floating IP as a plan remembers it: enough to guard the change with the revision seen. */
export interface FloatingIpIdentity {
  id: string;
  address: string;
  revision: number | undefined;
}

export class UseCaseContext {
  readonly neutron: NetworkPort;
  readonly nova: ComputePort;
  readonly inventory: Inventory;
  /** The project's floating IPs for typeahead; dropped whenever a use case sends a change. */
  readonly typeaheadIps: Cached<FloatingIp[]>;
  /** The clock reports measure ages against (injected in tests). */
  readonly now: () => number;
  /** The project's ports for the instance picker's search by address; as short-lived as the IPs. */
  readonly typeaheadPorts: Cached<Port[]>;
  private readonly newOperationTag: () => string;
  private readonly lateAllocationChecksMs: readonly number[];

  constructor(ports: CloudPorts, options: Partial<UseCaseOptions> = {}) {
    this.neutron = ports.neutron;
    this.nova = ports.nova;
    this.inventory = new Inventory(ports, options);
    this.newOperationTag = options.newOperationTag ?? (() => randomUUID().slice(0, 8));
    this.now = options.now ?? (() => Date.now());
    this.lateAllocationChecksMs = options.lateAllocationChecksMs ?? [];
    this.typeaheadIps = new Cached(
      async () => this.neutron.listFloatingIps({ projectId: (await this.inventory.scope()).projectId }),
      options.typeaheadTtlMs ?? PRODUCTION_TIMING.caches.typeaheadTtlMs,
      options.now,
    );
    this.typeaheadPorts = new Cached(
      async () => this.neutron.listPorts({ projectId: (await this.inventory.scope()).projectId }),
      options.typeaheadTtlMs ?? PRODUCTION_TIMING.caches.typeaheadTtlMs,
      options.now,
    );
  }

  /**
   * Runs a use case: coded failures and OpenStack errors become a failed Outcome; bugs still throw.
   * A lost answer can mean "changed: unknown" only once the change was sent: the body marks `progress`
   * (sent just before the mutating request, done once it succeeded). Before that (every prepare step, a read
   * before the change) nothing was sent; and a Keystone failure while sending (a 401, then no new token) means
   * the change never reached Neutron. Saying "fipbot could not confirm whether the change was made" there
   * would send people checking for a change that cannot have happened.
   */
  async run<T>(context: { address?: string | undefined }, body: (progress: Progress) => Promise<T>): Promise<Outcome<T>> {
    const progress: Progress = { sent: false, done: false };
    try {
      return succeed(await body(progress));
    } catch (error) {
      const reachedNeutron = progress.done || (progress.sent && !(error instanceof OpenStackError && error.service === 'identity'));
      const mapped: Failure = failureFromError(error, {
        ...(context.address && isIpv4Address(context.address.trim()) ? { address: context.address.trim() } : {}),
        changed: reachedNeutron && mayHaveApplied(error) ? 'unknown' : 'nothing',
      });
      return { ok: false, failure: mapped };
    } finally {
      // A change went out (made, refused or unknown): the person's next suggestions must show it.
      if (progress.sent) this.typeaheadIps.invalidate();
    }
  }

  /** The server's ports, with a topology that knows their networks and subnets (reloaded once if it did not). */
  async portsWithTopology(server: ServerSummary, topology: Topology): Promise<{ ports: Port[]; topology: Topology }> {
    const ports = await this.inventory.portsOf(server.id);
    const networkIds = ports.map((port) => port.networkId);
    const subnetIds = ports.flatMap((port) => port.fixedIps.map((ip) => ip.subnetId));
    const complete = networkIds.every((id) => topology.networks.has(id)) && subnetIds.every((id) => topology.subnets.has(id));
    return { ports, topology: complete ? topology : await this.inventory.topology({ networkIds, subnetIds }) };
  }

  /**
   * Without revision numbers (a cloud lacking the extension) If-Match is not
   * available: re-read the IP and refuse if its attachment is not what the plan saw.
   */
  async verifyUnchanged(fip: FloatingIpIdentity, expectedPortId: string | null): Promise<void> {
    if (fip.revision !== undefined) return;
    const now = await this.neutron.getFloatingIp(fip.id);
    if (now.portId !== expectedPortId) stop({ code: 'changed_concurrently', address: fip.address });
  }

  /** The IP as it is now; null when it no longer exists; undefined when we could not tell. */
  async readQuietly(id: string): Promise<FloatingIp | null | undefined> {
    try {
      return await this.neutron.getFloatingIp(id);
    } catch (error) {
      if (error instanceof OpenStackApiError && error.status === 404) return null;
      return undefined;
    }
  }

  /**
   * After a change whose answer was lost (`mayHaveApplied`, or a retry refused with 412): the IP as it is
   * now, for the caller to compare with what the plan meant to do. When a retried change cannot be
   * checked, it stops with answer_lost (changed: unknown); for other errors the caller goes on.
   */
  async readBackAfter(error: unknown, fip: FloatingIpIdentity): Promise<FloatingIp | null | undefined> {
    if (!mayHaveApplied(error) && !isRetriedConflict(error)) return undefined;
    const now = await this.readQuietly(fip.id);
    if (now === undefined && isRetriedConflict(error))
      stop({ code: 'answer_lost', address: fip.address }, { changed: 'unknown', requestId: error.requestId });
    return now;
  }

  /** After a create whose answer was lost: the IP, found by the unique description it was created with. */
  async findCreated(error: unknown, description: string): Promise<FloatingIp | undefined> {
    if (!mayHaveApplied(error)) return undefined;
    // A request that timed out may still be on its way through Neutron: look again a little later.
    const waits = error instanceof OpenStackTimeoutError ? this.lateAllocationChecksMs : [];
    for (const wait of [0, ...waits]) {
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        const scope = await this.inventory.scope();
        const found = await this.neutron.listFloatingIps({ projectId: scope.projectId, description });
        if (found.length === 1) return found[0];
      } catch {
        // Unreadable just now: the next look, or "could not confirm".
      }
    }
    return undefined;
  }

  /** Neutron's refusal of a new floating IP (pool exhausted, quota) as the failure a person can act on; else the error. */
  async creationFailure(error: unknown, pool: Network | Named): Promise<unknown> {
    const requestId = error instanceof OpenStackError ? error.requestId : undefined;
    if (hasErrorType(error, 'IpAddressGenerationFailure', 'ExternalIpAddressExhausted')) {
      return signalOf({ code: 'pool_exhausted', pool: named(pool, pool.id) }, requestId);
    }
    if (hasErrorType(error, 'OverQuota')) {
      const quota = await this.inventory
        .scope()
        .then((scope) => this.neutron.getQuotaDetails(scope.projectId))
        .catch(() => undefined);
      return signalOf(
        { code: 'quota_exceeded', used: quota?.floatingIps.used ?? null, limit: quota?.floatingIps.limit ?? null },
        requestId,
      );
    }
    return error;
  }

  uniqueDescription(description: string | undefined): string {
    const tag = `fipbot op ${this.newOperationTag()}`;
    const text = description?.trim();
    // Neutron limits descriptions to 255 characters.
    return text ? `${text.slice(0, 255 - tag.length - 3)} (${tag})` : tag;
  }

  async identity(fip: FloatingIp): Promise<FloatingIpIdentity & { pool: Named }> {
    return { id: fip.id, address: fip.address, revision: fip.revision, pool: await this.inventory.poolOf(fip.networkId) };
  }

  async view(fip: FloatingIp, attachment?: Attachment | null): Promise<FloatingIpView> {
    const lease = leaseOf(fip.tags);
    const allocatedBy = allocatedByTag(fip.tags);
    return {
      id: fip.id,
      address: fip.address,
      pool: await this.inventory.poolOf(fip.networkId),
      status: fip.status,
      description: fip.description,
      attachment: attachment !== undefined ? attachment : await this.inventory.attachmentOf(fip),
      revision: fip.revision,
      ...(lease ? { leaseEndsAt: lease.expiresAt } : {}),
      ...(allocatedBy ? { allocatedBy } : {}),
    };
  }

  /** Where one IP is attached; as for lists, Nova down only costs the instance's name (detach and release are Neutron's business). */
  async attachmentTolerant(fip: FloatingIp): Promise<Attachment | null> {
    const { attachments } = await this.attachmentsTolerant([fip]);
    return attachments[0] ?? null;
  }

  /** Attachments with names; if Nova fails, the list still works with ids in place of names. */
  async attachmentsTolerant(fips: FloatingIp[]): Promise<{ attachments: Array<Attachment | null>; namesUnavailable: boolean }> {
    try {
      return { attachments: await this.inventory.attachmentsOf(fips), namesUnavailable: false };
    } catch (error) {
      if (!(error instanceof OpenStackError) || error.service !== 'compute') throw error;
      return { attachments: await this.inventory.attachmentsOf(fips, { names: 'none' }), namesUnavailable: true };
    }
  }
}

/** The revision guard of a change: If-Match when the cloud has revision numbers. */
export function revisionGuard(fip: { revision: number | undefined }): { ifRevision?: number } {
  return fip.revision !== undefined ? { ifRevision: fip.revision } : {};
}

export function signalOf(body: FailureBody, requestId: string | undefined): FailureSignal {
  return new FailureSignal(failure(body, { requestId }));
}
