/**
 * A change waiting for its confirmation: the service's plan plus who asked,
 * where, and how. Plain data: it sits in the interaction store between the
 * confirmation and the click.
 */
import type { AllocatePlan, AttachPlan, DetachPlan, ReleasePlan } from '../floating-ips/views.js';

export type PendingAction =
  | { kind: 'allocate'; plan: AllocatePlan }
  | { kind: 'attach'; plan: AttachPlan }
  | { kind: 'detach'; plan: DetachPlan }
  | { kind: 'release'; plan: ReleasePlan };

export type ChangeKind = PendingAction['kind'];

export interface Actor {
  userId: string;
  userName?: string;
  teamId: string;
  channelId?: string;
  channelName?: string;
}

export type Via = 'command' | 'modal' | 'button' | 'home';

export interface PendingInteraction {
  action: PendingAction;
  actor: Actor;
  via: Via;
  /** Where the result goes when the confirmation lives in a modal or the Home tab. */
  resultChannel?: string;
  /** The slash command's response_url, when the change started from one (in_channel result). */
  responseUrl?: string;
}
