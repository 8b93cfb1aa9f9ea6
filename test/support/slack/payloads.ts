/**
 * The bodies Slack POSTs to an app's request URL, field for field:
 *   - slash commands: form-urlencoded fields (bolt-js `SlashCommand`, Slack's
 *     "Implementing slash commands" sample);
 *   - interactivity: form-urlencoded with one field `payload=<JSON>`
 *     (block_actions, view_submission, view_closed, block_suggestion;
 *     "Reference: interaction payloads", bolt-js `BlockAction`,
 *     `ViewSubmitAction`, `BlockSuggestion`);
 *   - Events API: a JSON `event_callback` envelope (bolt-js `EnvelopedEvent`,
 *     the `app_home_opened` reference page).
 * In Socket Mode the same payloads travel as JSON objects inside envelopes
 * (socket-mode.ts).
 */
import { messageOutput } from './api-methods.js';
import type { Json, PlacedElement } from './blocks.js';
import type { SimMessage } from './messages.js';
import type { Workspace } from './workspace.js';

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

export function interactiveBody(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SlashCommandFields {
  command: string;
  text: string;
  user: string;
  channel: string;
  responseUrl: string;
  triggerId: string;
  /** Another workspace's id, to see how the bot treats a team it was not installed in. */
  team?: string;
}

/**
 * The fields of a slash command, in the order Slack sends them (it matters to
 * nobody but a byte-exact transcript): form-encoded over HTTP, the same
 * strings as a JSON object in a Socket Mode `slash_commands` envelope.
 */
export function slashCommandFields(ws: Workspace, f: SlashCommandFields): Record<string, string> {
  return {
    token: ws.verificationToken,
    team_id: f.team ?? ws.team.id,
    team_domain: ws.team.domain,
    channel_id: f.channel,
    channel_name: ws.channelName(f.channel),
    user_id: f.user,
    user_name: ws.userName(f.user),
    command: f.command,
    text: f.text,
    api_app_id: ws.appId,
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId,
  };
}

/** The fields every interaction payload starts with. */
export function interactionBase(ws: Workspace, type: string, user: string): Json {
  return {
    type,
    user: { id: user, username: ws.userName(user), name: ws.userName(user), team_id: ws.team.id },
    api_app_id: ws.appId,
    token: ws.verificationToken,
    team: { id: ws.team.id, domain: ws.team.domain },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** Where an interaction happened: a message (ephemeral or not) or a view (modal or Home tab). */
export type Surface = { kind: 'message'; message: SimMessage } | { kind: 'view'; view: Json };

/** container / channel / message / view, as Slack sets them for each kind of surface. */
export function surfaceFields(ws: Workspace, surface: Surface, stateValues: Json): Json {
  if (surface.kind === 'view') {
    return { container: { type: 'view', view_id: surface.view.id }, view: { ...surface.view, state: { values: stateValues } } };
  }
  const { message } = surface;
  return {
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: message.ephemeral },
    channel: { id: message.channel, name: ws.channelName(message.channel) },
    // Slack leaves the message out of payloads from ephemeral messages: the app never sees them again.
    ...(message.ephemeral ? {} : { message: messageOutput(message, ws) }),
    state: { values: stateValues },
  };
}

/** One entry of `actions` for the element the user used; `selected` is the option picked, if any. */
export function actionEntry(placed: PlacedElement, actionTs: string, selected?: Json): Json {
  const { element } = placed;
  const action: Json = { type: element.type, action_id: placed.actionId, block_id: placed.blockId, action_ts: actionTs };
  if (element.type === 'button') {
    action.text = element.text;
    if (element.value !== undefined) action.value = element.value;
    if (element.style !== undefined) action.style = element.style;
  }
  if (selected !== undefined) action.selected_option = { text: selected.text, value: selected.value };
  if (element.placeholder !== undefined && element.type !== 'button') action.placeholder = element.placeholder;
  return action;
}

export function appHomeOpenedEnvelope(ws: Workspace, f: { user: string; eventId: string; eventTs: string; view?: Json }): Json {
  return {
    token: ws.verificationToken,
    team_id: ws.team.id,
    api_app_id: ws.appId,
    event: {
      type: 'app_home_opened',
      user: f.user,
      channel: ws.dmWith(f.user),
      tab: 'home',
      event_ts: f.eventTs,
      // Present once a Home view was published for this user.
      ...(f.view ? { view: f.view } : {}),
    },
    type: 'event_callback',
    event_id: f.eventId,
    event_time: Math.floor(Number(f.eventTs)),
    authorizations: [{ enterprise_id: null, team_id: ws.team.id, user_id: ws.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
