/**
 * The Web API methods the simulator answers, with Slack's success shapes and
 * error codes (from the method reference pages on docs.slack.dev, mirrored in
 * slack-ruby/slack-api-ref). Each handler returns the JSON body; errors are
 * `{ ok: false, error }` with HTTP 200, as Slack does.
 */
import { asBlocks, str, withSlackIds, type Json } from './blocks.js';
import type { Ids } from './ids.js';
import type { MessageStore, SimMessage } from './messages.js';
import type { Triggers } from './triggers.js';
import type { ViewResult, ViewStore } from './views.js';
import type { Workspace } from './workspace.js';

export interface MethodContext {
  workspace: Workspace;
  messages: MessageStore;
  views: ViewStore;
  triggers: Triggers;
  ids: Ids;
}

export type MethodHandler = (args: Json, ctx: MethodContext) => Json;

const fail = (error: string, extra: Json = {}): Json => ({ ok: false, error, ...extra });

/** A message as the Web API returns it (chat.postMessage's `message`, chat.update's `message`). */
export function messageOutput(message: SimMessage, workspace: Workspace): Json {
  return {
    type: 'message',
    user: workspace.botUserId,
    bot_id: workspace.botId,
    app_id: workspace.appId,
    text: message.text ?? '',
    blocks: message.blocks,
    team: workspace.team.id,
    ts: message.ts,
    ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
  };
}

/** Where a message may go: a known channel the bot is in, or a DM (a user id becomes the DM channel). */
function destination(args: Json, ctx: MethodContext): { ok: true; channel: string } | { ok: false; body: Json } {
  const requested = str(args.channel);
  if (requested === undefined || requested === '') return { ok: false, body: fail('channel_not_found') };
  const channel = ctx.workspace.resolveConversation(requested);
  if (channel.startsWith('D')) return { ok: true, channel };
  const known = ctx.workspace.channel(channel);
  if (known === undefined) return { ok: false, body: fail('channel_not_found') };
  if (known.botIsMember === false) return { ok: false, body: fail('not_in_channel') };
  return { ok: true, channel };
}

function hasContent(args: Json): boolean {
  return (str(args.text) ?? '') !== '' || asBlocks(args.blocks).length > 0;
}

function viewAnswer(result: ViewResult, ctx: MethodContext): Json {
  return result.ok ? { ok: true, view: ctx.views.output(result.view) } : fail(result.error);
}

/** views.open and views.push spend a trigger_id (or interactivity_pointer) first. */
function exchangeTrigger(args: Json, ctx: MethodContext) {
  const exchange = ctx.triggers.exchange(args.trigger_id ?? args.interactivity_pointer);
  if (exchange.ok) return exchange;
  return { ...exchange, body: fail(exchange.error, exchange.messages ? { response_metadata: { messages: exchange.messages } } : {}) };
}

/** Where apps.connections.open points the app: a fixed URL, or one minted per call (a fresh ticket each time). */
export type SocketModeUrl = string | ((appToken: string) => string);

export interface AppLevelContext {
  workspace: Workspace;
  /** Whether the token came in the Authorization header (rather than as a `token` argument). */
  bearer: boolean;
  socketModeUrl: SocketModeUrl | undefined;
}

/** Methods that take an app-level token rather than the bot token. */
export type AppLevelHandler = (token: string, ctx: AppLevelContext) => Json;

export const APP_LEVEL_METHODS: Record<string, AppLevelHandler> = {
  /**
   * The Socket Mode WebSocket URL (apps.connections.open reference: `{ ok, url }`,
   * `wss://wss-….slack.com/link/?ticket=…&app_id=…`). Only an app-level token
   * (`xapp-`) the workspace issued, and only in the Authorization header:
   * anything else is `invalid_auth`. Until a Socket Mode server is attached
   * there is no URL to give: `internal_error`, which the SDK retries.
   */
  'apps.connections.open': (token, { workspace, bearer, socketModeUrl }) => {
    if (!bearer || !token.startsWith('xapp-') || !workspace.appTokens.has(token)) return fail('invalid_auth');
    if (socketModeUrl === undefined) return fail('internal_error');
    return { ok: true, url: typeof socketModeUrl === 'string' ? socketModeUrl : socketModeUrl(token) };
  },
};

export const METHODS: Record<string, MethodHandler> = {
  'auth.test': (_args, { workspace }) => ({
    ok: true,
    url: `https://${workspace.team.domain}.slack.com/`,
    team: workspace.team.name,
    user: workspace.userName(workspace.botUserId),
    team_id: workspace.team.id,
    user_id: workspace.botUserId,
    bot_id: workspace.botId,
    is_enterprise_install: false,
  }),

  'chat.postMessage': (args, ctx) => {
    const to = destination(args, ctx);
    if (!to.ok) return to.body;
    if (!hasContent(args)) return fail('no_text');
    const message = ctx.messages.add({
      channel: to.channel,
      ts: ctx.ids.ts(),
      text: str(args.text),
      blocks: withSlackIds(args.blocks, ctx.ids),
      threadTs: str(args.thread_ts),
      ephemeral: false,
      source: 'chat.postMessage',
    });
    return { ok: true, channel: to.channel, ts: message.ts, message: messageOutput(message, ctx.workspace) };
  },

  'chat.postEphemeral': (args, ctx) => {
    const to = destination(args, ctx);
    if (!to.ok) return to.body;
    const user = str(args.user);
    if (user === undefined || ctx.workspace.user(user) === undefined) return fail('user_not_in_channel');
    if (!hasContent(args)) return fail('no_text');
    const message = ctx.messages.add({
      channel: to.channel,
      ts: ctx.ids.ts(),
      text: str(args.text),
      blocks: withSlackIds(args.blocks, ctx.ids),
      threadTs: str(args.thread_ts),
      ephemeral: true,
      visibleTo: user,
      source: 'chat.postEphemeral',
    });
    return { ok: true, message_ts: message.ts };
  },

  'chat.update': (args, ctx) => {
    const channel = ctx.workspace.resolveConversation(str(args.channel) ?? '');
    const message = ctx.messages.find(channel, str(args.ts) ?? '');
    // Ephemeral messages are out of chat.update's reach: Slack cannot find them.
    if (message === undefined || message.ephemeral) return fail('message_not_found');
    if (!hasContent(args)) return fail('no_text');
    // Leaving `blocks` out keeps the old ones; an empty array removes them (chat.update reference).
    const blocks = args.blocks === undefined ? message.blocks : withSlackIds(args.blocks, ctx.ids);
    ctx.messages.replace(message, str(args.text) ?? message.text, blocks);
    return { ok: true, channel, ts: message.ts, text: message.text ?? '', message: messageOutput(message, ctx.workspace) };
  },

  'chat.delete': (args, ctx) => {
    const channel = ctx.workspace.resolveConversation(str(args.channel) ?? '');
    const message = ctx.messages.find(channel, str(args.ts) ?? '');
    if (message === undefined || message.ephemeral) return fail('message_not_found');
    message.deleted = true;
    return { ok: true, channel, ts: message.ts };
  },

  'views.open': (args, ctx) => {
    const exchange = exchangeTrigger(args, ctx);
    if (!exchange.ok) return exchange.body;
    return viewAnswer(ctx.views.open(args.view, exchange.context.user), ctx);
  },

  'views.push': (args, ctx) => {
    const exchange = exchangeTrigger(args, ctx);
    if (!exchange.ok) return exchange.body;
    return viewAnswer(ctx.views.push(args.view, exchange.context.user, exchange.context.rootViewId), ctx);
  },

  'views.update': (args, ctx) => viewAnswer(ctx.views.update(args), ctx),

  'views.publish': (args, ctx) => viewAnswer(ctx.views.publish(args), ctx),

  'usergroups.users.list': (args, { workspace }) => {
    const members = workspace.groupMembers(str(args.usergroup) ?? '');
    return members === undefined ? fail('no_such_subteam') : { ok: true, users: members };
  },

  'users.info': (args, { workspace }) => {
    const user = workspace.user(str(args.user) ?? '');
    if (user === undefined) return fail('user_not_found');
    const realName = user.realName ?? user.name;
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: workspace.team.id,
        name: user.name,
        deleted: user.deleted ?? false,
        real_name: realName,
        tz: user.tz ?? 'UTC',
        is_bot: user.isBot ?? false,
        profile: { real_name: realName, display_name: user.name },
      },
    };
  },

  'conversations.info': (args, { workspace }) => {
    const id = str(args.channel) ?? '';
    if (id.startsWith('D')) return { ok: true, channel: { id, is_im: true, is_channel: false, is_private: true, user: `U${id.slice(1)}` } };
    const channel = workspace.channel(id);
    if (channel === undefined) return fail('channel_not_found');
    return {
      ok: true,
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: !channel.isPrivate,
        is_group: false,
        is_im: false,
        is_private: channel.isPrivate ?? false,
        is_archived: false,
        is_member: channel.botIsMember !== false,
      },
    };
  },

  'conversations.open': (args, { workspace }) => {
    const users = (str(args.users) ?? '').split(',').filter(Boolean);
    if (users.length !== 1 || workspace.user(users[0]!) === undefined) return fail('user_not_found');
    return { ok: true, channel: { id: workspace.dmWith(users[0]!) } };
  },
};
