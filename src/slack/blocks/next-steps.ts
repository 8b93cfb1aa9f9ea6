/** The next steps of an answer as one row of buttons: the first one that acts is the message's primary. */
import type { NextStep } from '../../floating-ips/next-steps.js';
import { ACTIONS } from './ids.js';
import { LIMITS } from './limits.js';
import { button, clip } from './text.js';

/** What a step's button carries: the command to run as the person who taps, or the value to show for copying. */
export type StepValue = { command: string } | { copy: string; note: string };

export function stepsBlock(steps: readonly NextStep[]) {
  return steps.length === 0 ? [] : [{ type: 'actions' as const, elements: stepButtons(steps) }];
}

/** The steps' buttons; `primary: false` where the message has its own primary (a confirmation's Confirm). */
export function stepButtons(steps: readonly NextStep[], options: { primary?: boolean } = {}) {
  const primary = options.primary === false ? -1 : steps.findIndex((step) => step.kind === 'copy' || step.label !== 'Why?');
  return steps.slice(0, LIMITS.actionsElements - 2).map((step, i) => {
    const value: StepValue = step.kind === 'command' ? { command: step.command } : { copy: step.value, note: step.note };
    // Several buttons share a block: each needs its own action_id.
    return button(
      step.label,
      `${ACTIONS.step}:${i}`,
      clip(JSON.stringify(value), LIMITS.buttonValue),
      i === primary ? { style: 'primary' } : {},
    );
  });
}
