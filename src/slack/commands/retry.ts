/**
 * Choices for refusals that only the typed command can turn into a next step: which of several instances
 * of one name, which pool a mistyped one meant. Each runs the person's command again with the id in place.
 */
import type { Failure } from '../../floating-ips/failures.js';
import { MAX_STEP_CHOICES, type NextStep } from '../../floating-ips/next-steps.js';
import { withWordReplaced } from './parse.js';

export function retrySteps(failure: Failure, typed: string | undefined): NextStep[] {
  if (!typed) return [];
  const choices: Array<{ label: string; id: string; query: string }> =
    failure.code === 'instance_ambiguous'
      ? failure.matches.map((m) => ({
          label: `${m.name} (${[m.status, m.addresses[0]].filter(Boolean).join(', ') || m.id.slice(0, 8)})`,
          id: m.id,
          query: failure.query,
        }))
      : failure.code === 'pool_not_found'
        ? failure.pools.map((pool) => ({ label: `Use pool ${pool.name}`, id: pool.id, query: failure.query }))
        : failure.code === 'not_a_pool'
          ? failure.pools.map((pool) => ({ label: `Use pool ${pool.name}`, id: pool.id, query: failure.network.name }))
          : [];
  return choices.slice(0, MAX_STEP_CHOICES).flatMap((choice) => {
    const command = withWordReplaced(typed, choice.query, choice.id);
    return command ? [{ kind: 'command' as const, label: choice.label, command }] : [];
  });
}
