/**
 * Every message the bot made visible, wherever it came from (chat.postMessage,
 * chat.postEphemeral, a response_url), with its edits. This is what a person
 * in the channel would see, so end-to-end tests assert on it rather than on
 * the raw calls.
 */
import type { Json } from './blocks.js';

export type MessageSource = 'chat.postMessage' | 'chat.postEphemeral' | 'response_url';

export interface SimMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks: Json[];
  threadTs?: string;
  /** Ephemeral messages are seen by one user only, cannot be edited with chat.update and vanish on reload. */
  ephemeral: boolean;
  visibleTo?: string;
  source: MessageSource;
  deleted: boolean;
  /** Earlier versions, oldest first (chat.update, replace_original). */
  history: Array<{ text?: string; blocks: Json[] }>;
}

export class MessageStore {
  private readonly list: SimMessage[] = [];

  add(message: Omit<SimMessage, 'deleted' | 'history'>): SimMessage {
    const stored: SimMessage = { ...message, deleted: false, history: [] };
    this.list.push(stored);
    return stored;
  }

  find(channel: string, ts: string): SimMessage | undefined {
    return this.list.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  replace(message: SimMessage, text: string | undefined, blocks: Json[]): void {
    message.history.push({ text: message.text, blocks: message.blocks });
    message.text = text;
    message.blocks = blocks;
  }

  all(): SimMessage[] {
    return [...this.list];
  }

  /**
   * The newest message still shown in a channel, or to a user: in the bot's
   * DM with them or ephemerally to them anywhere. Edits keep a message's place.
   */
  lastTo(target: string, dmChannel: string): SimMessage | undefined {
    const isUser = target.startsWith('U') || target.startsWith('W');
    const shown = this.list.filter(
      (m) => !m.deleted && (isUser ? m.channel === dmChannel || (m.ephemeral && m.visibleTo === target) : m.channel === target),
    );
    return shown.at(-1);
  }
}
