/**
 * Overload, at full volume, against the built bot as it ships (`node
 * dist/main.js` with npm start's heap cap, in a process of its own, the demo
 * cloud in another, slowed to 20 ms an answer): 8,000 mixed commands at
 * about 500 a second, more than OpenStack's rate limit lets through. Every
 * command is acknowledged within Slack's 3 s and answered (its result, or
 * "busy" at once), the process survives, and its memory stays under the
 * README's 150 MB while the work waiting is capped by FIPBOT_MAX_IN_FLIGHT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForBench } from '../../bench/lib/build.js';
import { type BotProcess, type DemoCloudProcess, startBot, startDemoCloudProcess } from '../../bench/lib/processes.js';
import { BenchSlack } from '../../bench/lib/slack.js';
import type { Interaction } from '../support/slack/simulator.js';

const COMMANDS = 8_000;
const PER_SECOND = 500;
const TEXTS = [
  'list',
  'explain web-1',
  'create public',
  'attach new web-1',
  'list free',
  'release 192.168.100.250',
  'explain test_instance',
];
const BUSY = 'fipbot is busy';
const MB = 1024 * 1024;

let demo: DemoCloudProcess;
let slack: BenchSlack;
let bot: BotProcess;

beforeAll(async () => {
  const build = buildForBench();
  demo = await startDemoCloudProcess(build, { latencyMs: 20 });
  slack = await BenchSlack.start();
  bot = await startBot({
    build,
    kind: 'fipbot',
    slackApiUrl: slack.apiUrl,
    cloudEnv: demo.cloudEnv,
    env: { ...(process.env.SOAK_MAX_IN_FLIGHT ? { FIPBOT_MAX_IN_FLIGHT: process.env.SOAK_MAX_IN_FLIGHT } : {}) },
  });
  slack.botUrl = bot.url;
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  await Promise.all([slack?.close(), demo?.stop()]);
});

describe(`${COMMANDS.toLocaleString('en')} mixed commands at ${PER_SECOND} a second`, () => {
  it('acknowledges every one in time, answers every one (its result, or "busy" at once), survives, and keeps its memory flat', async () => {
    const startRss = (await bot.memory()).rss;
    let peakRss = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, (await bot.memory()).rss);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const started = performance.now();
    const sent: Array<Promise<Interaction>> = [];
    for (let i = 0; i < COMMANDS; i++) {
      // Paced by the clock, not by the answers: the load does not slow down when fipbot does.
      const due = started + (i * 1000) / PER_SECOND;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      sent.push(slack.sim.slashCommand(TEXTS[i % TEXTS.length]!, { user: `U0LOAD${String(i % 50).padStart(4, '0')}` }));
    }
    const acks = await Promise.all(sent);
    const sendingSeconds = (performance.now() - started) / 1000;

    expect(
      acks.filter((ack) => ack.status !== 200 || !ack.withinDeadline).map((ack) => `${ack.status} after ${Math.round(ack.ackMs)} ms`),
    ).toEqual([]);
    const busy = acks.filter((ack) => ((ack.body as { text?: string } | undefined)?.text ?? '').startsWith(BUSY));
    const served = acks.filter((ack) => !busy.includes(ack));
    // Every command not turned away is answered through its response_url, once the queue has drained.
    await Promise.all(served.map((ack) => slack.waitFor(ack.responseUrl!, () => true, { timeoutMs: 180_000 })));
    sampling = false;
    await sampler;
    const after = await bot.memory({ gc: false });

    const report = {
      commands: COMMANDS,
      sendingSeconds: Math.round(sendingSeconds * 10) / 10,
      busy: busy.length,
      served: served.length,
      slowestAckMs: Math.round(Math.max(...acks.map((ack) => ack.ackMs))),
      startRssMb: Math.round(startRss / MB),
      peakRssMb: Math.round(peakRss / MB),
      endRssMb: Math.round(after.rss / MB),
      endHeapUsedMb: Math.round(after.heapUsed / MB),
    };
    console.log(`overload: ${JSON.stringify(report)}`);

    expect(served.length).toBeGreaterThan(0);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.length + served.length).toBe(COMMANDS);
    // The process is still there and answering.
    expect((await fetch(bot.url.replace('/slack/events', '/healthz'))).status).toBe(200);
    expect(peakRss).toBeLessThan(150 * MB);
  }, 600_000);
});
