/**
 * Slack, played locally for the console: the real Bolt app runs unchanged,
 * fed through a Receiver (no HTTP) with the payloads Slack would send, and
 * its Web API calls and response_url posts are answered here through the
 * fetch Bolt is given. So the console exercises the very same listeners,
 * flows and messages as Slack does: it is not a second implementation.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { escape } from '../slack/blocks/text.js';

export const CONSOLE_TEAM = { id: 'T0CONSOLE', domain: 'console' };
export const CONSOLE_CHANNEL = { id: 'C0CONSOLE', name: 'console' };
const API_BASE = 'http://console.invalid/api/';
const RESPONSE_BASE = 'http://console.invalid/response/';

export type Json = Record<string, unknown>;

/** A payload field as text: strings as they are, anything else as empty. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export interface ConsoleMessage {
  ts: string;
  text: string;
  blocks: Json[];
  /** Seen only by the console user (like Slack's ephemeral messages). */
  ephemeral: boolean;
  /** The response_url a click on this message carries. */
  responseUrl: string;
  deleted: boolean;
}

export interface ConsoleView {
  id: string;
  type: 'modal' | 'home';
  hash: string;
  definition: Json;
  open: boolean;
}

export type SlackEvent =
  | { type: 'message'; message: ConsoleMessage; replaced: boolean }
  | { type: 'message_deleted'; message: ConsoleMessage }
  | { type: 'view'; view: ConsoleView; opened: boolean };

export class ConsoleReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Hands a payload to Bolt and returns what the listener acknowledged with. */
  /** `onAck` runs when the listener acknowledges, before it finishes: Slack applies an ack at once too. */
  async deliver(body: Json, onAck?: (response: unknown) => void): Promise<unknown> {
    if (!this.app) throw new Error('the console receiver is not attached to an app');
    let answer: unknown;
    const event: ReceiverEvent = {
      body,
      ack: (response?: unknown) => {
        answer = response;
        onAck?.(response);
        return Promise.resolve();
      },
    };
    await this.app.processEvent(event);
    return answer;
  }
}

export class LoopbackSlack {
  readonly receiver = new ConsoleReceiver();
  readonly messages: ConsoleMessage[] = [];
  readonly views = new Map<string, ConsoleView>();
  private readonly listeners: Array<(event: SlackEvent) => void> = [];
  private sequence = 0;
  /** Which message each response_url answers for (replace_original / delete_original). */
  private readonly responseTargets = new Map<string, ConsoleMessage | undefined>();

  constructor(readonly user: { id: string; name: string }) {}

  get apiUrl(): string {
    return API_BASE;
  }

  onEvent(listener: (event: SlackEvent) => void): void {
    this.listeners.push(listener);
  }

  /** The fetch given to Bolt: Web API calls and response_url posts land here, nothing leaves the process. */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = typeof init?.body === 'string' ? init.body : '';
    if (url.startsWith(RESPONSE_BASE)) return Promise.resolve(json(this.answerResponseUrl(url, parseJson(body))));
    if (url.startsWith(API_BASE))
      return Promise.resolve(json(this.answerWebApi(url.slice(API_BASE.length), parseApiBody(body, init?.headers))));
    return Promise.resolve(new Response('not found', { status: 404 }));
  };

  // ---- what the person does ----

  command(text: string): Promise<unknown> {
    const responseUrl = this.newResponseUrl(undefined);
    // A message in the ack (help, a command fipbot could not read, a refusal) is shown to the person at once, as Slack does.
    const showAck = (answer: unknown) => {
      if (typeof answer === 'object' && answer !== null && ('text' in answer || 'blocks' in answer)) {
        this.answerResponseUrl(responseUrl, { response_type: 'ephemeral', ...(answer as Json) });
      }
    };
    return this.receiver.deliver(
      {
        token: 'console',
        team_id: CONSOLE_TEAM.id,
        team_domain: CONSOLE_TEAM.domain,
        channel_id: CONSOLE_CHANNEL.id,
        channel_name: CONSOLE_CHANNEL.name,
        user_id: this.user.id,
        user_name: this.user.name,
        command: '/fip',
        // As Slack sends typed text: &, < and > as entities.
        text: escape(text),
        api_app_id: 'A0CONSOLE',
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: this.newTrigger(),
      },
      showAck,
    );
  }

  /** A click on a button (or a choice in a static select) of a message or a view. */
  act(surface: { message: ConsoleMessage } | { view: ConsoleView }, element: Json, blockId: string, selected?: Json): Promise<unknown> {
    const action: Json = {
      action_id: element.action_id,
      block_id: blockId,
      type: element.type,
      action_ts: this.ts(),
      ...(element.type === 'button' ? { text: element.text, value: element.value } : {}),
      ...(selected ? { selected_option: selected } : {}),
    };
    const base = {
      type: 'block_actions',
      user: { id: this.user.id, username: this.user.name, name: this.user.name, team_id: CONSOLE_TEAM.id },
      api_app_id: 'A0CONSOLE',
      token: 'console',
      trigger_id: this.newTrigger(),
      team: CONSOLE_TEAM,
      actions: [action],
    };
    if ('message' in surface) {
      return this.receiver.deliver({
        ...base,
        container: {
          type: 'message',
          message_ts: surface.message.ts,
          channel_id: CONSOLE_CHANNEL.id,
          is_ephemeral: surface.message.ephemeral,
        },
        channel: CONSOLE_CHANNEL,
        ...(surface.message.ephemeral
          ? {}
          : { message: { ts: surface.message.ts, text: surface.message.text, blocks: surface.message.blocks } }),
        response_url: this.newResponseUrl(surface.message),
      });
    }
    return this.receiver.deliver({ ...base, container: { type: 'view', view_id: surface.view.id }, view: this.viewPayload(surface.view) });
  }

  /** Submits a modal; Slack's handling of the ack (errors / update / clear) is applied the moment the bot acks. */
  submit(view: ConsoleView, values: Record<string, Record<string, unknown>>): Promise<unknown> {
    return this.receiver.deliver(
      {
        type: 'view_submission',
        team: CONSOLE_TEAM,
        user: { id: this.user.id, username: this.user.name, name: this.user.name, team_id: CONSOLE_TEAM.id },
        api_app_id: 'A0CONSOLE',
        token: 'console',
        trigger_id: this.newTrigger(),
        view: { ...this.viewPayload(view), state: { values } },
      },
      (ack) => this.applySubmissionAck(view, ack),
    );
  }

  suggest(view: ConsoleView, blockId: string, actionId: string, value: string): Promise<unknown> {
    return this.receiver.deliver({
      type: 'block_suggestion',
      user: { id: this.user.id, username: this.user.name, name: this.user.name, team_id: CONSOLE_TEAM.id },
      container: { type: 'view', view_id: view.id },
      api_app_id: 'A0CONSOLE',
      token: 'console',
      action_id: actionId,
      block_id: blockId,
      value,
      team: CONSOLE_TEAM,
      view: this.viewPayload(view),
    });
  }

  openHome(): Promise<unknown> {
    return this.receiver.deliver({
      type: 'event_callback',
      token: 'console',
      team_id: CONSOLE_TEAM.id,
      api_app_id: 'A0CONSOLE',
      event: { type: 'app_home_opened', user: this.user.id, channel: 'D0CONSOLE', tab: 'home', event_ts: this.ts() },
      event_id: `Ev${this.sequence++}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: CONSOLE_TEAM.id, user_id: 'U0FIPBOT', is_bot: true }],
    });
  }

  private applySubmissionAck(view: ConsoleView, ack: unknown): void {
    const answer = (ack ?? {}) as { response_action?: string; view?: Json };
    if (answer.response_action === 'update' && answer.view) this.setView(view.id, 'modal', answer.view, false);
    else if (answer.response_action === 'errors') return;
    else {
      view.open = false;
      this.emit({ type: 'view', view, opened: false });
    }
  }

  close(view: ConsoleView): void {
    view.open = false;
  }

  // ---- what the bot does ----

  private answerWebApi(method: string, args: Json): Json {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://console.invalid/',
          team: 'console',
          user: 'fipbot',
          team_id: CONSOLE_TEAM.id,
          user_id: 'U0FIPBOT',
          bot_id: 'B0FIPBOT',
        };
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const message = this.addMessage(args, method === 'chat.postEphemeral' || String(args.channel).startsWith('U'));
        return { ok: true, channel: args.channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case 'views.open':
      case 'views.push': {
        const view = this.setView(`V${this.sequence++}`, 'modal', args.view as Json, true);
        return { ok: true, view: { ...view.definition, id: view.id, hash: view.hash } };
      }
      case 'views.update': {
        const existing = this.views.get(String(args.view_id));
        if (!existing) return { ok: false, error: 'not_found' };
        if (args.hash !== undefined && args.hash !== existing.hash) return { ok: false, error: 'hash_conflict' };
        const view = this.setView(existing.id, existing.type, args.view as Json, false);
        return { ok: true, view: { ...view.definition, id: view.id, hash: view.hash } };
      }
      case 'views.publish': {
        const home = [...this.views.values()].find((view) => view.type === 'home');
        const view = this.setView(home?.id ?? `V${this.sequence++}`, 'home', args.view as Json, home === undefined);
        return { ok: true, view: { ...view.definition, id: view.id, hash: view.hash } };
      }
      case 'usergroups.users.list':
        return { ok: true, users: [] };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private answerResponseUrl(url: string, body: Json): Json {
    const target = this.responseTargets.get(url);
    if (body.delete_original === true) {
      if (target && !target.deleted) {
        target.deleted = true;
        this.emit({ type: 'message_deleted', message: target });
      }
      return { ok: true };
    }
    if (body.replace_original === true && target) {
      target.text = str(body.text);
      target.blocks = (body.blocks as Json[] | undefined) ?? [];
      this.emit({ type: 'message', message: target, replaced: true });
      return { ok: true };
    }
    // Slash-command replies and new messages: ephemeral unless in_channel, as Slack does.
    const message = this.addMessage(body, body.response_type !== 'in_channel');
    if (!target) this.responseTargets.set(url, message);
    return { ok: true };
  }

  private addMessage(args: Json, ephemeral: boolean): ConsoleMessage {
    const message: ConsoleMessage = {
      ts: this.ts(),
      text: str(args.text),
      blocks: (args.blocks as Json[] | undefined) ?? [],
      ephemeral,
      responseUrl: '',
      deleted: false,
    };
    message.responseUrl = this.newResponseUrl(message);
    this.messages.push(message);
    this.emit({ type: 'message', message, replaced: false });
    return message;
  }

  private setView(id: string, type: 'modal' | 'home', definition: Json, opened: boolean): ConsoleView {
    const view: ConsoleView = this.views.get(id) ?? { id, type, hash: '', definition, open: true };
    view.definition = definition;
    view.hash = randomUUID().slice(0, 8);
    view.open = true;
    this.views.set(id, view);
    this.emit({ type: 'view', view, opened });
    return view;
  }

  private viewPayload(view: ConsoleView): Json {
    return { id: view.id, team_id: CONSOLE_TEAM.id, hash: view.hash, ...view.definition, type: view.type };
  }

  private newResponseUrl(target: ConsoleMessage | undefined): string {
    const url = `${RESPONSE_BASE}${this.sequence++}`;
    this.responseTargets.set(url, target);
    return url;
  }

  private newTrigger(): string {
    return `${this.sequence++}.console`;
  }

  private ts(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(this.sequence++).padStart(6, '0')}`;
  }

  private emit(event: SlackEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function json(body: Json): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

function parseJson(text: unknown): Json {
  if (typeof text !== 'string') return {};
  try {
    return JSON.parse(text) as Json;
  } catch {
    return {};
  }
}

/** @slack/web-api sends form-encoded arguments with nested values (blocks, view) as JSON strings. */
function parseApiBody(body: string, headers: RequestInit['headers']): Json {
  const type = new Headers(headers).get('content-type') ?? '';
  if (type.includes('application/json')) return parseJson(body);
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(body)) args[key] = /^[[{]/.test(value) ? parseAny(value) : value;
  return args;
}

function parseAny(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
