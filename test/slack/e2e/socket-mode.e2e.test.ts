/**
 * fipbot in Socket Mode, as it runs behind a firewall: all of `npm start`
 * (src/run.ts, in this process; test/main.process.test.ts spawns the built
 * bot), configured only by its environment (SLACK_BOT_TOKEN, SLACK_APP_TOKEN,
 * no signing secret, the demo cloud as OS_* variables), connecting out to a
 * Slack that speaks the Socket Mode protocol (test/support/slack/socket-mode.ts).
 * Commands and clicks arrive as envelopes on the socket and are acknowledged
 * there; answers still go to response_urls and the Web API; only the ops
 * routes listen, on HOST:PORT.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type DemoCloud, startDemoCloud } from '../../../src/demo-cloud/index.js';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { demoOsEnv } from '../../support/demo.js';
import { type FipbotProcess, spawnFipbot, startFipbot } from '../../support/process.js';
import { freePort } from '../../support/ports.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { SlackSimulator } from '../../support/slack/simulator.js';
import { FakeSocketMode, type SocketConnection, type SocketInteraction, type SocketSendOptions } from '../../support/slack/socket-mode.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL } from '../../support/slack/workspace.js';

const BOT_TOKEN = 'xoxb-socket-0000000000-bot-token';
const APP_TOKEN = 'xapp-1-A0SIMAPP1-0000000000-socket-app-token';

let demo: DemoCloud;
let sim: SlackSimulator;
let slack: FakeSocketMode;
let bot: FipbotProcess;
let first: SocketConnection;

const port = () => Number(new URL(bot.base).port);
const opens = () => sim.api.callsTo('apps.connections.open');
const channelResults = () => sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
const dumpLogsOnFailure = () => onTestFailed(() => console.error(bot.output()));

/** Slack's side of an envelope: acknowledged on the socket before its 3 s deadline. */
function expectAckedInTime(ack: SocketInteraction): void {
  expect(ack.withinDeadline, `acked after ${Math.round(ack.ackMs)} ms`).toBe(true);
}

/** `/fip <text>` over the socket (the newest connection unless told), and the first answer on its response_url. */
async function command(text: string, options: SocketSendOptions = {}): Promise<{ ack: SocketInteraction; reply: SimMessage }> {
  const ack = await slack.slashCommand(text, options);
  expectAckedInTime(ack);
  await expect.poll(() => sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return { ack, reply: sim.responses(ack.responseUrl!)[0]!.message! };
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  [demo, sim] = await Promise.all([startDemoCloud({ port: 0 }), SlackSimulator.start({ signingSecret: 'not-used-in-socket-mode' })]);
  sim.workspace.tokens.add(BOT_TOKEN);
  sim.workspace.appTokens.add(APP_TOKEN);
  slack = await FakeSocketMode.start(sim);
  bot = await startFipbot('socket', {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: sim.apiUrl,
    ...demoOsEnv(demo),
  });
  first = await slack.waitForConnection({ timeoutMs: 30_000 }).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${bot.output()}`);
  });
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await Promise.all([sim?.close(), demo?.close()]);
}, 30_000);

describe('starting in Socket Mode', () => {
  it('opens a Socket Mode connection with the URL apps.connections.open gave for its app-level token', async () => {
    const [open] = opens();
    expect(open).toMatchObject({ token: APP_TOKEN, response: { ok: true } });
    expect(first).toMatchObject({ id: 1, appToken: APP_TOKEN, url: (open!.response as { url: string }).url, open: true });
    // Logged once the client has read hello, a moment after the fake sent it.
    await expect.poll(() => bot.output()).toContain('"mode":"socket"');
  });

  it('uses the bot token, never the app-level token, for every other Web API call', () => {
    const others = sim.api.calls.filter((call) => call.method !== 'apps.connections.open');
    expect(others.map((call) => call.method)).toContain('auth.test');
    expect(new Set(others.map((call) => call.token))).toEqual(new Set([BOT_TOKEN]));
  });

  it('answers /healthz and /readyz with 200 on the ops server at HOST:PORT', async () => {
    const health = await fetch(`${bot.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${bot.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { openstack: { ok: true }, slack: { ok: true } } });
  });

  it('serves no request URL: Slack’s requests come over the socket, so POST /slack/events is not found', async () => {
    const response = await fetch(bot.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
  });

  it('listens on 127.0.0.1:PORT only, never on all interfaces', async () => {
    // Another loopback address reaches a socket bound to all interfaces, but not one bound to 127.0.0.1.
    // (That it listens on no other port is checked on the built bot's own process: test/main.process.test.ts.)
    expect(await accepts('127.0.0.1', port())).toBe(true);
    expect(await accepts('127.0.0.2', port())).toBe(false);
  });
});

describe('commands and clicks over the socket', () => {
  it('acknowledges /fip list on the socket within 3 s and sends the list to the response_url', async () => {
    dumpLogsOnFailure();
    const { ack, reply } = await command('list');
    expect(ack.connection).toBe(first.id);
    const text = renderText(reply);
    for (const fip of demo.state.floatingIps('demo')) expect(text).toContain(fip.floatingIpAddress);
  });

  it('allocates a floating IP for /fip create public once Confirm is clicked, both acknowledged on the socket within 3 s', async () => {
    dumpLogsOnFailure();
    const before = new Set(demo.state.floatingIps('demo').map((fip) => fip.floatingIpAddress));
    const { reply: confirmation } = await command('create public');
    expect(renderText(confirmation)).toContain('Allocate a floating IP from pool public');
    expect(demo.state.floatingIps('demo')).toHaveLength(before.size);

    const results = channelResults().length;
    const click = await slack.clickButton(confirmation, { actionId: ACTIONS.confirm });
    expectAckedInTime(click);
    await expect.poll(() => channelResults().length, { timeout: 10_000 }).toBe(results + 1);
    const ip = /^allocated (\d+\.\d+\.\d+\.\d+) from pool public \(by <@U0ALICE01>\)$/.exec(channelResults().at(-1)!.text ?? '')?.[1];
    expect(ip).toBeDefined();
    expect(before.has(ip!)).toBe(false);
    expect(demo.state.floatingIp(ip!)).toBeDefined();
  });

  it('counts the acks it sent on the socket in /metrics, by kind', async () => {
    const text = await (await fetch(`${bot.base}/metrics`)).text();
    expect(text).toMatch(/fipbot_slack_ack_duration_seconds_count\{kind="slash_command"\} [1-9]/);
    expect(text).toMatch(/fipbot_slack_ack_duration_seconds_count\{kind="block_actions"\} [1-9]/);
  });
});

describe('a connection refresh', () => {
  it('reconnects through apps.connections.open when Slack asks it to refresh, and keeps answering on the new connection', async () => {
    dumpLogsOnFailure();
    const mark = slack.mark();
    const opened = opens().length;
    slack.disconnect('refresh_requested', [first]);
    expect(await slack.waitForClose(first)).toEqual({ by: 'app', code: 1000, reason: '' });

    const next = await slack.waitForConnection({ after: mark, timeoutMs: 20_000 });
    expect(opens()).toHaveLength(opened + 1);
    expect(opens().at(-1)!.token).toBe(APP_TOKEN);
    expect(next).toMatchObject({ appToken: APP_TOKEN, open: true });
    expect(next.url).not.toBe(first.url);
    expect(slack.refused).toEqual([]);

    const { ack } = await command('list');
    expect(ack.connection).toBe(next.id);
  }, 30_000);
});

describe('a graceful stop', () => {
  it('closes its connection normally on SIGTERM, does not reconnect, and exits 0', async () => {
    dumpLogsOnFailure();
    const [connection] = slack.openConnections();
    expect(connection).toBeDefined();
    const opened = opens().length;
    bot.signal('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(await slack.waitForClose(connection!)).toEqual({ by: 'app', code: 1000, reason: '' });
    expect(slack.openConnections()).toEqual([]);
    expect(opens()).toHaveLength(opened);
    expect(await accepts('127.0.0.1', port())).toBe(false);
    expect(bot.output()).toContain('stopping: no new requests, finishing those in flight');
  }, 30_000);
});

describe('an app-level token Slack refuses', () => {
  it('stops at start-up with a message naming apps.connections.open and SLACK_APP_TOKEN instead of a stack trace, and exits 1', async () => {
    const revoked = 'xapp-1-A0SIMAPP1-0000000000-revoked-app-token';
    const refused = spawnFipbot('socket-refused', {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: revoked,
      SLACK_API_URL: sim.apiUrl,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      ...demoOsEnv(demo),
    });
    onTestFailed(() => console.error(refused.output()));
    expect(await refused.exited).toBe(1);
    expect(opens().at(-1)).toMatchObject({ token: revoked, response: { ok: false, error: 'invalid_auth' } });
    const output = refused.output();
    expect(output).toContain('Slack did not accept fipbot at start-up (apps.connections.open: invalid_auth). Check SLACK_APP_TOKEN');
    // No stack trace: every line is a log record.
    expect(
      output
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('{')),
    ).toEqual([]);
    expect(output).not.toContain(revoked);
  }, 60_000);
});

/**
 * fipbot on an app-level token of its own, so that revoking it leaves the other bots' alone, once its
 * Socket Mode connection is open.
 */
async function startOwnBot(
  name: string,
  appToken: string,
  env: Record<string, string> = {},
): Promise<{ own: FipbotProcess; connection: SocketConnection }> {
  sim.workspace.appTokens.add(appToken);
  const own = await startFipbot(name, {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: sim.apiUrl,
    ...demoOsEnv(demo),
    ...env,
  });
  onTestFailed(() => console.error(own.output()));
  return { own, connection: await connectionOf(appToken) };
}

/** The open connection made with `appToken` after connection #`after` (0: any), once there is one. */
async function connectionOf(appToken: string, after = 0): Promise<SocketConnection> {
  const find = () => slack.openConnections().find((c) => c.appToken === appToken && c.id > after);
  await expect.poll(find, { timeout: 30_000, interval: 100 }).toBeDefined();
  return find()!;
}

/** The exit code, or 'still running' if the process has not exited within `ms`. */
function exitWithin(process: FipbotProcess, ms: number): Promise<number | 'still running'> {
  return Promise.race([process.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms))]);
}

/** The process's log records (every line of its output, parsed), and the lines that are not JSON (a stack trace would be). */
function records(output: string): { records: { level?: string; msg?: string; [field: string]: unknown }[]; notJson: string[] } {
  const parsed: { level?: string; msg?: string }[] = [];
  const notJson: string[] = [];
  for (const line of output.split('\n').filter((l) => l.trim() !== '')) {
    try {
      parsed.push(JSON.parse(line) as { level?: string; msg?: string });
    } catch {
      notJson.push(line);
    }
  }
  return { records: parsed, notJson };
}

const REVOKED_AT_RECONNECT = /^Slack refused the app-level token while reconnecting \(apps\.connections\.open: (\w+)\)/;

describe('an app-level token revoked while running', () => {
  const cases = [
    {
      how: 'Slack asks it to reconnect (disconnect message)',
      error: 'invalid_auth',
      reconnect: (connection: SocketConnection) => slack.disconnect('refresh_requested', [connection]),
    },
    {
      how: 'Slack drops the socket',
      error: 'token_revoked',
      reconnect: (connection: SocketConnection) => {
        // What Slack answers for a revoked token, when it says so rather than invalid_auth.
        sim.api.failNext('apps.connections.open', 'token_revoked');
        slack.drop([connection]);
      },
    },
  ];
  for (const [i, { how, error, reconnect }] of cases.entries()) {
    it(`when ${how}: finishes the change in flight, logs one clear error (${error}) naming SLACK_APP_TOKEN, no stack trace, no token, and exits 1`, async () => {
      const appToken = `xapp-1-A0SIMAPP1-0000000000-revoked-while-running-${i}`;
      const { own, connection } = await startOwnBot(`socket-revoked-${i}`, appToken);
      expect((await command('list', { connection })).ack.connection).toBe(connection.id);

      // A change confirmed just before: it is still running when the token is found revoked.
      const { reply: confirmation } = await command('create public', { connection });
      const results = channelResults().length;
      demo.faults.setRouteLatency({ method: 'POST', path: '/v2.0/floatingips' }, 1_000);
      try {
        expectAckedInTime(await slack.clickButton(confirmation, { actionId: ACTIONS.confirm }, { connection }));
        slack.revokeAppToken(appToken);
        const opened = opens().length;
        const asked = performance.now();
        reconnect(connection);

        expect(await exitWithin(own, 15_000)).toBe(1);
        expect(performance.now() - asked).toBeLessThan(10_000);
        expect(
          opens()
            .slice(opened)
            .map((call) => [call.token, (call.response as { error?: string }).error]),
        ).toEqual([[appToken, error]]);
        // The change confirmed before went through and its result was posted.
        expect(channelResults()).toHaveLength(results + 1);
        expect(channelResults().at(-1)!.text).toMatch(/^allocated \d+\.\d+\.\d+\.\d+ from pool public \(by <@U0ALICE01>\)$/);
      } finally {
        demo.faults.reset();
      }

      const output = own.output();
      const { records: logged, notJson } = records(output);
      // No stack trace, no "UnhandledPromiseRejection": every line is a log record.
      expect(notJson).toEqual([]);
      expect(output).not.toMatch(/unhandled/i);
      // One error line, and it is this one (the Socket Mode client's own lines about the failure are warnings).
      const fatal = logged.filter((r) => r.level === 'error');
      expect(fatal.map((r) => r.msg)).toEqual([expect.stringMatching(REVOKED_AT_RECONNECT)]);
      expect(REVOKED_AT_RECONNECT.exec(fatal[0]!.msg!)?.[1]).toBe(error);
      expect(fatal[0]!.msg).toContain('connections:write');
      expect(fatal[0]!.msg).toContain('SLACK_APP_TOKEN');
      expect(fatal[0]!.msg).toContain('restart');
      // Then the graceful stop (/readyz turns 503, the listener closes), and the change in flight finishes after it began.
      const stopping = logged.findIndex((r) => r.msg === 'stopping: no new requests, finishing those in flight');
      expect(stopping).toBeGreaterThan(logged.indexOf(fatal[0]!));
      expect(logged[stopping]).toMatchObject({ inFlight: 1 });
      expect(logged.findIndex((r) => r.msg === 'audit')).toBeGreaterThan(stopping);
      expect(output).not.toContain(appToken);
      expect(output).not.toContain(BOT_TOKEN);
    }, 60_000);
  }
});

describe('a transient failure when reconnecting', () => {
  it('keeps running through a rate limit and repeated 500s from apps.connections.open, reconnects and answers again', async () => {
    const appToken = 'xapp-1-A0SIMAPP1-0000000000-transient-failures';
    const { own, connection: first } = await startOwnBot('socket-transient', appToken);
    expect((await command('list', { connection: first })).ack.connection).toBe(first.id);

    // 429 with Retry-After: the Web API client waits and asks again.
    let mark = slack.mark();
    sim.api.rateLimitNext('apps.connections.open', 1);
    slack.disconnect('refresh_requested', [first]);
    const second = await connectionOf(appToken, mark);
    expect((await command('list', { connection: second })).ack.connection).toBe(second.id);

    // Slack answering 500 more times in a row than the Web API client retries, then the socket dropped.
    mark = slack.mark();
    const opened = opens().length;
    sim.api.httpErrorNext('apps.connections.open', 500, 5);
    slack.drop([second]);
    const third = await connectionOf(appToken, mark);
    expect(
      opens()
        .slice(opened)
        .map((call) => call.status),
    ).toEqual([500, 500, 500, 500, 500, 200]);
    expect((await command('list', { connection: third })).ack.connection).toBe(third.id);

    expect(await exitWithin(own, 0)).toBe('still running');
    const output = own.output();
    const { records: logged, notJson } = records(output);
    expect(notJson).toEqual([]);
    // Warnings, not errors: nothing here needs an operator.
    expect(logged.filter((r) => r.level === 'error')).toEqual([]);
    expect(logged.filter((r) => r.msg === 'Socket Mode: reconnected')).toHaveLength(2);
    expect(output).not.toMatch(REVOKED_AT_RECONNECT);
    expect(output).not.toContain(appToken);
    own.signal('SIGTERM');
    expect(await own.exited).toBe(0);
  }, 60_000);
});

describe('a promise rejection nobody handled', () => {
  it('is logged as one redacted error line, then the graceful stop runs and the process exits 1', async () => {
    const appToken = 'xapp-1-A0SIMAPP1-0000000000-unhandled-rejection';
    // A rejection nothing awaited, as Node reports it to the process (test/main.process.test.ts fires a real one
    // in the built bot). Its message carries a secret.
    const { own, connection } = await startOwnBot('socket-unhandled', appToken);
    expect((await command('list', { connection })).ack.connection).toBe(connection.id);

    own.rejectUnhandled(new Error(`a bug that prints ${appToken}`));
    expect(await exitWithin(own, 15_000)).toBe(1);
    const output = own.output();
    const { records: logged, notJson } = records(output);
    expect(notJson).toEqual([]);
    const errors = logged.filter((r) => r.level === 'error');
    expect(errors.map((r) => r.msg)).toEqual(['unhandled promise rejection: stopping (a bug; please report it)']);
    // With its stack, for whoever fixes the bug, and the token in its message redacted.
    expect(errors[0]).toMatchObject({ error: { message: 'a bug that prints [REDACTED]' } });
    expect(errors[0]!.stack).toMatch(/^Error: a bug that prints \[REDACTED\]\n {4}at /);
    expect(output).toContain('stopping: no new requests, finishing those in flight');
    expect(output).not.toContain(appToken);
    // It closed its connection as on SIGTERM.
    expect(await slack.waitForClose(connection)).toEqual({ by: 'app', code: 1000, reason: '' });
  }, 60_000);
});
