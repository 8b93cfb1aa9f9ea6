/**
 * Slack, as far as a bot under test can tell: it POSTs signed requests to the
 * bot's request URL (`botUrl`, Bolt's `/slack/events`) exactly as Slack does,
 * and serves the Web API and response_urls the bot calls back, recording all
 * of it. One simulator per test file; `close()` it in afterAll.
 *
 *   const sim = await SlackSimulator.start({ signingSecret });
 *   const app = new App({ signingSecret, token: 'xoxb-test', clientOptions: { slackApiUrl: sim.apiUrl } });
 *   sim.botUrl = requestUrlOf(await app.start({ port: 0, host: '127.0.0.1' }));
 *   const ack = await sim.slashCommand('list');
 *   expect(renderText(sim.lastMessageTo(DEFAULT_USER)!)).toContain('...');
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findElement, findOption, type ElementQuery, type Json } from './blocks.js';
import type { SimClock } from './clock.js';
import { FakeSlackApi } from './fake-slack-api.js';
import type { SimMessage } from './messages.js';
import {
  actionEntry,
  appHomeOpenedEnvelope,
  FORM,
  interactionBase,
  interactiveBody,
  JSON_TYPE,
  slashCommandFields,
  surfaceFields,
  type Surface,
} from './payloads.js';
import { ResponseUrls, type RecordedResponse } from './response-urls.js';
import { signedRequest, type SignedRequest, type SigningMode } from './signing.js';
import { viewState, type InputValues } from './state-values.js';
import type { SimView } from './views.js';
import { DEFAULT_CHANNEL, DEFAULT_USER, type Workspace } from './workspace.js';

/** Slack gives up on an app that has not answered within 3 s (the user sees operation_timeout). */
export const ACK_DEADLINE_MS = 3_000;

export interface SimResponse {
  status: number;
  /** Parsed JSON when the bot answered JSON, else the text ('' for Bolt's empty ack). */
  body: unknown;
  ackMs: number;
  /** False when Slack would already have given up and shown the user an error. */
  withinDeadline: boolean;
}

export interface Interaction extends SimResponse {
  triggerId: string;
  /** The response_url Slack sent with this request, if it sends one for this surface. */
  responseUrl?: string;
}

/**
 * What Slack sends the app for one thing a user did, before it goes on a
 * wire: over HTTP a signed POST to the request URL (form fields, a
 * `payload=` form field, or JSON), in Socket Mode the same payload inside an
 * envelope of this `type` (socket-mode.ts).
 */
export type SlackRequest =
  | { type: 'slash_commands'; payload: Record<string, string> }
  | { type: 'interactive'; payload: Json }
  | { type: 'events_api'; payload: Json };

/** A request built for a user action, with the trigger_id and response_url Slack issued for it. */
export interface BuiltInteraction {
  request: SlackRequest;
  triggerId: string;
  responseUrl?: string;
}

export interface CommandOptions {
  user?: string;
  channel?: string;
  team?: string;
  command?: string;
  /**
   * The text is already as Slack sends it (link markup such as <http://…|…>).
   * Otherwise it is what the person typed, and &, < and > arrive as entities,
   * as Slack sends them.
   */
  formatted?: boolean;
}

/** What Slack does to typed command text: &, < and > become &amp;, &lt; and &gt;. */
export function asSlackSends(typed: string): string {
  return typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SendOptions {
  /** 'forged' signs with a wrong secret, 'stale' 6 minutes in the past. */
  signing?: SigningMode;
}

export interface ActOptions extends SendOptions {
  user?: string;
  channel?: string;
  /** Reuse this response_url instead of issuing a fresh one (to exhaust one, say). */
  responseUrl?: string;
  /** Fields to override in `container`. */
  container?: Json;
  /** What the user had entered in stateful elements of the surface, sent as `state.values`. */
  state?: InputValues;
}

/** A message (from `lastMessageTo`, a response, the message store) or a view (anything with its `id`). */
export type SurfaceLike = SimMessage | SimView | { id: string };

export interface SimulatorOptions {
  signingSecret: string;
  botUrl?: string;
  workspace?: Workspace;
  clock?: SimClock;
}

/**
 * The request URL of a Bolt app started with `app.start({ port: 0, host: '127.0.0.1' })`:
 * HTTPReceiver.start resolves with its node:http Server, whose address() holds the port chosen.
 */
export function requestUrlOf(server: Pick<Server, 'address'>, path = '/slack/events'): string {
  const address = server.address() as AddressInfo | null;
  if (address === null) throw new Error('The server is not listening');
  if (address.address !== '127.0.0.1') throw new Error(`The bot listens on ${address.address}; bind it to 127.0.0.1 only`);
  return `http://127.0.0.1:${address.port}${path}`;
}

export class SlackSimulator {
  botUrl: string | undefined;
  /** The last request sent to the bot, exactly as sent: `replay()` sends it again. */
  lastRequest: SignedRequest | undefined;

  private constructor(
    readonly api: FakeSlackApi,
    readonly responseUrls: ResponseUrls,
    private readonly signingSecret: string,
    botUrl: string | undefined,
  ) {
    this.botUrl = botUrl;
  }

  static async start(options: SimulatorOptions): Promise<SlackSimulator> {
    const api = await FakeSlackApi.start({ workspace: options.workspace, clock: options.clock });
    const responseUrls = new ResponseUrls(`${api.url}/response/`, api.clock, api.ids, api.messages);
    api.mount('/response/', responseUrls.handle);
    return new SlackSimulator(api, responseUrls, options.signingSecret, options.botUrl);
  }

  get apiUrl(): string {
    return this.api.apiUrl;
  }

  get workspace(): Workspace {
    return this.api.workspace;
  }

  get clock(): SimClock {
    return this.api.clock;
  }

  async close(): Promise<void> {
    await this.api.close();
  }

  // ---- what users do ----

  async slashCommand(text: string, options: SendOptions & CommandOptions = {}): Promise<Interaction> {
    const built = this.buildSlashCommand(text, options);
    return { ...(await this.deliver(built.request, options.signing)), triggerId: built.triggerId, responseUrl: built.responseUrl };
  }

  clickButton(surface: SurfaceLike, query: ElementQuery, options: ActOptions = {}): Promise<Interaction> {
    return this.act(surface, { ...query, type: 'button' }, undefined, options);
  }

  selectStaticOption(surface: SurfaceLike, query: ElementQuery, option: string, options: ActOptions = {}): Promise<Interaction> {
    return this.act(surface, { ...query, type: 'static_select' }, option, options);
  }

  selectOverflowOption(surface: SurfaceLike, query: ElementQuery, option: string, options: ActOptions = {}): Promise<Interaction> {
    return this.act(surface, { ...query, type: 'overflow' }, option, options);
  }

  /**
   * The user picks one of the options the app suggested in an external select. Inside an input block
   * Slack sends block_actions only when the block has `dispatch_action`; otherwise this throws.
   */
  selectExternalOption(
    surface: SurfaceLike,
    query: ElementQuery,
    option: { text: string; value: string },
    options: ActOptions = {},
  ): Promise<Interaction> {
    return this.act(surface, { ...query, type: 'external_select' }, option, options);
  }

  /**
   * Submits an open modal with what the user entered. Throws when a required
   * input is empty (Slack's client would not submit) unless `force`. Slack
   * then applies the ack to the modal stack, which `views()` shows.
   */
  async submitView(
    view: SurfaceLike,
    values: InputValues = {},
    options: SendOptions & { user?: string; force?: boolean } = {},
  ): Promise<Interaction> {
    const built = this.buildViewSubmission(view, values, options);
    const response = await this.deliver(built.request, options.signing);
    if (response.status === 200) this.api.views.applySubmissionAck(built.view, response.body);
    return { ...response, triggerId: built.triggerId };
  }

  /** The user closes a modal. Slack tells the app only when the view asked (notify_on_close); otherwise this returns null. */
  async closeView(view: SurfaceLike, options: SendOptions & { user?: string } = {}): Promise<SimResponse | null> {
    const current = this.viewOf(view);
    this.api.views.close(current);
    if (!current.notifyOnClose) return null;
    const payload = {
      ...interactionBase(this.workspace, 'view_closed', options.user ?? current.user),
      view: this.api.views.output(current),
      is_cleared: current.clearOnClose,
    };
    return this.send(interactiveBody(payload), FORM, options.signing);
  }

  /**
   * The user types `value` into an external select. Slack asks the app only
   * once `min_query_length` characters are typed (default 3); below that this
   * returns null, as no request would be sent.
   */
  async suggest(
    surface: SurfaceLike,
    actionId: string,
    value: string,
    options: SendOptions & { user?: string } = {},
  ): Promise<SimResponse | null> {
    const request = this.buildSuggestion(surface, actionId, value, options);
    return request === null ? null : this.deliver(request, options.signing);
  }

  /** The user opens the app's Home tab: an Events API `app_home_opened` callback. */
  openHome(user: string = DEFAULT_USER, options: SendOptions = {}): Promise<SimResponse> {
    return this.deliver(this.buildHomeOpened(user), options.signing);
  }

  /** Slack's check when the request URL is saved: the app must echo the challenge. */
  urlVerification(challenge: string, options: SendOptions = {}): Promise<SimResponse> {
    const body = JSON.stringify({ token: this.workspace.verificationToken, challenge, type: 'url_verification' });
    return this.send(body, JSON_TYPE, options.signing);
  }

  // ---- payloads built but not sent (Socket Mode sends them in envelopes) ----
  // Each issues what Slack issues for the action (trigger_id, response_url) and checks what Slack's client checks.

  buildSlashCommand(text: string, options: CommandOptions = {}): BuiltInteraction & { responseUrl: string } {
    const user = options.user ?? DEFAULT_USER;
    const channel = options.channel ?? DEFAULT_CHANNEL;
    const responseUrl = this.responseUrls.issue({ channel, user });
    const triggerId = this.api.triggers.issue({ user });
    const payload = slashCommandFields(this.workspace, {
      command: options.command ?? '/fip',
      text: options.formatted ? text : asSlackSends(text),
      user,
      channel,
      responseUrl,
      triggerId,
      team: options.team,
    });
    return { request: { type: 'slash_commands', payload }, triggerId, responseUrl };
  }

  /** block_actions for the element `query` finds (its `type` says which kind); `option` is the one picked in a select or overflow. */
  buildBlockAction(
    surface: SurfaceLike,
    query: ElementQuery,
    option: string | { text: string; value: string } | undefined,
    options: Omit<ActOptions, 'signing'> = {},
  ): BuiltInteraction {
    const resolved = this.surfaceOf(surface);
    const placed = findElement(this.blocksOf(resolved), query);
    const block = this.blocksOf(resolved).find((candidate) => candidate.block_id === placed.blockId);
    if (block?.type === 'input' && block.dispatch_action !== true) {
      throw new Error(`Slack sends no block_actions for ${placed.actionId}: its input block has no dispatch_action`);
    }
    const selected =
      option === undefined
        ? undefined
        : typeof option === 'string'
          ? findOption(placed.element, option)
          : { text: { type: 'plain_text', text: option.text, emoji: true }, value: option.value };
    const user = options.user ?? this.defaultUser(resolved);
    const rootViewId = resolved.kind === 'view' && resolved.view.type === 'modal' ? String(resolved.view.root_view_id) : undefined;
    const triggerId = this.api.triggers.issue({ user, rootViewId });
    // Slack sends a response_url for interactions in messages, not in modals or the Home tab.
    let responseUrl: string | undefined;
    if (resolved.kind === 'message') {
      const { channel, ts } = resolved.message;
      responseUrl = options.responseUrl ?? this.responseUrls.issue({ channel: options.channel ?? channel, user, source: { channel, ts } });
    }
    const fields = surfaceFields(this.workspace, resolved, viewState(this.blocksOf(resolved), options.state ?? {}).values);
    const payload: Json = {
      ...interactionBase(this.workspace, 'block_actions', user),
      ...fields,
      trigger_id: triggerId,
      ...(responseUrl ? { response_url: responseUrl } : {}),
      actions: [actionEntry(placed, this.api.ids.ts(), selected)],
    };
    if (options.container) payload.container = { ...(fields.container as Json), ...options.container };
    return { request: { type: 'interactive', payload }, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /** view_submission for an open modal; throws as submitView does. Apply the app's ack with `api.views.applySubmissionAck(view, ack)`. */
  buildViewSubmission(
    view: SurfaceLike,
    values: InputValues = {},
    options: { user?: string; force?: boolean } = {},
  ): BuiltInteraction & { view: SimView } {
    const current = this.viewOf(view);
    if (!current.open) throw new Error(`View ${current.id} is closed: nobody can submit it`);
    const user = options.user ?? current.user;
    const state = viewState(current.blocks, values);
    if (state.missing.length > 0 && options.force !== true) {
      throw new Error(`Slack would not submit ${current.id}: required input empty: ${state.missing.join(', ')}`);
    }
    const triggerId = this.api.triggers.issue({ user, rootViewId: current.rootViewId });
    const payload = {
      ...interactionBase(this.workspace, 'view_submission', user),
      trigger_id: triggerId,
      view: this.api.views.output(current, state.values),
      response_urls: this.viewResponseUrls(current, state.values, user),
    };
    return { request: { type: 'interactive', payload }, triggerId, view: current };
  }

  /** block_suggestion, or null below `min_query_length` (Slack would not ask). */
  buildSuggestion(surface: SurfaceLike, actionId: string, value: string, options: { user?: string } = {}): SlackRequest | null {
    const resolved = this.surfaceOf(surface);
    const placed = findElement(this.blocksOf(resolved), { actionId });
    const minimum = typeof placed.element.min_query_length === 'number' ? placed.element.min_query_length : 3;
    if (value.length < minimum) return null;
    const user = options.user ?? this.defaultUser(resolved);
    const payload = {
      ...interactionBase(this.workspace, 'block_suggestion', user),
      ...surfaceFields(this.workspace, resolved, {}),
      action_id: placed.actionId,
      block_id: placed.blockId,
      value,
    };
    return { type: 'interactive', payload };
  }

  /** The `event_callback` envelope of an `app_home_opened` event. */
  buildHomeOpened(user: string = DEFAULT_USER): SlackRequest {
    const home = this.api.views.homeOf(user);
    const payload = appHomeOpenedEnvelope(this.workspace, {
      user,
      eventId: this.api.ids.next('Ev'),
      eventTs: this.api.ids.ts(),
      view: home && this.api.views.output(home),
    });
    return { type: 'events_api', payload };
  }

  // ---- raw requests ----

  /** Sends `body` with exactly these headers: no signing, for hand-made forgeries. */
  raw(body: string, headers: Record<string, string>, contentType = FORM): Promise<SimResponse> {
    return this.post({ body, contentType, headers: { 'Content-Type': contentType, ...headers } });
  }

  /** Sends a request again, byte for byte with its original signature (the last one by default). */
  replay(request: SignedRequest | undefined = this.lastRequest): Promise<SimResponse> {
    if (request === undefined) throw new Error('Nothing to replay yet');
    return this.post(request);
  }

  // ---- what the bot did ----

  responses(url: string): RecordedResponse[] {
    return this.responseUrls.responses(url);
  }

  /** The newest message visible in a channel, or to a user (their DM with the bot, or ephemeral anywhere). */
  lastMessageTo(channelOrUser: string): SimMessage | undefined {
    return this.api.messages.lastTo(channelOrUser, this.workspace.dmWith(channelOrUser));
  }

  messages(): SimMessage[] {
    return this.api.messages.all();
  }

  views(): SimView[] {
    return this.api.views.all();
  }

  // ---- plumbing ----

  private async act(
    surface: SurfaceLike,
    query: ElementQuery,
    option: string | { text: string; value: string } | undefined,
    options: ActOptions,
  ): Promise<Interaction> {
    const built = this.buildBlockAction(surface, query, option, options);
    return { ...(await this.deliver(built.request, options.signing)), triggerId: built.triggerId, responseUrl: built.responseUrl };
  }

  private surfaceOf(surface: SurfaceLike): Surface {
    if ('ts' in surface && 'channel' in surface) return { kind: 'message', message: surface };
    return { kind: 'view', view: this.api.views.output(this.viewOf(surface)) };
  }

  private viewOf(view: SurfaceLike): SimView {
    const found = 'id' in view ? this.api.views.get(view.id) : undefined;
    if (found === undefined) throw new Error(`No view ${'id' in view ? view.id : '(a message)'} was opened or published`);
    return found;
  }

  private blocksOf(surface: Surface): Json[] {
    return surface.kind === 'message' ? surface.message.blocks : (surface.view.blocks as Json[]);
  }

  private defaultUser(surface: Surface): string {
    if (surface.kind === 'view') return this.api.views.get(String(surface.view.id))?.user ?? DEFAULT_USER;
    return surface.message.visibleTo ?? DEFAULT_USER;
  }

  /** Inputs with `response_url_enabled` get a response_url for the conversation picked in them. */
  private viewResponseUrls(view: SimView, values: Record<string, Record<string, Json>>, user: string): Json[] {
    const urls: Json[] = [];
    for (const block of view.blocks) {
      const element = block.element as Json | undefined;
      if (block.type !== 'input' || element?.response_url_enabled !== true) continue;
      const state = values[String(block.block_id)]?.[String(element.action_id)];
      const channel = state?.selected_conversation ?? state?.selected_channel;
      if (typeof channel !== 'string') continue;
      urls.push({
        block_id: block.block_id,
        action_id: element.action_id,
        channel_id: channel,
        response_url: this.responseUrls.issue({ channel, user }),
      });
    }
    return urls;
  }

  /** Over HTTP, as Slack encodes each kind: slash commands as form fields, interactivity as `payload=<json>`, events as JSON. */
  private deliver(request: SlackRequest, signing: SigningMode = 'valid'): Promise<SimResponse> {
    if (request.type === 'slash_commands') return this.send(new URLSearchParams(request.payload).toString(), FORM, signing);
    if (request.type === 'interactive') return this.send(interactiveBody(request.payload), FORM, signing);
    return this.send(JSON.stringify(request.payload), JSON_TYPE, signing);
  }

  private send(body: string, contentType: string, signing: SigningMode = 'valid'): Promise<SimResponse> {
    const request = signedRequest(this.signingSecret, body, contentType, signing);
    this.lastRequest = request;
    return this.post(request);
  }

  private async post(request: SignedRequest): Promise<SimResponse> {
    if (this.botUrl === undefined) throw new Error('Set sim.botUrl to the bot’s request URL first');
    const started = performance.now();
    const response = await fetch(this.botUrl, { method: 'POST', headers: request.headers, body: request.body });
    const text = await response.text();
    const ackMs = performance.now() - started;
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text) as unknown;
    return { status: response.status, body, ackMs, withinDeadline: ackMs <= ACK_DEADLINE_MS };
  }
}
