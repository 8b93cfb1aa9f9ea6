/**
 * Proves the simulator against a real Bolt App (HTTPReceiver on 127.0.0.1,
 * Web API client pointed at the fake API): requests are signed and shaped as
 * Slack's, and what the bot sends back lands in the recorders.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi, type Logger } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from './blocks.js';
import { delay } from './http.js';
import { requestUrlOf, SlackSimulator } from './simulator.js';
import { renderText } from './text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from './workspace.js';

const SECRET = 'sim-signing-secret-0123456789';

/** Bolt's logs, kept for assertions instead of printed. */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (...msg: unknown[]) =>
      lines.push(`${level} ${msg.map(String).join(' ')}`);
  return {
    lines,
    debug: () => undefined,
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

function modal(title = 'Attach an IP'): Json {
  return {
    type: 'modal',
    callback_id: 'attach',
    notify_on_close: true,
    private_metadata: DEFAULT_CHANNEL,
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: 'Attach' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'ip_block',
        label: { type: 'plain_text', text: 'Floating IP' },
        element: { type: 'plain_text_input', action_id: 'ip' },
      },
      {
        type: 'input',
        block_id: 'server_block',
        label: { type: 'plain_text', text: 'Server' },
        element: {
          type: 'static_select',
          action_id: 'server',
          placeholder: { type: 'plain_text', text: 'Pick a server' },
          options: [
            { text: { type: 'plain_text', text: 'web-1' }, value: 'srv-web-1' },
            { text: { type: 'plain_text', text: 'db-1' }, value: 'srv-db-1' },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'network_block',
        optional: true,
        label: { type: 'plain_text', text: 'Network' },
        element: { type: 'external_select', action_id: 'network', placeholder: { type: 'plain_text', text: 'Search networks' } },
      },
      { type: 'actions', elements: [{ type: 'button', action_id: 'refresh', text: { type: 'plain_text', text: 'Refresh' } }] },
    ],
  };
}

const releaseButtons = (ip: string): Json[] => [
  { type: 'section', text: { type: 'mrkdwn', text: `*${ip}* is free` } },
  {
    type: 'actions',
    elements: [
      { type: 'button', action_id: 'release', text: { type: 'plain_text', text: 'Release' }, value: ip, style: 'danger' },
      { type: 'button', action_id: 'keep', text: { type: 'plain_text', text: 'Keep' }, value: ip },
    ],
  },
];

const menu: Json[] = [
  {
    type: 'section',
    text: { type: 'mrkdwn', text: '203.0.113.7 on web-1' },
    accessory: {
      type: 'overflow',
      action_id: 'more',
      options: [
        { text: { type: 'plain_text', text: 'Detach' }, value: 'detach' },
        { text: { type: 'plain_text', text: 'Release' }, value: 'release' },
      ],
    },
  },
  {
    type: 'actions',
    elements: [
      {
        type: 'static_select',
        action_id: 'server_pick',
        placeholder: { type: 'plain_text', text: 'Move to' },
        options: [{ text: { type: 'plain_text', text: 'db-1' }, value: 'srv-db-1' }],
      },
    ],
  },
];

/** A minimal bot: each listener records what it saw in `seen`, so tests can tell whether it ran. */
function buildApp(sim: SlackSimulator, logger: Logger, seen: Json[]): App {
  const app = new App({
    signingSecret: SECRET,
    token: 'xoxb-test',
    logger,
    // Few, quick retries: the rate-limit test waits out Retry-After (1 s), not the default backoff.
    clientOptions: { slackApiUrl: sim.apiUrl, retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 } },
  });

  app.command('/fip', async ({ command, ack, respond, client }) => {
    seen.push({ kind: 'command', command });
    await ack();
    if (command.text === 'modal') {
      await client.views.open({ trigger_id: command.trigger_id, view: modal() as never });
    } else if (command.text === 'menu') {
      await respond({ response_type: 'in_channel', text: 'Menu', blocks: menu as never });
    } else if (command.text === 'chatty') {
      for (let i = 1; i <= 6; i++) {
        try {
          await respond({ text: `update ${i}` });
        } catch (error) {
          seen.push({
            kind: 'respond-failed',
            attempt: i,
            code: (error as { code?: string }).code,
            status: (error as { statusCode?: number }).statusCode,
          });
        }
      }
    } else {
      await respond({ text: `Free IP: 203.0.113.7`, blocks: releaseButtons('203.0.113.7') as never });
    }
  });

  app.action('release', async ({ ack, body, client }) => {
    await ack();
    seen.push({ kind: 'action', body: body });
    const channel = (body as { channel?: { id: string } }).channel?.id ?? DEFAULT_CHANNEL;
    try {
      await client.chat.postMessage({
        channel,
        text: 'Released 203.0.113.7',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Released *203.0.113.7*' } }],
      });
    } catch (error) {
      seen.push({ kind: 'post-failed', error: (error as { data?: { error?: string } }).data?.error });
    }
  });

  app.action('more', async ({ ack, action }) => {
    await ack();
    seen.push({ kind: 'overflow', action: action });
  });

  app.action('server_pick', async ({ ack, action }) => {
    await ack();
    seen.push({ kind: 'select', action: action });
  });

  app.action('refresh', async ({ ack, body, client }) => {
    await ack();
    const view = (body as { view: { id: string; hash: string } }).view;
    await client.views.update({ view_id: view.id, hash: view.hash, view: modal('Attach an IP (refreshed)') as never });
    seen.push({ kind: 'refreshed', hash: view.hash });
  });

  app.view('attach', async ({ ack, view, body }) => {
    seen.push({ kind: 'submission', body: body });
    const ip = view.state.values.ip_block?.ip?.value ?? '';
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
      await ack({ response_action: 'errors', errors: { ip_block: 'That is not an IPv4 address' } });
      return;
    }
    await ack();
  });

  app.view({ callback_id: 'attach', type: 'view_closed' }, async ({ ack, body }) => {
    await ack();
    seen.push({ kind: 'closed', body: body });
  });

  app.options('network', async ({ options, ack }) => {
    const all = [
      { text: { type: 'plain_text' as const, text: 'external-net' }, value: 'net-ext' },
      { text: { type: 'plain_text' as const, text: 'internal-net' }, value: 'net-int' },
    ];
    await ack({ options: all.filter((o) => o.text.text.startsWith(options.value)) });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    seen.push({ kind: 'home', event: event });
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Floating IPs' } }] },
    });
  });

  return app;
}

/** A Web API client of the test's own, to poke the fake API directly. */
function directClient(sim: SlackSimulator, options: { rejectRateLimitedCalls?: boolean } = {}) {
  return new webApi.WebClient('xoxb-test', { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 }, logger: capturingLogger(), ...options });
}

describe('the Slack simulator driving a real Bolt app', () => {
  let sim: SlackSimulator;
  let app: App;
  let server: Server;
  const logger = capturingLogger();
  const seen: Json[] = [];
  const kinds = () => seen.map((s) => s.kind);
  const last = (kind: string): Json => {
    const entry = seen.filter((s) => s.kind === kind).at(-1);
    if (entry === undefined) throw new Error(`the app recorded no ${kind}; it recorded ${kinds().join(', ')}`);
    return entry;
  };
  /** Waits until the app recorded `kind` (listeners run on after the ack). */
  const until = async (kind: string, count = 1): Promise<Json> => {
    for (let waited = 0; seen.filter((s) => s.kind === kind).length < count; waited += 10) {
      if (waited > 3_000) throw new Error(`the app never recorded ${kind} x${count}; it recorded ${kinds().join(', ')}`);
      await delay(10);
    }
    return last(kind);
  };

  /** Runs `/fip modal` and returns the view the bot opened, as the fake API answered views.open. */
  const openModal = async (): Promise<Json & { id: string }> => {
    const mark = sim.api.mark();
    await sim.slashCommand('modal');
    const call = await sim.api.waitForCall('views.open', { after: mark });
    return (call.response as { view: Json & { id: string } }).view;
  };
  /** Runs `/fip <text>` and returns the message its respond() produced. */
  const respondTo = async (text: string) => {
    const ack = await sim.slashCommand(text);
    await expect.poll(() => sim.responses(ack.responseUrl!).length).toBe(1);
    return { ack, message: sim.responses(ack.responseUrl!)[0]!.message! };
  };

  beforeAll(async () => {
    sim = await SlackSimulator.start({ signingSecret: SECRET });
    // Bolt calls auth.test as soon as the App is built: the fake API must already be up.
    app = buildApp(sim, logger, seen);
    server = await app.start({ port: 0, host: '127.0.0.1' });
    sim.botUrl = requestUrlOf(server);
  });

  afterAll(async () => {
    await app.stop();
    await sim.close();
  });

  it('listens and serves on 127.0.0.1 only', () => {
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(sim.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(sim.botUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
  });

  it('answers the auth.test Bolt makes at start-up with the bot identity and sees the bot token', async () => {
    const call = await sim.api.waitForCall('auth.test');
    expect(call.token).toBe('xoxb-test');
    expect(call.response).toMatchObject({
      ok: true,
      team_id: sim.workspace.team.id,
      user_id: sim.workspace.botUserId,
      bot_id: sim.workspace.botId,
    });
  });

  it('sends a signed slash command that Bolt accepts, with the fields Slack sends, and its respond() lands on the response_url', async () => {
    const ack = await sim.slashCommand('list');
    expect(ack).toMatchObject({ status: 200, body: '', withinDeadline: true });

    const { command } = (await until('command')) as { command: Json };
    expect(Object.keys(command)).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(command).toMatchObject({
      command: '/fip',
      text: 'list',
      user_id: DEFAULT_USER,
      channel_id: DEFAULT_CHANNEL,
      response_url: ack.responseUrl,
    });

    await expect.poll(() => sim.responses(ack.responseUrl!).length).toBe(1);
    const [response] = sim.responses(ack.responseUrl!);
    expect(response).toMatchObject({ status: 200, text: 'Free IP: 203.0.113.7', replaceOriginal: false });
    const message = sim.lastMessageTo(DEFAULT_USER)!;
    expect(message).toMatchObject({ ephemeral: true, visibleTo: DEFAULT_USER, channel: DEFAULT_CHANNEL, source: 'response_url' });
    expect(renderText(message)).toBe('*203.0.113.7* is free\n[Release] [Keep]');
  });

  it('refuses a request signed with the wrong secret with 401, and the listener never runs', async () => {
    const before = seen.length;
    const calls = sim.api.mark();
    const ack = await sim.slashCommand('list', { signing: 'forged' });
    await delay(100);
    expect(ack.status).toBe(401);
    expect(seen.length).toBe(before);
    expect(sim.api.mark()).toBe(calls);
    expect(sim.responses(ack.responseUrl!)).toEqual([]);
  });

  it('refuses a correctly signed request whose timestamp is six minutes old as stale', async () => {
    const before = seen.length;
    const ack = await sim.slashCommand('list', { signing: 'stale' });
    await delay(100);
    expect(ack.status).toBe(401);
    expect(seen.length).toBe(before);
    expect(logger.lines.some((line) => line.includes('stale'))).toBe(true);
  });

  it('refuses hand-made requests without a signature', async () => {
    const ack = await sim.raw('command=%2Ffip&text=list', {});
    expect(ack.status).toBe(401);
  });

  it('shows that Bolt accepts a replay within five minutes, so deduplicating is the app’s own job', async () => {
    const count = () => seen.filter((s) => s.kind === 'command').length;
    await sim.slashCommand('list');
    await until('command', count());
    const before = count();
    const replay = await sim.replay();
    expect(replay.status).toBe(200);
    await until('command', before + 1);
  });

  it('clicks a button in an ephemeral message with Slack’s block_actions shape, and the bot’s chat.postMessage reaches the fake API with the bot token', async () => {
    const { message } = await respondTo('list');
    expect(sim.lastMessageTo(DEFAULT_USER)).toBe(message);
    const mark = sim.api.mark();

    const click = await sim.clickButton(message, { text: 'Release' });
    expect(click.status).toBe(200);

    const post = await sim.api.waitForCall('chat.postMessage', { after: mark });
    expect(post.token).toBe('xoxb-test');
    expect(post.contentType).toContain('application/x-www-form-urlencoded');
    expect(post.args).toMatchObject({ channel: DEFAULT_CHANNEL, text: 'Released 203.0.113.7' });
    expect(Array.isArray(post.args.blocks)).toBe(true);

    const { body } = last('action') as { body: Json };
    expect(body).toMatchObject({
      type: 'block_actions',
      user: { id: DEFAULT_USER, username: 'alice', name: 'alice', team_id: sim.workspace.team.id },
      container: { type: 'message', message_ts: message.ts, channel_id: DEFAULT_CHANNEL, is_ephemeral: true },
      channel: { id: DEFAULT_CHANNEL, name: 'ops' },
      trigger_id: click.triggerId,
      response_url: click.responseUrl,
      actions: [
        { type: 'button', action_id: 'release', text: { type: 'plain_text', text: 'Release' }, value: '203.0.113.7', style: 'danger' },
      ],
    });
    // Slack leaves ephemeral messages out of payloads, and fills the block_id the bot left out.
    expect(body.message).toBeUndefined();
    expect((body.actions as Json[])[0]!.block_id).toMatch(/^b/);

    expect(renderText(sim.lastMessageTo(DEFAULT_CHANNEL)!)).toBe('Released *203.0.113.7*');
  });

  it('hands a scripted API error to the bot as Slack would, without posting anything', async () => {
    const { message } = await respondTo('list');
    sim.api.failNext('chat.postMessage', 'not_in_channel');
    const messages = sim.messages().length;
    await sim.clickButton(message, { actionId: 'release' });
    expect(await until('post-failed')).toMatchObject({ error: 'not_in_channel' });
    expect(sim.messages().length).toBe(messages);
  });

  it('picks overflow and static select options in a channel message, which Slack includes in the payload', async () => {
    const { message } = await respondTo('menu');
    expect(message).toMatchObject({ ephemeral: false, channel: DEFAULT_CHANNEL });
    expect(sim.lastMessageTo(DEFAULT_CHANNEL)).toBe(message);

    await sim.selectOverflowOption(message, { actionId: 'more' }, 'Detach');
    expect(await until('overflow')).toMatchObject({
      action: { type: 'overflow', action_id: 'more', selected_option: { value: 'detach' } },
    });

    await sim.selectStaticOption(message, { text: 'Move to' }, 'srv-db-1');
    expect(await until('select')).toMatchObject({
      action: { type: 'static_select', action_id: 'server_pick', selected_option: { text: { text: 'db-1' }, value: 'srv-db-1' } },
    });
  });

  it('lets views.open use a fresh trigger once, then refuses it as exchanged', async () => {
    const mark = sim.api.mark();
    const ack = await sim.slashCommand('modal');
    const open = await sim.api.waitForCall('views.open', { after: mark });
    expect(open.args.trigger_id).toBe(ack.triggerId);
    expect(open.response).toMatchObject({ ok: true, view: { type: 'modal', callback_id: 'attach', title: { text: 'Attach an IP' } } });

    const again = directClient(sim).views.open({ trigger_id: ack.triggerId, view: modal() as never });
    await expect(again).rejects.toMatchObject({ data: { ok: false, error: 'exchanged_trigger_id' } });
  });

  it('refuses a trigger older than three seconds as expired', async () => {
    const ack = await sim.slashCommand('list');
    sim.clock.advance(3_100);
    const late = directClient(sim).views.open({ trigger_id: ack.triggerId, view: modal() as never });
    await expect(late).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
    await expect(directClient(sim).views.open({ trigger_id: 'made.up.trigger', view: modal() as never })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
  });

  it('accepts views.update with the current hash and refuses a stale hash with hash_conflict', async () => {
    const view = await openModal();
    const openedHash = String(view.hash);

    await sim.clickButton(view, { text: 'Refresh' });
    const update = await sim.api.waitForCall('views.update');
    expect(update.args).toMatchObject({ view_id: view.id, hash: openedHash });
    expect(update.response).toMatchObject({ ok: true, view: { id: view.id, title: { text: 'Attach an IP (refreshed)' } } });

    const stale = directClient(sim).views.update({ view_id: String(view.id), hash: openedHash, view: modal() as never });
    await expect(stale).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
  });

  it('submits a modal with Slack’s state.values shapes, shows response_action errors, then closes the modal on a plain ack', async () => {
    const view = await openModal();

    const refused = await sim.submitView(view, { ip: 'not-an-ip', server: 'web-1' });
    expect(refused).toMatchObject({
      status: 200,
      body: { response_action: 'errors', errors: { ip_block: 'That is not an IPv4 address' } },
    });
    expect(sim.api.views.get(view.id)?.open).toBe(true);

    const { body } = last('submission') as { body: Json };
    expect(body).toMatchObject({
      type: 'view_submission',
      user: { id: DEFAULT_USER },
      trigger_id: refused.triggerId,
      response_urls: [],
      view: { id: view.id, callback_id: 'attach', private_metadata: DEFAULT_CHANNEL, hash: sim.api.views.get(view.id)!.hash },
    });
    expect((body.view as { state: unknown }).state).toEqual({
      values: {
        ip_block: { ip: { type: 'plain_text_input', value: 'not-an-ip' } },
        server_block: {
          server: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'web-1' }, value: 'srv-web-1' } },
        },
        network_block: { network: { type: 'external_select', selected_option: null } },
      },
    });

    const accepted = await sim.submitView(view, {
      'ip_block.ip': '203.0.113.7',
      server_block: 'srv-db-1',
      network: { text: 'external-net', value: 'net-ext' },
    });
    expect(accepted).toMatchObject({ status: 200, body: '' });
    expect(sim.api.views.get(view.id)?.open).toBe(false);
  });

  it('will not submit a modal whose required input is empty, as Slack’s client would not', async () => {
    const view = await openModal();
    await expect(sim.submitView(view, { server: 'web-1' })).rejects.toThrow(/required input empty: ip_block/);
    await expect(sim.submitView(view, { nosuch: 'x' })).rejects.toThrow(/No input in this view for nosuch/);
  });

  it('asks the options listener only once min_query_length characters are typed, and returns its options', async () => {
    const view = await openModal();
    expect(await sim.suggest(view, 'network', 'ex')).toBeNull();
    const answer = await sim.suggest(view, 'network', 'ext');
    expect(answer).toMatchObject({ status: 200, body: { options: [{ text: { text: 'external-net' }, value: 'net-ext' }] } });
  });

  it('tells the app a modal was closed only when the view asked with notify_on_close', async () => {
    const view = await openModal();
    const closed = await sim.closeView(view);
    expect(closed?.status).toBe(200);
    expect(await until('closed')).toMatchObject({ body: { type: 'view_closed', is_cleared: false, view: { id: view.id } } });
    expect(sim.api.views.get(view.id)?.open).toBe(false);
  });

  it('opens the Home tab with an app_home_opened event, and the bot publishes a view for that user', async () => {
    const mark = sim.api.mark();
    const opened = await sim.openHome(DEFAULT_USER);
    expect(opened.status).toBe(200);
    const publish = await sim.api.waitForCall('views.publish', { after: mark });
    expect(publish.args).toMatchObject({ user_id: DEFAULT_USER, view: { type: 'home' } });
    const home = sim.views().find((v) => v.type === 'home' && v.user === DEFAULT_USER)!;
    expect(renderText(home)).toBe('# Floating IPs');

    await sim.openHome(DEFAULT_USER);
    // The second time, Slack includes the Home view already published.
    expect(await until('home', 2)).toMatchObject({
      event: { type: 'app_home_opened', tab: 'home', channel: 'D0ALICE01', view: { id: home.id } },
    });
  });

  it('takes five responses on one response_url and refuses the sixth, which Bolt’s respond() reports as RespondError', async () => {
    const ack = await sim.slashCommand('chatty');
    expect(await until('respond-failed')).toMatchObject({ attempt: 6, code: 'slack_bolt_respond_error', status: 404 });
    expect(sim.responses(ack.responseUrl!).map((r) => [r.status, r.answer])).toEqual([
      ...Array.from({ length: 5 }, () => [200, '{"ok":true}']),
      [404, 'used_url'],
    ]);
  });

  it('refuses a response_url used more than thirty minutes after it was issued', async () => {
    const { ack } = await respondTo('menu');
    sim.clock.advance(31 * 60 * 1000);
    const late = await fetch(ack.responseUrl!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'late' }),
    });
    expect(late.status).toBe(404);
    expect(await late.text()).toBe('expired_url');
  });

  it('makes the bot’s client wait out a 429 for Retry-After seconds before it retries', async () => {
    const { message } = await respondTo('list');
    sim.api.rateLimitNext('chat.postMessage', 1);
    const mark = sim.api.mark();
    await sim.clickButton(message, { text: 'Release' });

    const limited = await sim.api.waitForCall('chat.postMessage', { after: mark });
    expect(limited.status).toBe(429);
    const retried = await sim.api.waitForCall('chat.postMessage', { after: limited.seq, timeoutMs: 5_000 });
    expect(retried.status).toBe(200);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(1_000);
    expect(logger.lines.some((line) => line.includes('rate limiting'))).toBe(true);
  });

  it('lets a client that rejects rate-limited calls see the 429 and its Retry-After at once', async () => {
    sim.api.rateLimitNext('chat.postMessage', 7);
    const call = directClient(sim, { rejectRateLimitedCalls: true }).chat.postMessage({ channel: DEFAULT_CHANNEL, text: 'hi' });
    await expect(call).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it('answers an HTTP 500 knob and added latency as scripted', async () => {
    sim.api.httpErrorNext('users.info', 500).setLatency('users.info', 150);
    const client = directClient(sim);
    await expect(client.users.info({ user: DEFAULT_USER })).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
    const started = performance.now();
    await expect(client.users.info({ user: DEFAULT_USER })).resolves.toMatchObject({ ok: true, user: { id: DEFAULT_USER, name: 'alice' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sim.api.setLatency('users.info', 0);
  });

  it('answers directory methods from the workspace, and decodes JSON bodies as well as forms', async () => {
    sim.workspace.setGroupMembers('S0NETOPS1', [DEFAULT_USER]);
    const client = directClient(sim);
    await expect(client.usergroups.users.list({ usergroup: 'S0NETOPS1' })).resolves.toMatchObject({ ok: true, users: [DEFAULT_USER] });
    await expect(client.usergroups.users.list({ usergroup: 'S0NOSUCH1' })).rejects.toMatchObject({ data: { error: 'no_such_subteam' } });
    await expect(client.conversations.info({ channel: DEFAULT_CHANNEL })).resolves.toMatchObject({
      channel: { id: DEFAULT_CHANNEL, name: 'ops' },
    });

    const json = await fetch(`${sim.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: 'Bearer xoxb-test' },
      body: JSON.stringify({
        channel: DEFAULT_USER,
        text: 'hello',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }],
      }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'D0ALICE01', message: { text: 'hello', bot_id: sim.workspace.botId } });
    const [call] = sim.api.callsTo('chat.postMessage').slice(-1);
    expect(call?.args.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }]);
    expect(sim.lastMessageTo(DEFAULT_USER)?.channel).toBe('D0ALICE01');
  });

  it('refuses calls without a token or with a token it does not know', async () => {
    const anonymous = await fetch(`${sim.apiUrl}auth.test`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
    await expect(
      new webApi.WebClient('xoxb-wrong', { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 }, logger: capturingLogger() }).auth.test(),
    ).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
  });

  it('answers the url_verification challenge through Bolt', async () => {
    const answer = await sim.urlVerification('challenge-123');
    expect(answer).toMatchObject({ status: 200, body: { challenge: 'challenge-123' } });
  });

  it('times out a waitForCall that never comes, naming the calls that did', async () => {
    await expect(sim.api.waitForCall('chat.delete', { timeoutMs: 50 })).rejects.toThrow(
      /No chat.delete call within 50 ms; calls so far: auth.test/,
    );
  });
});

describe('shutting the simulator and the bot down', () => {
  it('leaves no server listening once the app is stopped and the simulator closed', async () => {
    const sim = await SlackSimulator.start({ signingSecret: SECRET });
    const app = buildApp(sim, capturingLogger(), []);
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    sim.botUrl = requestUrlOf(server);
    await sim.slashCommand('list');
    await app.stop();
    await sim.close();
    expect(server.listening).toBe(false);
    await expect(fetch(sim.apiUrl)).rejects.toThrow();
    await expect(fetch(sim.botUrl)).rejects.toThrow();
  });
});

describe('renderText', () => {
  it('flattens a modal into its title, labelled inputs, buttons and submit/close', () => {
    const text = renderText(modal());
    expect(text).toBe(
      [
        '== Attach an IP ==',
        'Floating IP: [____]',
        'Server: [Pick a server ▾]',
        'Network (optional): [Search networks ▾]',
        '[Refresh]',
        '[Cancel] [Attach]',
      ].join('\n'),
    );
  });

  it('renders headers, fields, context, dividers and overflow menus', () => {
    const text = renderText([
      { type: 'header', text: { type: 'plain_text', text: 'Floating IPs' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*IP*' },
          { type: 'mrkdwn', text: '*Server*' },
        ],
      },
      { type: 'divider' },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'project demo' },
          { type: 'image', image_url: 'x', alt_text: 'cloud' },
        ],
      },
      ...menu,
    ]);
    expect(text).toBe(
      [
        '# Floating IPs',
        '*IP*',
        '*Server*',
        '---',
        'project demo (image: cloud)',
        '203.0.113.7 on web-1',
        '[⋯ Detach | Release]',
        '[Move to ▾]',
      ].join('\n'),
    );
  });

  it('falls back to the message text when a message has no blocks', () => {
    expect(renderText({ text: 'Released 203.0.113.7' })).toBe('Released 203.0.113.7');
  });
});
