/**
 * fipbot as operators run it, in its own process: /healthz, /readyz and
 * /metrics on the request port, and a graceful stop that lets an operation
 * already confirmed finish (its result posted) before the process exits.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type DemoCloud, startDemoCloud } from '../../src/demo-cloud/index.js';
import { demoOsEnv } from '../support/demo.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { type FipbotProcess, startFipbot } from '../support/process.js';
import { SlackSimulator } from '../support/slack/simulator.js';
import { DEFAULT_CHANNEL } from '../support/slack/workspace.js';

const SIGNING_SECRET = 'ops-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-ops-0000000000-bot-token';

let demo: DemoCloud;
let sim: SlackSimulator;
let bot: FipbotProcess;

function env(): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: sim.apiUrl,
    ...demoOsEnv(demo),
  };
}

beforeAll(async () => {
  [demo, sim] = await Promise.all([startDemoCloud({ port: 0 }), SlackSimulator.start({ signingSecret: SIGNING_SECRET })]);
  sim.workspace.tokens.add(BOT_TOKEN);
  bot = await startFipbot('ops', env());
  sim.botUrl = bot.url;
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await Promise.all([sim?.close(), demo?.close()]);
}, 30_000);

describe('operations endpoints', () => {
  it('answers /healthz while running', async () => {
    const response = await fetch(`${bot.base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when OpenStack answers and Slack accepts the bot, naming each check', async () => {
    const response = await fetch(`${bot.base}/readyz`);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
    expect(response.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.checks.openstack).toEqual({ ok: true, detail: 'project demo, cloud answering' });
    expect(body.checks.slack?.ok).toBe(true);
  });

  it('counts operations, OpenStack requests and ack latency in /metrics', async () => {
    onTestFailed(() => console.error(bot.output()));
    const ack = await sim.slashCommand('list');
    expect(ack.status).toBe(200);
    await expect.poll(() => sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBe(1);
    const response = await fetch(`${bot.base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('fipbot_operations_total{action="list",outcome="done"} 1');
    expect(text).toMatch(/fipbot_slack_ack_duration_seconds_count\{kind="slash_command"\} [1-9]/);
    expect(text).toMatch(/fipbot_openstack_request_duration_seconds_count\{method="GET",service="network",status="200"\} [1-9]/);
    expect(text).toMatch(/fipbot_openstack_request_duration_seconds_count\{method="POST",service="identity",status="201"\} [1-9]/);
    expect(text).toContain('fipbot_openstack_limiter_queue 0');
  });
});

describe('a graceful stop', () => {
  it('finishes an operation confirmed just before SIGTERM, posts its result, then exits 0', async () => {
    onTestFailed(() => console.error(bot.output()));
    const ack = await sim.slashCommand('attach 192.168.100.201 web-1');
    await expect.poll(() => sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBe(1);
    const confirmation = sim.responses(ack.responseUrl!)[0]!.message!;
    // The change takes a while: SIGTERM arrives while it is in flight.
    demo.faults.setRouteLatency({ method: 'PUT', path: '/v2.0/floatingips/*' }, 1_500);
    const click = await sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    expect(click.status).toBe(200);
    bot.signal('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(demo.state.floatingIp('192.168.100.201')?.portId).not.toBeNull();
    expect(
      sim
        .messages()
        .filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral)
        .map((m) => m.text),
    ).toContain('attached 192.168.100.201 to web-1 (by <@U0ALICE01>)');
    expect(bot.output()).toContain('stopping: no new requests, finishing those in flight');
  }, 30_000);
});
