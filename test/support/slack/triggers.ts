/**
 * trigger_ids as Slack hands them out: one per user interaction, exchangeable
 * once (views.open / views.push) and only within 3 seconds. A bot that does
 * slow work before opening its modal fails here as it would on Slack.
 */
import type { SimClock } from './clock.js';
import type { Ids } from './ids.js';

export const TRIGGER_TTL_MS = 3_000;

export interface TriggerContext {
  user: string;
  /** The modal the interaction happened in, if any: views.push stacks onto it. */
  rootViewId?: string;
}

interface Trigger extends TriggerContext {
  issuedAt: number;
  exchanged: boolean;
}

export type Exchange = { ok: true; context: TriggerContext } | { ok: false; error: string; messages?: string[] };

export class Triggers {
  private readonly byId = new Map<string, Trigger>();

  constructor(
    private readonly clock: SimClock,
    private readonly ids: Ids,
  ) {}

  issue(context: TriggerContext): string {
    const id = this.ids.triggerId();
    this.byId.set(id, { ...context, issuedAt: this.clock.now(), exchanged: false });
    return id;
  }

  /** Uses up a trigger. Errors are Slack's: exchanged_trigger_id, expired_trigger_id, or invalid_arguments for one never issued. */
  exchange(id: unknown): Exchange {
    const trigger = typeof id === 'string' ? this.byId.get(id) : undefined;
    if (trigger === undefined) return { ok: false, error: 'invalid_arguments', messages: ['[ERROR] invalid `trigger_id`'] };
    if (trigger.exchanged) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.clock.now() - trigger.issuedAt > TRIGGER_TTL_MS) return { ok: false, error: 'expired_trigger_id' };
    trigger.exchanged = true;
    return { ok: true, context: { user: trigger.user, rootViewId: trigger.rootViewId } };
  }
}
