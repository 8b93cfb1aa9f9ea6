/**
 * Every floating-IP use case behind one object, over one context: what the
 * operations' entries, the typeahead and the tests call. Each method is one
 * line; the work is in src/operations/<name>/use-case.ts and the shared
 * core in src/floating-ips/. Knows nothing of Slack.
 *
 * Changes come in two steps so a person can confirm what will happen:
 * `prepareX` reads and checks everything and returns a plan (plain data);
 * `executeX(plan)` makes exactly that change. `allocate`, `attach`, `detach`
 * and `release` do both at once for callers without a confirmation step.
 */
import { UseCaseContext, type UseCaseOptions } from '../floating-ips/context.js';
import type { Named, Outcome } from '../floating-ips/failures.js';
import { readRoom } from '../floating-ips/headroom.js';
import type { Inventory } from '../floating-ips/inventory.js';
import type { CloudPorts } from '../floating-ips/ports.js';
import { type InstanceMatch, listPools, searchFloatingIps, searchInstances } from '../floating-ips/search.js';
import type {
  AllocatePlan,
  Allocated,
  AttachPlan,
  AttachResult,
  DetachPlan,
  DetachResult,
  Diagnosis,
  FloatingIpList,
  FloatingIpView,
  ListFilter,
  LeakReport,
  Room,
  ReclaimPlan,
  ReclaimResult,
  ReleasePlan,
  ReleaseResult,
} from '../floating-ips/views.js';
import { type AttachRequest, executeAttach, prepareAttach } from './attach/use-case.js';
import { type AllocateRequest, executeAllocate, prepareAllocate } from './create/use-case.js';
import { type DetachRequest, executeDetach, prepareDetach } from './detach/use-case.js';
import { diagnose } from './explain/use-case.js';
import { findLeaks } from './leaks/use-case.js';
import { listFloatingIps } from './list/use-case.js';
import { executeReclaim, prepareReclaim, type ReclaimRequest } from './reclaim/use-case.js';
import { executeRelease, prepareRelease } from './release/use-case.js';

export type { AllocateRequest, AttachRequest, DetachRequest, ReclaimRequest };

export class FloatingIpService {
  readonly context: UseCaseContext;

  constructor(ports: CloudPorts, options: Partial<UseCaseOptions> = {}) {
    this.context = new UseCaseContext(ports, options);
  }

  get inventory(): Inventory {
    return this.context.inventory;
  }

  prepareAllocate(request: AllocateRequest = {}): Promise<Outcome<AllocatePlan>> {
    return prepareAllocate(this.context, request);
  }

  executeAllocate(plan: AllocatePlan): Promise<Outcome<Allocated>> {
    return executeAllocate(this.context, plan);
  }

  async allocate(request: AllocateRequest = {}): Promise<Outcome<Allocated>> {
    const plan = await this.prepareAllocate(request);
    return plan.ok ? this.executeAllocate(plan.value) : plan;
  }

  list(filter: ListFilter = 'all'): Promise<Outcome<FloatingIpList>> {
    return listFloatingIps(this.context, filter);
  }

  listPools(): Promise<Outcome<Named[]>> {
    return listPools(this.context);
  }

  searchFloatingIps(query: string, filter: ListFilter, limit = 100): Promise<Outcome<FloatingIpView[]>> {
    return searchFloatingIps(this.context, query, filter, limit);
  }

  searchInstances(query: string, limit = 20): Promise<Outcome<InstanceMatch[]>> {
    return searchInstances(this.context, query, limit);
  }

  prepareAttach(request: AttachRequest): Promise<Outcome<AttachPlan>> {
    return prepareAttach(this.context, request);
  }

  executeAttach(plan: AttachPlan, options: { confirmMove?: boolean } = {}): Promise<Outcome<AttachResult>> {
    return executeAttach(this.context, plan, options);
  }

  async attach(request: AttachRequest, options: { confirmMove?: boolean } = {}): Promise<Outcome<AttachResult>> {
    const plan = await this.prepareAttach(request);
    return plan.ok ? this.executeAttach(plan.value, options) : plan;
  }

  prepareDetach(request: DetachRequest): Promise<Outcome<DetachPlan>> {
    return prepareDetach(this.context, request);
  }

  executeDetach(plan: DetachPlan): Promise<Outcome<DetachResult>> {
    return executeDetach(this.context, plan);
  }

  async detach(request: DetachRequest): Promise<Outcome<DetachResult>> {
    const plan = await this.prepareDetach(request);
    return plan.ok ? this.executeDetach(plan.value) : plan;
  }

  prepareRelease(ip: string): Promise<Outcome<ReleasePlan>> {
    return prepareRelease(this.context, ip);
  }

  executeRelease(plan: ReleasePlan): Promise<Outcome<ReleaseResult>> {
    return executeRelease(this.context, plan);
  }

  async release(ip: string): Promise<Outcome<ReleaseResult>> {
    const plan = await this.prepareRelease(ip);
    return plan.ok ? this.executeRelease(plan.value) : plan;
  }

  /** The quota and the default pool's free addresses (App Home). */
  room(): Promise<Outcome<Room>> {
    return readRoom(this.context);
  }

  leaks(): Promise<Outcome<LeakReport>> {
    return findLeaks(this.context);
  }

  prepareReclaim(request: ReclaimRequest): Promise<Outcome<ReclaimPlan>> {
    return prepareReclaim(this.context, request);
  }

  executeReclaim(plan: ReclaimPlan): Promise<Outcome<ReclaimResult>> {
    return executeReclaim(this.context, plan);
  }

  diagnose(instanceQuery: string): Promise<Outcome<Diagnosis>> {
    return diagnose(this.context, instanceQuery);
  }
}
