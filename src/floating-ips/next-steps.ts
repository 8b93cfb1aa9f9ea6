/**
 * The next step beside an answer, one tap away: a /fip command the person then
 * runs as themselves (the policy decides as for a typed one), or a value to copy.
 * Commands name resources by id, so no name (spaces, quotes) can break them.
 */
import type { Failure, Named } from './failures.js';
import type { Diagnosis } from './views.js';

export type NextStep = { kind: 'command'; label: string; command: string } | { kind: 'copy'; label: string; value: string; note: string };

/** Choices offered as buttons; past this the person types the command the answer shows. */
export const MAX_STEP_CHOICES = 5;

export function stepsForFailure(failure: Failure): NextStep[] {
  switch (failure.code) {
    case 'pool_ambiguous':
      return failure.pools
        .slice(0, MAX_STEP_CHOICES)
        .map((pool) =>
          failure.instance
            ? command(`Attach a new IP from ${pool.name}`, `attach new ${ref(failure.instance)} --pool ${ref(pool)}`)
            : command(`Allocate from ${pool.name}`, `create ${ref(pool)}`),
        );
    case 'several_targets': {
      const ip = failure.floatingIp ?? 'new';
      const pool = failure.floatingIp ? '' : ` --pool ${ref(failure.pool)}`;
      return failure.targets
        .slice(0, MAX_STEP_CHOICES)
        .map((target) =>
          command(
            `Use ${target.address} on ${target.network.name}`,
            `attach ${ip} ${ref(failure.instance)} --fixed-ip ${target.address}${pool}`,
          ),
        );
    }
    case 'instance_on_external_network': {
      const address = failure.addresses[0]!.address;
      return [copy(address, `the address "${failure.instance.name}" already has`), why(failure.instance)];
    }
    case 'not_reachable': {
      // A pool the instance's routers do reach: a new IP from there works now.
      const pools = new Map<string, Named>();
      for (const target of failure.targets)
        if (target.verdict.kind === 'gateway_to_other_pool')
          for (const route of target.verdict.routes) pools.set(route.pool.id, route.pool);
      return [
        ...[...pools.values()]
          .slice(0, MAX_STEP_CHOICES - 1)
          .map((pool) => command(`Attach a new IP from ${pool.name}`, `attach new ${ref(failure.instance)} --pool ${ref(pool)}`)),
        why(failure.instance),
      ];
    }
    case 'only_ipv6':
    case 'instance_has_no_address':
      return [why(failure.instance)];
    case 'fixed_ip_has_floating_ip':
      return failure.existing ? [command(`Detach ${failure.existing}`, `detach ${failure.existing}`)] : [];
    case 'not_attached':
      return [command(`Release ${failure.address}`, `release ${failure.address}`)];
    case 'quota_exceeded':
    case 'pool_exhausted':
      return [command('Show unattached IPs', 'leaks')];
    case 'floating_ip_not_found':
    case 'changed_concurrently':
    case 'answer_lost':
      return [command('Show floating IPs', 'list')];
    default:
      return [];
  }
}

/** After `/fip explain`: take an IP from a pool that works, or copy the address the instance already has. */
export function stepsForDiagnosis(diagnosis: Diagnosis, routable: string | undefined): NextStep[] {
  if (routable) return [copy(routable, `the address "${diagnosis.instance.name}" already has`)];
  return diagnosis.pools
    .filter((entry) => entry.reachable)
    .slice(0, MAX_STEP_CHOICES)
    .map((entry) => command(`Attach a new IP from ${entry.pool.name}`, `attach new ${ref(diagnosis.instance)} --pool ${ref(entry.pool)}`));
}

function command(label: string, text: string): NextStep {
  return { kind: 'command', label, command: text };
}

function copy(value: string, note: string): NextStep {
  return { kind: 'copy', label: `Use ${value}`, value, note };
}

function why(instance: Named): NextStep {
  return command('Why?', `explain ${ref(instance)}`);
}

function ref(resource: Named): string {
  return resource.id || resource.name;
}
