/**
 * 2. End to end. `/fip attach IP web-1` as a person runs it: the signed
 * slash command, the confirmation, a click on Confirm as soon as it shows,
 * and the result posted in the channel, against the demo cloud answering
 * after 0 ms and after 150 ms. Reports the total, the split
 * command -> confirmation and click -> result, and per operation the
 * OpenStack requests and Keystone authentications the demo cloud counted
 * (demo.stats), plus the request log of a repeated attach (from the bot's
 * side, with query strings) to see which requests repeat and why.
 * Each attach is undone by a detach (measured too, reported apart).
 */
import { describeRequest, openstackRequests } from './lib/requests.js';
import { startBot, startDemoCloudProcess } from './lib/processes.js';
import { type BenchContext, type BenchOutcome, isMain, markdownTable, runAlone } from './lib/report.js';
import { BenchSlack, change, type ChangeTiming } from './lib/slack.js';
import { median, ms, summarize } from './lib/stats.js';

const ITERATIONS: Record<number, number> = { 0: 40, 150: 20 };
const WARM_UP = 5;

interface Sample {
  attach: ChangeTiming;
  detach: ChangeTiming;
  /** Counted by the demo cloud during the attach (command to result). */
  requests: number;
  authentications: number;
  log: string[];
}

interface LatencyRun {
  latencyMs: number;
  samples: Sample[];
}

export async function endToEnd({ build, log }: BenchContext): Promise<BenchOutcome> {
  const started = performance.now();
  const demo = await startDemoCloudProcess(build, { latencyMs: 0 });
  const slack = await BenchSlack.start();
  const bot = await startBot({ build, kind: 'fipbot', slackApiUrl: slack.apiUrl, cloudEnv: demo.cloudEnv });
  slack.botUrl = bot.url;
  const slackOrigin = slack.sim.api.url;
  const runs: LatencyRun[] = [];
  let cold: { attach: ChangeTiming; requests: number; log: string[] } | undefined;
  let authsAtStart = 0;
  /** Keystone authentications counted after start-up: every operation of this benchmark. */
  let authsAfterStart = 0;
  let operations = 0;
  let benchSeconds = 0;
  try {
    authsAtStart = (await demo.requests()).authentications;
    const created = await change(slack, 'create public');
    operations++;
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(created.result.text ?? '')?.[1];
    if (!ip) throw new Error(`create gave no address: ${created.result.text ?? ''}`);
    const measure = async (): Promise<Sample> => {
      if (operations === 1) authsAfterStart += (await demo.requests()).authentications - authsAtStart;
      await demo.resetStats();
      await bot.record(true);
      const attach = await change(slack, `attach ${ip} web-1`);
      if (!new RegExp(`^attached ${ip.replace(/\./g, '\\.')} to web-1\\b`).test(attach.result.text ?? ''))
        throw new Error(`unexpected result: ${attach.result.text ?? ''}`);
      const stats = await demo.requests();
      const records = openstackRequests(await bot.requests(), slackOrigin);
      await bot.record(false);
      const detach = await change(slack, `detach ${ip} web-1`);
      if (!(detach.result.text ?? '').startsWith(`detached ${ip}`)) throw new Error(`unexpected result: ${detach.result.text ?? ''}`);
      operations += 2;
      // Everything since the reset: this attach and this detach.
      authsAfterStart += (await demo.requests()).authentications;
      return {
        attach,
        detach,
        requests: stats.count,
        authentications: stats.authentications,
        log: records.map((record) => describeRequest(record)),
      };
    };
    // The first attach after start: caches (pools, networks, subnets, server names) empty.
    const first = await measure();
    cold = { attach: first.attach, requests: first.requests, log: first.log };
    for (let i = 0; i < WARM_UP; i++) await measure();
    const benchStarted = performance.now();
    for (const latencyMs of [0, 150]) {
      await demo.setLatency(latencyMs);
      const samples: Sample[] = [];
      for (let i = 0; i < ITERATIONS[latencyMs]!; i++) samples.push(await measure());
      log(
        `end to end at ${latencyMs} ms: attach p50 ${ms(median(samples.map((s) => s.attach.totalMs)))} ms, ${median(samples.map((s) => s.requests))} requests`,
      );
      runs.push({ latencyMs, samples });
    }
    benchSeconds = (performance.now() - benchStarted) / 1000;
  } finally {
    await bot.stop();
    await demo.stop();
    await slack.close();
  }

  const rows = runs.flatMap(({ latencyMs, samples }) => {
    const row = (what: string, values: number[]) => {
      const s = summarize(values);
      return [`${latencyMs} ms`, what, ms(s.p50), ms(s.p99), ms(s.max)];
    };
    return [
      row(
        'attach: command -> result in channel',
        samples.map((s) => s.attach.totalMs),
      ),
      row(
        '  command -> confirmation',
        samples.map((s) => s.attach.toConfirmationMs),
      ),
      row(
        '  click -> result',
        samples.map((s) => s.attach.clickToResultMs),
      ),
      row(
        'detach: command -> result in channel',
        samples.map((s) => s.detach.totalMs),
      ),
    ];
  });
  const requestRows = runs.map(({ latencyMs, samples }) => [
    `${latencyMs} ms`,
    String(samples.length),
    `${Math.min(...samples.map((s) => s.requests))}–${Math.max(...samples.map((s) => s.requests))}`,
    String(samples.reduce((total, s) => total + s.authentications, 0)),
  ]);
  const repeated = runs.at(-1)?.samples.at(-1);
  const attach150 = runs.find((r) => r.latencyMs === 150)?.samples ?? [];
  const attach0 = runs.find((r) => r.latencyMs === 0)?.samples ?? [];
  const perAttach = Math.max(...runs.flatMap((r) => r.samples.map((s) => s.requests)));
  const roundTrips150 = median(attach150.map((s) => s.attach.totalMs)) / 150;

  const markdown = [
    'From the signed `/fip attach IP web-1` to the result posted in the channel, the Confirm click made the moment the confirmation shows; ' +
      `each attach undone by \`/fip detach IP web-1\`. ${ITERATIONS[0]} attaches at 0 ms and ${ITERATIONS[150]} at 150 ms of OpenStack latency (demo cloud), after ${WARM_UP + 1} warm-up attaches.`,
    '',
    markdownTable(['OpenStack latency', 'what', 'p50 ms', 'p99 ms', 'max ms'], rows),
    '',
    'Requests per attach, counted by the demo cloud (demo.stats) from the command to the result:',
    '',
    markdownTable(['OpenStack latency', 'attaches', 'requests per attach', 'Keystone authentications'], requestRows),
    '',
    `Keystone: ${authsAtStart} authentication while starting (the start-up check, which runs the doctor's OpenStack checks through the bot's own connection), ` +
      `then ${authsAfterStart} for the ${operations} operations that followed (${Math.round(benchSeconds)} s measured): the token obtained at start ` +
      '(1 h on the demo cloud) serves every request after it; it is renewed only when less than 2 minutes remain.',
    '',
    `The first attach after start-up (caches empty) made ${cold?.requests ?? 'n/a'} requests and took ${ms(cold?.attach.totalMs ?? Number.NaN)} ms:`,
    '',
    '```',
    ...(cold?.log ?? []),
    '```',
    '',
    'A repeated attach (the last one at 150 ms):',
    '',
    '```',
    ...(repeated?.log ?? []),
    '```',
    '',
    `At 150 ms per request the attach took ${ms(median(attach150.map((s) => s.attach.totalMs)))} ms at p50, i.e. ${roundTrips150.toFixed(1)} OpenStack round trips; ` +
      `at 0 ms, ${ms(median(attach0.map((s) => s.attach.totalMs)))} ms (Slack hops, Bolt and fipbot's own work).`,
  ].join('\n');

  return {
    id: 'e2e',
    title: '2. End to end: /fip attach, confirmation included',
    rerun: 'npx tsx bench/end-to-end.ts',
    summary: runs.map(({ latencyMs, samples }) => {
      const total = summarize(samples.map((s) => s.attach.totalMs));
      return {
        benchmark: 'e2e',
        measure: `attach at ${latencyMs} ms latency p50 / p99 (confirmation / click->result p50)`,
        value: `${ms(total.p50)} / ${ms(total.p99)} ms (${ms(median(samples.map((s) => s.attach.toConfirmationMs)))} / ${ms(median(samples.map((s) => s.attach.clickToResultMs)))} ms), ${median(samples.map((s) => s.requests))} requests`,
      };
    }),
    targets: [
      {
        name: 'one Keystone authentication per token lifetime',
        met: authsAtStart + authsAfterStart <= 1,
        detail:
          `${authsAtStart + authsAfterStart} in all: ${authsAtStart} by the start-up check (on the bot's own connection), ` +
          `then ${authsAfterStart} for the ${operations} operations (token lifetime 1 h, renewed 2 min before it ends).`,
      },
      {
        name: 'no request a cache could have answered',
        met: perAttach <= 6,
        detail: `a repeated attach makes ${perAttach} requests: the reads that decide the plan (server, IP, routers, router interfaces, the server's ports) and the PUT; see the log above and the notes below.`,
      },
    ],
    markdown,
    seconds: (performance.now() - started) / 1000,
  };
}

if (isMain(import.meta.url)) await runAlone(endToEnd);
