/**
 * Two fipbot replicas behind one request URL, as a deployment runs them: two
 * separate OS processes (`node --import tsx src/main.ts`) configured only by
 * their environment, sharing one Redis (REDIS_URL) and one OpenStack (the
 * demo cloud, as OS_* variables), with the Slack simulator in front. Slack
 * may deliver any click to either replica; they must behave as one bot.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type DemoCloud, startDemoCloud } from '../../src/demo-cloud/index.js';
import { demoOsEnv } from '../support/demo.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { type FipbotProcess, spawnFipbot, startFipbot } from '../support/process.js';
import { freePort } from '../support/ports.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import type { SimMessage } from '../support/slack/messages.js';
import { type Interaction, SlackSimulator } from '../support/slack/simulator.js';
import { DEFAULT_CHANNEL } from '../support/slack/workspace.js';

const SIGNING_SECRET = 'replicas-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-replicas-0000000000-bot-token';
const REDIS_PASSWORD = 'replica-redis-Pa55word';

type Replica = FipbotProcess;

describe('two replicas sharing Redis', () => {
  let redis: RedisServer;
  let demo: DemoCloud;
  let sim: SlackSimulator;
  let a: Replica;
  let b: Replica;

  const floatingIpCreations = () => demo.stats.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/floatingips')).length;
  const channelResults = () => sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
  const dumpLogsOnFailure = () =>
    onTestFailed(() => {
      for (const replica of [a, b]) console.error(`--- replica ${replica?.name} ---\n${replica?.output()}`);
    });

  async function confirmationFrom(replica: Replica, text: string): Promise<SimMessage> {
    sim.botUrl = replica.url;
    const ack = await sim.slashCommand(text);
    expect(ack.status).toBe(200);
    await expect.poll(() => sim.responses(ack.responseUrl!).length, { timeout: 15_000 }).toBeGreaterThan(0);
    return sim.responses(ack.responseUrl!)[0]!.message!;
  }

  beforeAll(async () => {
    [redis, demo, sim] = await Promise.all([
      startRedis({ password: REDIS_PASSWORD }),
      startDemoCloud({ port: 0 }),
      SlackSimulator.start({ signingSecret: SIGNING_SECRET }),
    ]);
    sim.workspace.tokens.add(BOT_TOKEN);
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: sim.apiUrl,
      REDIS_URL: redis.url,
      ...demoOsEnv(demo),
    };
    [a, b] = await Promise.all([startFipbot('A', env), startFipbot('B', env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([sim?.close(), demo?.close(), redis?.stop()]);
  }, 30_000);

  it('says at start-up that the state is shared in Redis, naming host and port but never the password', () => {
    for (const replica of [a, b]) {
      expect(replica.output()).toContain(`shared state in Redis at 127.0.0.1:${redis.port}`);
      expect(replica.output()).not.toContain(REDIS_PASSWORD);
    }
  });

  it('creates one floating IP when the same Confirm is delivered 20 times at once, alternating between the replicas', async () => {
    dumpLogsOnFailure();
    const confirmation = await confirmationFrom(a, 'create public');
    const creationsBefore = floatingIpCreations();
    const resultsBefore = channelResults().length;

    const clicks: Array<Promise<Interaction>> = [];
    for (let i = 0; i < 20; i++) {
      // The simulator reads botUrl when it sends, synchronously: each click goes where botUrl points now.
      sim.botUrl = i % 2 === 0 ? a.url : b.url;
      clicks.push(sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
    }
    const acks = await Promise.all(clicks);
    expect(acks.map((ack) => ack.status)).toEqual(Array.from({ length: 20 }, () => 200));

    await expect.poll(() => channelResults().length - resultsBefore, { timeout: 15_000 }).toBe(1);
    // Give any second run time to show itself before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(floatingIpCreations() - creationsBefore).toBe(1);
    expect(channelResults().length - resultsBefore).toBe(1);
    // The 19 other clicks were recognised as duplicates wherever they landed: each told so, none "expired".
    const answers = acks.map((ack) => sim.responses(ack.responseUrl!).map((response) => response.text));
    const duplicates = answers.filter((texts) => texts.length === 1 && texts[0]!.startsWith('Already in progress or done'));
    expect(duplicates).toHaveLength(19);
    expect(answers.flat().filter((text) => /expired/.test(text ?? ''))).toEqual([]);
  });

  it('lets a confirmation created on one replica be confirmed through the other', async () => {
    dumpLogsOnFailure();
    const confirmation = await confirmationFrom(a, 'create public');
    const creationsBefore = floatingIpCreations();
    const resultsBefore = channelResults().length;
    sim.botUrl = b.url;
    const click = await sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    expect(click.status).toBe(200);
    await expect.poll(() => channelResults().length - resultsBefore, { timeout: 15_000 }).toBe(1);
    expect(floatingIpCreations() - creationsBefore).toBe(1);
  });

  it('stops on SIGTERM with exit code 0, leaving no connection open in Redis', async () => {
    dumpLogsOnFailure();
    const admin = new Redis(redis.url);
    try {
      const clients = async () => (await admin.call('CLIENT', 'LIST')) as string;
      // Each replica holds three: the store's, the limiter's and its pub/sub subscriber.
      expect((await clients()).trim().split('\n')).toHaveLength(1 + 2 * 3);
      await Promise.all([a.stop(), b.stop()]);
      expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
      await expect.poll(async () => (await clients()).trim().split('\n'), { timeout: 5_000 }).toHaveLength(1);
    } finally {
      admin.disconnect();
    }
  }, 30_000);

  it('refuses to start when REDIS_URL cannot be reached, naming it without its password', async () => {
    const closed = await freePort();
    const replica = spawnFipbot('no-redis', {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: sim.apiUrl,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${closed}`,
      ...demoOsEnv(demo),
    });
    try {
      expect(await replica.exited).toBe(1);
      expect(replica.output()).toContain('REDIS_URL');
      expect(replica.output()).toContain(`127.0.0.1:${closed}`);
      expect(replica.output()).not.toContain(REDIS_PASSWORD);
    } finally {
      await replica.stop();
    }
  }, 45_000);
});
