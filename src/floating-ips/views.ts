/**
 * What the use cases return on success, and the plans a caller confirms
 * before a change. Plain, JSON-serialisable data: the Slack layer stores plans
 * between the confirmation message and the click on Confirm.
 */
import type { Attachment, Named, Target } from './failures.js';
import type { LeaseRequest, LeaseWritten } from './lease-write.js';

export interface FloatingIpView {
  id: string;
  address: string;
  pool: Named;
  status: string;
  description: string;
  attachment: Attachment | null;
  /** Neutron's revision_number when the cloud has that extension: guards later changes (If-Match). */
  revision: number | undefined;
  /** When its lease (`--for`) ends, epoch ms; absent without a lease. */
  leaseEndsAt?: number;
  /** The Slack user fipbot allocated it for, from its allocation tag; absent without the tag. */
  allocatedBy?: string;
}

/** Which floating IPs a list shows. The one definition: the command parser, the form and the list buttons use it. */
export const LIST_FILTERS = ['all', 'free', 'attached'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export function matchesFilter(fip: { portId: string | null }, filter: ListFilter): boolean {
  return filter === 'all' || (filter === 'free') === (fip.portId === null);
}

export interface FloatingIpList {
  filter: ListFilter;
  floatingIps: FloatingIpView[];
  /** Set when instance names could not be resolved (Nova unavailable): ids are shown instead. */
  namesUnavailable: boolean;
}

export interface AllocatePlan {
  pool: Named;
  poolChoice: 'requested' | 'only_pool' | 'router_gateway';
  /** Unique (it carries an operation tag): finds the IP again after a lost answer. */
  description: string;
  /** Quota, the pool's free addresses, IPs that could be reused (absent in plans stored by an older version). */
  headroom?: Headroom;
  /** `--for`: released by itself this long after the allocation. */
  lease?: LeaseRequest;
  /** The Slack user it is allocated for: its allocation tag (absent in plans stored by an older version). */
  owner?: string;
}

export interface Allocated {
  floatingIp: FloatingIpView;
  /** How the pool was chosen, for the confirmation text. */
  poolChoice: 'requested' | 'only_pool' | 'router_gateway';
  requestId: string | undefined;
  /** True when the response was lost and the IP was found afterwards by its description. */
  recovered: boolean;
  /** The lease asked for, and whether it could be written on the IP. */
  lease?: LeaseWritten;
}

export interface AttachPlan {
  /** The existing floating IP, or a new one to allocate from `pool` in the same request. */
  floatingIp: { id: string; address: string; revision: number | undefined } | null;
  pool: Named;
  instance: Named;
  target: Pick<Target, 'portId' | 'address' | 'network' | 'subnet'> & { router: Named | null };
  /** Where the IP is attached now, if elsewhere: confirming moves it away from there. */
  moveFrom: Attachment | null;
  /** Already attached exactly there: nothing to do. */
  alreadyAttached: boolean;
  /** For a new IP: the description it will get. */
  description: string;
  /** For a new IP: quota, the pool's free addresses, IPs that could be reused instead. */
  headroom?: Headroom;
  /** For a new IP, `--for`: released by itself this long after the allocation. */
  lease?: LeaseRequest;
  /** For a new IP: the Slack user it is allocated for (its allocation tag). */
  owner?: string;
}

export interface AttachResult {
  plan: AttachPlan;
  floatingIp: FloatingIpView;
  requestId: string | undefined;
  recovered: boolean;
  /** A new IP's lease (`--for`), and whether it could be written on the IP. */
  lease?: LeaseWritten;
}

export interface DetachPlan {
  floatingIp: { id: string; address: string; revision: number | undefined; pool: Named };
  from: Attachment;
}

export interface DetachResult {
  plan: DetachPlan;
  floatingIp: FloatingIpView;
  requestId: string | undefined;
  recovered: boolean;
}

export interface ReleasePlan {
  floatingIp: { id: string; address: string; revision: number | undefined; pool: Named };
  /** Releasing also detaches it from here. */
  attachedTo: Attachment | null;
}

export interface ReleaseResult {
  plan: ReleasePlan;
  requestId: string | undefined;
  recovered: boolean;
}

export interface PoolDiagnosis {
  pool: Named;
  /** True when at least one IPv4 address of the instance can take an IP from this pool. */
  reachable: boolean;
  targets: Target[];
}

export interface Diagnosis {
  instance: Named;
  pools: PoolDiagnosis[];
  /** Floating IPs attached to the instance now. */
  floatingIps: FloatingIpView[];
}

/** An unattached floating IP of the project, as the leak report shows it. */
export interface Leak {
  id: string;
  address: string;
  pool: Named;
  /** Neutron's revision_number when listed: reclaiming it is refused if it changed since (If-Match). */
  revision: number | undefined;
  /** Unattached at least since (ISO time): its last change (updated_at), else its allocation; absent without timestamps. */
  since: string | undefined;
  /** Who allocated it, when fipbot did (its description stamp); "" otherwise. */
  description: string;
  /** The Slack user fipbot allocated it for, from its allocation tag; absent without the tag. */
  allocatedBy?: string;
}

/** `/fip leaks`: the unattached floating IPs, oldest first. */
export interface LeakReport {
  leaks: Leak[];
  /** When it was read (ISO time): ages are measured against it. */
  asOf: string;
}

/** Unattached floating IPs to release together, each guarded by the revision the person saw. */
export interface ReclaimPlan {
  floatingIps: Array<{ id: string; address: string; revision: number | undefined; pool: Named; since: string | undefined }>;
  /** Asked for but not in the plan: attached now, or not (any longer) one of the project's. */
  left: Array<{ address: string; reason: 'attached' | 'not_found' }>;
  /** Unattached ones beyond the cap of one confirmation: a later reclaim takes them. */
  more: number;
}

export interface ReclaimResult {
  plan: ReclaimPlan;
  released: string[];
  /** Not released, with why: attached or changed since the person saw it, already gone, or the cloud stopped answering. */
  skipped: Array<{ address: string; reason: 'changed' | 'attached' | 'gone' | 'not_sent' }>;
  requestId: string | undefined;
  recovered: boolean;
}

/** Room for a new floating IP, shown before allocating (floating-ips/headroom.ts). */
/** The App Home's room: the project's quota and the free addresses of its first pools by name. */
export interface Room {
  quota?: { used: number; limit: number };
  pools: Array<{ pool: Named; free: number | 'not_visible' | 'unknown' }>;
  /** Pools left out. */
  morePools: number;
}

export interface Headroom {
  /** The project's floating IPs, used and allowed (-1: no limit); absent when the cloud would not say. */
  quota?: { used: number; limit: number };
  /** Free IPv4 addresses in the pool, or why that is not known. */
  poolFree: number | 'not_visible' | 'unknown';
  /** The project's unattached IPs of the pool, oldest first: one of them could do instead. */
  reusable: Array<{ id: string; address: string; since: string | undefined }>;
  /** When it was read (ISO time), for "unattached for 12 days". */
  asOf: string;
}
