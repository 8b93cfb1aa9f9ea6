/**
 * Two-person approval on two replicas sharing a real Redis (REDIS_URL): the
 * request is made through one replica and approved through the other (the
 * request lives in the Redis interaction store), and Approve tapped on both
 * at once runs the release once. One Slack (replica A's simulator, which B's
 * Web API calls reach too) and one demo cloud serve both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { demoCloudConfig } from '../support/demo.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import type { SimMessage } from '../support/slack/messages.js';
import { renderText } from '../support/slack/text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../support/slack/workspace.js';
import { closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';

const BOB = 'U0BOB0001';
const POLICY = `default: allow\napprovals:\n  release: { approvers: { users: [${BOB}] } }\n`;

describe('approval across two replicas sharing Redis', () => {
  let redis: RedisServer;
  let a: Harness;
  let b: Harness;
  const urlOf = (h: Harness) => `http://127.0.0.1:${h.bot.port}/slack/events`;

  beforeAll(async () => {
    redis = await startRedis({ password: 'approval-redis-Pa55word' });
    a = await startHarness({ policy: POLICY, env: { REDIS_URL: redis.url } });
    // B talks to A's Slack and A's cloud: one workspace, one project, two processes' worth of bots.
    b = await startHarness({
      policy: POLICY,
      env: { REDIS_URL: redis.url, SLACK_API_URL: a.sim.apiUrl },
      cloud: () => demoCloudConfig(a.demo),
    });
  }, 60_000);

  afterAll(async () => {
    await closeWithinLimits(a);
    await b?.close();
    await redis?.stop();
  });

  const exists = (ip: string) => a.demo.state.floatingIps('demo').some((fip) => fip.floatingIpAddress === ip);
  const deletes = () => a.demo.stats.requests().filter((r) => r.method === 'DELETE' && r.path.includes('/floatingips')).length;
  const requests = () =>
    a.sim
      .messages()
      .filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral && (m.history[0]?.text ?? m.text ?? '').includes('asks for approval'));
  const results = () => a.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral && /^released/.test(m.text ?? ''));

  /** Alice's release, confirmed through replica A: the request it posted. */
  async function requestThroughA(ip: string): Promise<SimMessage> {
    a.sim.botUrl = urlOf(a);
    const before = requests().length;
    const ack = await a.sim.slashCommand(`release ${ip}`);
    await expect.poll(() => a.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await a.sim.clickButton(a.sim.responses(ack.responseUrl!)[0]!.message!, { actionId: ACTIONS.confirm });
    await expect.poll(() => requests().length, { timeout: 10_000 }).toBe(before + 1);
    return requests().at(-1)!;
  }

  async function allocate(): Promise<string> {
    const allocated = await a.service.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
    return allocated.value.floatingIp.address;
  }

  it('approves through replica B a request made through replica A', async () => {
    for (const replica of [a, b]) expect(replica.logs.join('\n')).toContain('shared state in Redis');
    const ip = await allocate();
    const request = await requestThroughA(ip);
    a.sim.botUrl = urlOf(b);
    await a.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => exists(ip), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => results().at(-1)?.text ?? '').toContain(`approved by <@${BOB}>`);
    await expect.poll(() => renderText(requests().at(-1)!)).toContain(`Approved by <@${BOB}> and done.`);
    // B ran it: its audit line names both people.
    expect(b.records().filter((r) => r.msg === 'audit' && r.ip === ip && r.outcome === 'done')).toEqual([
      expect.objectContaining({ user: DEFAULT_USER, approver: BOB }),
    ]);
  });

  it('releases once when Approve is tapped ten times at once, alternating between the replicas', async () => {
    const ip = await allocate();
    const request = await requestThroughA(ip);
    const before = deletes();
    const resultsBefore = results().length;
    const taps = [];
    for (let i = 0; i < 10; i++) {
      // The simulator reads botUrl when it sends, synchronously: each tap goes where botUrl points now.
      a.sim.botUrl = urlOf(i % 2 === 0 ? a : b);
      taps.push(a.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB }));
    }
    expect((await Promise.all(taps)).map((tap) => tap.status)).toEqual(Array.from({ length: 10 }, () => 200));
    await expect.poll(() => results().length - resultsBefore, { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deletes() - before).toBe(1);
    expect(results().length - resultsBefore).toBe(1);
    const done = [...a.records(), ...b.records()].filter((r) => r.msg === 'audit' && r.ip === ip && r.outcome === 'done');
    expect(done).toHaveLength(1);
  });
});
