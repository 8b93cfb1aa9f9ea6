/**
 * 1. Ack latency. Slack gives an app 3 s to answer a slash command; fipbot
 * acknowledges first and works afterwards. This sends 500 signed slash
 * commands (`/fip list` and `/fip attach 192.168.100.201 web-1`, alternating)
 * with 50 in flight at once, while the demo cloud answers every OpenStack
 * call after 150 ms, and measures the time from sending each signed request
 * to the bot's HTTP answer. The floor is a Bolt app that only acks (same
 * Bolt, same HTTPReceiver, same signing check, same kind of process),
 * measured in the same run by the same load generator; rounds alternate
 * floor, fipbot, floor, fipbot so that a change in machine noise hits both.
 *
 * Processes: the bot, the floor and the demo cloud each run in their own
 * process (compiled, plain node); this process is the load generator and
 * the Slack simulator. The bot's work after each ack (OpenStack calls, the
 * confirmation or list posted to the response_url) is real and runs while
 * later commands arrive: that contention is what the comparison shows.
 */
import { type BotProcess, startBot, startDemoCloudProcess } from './lib/processes.js';
import { type BenchContext, type BenchOutcome, isMain, markdownTable, runAlone } from './lib/report.js';
import { BenchSlack } from './lib/slack.js';
import { ms, ratio, summarize } from './lib/stats.js';

const COMMANDS = 500;
const CONCURRENCY = 50;
const ROUNDS = 3;
const WARM_UP = 100;
const LATENCY_MS = 150;
const DEADLINE_MS = 3_000;
const IP = '192.168.100.201';
/** How fipbot's ack turns a command away past its in-flight limit (src/slack/blocks/messages.ts, busyMessage). */
const BUSY = 'fipbot is busy';

interface Round {
  kind: 'fipbot' | 'floor';
  acks: number[];
  /** Inside the bot: from the parsed request to the finished response. */
  handling: number[];
  /** The bot's event-loop delay while the commands came in. */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** fipbot only: command sent -> its first response_url post (list or confirmation). */
  answers: number[];
  /** fipbot only: commands answered "busy" in the ack (past FIPBOT_MAX_IN_FLIGHT): nothing to wait for. */
  busy: number;
  failures: string[];
  seconds: number;
}

function text(index: number): string {
  return index % 2 === 0 ? 'list' : `attach ${IP} web-1`;
}

/** `count` commands, `concurrency` in flight; for fipbot, then waits for every answer and checks it. */
async function round(slack: BenchSlack, bot: BotProcess, count: number, concurrency: number): Promise<Round> {
  slack.botUrl = bot.url;
  const acks: number[] = [];
  const failures: string[] = [];
  const answers: Array<Promise<number | undefined>> = [];
  let busy = 0;
  let next = 0;
  await bot.handling();
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const sent = performance.now();
      const ack = await slack.sim.slashCommand(text(index));
      acks.push(ack.ackMs);
      if (ack.status !== 200) failures.push(`status ${ack.status}`);
      // Turned away in the ack itself: its answer is that ack, and nothing follows on the response_url.
      const ackText = (ack.body as { text?: string } | undefined)?.text ?? '';
      if (bot.kind === 'fipbot' && ackText.startsWith(BUSY)) busy++;
      else if (bot.kind === 'fipbot' && ack.responseUrl) {
        const url = ack.responseUrl;
        answers.push(
          slack
            .waitFor(url, () => true, { timeoutMs: 300_000 })
            .then(
              (arrival) => {
                const shown = arrival.response.text ?? '';
                const expected = index % 2 === 0 ? /^\d+ floating IPs?\b/ : /^Attach 192\.168\.100\.201 to web-1\? Confirm/;
                if (!expected.test(shown)) failures.push(`/fip ${text(index)} answered "${shown.slice(0, 80)}"`);
                slack.forget(url);
                return arrival.at - sent;
              },
              (error: unknown) => {
                failures.push(`/fip ${text(index)}: ${String(error)}`);
                return undefined;
              },
            ),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const handling = await bot.handling();
  const answered = (await Promise.all(answers)).filter((value): value is number => value !== undefined);
  return {
    kind: bot.kind,
    acks,
    handling: handling.answers,
    loopDelayMs: handling.loopDelayMs,
    answers: answered,
    busy,
    failures,
    seconds: (performance.now() - started) / 1000,
  };
}

export async function ackLatency({ build, log }: BenchContext): Promise<BenchOutcome> {
  const started = performance.now();
  const demo = await startDemoCloudProcess(build, { latencyMs: LATENCY_MS });
  const slack = await BenchSlack.start();
  const fipbot = await startBot({ build, kind: 'fipbot', slackApiUrl: slack.apiUrl, cloudEnv: demo.cloudEnv });
  const floor = await startBot({ build, kind: 'floor', slackApiUrl: slack.apiUrl });
  const rounds: Round[] = [];
  try {
    log(`ack latency: warming up both apps (${WARM_UP} commands each)`);
    await round(slack, floor, WARM_UP, CONCURRENCY);
    const warm = await round(slack, fipbot, WARM_UP, CONCURRENCY);
    if (warm.failures.length) throw new Error(`fipbot failed during warm-up: ${warm.failures.slice(0, 3).join('; ')}`);
    for (let r = 0; r < ROUNDS; r++) {
      for (const bot of [floor, fipbot]) {
        const result = await round(slack, bot, COMMANDS, CONCURRENCY);
        log(
          `ack latency: round ${r + 1} ${bot.kind}: p50 ${ms(summarize(result.acks).p50)} ms, p99 ${ms(summarize(result.acks).p99)} ms, max ${ms(summarize(result.acks).max)} ms (${result.seconds.toFixed(1)} s incl. answers${result.busy ? `, ${result.busy} told busy` : ''})`,
        );
        rounds.push(result);
      }
    }
  } finally {
    await fipbot.stop();
    await floor.stop();
    await demo.stop();
    await slack.close();
  }

  const pooled = (kind: Round['kind']) => rounds.filter((r) => r.kind === kind).flatMap((r) => r.acks);
  const bot = summarize(pooled('fipbot'));
  const base = summarize(pooled('floor'));
  const answers = summarize(rounds.filter((r) => r.kind === 'fipbot').flatMap((r) => r.answers));
  const failures = rounds.flatMap((r) => r.failures);
  const late = [...pooled('fipbot'), ...pooled('floor')].filter((value) => value > DEADLINE_MS).length;
  const row = (label: string, s: ReturnType<typeof summarize>) => [label, String(s.n), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
  const perRound = rounds.map((r, index) => {
    const s = summarize(r.acks);
    const inside = summarize(r.handling);
    return [
      `${Math.floor(index / 2) + 1}`,
      r.kind,
      ms(s.p50),
      ms(s.p99),
      ms(s.max),
      `${ms(inside.p50)} / ${ms(inside.p99)} / ${ms(inside.max)}`,
      `${ms(r.loopDelayMs.p99)} / ${ms(r.loopDelayMs.max)}`,
    ];
  });
  const handlingOf = (kind: Round['kind']) => summarize(rounds.filter((r) => r.kind === kind).flatMap((r) => r.handling));
  const botInside = handlingOf('fipbot');
  const floorInside = handlingOf('floor');

  const markdown = [
    `${COMMANDS} signed slash commands per round (\`/fip list\` and \`/fip attach ${IP} web-1\` alternating), ${CONCURRENCY} in flight, ` +
      `demo cloud answering every call after ${LATENCY_MS} ms; ${ROUNDS} rounds per app, alternating floor / fipbot, after ${WARM_UP} warm-up commands each. ` +
      "Ack time: from sending the signed request to the bot's complete HTTP answer, measured by the load generator.",
    '',
    markdownTable(['app', 'commands', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [row('floor (Bolt, ack only)', base), row('fipbot', bot)]),
    '',
    `fipbot p99 / floor p99 = ${ratio(bot.p99, base.p99)}; p50 ratio ${ratio(bot.p50, base.p50)}.`,
    '',
    `Inside the bot process (from the parsed request to the finished response, node:http's diagnostics channels): floor p50 ${ms(floorInside.p50)} / p99 ${ms(floorInside.p99)} / max ${ms(floorInside.max)} ms, ` +
      `fipbot p50 ${ms(botInside.p50)} / p99 ${ms(botInside.p99)} / max ${ms(botInside.max)} ms. The rest of an ack is time the request waited for a busy process (the bot's event loop, or the load generator's, on shared cores).`,
    '',
    'Per round (ms; event-loop delay of the bot while the commands came in):',
    '',
    markdownTable(
      ['round', 'app', 'ack p50', 'ack p99', 'ack max', 'inside the bot p50 / p99 / max', 'event-loop delay p99 / max'],
      perRound,
    ),
    '',
    `After the ack (fipbot only, for information): from the command to its answer in the response_url (list, or the attach confirmation), ` +
      `p50 ${ms(answers.p50)} ms, p99 ${ms(answers.p99)} ms, max ${ms(answers.max)} ms over ${answers.n} commands. ` +
      'These queue behind the OpenStack limiter (FIPBOT_OPENSTACK_MAX_CONCURRENT, 8 by default: 8 requests in flight at 150 ms each), by design: a burst of Slack commands must not flood the cloud.',
    failures.length
      ? `\nFailures: ${failures.length} (${failures.slice(0, 5).join('; ')})`
      : `\nEvery command was acknowledged with 200 and every fipbot command got its expected answer.`,
  ].join('\n');

  return {
    id: 'ack',
    title: '1. Ack latency under load',
    rerun: 'npx tsx bench/ack-latency.ts',
    summary: [
      { benchmark: 'ack', measure: 'floor ack p50 / p99 / max', value: `${ms(base.p50)} / ${ms(base.p99)} / ${ms(base.max)} ms` },
      { benchmark: 'ack', measure: 'fipbot ack p50 / p99 / max', value: `${ms(bot.p50)} / ${ms(bot.p99)} / ${ms(bot.max)} ms` },
      { benchmark: 'ack', measure: 'fipbot p99 / floor p99', value: ratio(bot.p99, base.p99) },
      { benchmark: 'ack', measure: 'inside the bot p99: floor / fipbot', value: `${ms(floorInside.p99)} / ${ms(botInside.p99)} ms` },
    ],
    targets: [
      {
        name: "fipbot ack p99 <= 1.2x the floor's",
        met: bot.p99 <= 1.2 * base.p99,
        detail: `${ms(bot.p99)} ms vs ${ms(base.p99)} ms (${ratio(bot.p99, base.p99)}).`,
      },
      {
        name: "no ack later than Slack's 3 s, every command answered",
        met: late === 0 && failures.length === 0,
        detail: `slowest ack ${ms(Math.max(bot.max, base.max))} ms; ${late} past 3 s; ${failures.length} failures.`,
      },
    ],
    markdown,
    seconds: (performance.now() - started) / 1000,
  };
}

if (isMain(import.meta.url)) await runAlone(ackLatency);
