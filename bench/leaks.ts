/**
 * 6. The leak report over 10,000 floating IPs. The demo cloud holds 10,000
 * more floating IPs in the bot's project (none attached); `/fip
 * leaks` is sent through a signed slash command, timed until its answer
 * reaches the response_url: one listing with Neutron's `fields=` (4 pages
 * of 2,500), the unattached ones sorted oldest first, the message built.
 * Target: at most 1 s at p99.
 */
import { startBot, startDemoCloudProcess } from './lib/processes.js';
import { type BenchContext, type BenchOutcome, isMain, markdownTable, runAlone } from './lib/report.js';
import { BenchSlack, command } from './lib/slack.js';
import { ms, summarize } from './lib/stats.js';

const FLOATING_IPS = 10_000;
const RUNS = 30;
const TARGET_P99_MS = 1_000;

export async function leaks({ build, log }: BenchContext): Promise<BenchOutcome> {
  const started = performance.now();
  const demo = await startDemoCloudProcess(build, { floatingIps: FLOATING_IPS });
  const slack = await BenchSlack.start();
  const bot = await startBot({ build, kind: 'fipbot', slackApiUrl: slack.apiUrl, cloudEnv: demo.cloudEnv });
  slack.botUrl = bot.url;
  const times: number[] = [];
  let title = '';
  try {
    // Warm-up: the token, the pools and the JIT.
    await command(slack, 'leaks', { timeoutMs: 30_000 });
    for (let i = 0; i < RUNS; i++) {
      const answer = await command(slack, 'leaks', { timeoutMs: 30_000 });
      times.push(answer.firstResponseMs);
      title = answer.message.text ?? '';
    }
  } finally {
    await bot.stop();
    await demo.stop();
    await slack.close();
  }
  const s = summarize(times);
  const unattached = /^(\d[\d,]*) unattached/.exec(title)?.[1] ?? '?';
  log(`leaks: p50 ${ms(s.p50)} ms p99 ${ms(s.p99)} ms over ${unattached} unattached`);
  return {
    id: 'leaks',
    title: '6. Leak report over 10,000 floating IPs',
    rerun: 'npx tsx bench/leaks.ts',
    summary: [{ benchmark: 'leaks', measure: 'report p50 / p99 / max', value: `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)} ms` }],
    targets: [
      {
        name: `report p99 <= ${TARGET_P99_MS} ms`,
        met: s.p99 <= TARGET_P99_MS,
        detail: `${ms(s.p99)} ms over ${unattached} unattached IPs.`,
      },
    ],
    markdown: [
      `Demo cloud with ${FLOATING_IPS.toLocaleString('en')} extra floating IPs in the bot's project, none attached; 0 ms latency. ` +
        `${RUNS} \`/fip leaks\` one after the other after a warm-up, timed from the signed command to the answer on the response_url ("${title}").`,
      '',
      markdownTable(['reports', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [[String(s.n), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)]]),
      '',
      "One listing of the project's floating IPs with `fields=` (the attributes the report needs, tags included, pages of 2,500), no Nova call.",
    ].join('\n'),
    seconds: (performance.now() - started) / 1000,
  };
}

if (isMain(import.meta.url)) await runAlone(leaks);
