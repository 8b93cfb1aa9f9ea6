/**
 * A change waiting for its confirmation: the operation's plan plus who
 * asked, where, and how. Plain data: it sits in the interaction store
 * between the confirmation and the click.
 */
import type { ChangeName } from '../operations/registry.js';

/** A planned change: the operation it belongs to (its registry name) and that operation's plan. */
export interface PendingChange {
  operation: ChangeName;
  plan: unknown;
}

export interface Actor {
  userId: string;
  userName?: string;
  teamId: string;
  channelId?: string;
  channelName?: string;
}

export type Via = 'command' | 'modal' | 'button' | 'home';

export interface PendingInteraction {
  change: PendingChange;
  actor: Actor;
  via: Via;
  /** Where the result goes when the confirmation lives in a modal or the Home tab. */
  resultChannel?: string;
  /** The slash command's response_url, when the change started from one (in_channel result). */
  responseUrl?: string;
  /** The cloud the confirmation showed (several clouds): the click acts on it, whatever channel it comes from. */
  cloud?: string;
}
