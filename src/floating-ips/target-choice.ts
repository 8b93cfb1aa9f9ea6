/**
 * Picks the one (port, fixed IPv4) a floating IP should go to, or says why
 * there is none. Deterministic: the same instance and pool always give the
 * same answer, and several equally good targets are listed, never guessed.
 */
import { type Named, stop, type Target } from './failures.js';

export interface TargetRequest {
  instance: Named;
  pool: Named;
  /** The user's --fixed-ip, when given. */
  fixedIp?: string;
  /** The floating IP being attached (absent for a new one): a question about the address names it. */
  floatingIp?: string;
}

/** Returns the chosen target, or throws a FailureSignal explaining why none fits. */
export function chooseTarget(targets: Target[], request: TargetRequest): Target {
  const { instance, pool, fixedIp } = request;
  const about = request.floatingIp ? { floatingIp: request.floatingIp } : {};
  if (targets.length === 0) stop({ code: 'instance_has_no_address', instance });

  let candidates = targets;
  if (fixedIp !== undefined) {
    candidates = targets.filter((target) => target.address === fixedIp);
    if (candidates.length === 0) {
      stop({ code: 'fixed_ip_not_on_instance', instance, fixedIp, addresses: targets.map((target) => target.address) });
    }
  }

  const reachable = candidates.filter((target) => target.verdict.kind === 'reachable');
  if (reachable.length === 1) return reachable[0]!;
  if (reachable.length > 1) stop({ code: 'several_targets', instance, pool, targets: reachable, ...about });

  // Nothing provably reachable: where we cannot see the routers, let Neutron decide.
  const unknown = candidates.filter((target) => target.verdict.kind === 'unknown');
  if (unknown.length === 1) return unknown[0]!;
  if (unknown.length > 1) stop({ code: 'several_targets', instance, pool, targets: unknown, ...about });

  const ipv4 = candidates.filter((target) => target.ipVersion === 4);
  if (ipv4.length === 0) stop({ code: 'only_ipv6', instance, pool, addresses: candidates.map((target) => target.address) });
  if (ipv4.every((target) => target.verdict.kind === 'on_external_network')) {
    stop({
      code: 'instance_on_external_network',
      instance,
      pool,
      addresses: ipv4.map((target) => ({ address: target.address, network: target.network })),
    });
  }
  stop({ code: 'not_reachable', instance, pool, targets: candidates });
}
