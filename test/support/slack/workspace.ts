/**
 * The people, channels and user groups of the simulated workspace, and the
 * bot's own identity. Tests add to it; the fake Web API answers
 * users.info / conversations.info / usergroups.users.list from it, and the
 * simulator fills payloads (user names, channel names) from it.
 */
export interface SimUser {
  id: string;
  name: string;
  realName?: string;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface SimChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot is a member: chat.postMessage into a channel it is not in fails with not_in_channel. */
  botIsMember?: boolean;
}

export const DEFAULT_USER = 'U0ALICE01';
export const DEFAULT_CHANNEL = 'C0OPS0001';

export class Workspace {
  readonly team = { id: 'T0SIM0001', domain: 'fipbot-sim', name: 'Fipbot Simulated' };
  readonly appId = 'A0SIMAPP1';
  readonly botUserId = 'U0SIMBOT1';
  readonly botId = 'B0SIMBOT1';
  /** The deprecated verification token Slack still puts in every payload. */
  readonly verificationToken = 'simVerificationToken0001';
  /** Tokens the fake Web API accepts; any other is `invalid_auth`. */
  readonly tokens = new Set<string>(['xoxb-test']);
  /** App-level tokens (`xapp-`) apps.connections.open accepts; they are good for nothing else. */
  readonly appTokens = new Set<string>(['xapp-test']);

  private readonly users = new Map<string, SimUser>();
  private readonly channels = new Map<string, SimChannel>();
  private readonly groups = new Map<string, string[]>();

  constructor() {
    this.addUser({ id: DEFAULT_USER, name: 'alice', realName: 'Alice Operator', tz: 'Europe/Paris' });
    this.addUser({ id: 'U0BOB0001', name: 'bob', realName: 'Bob Viewer', tz: 'America/New_York' });
    this.addUser({ id: this.botUserId, name: 'fipbot', realName: 'fipbot', isBot: true });
    this.addChannel({ id: DEFAULT_CHANNEL, name: 'ops', botIsMember: true });
  }

  addUser(user: SimUser): this {
    this.users.set(user.id, user);
    return this;
  }

  addChannel(channel: SimChannel): this {
    this.channels.set(channel.id, { botIsMember: true, ...channel });
    return this;
  }

  setGroupMembers(groupId: string, userIds: string[]): this {
    this.groups.set(groupId, [...userIds]);
    return this;
  }

  user(id: string): SimUser | undefined {
    return this.users.get(id);
  }

  /** A user's name for payloads, inventing one for ids nobody registered. */
  userName(id: string): string {
    return this.users.get(id)?.name ?? id.toLowerCase();
  }

  channel(id: string): SimChannel | undefined {
    return this.channels.get(id);
  }

  /** Names as Slack puts them in payloads: "directmessage" for DMs. */
  channelName(id: string): string {
    if (id.startsWith('D')) return 'directmessage';
    return this.channels.get(id)?.name ?? id.toLowerCase();
  }

  groupMembers(groupId: string): string[] | undefined {
    return this.groups.get(groupId);
  }

  /** The bot's DM with a user. Posting to a user id lands in this channel, as on Slack. */
  dmWith(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  /** A channel id for a conversation argument that may be a user id. */
  resolveConversation(idOrUser: string): string {
    return idOrUser.startsWith('U') || idOrUser.startsWith('W') ? this.dmWith(idOrUser) : idOrUser;
  }
}
