/**
 * Failures are data: a `code` plus the names a person needs to understand it.
 * The service returns them; `explain.ts` turns each into plain language; the
 * Slack layer only renders. Nothing here knows about Slack.
 */

/** A resource as a person knows it: its name, and its id for operators. */
export interface Named {
  id: string;
  name: string;
}

/** Why one (port, fixed IP) of an instance can or cannot take a floating IP from a given pool. */
export type TargetVerdict =
  | { kind: 'reachable'; router: Named }
  /** We cannot see the routers of this network (it belongs to another project): Neutron will decide. */
  | { kind: 'unknown' }
  | { kind: 'ipv6' }
  | { kind: 'on_external_network' }
  | { kind: 'no_router' }
  | { kind: 'router_without_gateway'; routers: Named[] }
  | { kind: 'gateway_to_other_pool'; routes: Array<{ router: Named; pool: Named }> };

/** One fixed address of an instance, where it lives, and its verdict for the pool in question. */
export interface Target {
  portId: string;
  address: string;
  ipVersion: 4 | 6;
  network: Named;
  subnet: Named;
  verdict: TargetVerdict;
}

export interface Attachment {
  portId: string;
  fixedIp: string | null;
  /** The server owning the port, when the port belongs to one. */
  instance: Named | null;
  deviceOwner: string;
}

/**
 * `nothing`: OpenStack refused or we stopped before any change.
 * `unknown`: a change was sent but its outcome could not be confirmed (timeout, lost connection) even after checking.
 */
export type Changed = 'nothing' | 'unknown';

type FailureBody =
  | { code: 'invalid_address'; input: string }
  | { code: 'invalid_input'; field: string; problem: string }
  | { code: 'instance_not_found'; query: string }
  | { code: 'instance_ambiguous'; query: string; matches: Array<Named & { status: string; addresses: string[] }> }
  | { code: 'floating_ip_not_found'; address: string; project: string }
  | { code: 'floating_ip_other_project'; address: string; projectId: string }
  | { code: 'pool_not_found'; query: string; pools: Named[] }
  | { code: 'not_a_pool'; network: Named; pools: Named[] }
  | { code: 'no_pools' }
  | { code: 'pool_ambiguous'; pools: Named[]; instance?: Named }
  | { code: 'instance_has_no_address'; instance: Named }
  | { code: 'instance_on_external_network'; instance: Named; pool: Named; addresses: Array<{ address: string; network: Named }> }
  | { code: 'only_ipv6'; instance: Named; pool: Named; addresses: string[] }
  | { code: 'not_reachable'; instance: Named; pool: Named; targets: Target[] }
  /** `floatingIp`: the address being attached; absent for a new one. */
  | { code: 'several_targets'; instance: Named; pool: Named; targets: Target[]; floatingIp?: string }
  | { code: 'fixed_ip_not_on_instance'; instance: Named; fixedIp: string; addresses: string[] }
  | { code: 'fixed_ip_has_floating_ip'; instance: Named; fixedIp: string; existing: string | null }
  | { code: 'would_move'; address: string; from: Attachment; to: { instance: Named; fixedIp: string } }
  | { code: 'not_attached'; address: string }
  | { code: 'attached_elsewhere'; address: string; expected: Named; actual: Attachment }
  | { code: 'quota_exceeded'; used: number | null; limit: number | null }
  | { code: 'pool_exhausted'; pool: Named }
  | { code: 'address_in_use'; address: string }
  | { code: 'changed_concurrently'; address: string }
  /** Sent, the answer lost, and the IP could not be read back to tell whether the change was made. */
  | { code: 'answer_lost'; address: string }
  | { code: 'port_forwarding_in_use'; address: string }
  | { code: 'neutron_bad_request'; message: string }
  | { code: 'forbidden'; service: string; message: string }
  | { code: 'auth_failed'; message: string }
  | { code: 'endpoint_not_found'; service: string; message: string }
  | { code: 'openstack_unreachable'; service: string; detail: string }
  | { code: 'openstack_timeout'; service: string; detail: string }
  | { code: 'openstack_unexpected_response'; service: string; detail: string }
  /** Busy or down (HTTP 502, 503, 504, or 429 after retries): an outage, not a refusal. */
  | { code: 'service_unavailable'; service: string; status: number }
  | { code: 'openstack_error'; service: string; status: number; type: string | null; message: string };

export type FailureCode = FailureBody['code'];

/** A failure does not name the operation it stopped: whoever shows it knows (see explain.ts). */
export type Failure = FailureBody & {
  changed: Changed;
  /** X-Openstack-Request-Id of the request that failed, for operators. */
  requestId?: string;
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export function succeed<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

type FailureExtra = { changed?: Changed; requestId?: string | undefined };

/** Builds a failure; `changed` defaults to nothing (the common case). */
export function failure(body: FailureBody, extra: FailureExtra = {}): Failure {
  return {
    ...body,
    changed: extra.changed ?? 'nothing',
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
  };
}

/**
 * Inside the domain a failure travels one way: thrown, as this signal (or as
 * an OpenStack error, mapped at the boundary). Each use case's boundary
 * (context.ts, runUseCase) turns it into the Outcome its callers get.
 */
export class FailureSignal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code);
  }
}

export function stop(body: FailureBody, extra: FailureExtra = {}): never {
  throw new FailureSignal(failure(body, extra));
}

export type { FailureBody };
