/**
 * What the use cases return on success, and the plans a caller confirms
 * before a change. Plain, JSON-serialisable data: the Slack layer stores plans
 * between the confirmation message and the click on Confirm.
 */
import type { Attachment, Named, Target } from './failures.js';

export interface FloatingIpView {
  id: string;
  address: string;
  pool: Named;
  status: string;
  description: string;
  attachment: Attachment | null;
  /** Neutron's revision_number when the cloud has that extension: guards later changes (If-Match). */
  revision: number | undefined;
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
}

export interface Allocated {
  floatingIp: FloatingIpView;
  /** How the pool was chosen, for the confirmation text. */
  poolChoice: 'requested' | 'only_pool' | 'router_gateway';
  requestId: string | undefined;
  /** True when the response was lost and the IP was found afterwards by its description. */
  recovered: boolean;
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
}

export interface AttachResult {
  plan: AttachPlan;
  floatingIp: FloatingIpView;
  requestId: string | undefined;
  recovered: boolean;
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
