/**
 * Proves the fake Socket Mode server against a real Bolt App on
 * @slack/socket-mode (SocketModeReceiver, Web API client pointed at the fake
 * API): the client accepts its URL, hello, envelopes and disconnects, and
 * what the app acknowledges comes back as the ack payload.
 */
import { App, LogLevel, SocketModeReceiver, webApi, type Logger } from '@slack/bolt';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from './blocks.js';
import { SlackSimulator } from './simulator.js';
import { FakeSocketMode, type SocketConnection } from './socket-mode.js';
import { renderText } from './text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from './workspace.js';

const APP_TOKEN = 'xapp-1-A0SIMAPP1-1-sockettest';

function quietLogger(): Logger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

const modal = {
  type: 'modal',
  callback_id: 'name',
  title: { type: 'plain_text', text: 'Name it' },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [
    {
      type: 'input',
      block_id: 'name_block',
      label: { type: 'plain_text', text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'name' },
    },
    {
      type: 'input',
      block_id: 'net_block',
      optional: true,
      label: { type: 'plain_text', text: 'Network' },
      element: { type: 'external_select', action_id: 'net' },
    },
  ],
};

/** A minimal bot in Socket Mode; each listener records what it saw in `seen`. */
function buildApp(sim: SlackSimulator, seen: Json[]): App {
  const logger = quietLogger();
  const receiver = new SocketModeReceiver({
    appToken: APP_TOKEN,
    logger,
    // A short ping timeout also makes the client reconnect 1 s after a disconnect, not 5 s.
    clientPingTimeout: 1_000,
    installerOptions: { clientOptions: { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } } },
  });
  const app = new App({ receiver, token: 'xoxb-test', logger, clientOptions: { slackApiUrl: sim.apiUrl } });
  app.command('/fip', async ({ command, ack, respond, client }) => {
    seen.push({ kind: 'command', command });
    await ack();
    if (command.text === 'modal') await client.views.open({ trigger_id: command.trigger_id, view: modal as never });
    else
      await respond({
        text: 'Free IP: 203.0.113.7',
        blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'release', text: { type: 'plain_text', text: 'Release' } }] }],
      });
  });
  app.action('release', async ({ ack, body, respond }) => {
    seen.push({ kind: 'action', body: body });
    await ack();
    await respond({ replace_original: true, text: 'Released 203.0.113.7' });
  });
  app.options('net', async ({ ack, options }) => {
    await ack({ options: [{ text: { type: 'plain_text', text: `${options.value}-net` }, value: 'net-1' }] });
  });
  app.view('name', async ({ ack, view }) => {
    const name = view.state.values.name_block?.name?.value ?? '';
    await ack(name.includes(' ') ? { response_action: 'errors', errors: { name_block: 'No spaces' } } : undefined);
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

/** The fake's Web API, called directly with `token`. */
function connectionsOpen(sim: SlackSimulator, token: string) {
  return new webApi.WebClient(token, {
    slackApiUrl: sim.apiUrl,
    retryConfig: { retries: 0 },
    logger: quietLogger(),
  }).apps.connections.open();
}

describe('apps.connections.open on the fake Web API', () => {
  let sim: SlackSimulator;
  let slack: FakeSocketMode;
  beforeAll(async () => {
    sim = await SlackSimulator.start({ signingSecret: 'unused' });
    sim.workspace.appTokens.add(APP_TOKEN);
  });
  afterAll(async () => {
    await slack?.close();
    await sim.close();
  });

  it('has no URL to give until a Socket Mode server is attached, which the SDK treats as transient', async () => {
    await expect(connectionsOpen(sim, APP_TOKEN)).rejects.toMatchObject({ data: { error: 'internal_error' } });
  });

  it('gives a known app-level token sent as a Bearer token a ws:// URL on 127.0.0.1 with a fresh ticket and the app id each time', async () => {
    slack = await FakeSocketMode.start(sim);
    const [one, two] = [await connectionsOpen(sim, APP_TOKEN), await connectionsOpen(sim, APP_TOKEN)];
    expect(one.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=[0-9a-f-]{36}&app_id=${sim.workspace.appId}$`));
    expect(two.url).not.toBe(one.url);
    expect(sim.api.callsTo('apps.connections.open').at(-1)).toMatchObject({ token: APP_TOKEN, status: 200 });
  });

  it('refuses a bot token, an app-level token it never issued, and an app-level token sent as a form field with invalid_auth', async () => {
    await expect(connectionsOpen(sim, 'xoxb-test')).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(connectionsOpen(sim, 'xapp-1-A0OTHER01-1-unknown')).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const form = await fetch(`${sim.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: APP_TOKEN }).toString(),
    });
    expect(await form.json()).toEqual({ ok: false, error: 'invalid_auth' });
    const anonymous = await fetch(`${sim.apiUrl}apps.connections.open`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
  });
});

describe('a real Bolt app in Socket Mode against the fake', () => {
  let sim: SlackSimulator;
  let slack: FakeSocketMode;
  let app: App;
  let first: SocketConnection;
  const seen: Json[] = [];
  const last = (kind: string) => seen.filter((s) => s.kind === kind).at(-1);

  beforeAll(async () => {
    sim = await SlackSimulator.start({ signingSecret: 'unused' });
    sim.workspace.appTokens.add(APP_TOKEN);
    slack = await FakeSocketMode.start(sim, { pingIntervalMs: 200 });
    app = buildApp(sim, seen);
    // app.start() resolves once the client has read Slack's hello.
    await app.start();
    first = await slack.waitForConnection();
  });

  afterAll(async () => {
    await app.stop();
    await slack.close();
    await sim.close();
  });

  it('is connected once app.start() resolves, on the URL apps.connections.open gave its app-level token', () => {
    expect(first).toMatchObject({ id: 1, appToken: APP_TOKEN, open: true });
    expect(first.url).toBe((sim.api.callsTo('apps.connections.open')[0]!.response as { url: string }).url);
  });

  it('delivers a slash command that Bolt hands its listener with the fields Slack sends, acked with an empty payload, and respond() reaches the response_url', async () => {
    const ack = await slack.slashCommand('list');
    expect(ack).toMatchObject({ payload: {}, withinDeadline: true, connection: first.id });
    const { command } = last('command') as { command: Json };
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
  });

  it('delivers a button click as an interactive envelope, and the listener’s respond() replaces the message through its response_url', async () => {
    const command = await slack.slashCommand('list');
    await expect.poll(() => sim.responses(command.responseUrl!).length).toBe(1);
    const message = sim.responses(command.responseUrl!)[0]!.message!;
    const click = await slack.clickButton(message, { actionId: 'release' });
    expect(click).toMatchObject({ payload: {}, withinDeadline: true });
    expect(last('action')).toMatchObject({
      body: { type: 'block_actions', actions: [{ action_id: 'release' }], response_url: click.responseUrl },
    });
    await expect.poll(() => renderText(message)).toBe('Released 203.0.113.7');
  });

  it('returns what the app acknowledged with: options for a suggestion, response_action errors that keep the modal open, and a plain ack that closes it', async () => {
    const mark = sim.api.mark();
    await slack.slashCommand('modal');
    const opened = await sim.api.waitForCall('views.open', { after: mark });
    const view = (opened.response as { view: { id: string } }).view;

    expect(await slack.suggest(view, 'net', 'ex')).toBeNull();
    expect((await slack.suggest(view, 'net', 'ext'))?.payload).toEqual({
      options: [{ text: { type: 'plain_text', text: 'ext-net' }, value: 'net-1' }],
    });

    const refused = await slack.submitView(view, { name: 'two words' });
    expect(refused.payload).toEqual({ response_action: 'errors', errors: { name_block: 'No spaces' } });
    expect(sim.api.views.get(view.id)?.open).toBe(true);
    const saved = await slack.submitView(view, { name: 'one' });
    expect(saved.payload).toEqual({});
    expect(sim.api.views.get(view.id)?.open).toBe(false);
  });

  it('delivers app_home_opened as an events_api envelope that Bolt routes to its event listener', async () => {
    const mark = sim.api.mark();
    const ack = await slack.openHome(DEFAULT_USER);
    expect(ack.withinDeadline).toBe(true);
    expect(last('home')).toMatchObject({ event: { type: 'app_home_opened', user: DEFAULT_USER, tab: 'home' } });
    await sim.api.waitForCall('views.publish', { after: mark });
    expect(renderText(sim.views().find((v) => v.type === 'home')!)).toBe('# Floating IPs');
  });

  it('fails a send that nobody acknowledges (Bolt acks nothing it has no listener for) once the timeout passes', async () => {
    await expect(slack.slashCommand('list', { command: '/other', timeoutMs: 300 })).rejects.toThrow(
      /did not acknowledge slash_commands envelope .* within 300 ms/,
    );
    expect(slack.strays).toEqual([]);
  });

  it('reconnects a client told to refresh through apps.connections.open, and a ticket once used opens nothing', async () => {
    const mark = slack.mark();
    slack.disconnect('refresh_requested');
    expect(await slack.waitForClose(first)).toEqual({ by: 'app', code: 1000, reason: '' });
    const next = await slack.waitForConnection({ after: mark });
    expect(sim.api.callsTo('apps.connections.open')).toHaveLength(2);
    expect((await slack.slashCommand('list')).connection).toBe(next.id);

    const replayed = new WebSocket(first.url);
    // Terminating a socket whose handshake was refused reports it as an error: expected here.
    replayed.on('error', () => undefined);
    const status = await new Promise<number | undefined>((resolve) => {
      replayed.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      replayed.once('open', () => resolve(undefined));
    });
    replayed.terminate();
    expect(status).toBe(401);
    expect(slack.refused).toHaveLength(1);
  });

  it('refuses to send when no app is connected', async () => {
    const [connection] = slack.openConnections();
    await app.stop();
    expect(await slack.waitForClose(connection!)).toMatchObject({ by: 'app', code: 1000 });
    expect(slack.openConnections()).toEqual([]);
    await expect(slack.slashCommand('list')).rejects.toThrow(/No app is connected over Socket Mode/);
  });
});
