/**
 * 5. Memory. The bot process (node dist/main.js against the demo cloud)
 * runs 10,000 operations through signed Slack requests: allocate, attach,
 * list, detach, release, over and over, four people at once each on their
 * own instance, every result checked. Its memory is sampled along the way
 * over the probe's IPC channel: RSS as the operating system sees it, and
 * the V8 heap after a full GC (the process runs with --expose-gc, which
 * changes nothing else), whose slope tells a leak from a heap that is
 * merely not collected yet.
 *
 * As shipped, the bot runs with the Node flags of `npm start`
 * (--max-old-space-size=128: V8 otherwise sizes its heap from the machine's
 * RAM). A shorter second run without them shows what that cap saves: how
 * much of an uncapped RSS is V8's heap sizing rather than memory in use.
 */
import { totalmem } from 'node:os';
import { shippedNodeFlags, startBot, startDemoCloudProcess, type MemoryUsage } from './lib/processes.js';
import { type BenchContext, type BenchOutcome, isMain, markdownTable, runAlone } from './lib/report.js';
import { BenchSlack, change, command } from './lib/slack.js';
import { linearFit } from './lib/stats.js';

const OPERATIONS = Number(process.env.BENCH_MEMORY_OPERATIONS ?? 10_000);
const UNCAPPED_OPERATIONS = Number(process.env.BENCH_MEMORY_UNCAPPED_OPERATIONS ?? 3_000);
const SHIPPED = shippedNodeFlags();
const shippedCommand = `node ${[...SHIPPED, 'dist/main.js'].join(' ')}`;
const WORKERS = 4;
/** RSS as it is, every 250 operations; the heap after a full GC every 2,000 (about as often as V8 collects fully by itself here). */
const SAMPLE_EVERY = 250;
const GC_EVERY = 2_000;
const TARGET_MB = 150;
/** "Flat": the post-GC heap may not grow by more than this per 1,000 operations once warm. */
const FLAT_MB_PER_1000 = 0.5;

interface Sample {
  operations: number;
  memory: MemoryUsage;
  /** Heap and RSS after a full GC (every GC_EVERY operations only). */
  heapAfterGc?: number;
  rssAfterGc?: number;
}

interface Run {
  shipped: boolean;
  atStart: MemoryUsage;
  samples: Sample[];
  operations: number;
  seconds: number;
  failures: string[];
}

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

async function run({ build, log }: BenchContext, operations: number, shipped: boolean): Promise<Run> {
  const demo = await startDemoCloudProcess(build);
  const slack = await BenchSlack.start();
  const bot = await startBot({
    build,
    kind: 'fipbot',
    slackApiUrl: slack.apiUrl,
    cloudEnv: demo.cloudEnv,
    nodeFlags: ['--expose-gc'],
    withoutShippedFlags: !shipped,
  });
  slack.botUrl = bot.url;
  const samples: Sample[] = [];
  const failures: string[] = [];
  let done = 0;
  const sample = async (withGc: boolean): Promise<void> => {
    const raw = await bot.memory();
    const collected = withGc ? await bot.memory({ gc: true }) : undefined;
    samples.push({ operations: done, memory: raw, ...(collected ? { heapAfterGc: collected.heapUsed, rssAfterGc: collected.rss } : {}) });
  };
  const started = performance.now();
  let atStart: MemoryUsage;
  try {
    atStart = await bot.memory();
    await sample(true);
    let nextSample = SAMPLE_EVERY;
    const operation = async (work: () => Promise<void>) => {
      await work();
      done++;
      if (done >= nextSample) {
        const withGc = nextSample % GC_EVERY === 0;
        nextSample += SAMPLE_EVERY;
        await sample(withGc);
        const last = samples.at(-1)!;
        if (withGc)
          log(
            `memory${shipped ? '' : ' (without the start flags)'}: ${done} operations, RSS ${mb(last.memory.rss)} MB, heap ${mb(last.memory.heapUsed)} of ${mb(last.memory.heapTotal)} MB, after GC ${mb(last.heapAfterGc!)} MB`,
          );
      }
    };
    const worker = async (index: number) => {
      const server = `app-${String(index + 1).padStart(2, '0')}`;
      while (done < operations && failures.length < 10) {
        try {
          let ip = '';
          await operation(async () => {
            const created = await change(slack, 'create public');
            ip = /^allocated (\d+\.\d+\.\d+\.\d+) from pool public\b/.exec(created.result.text ?? '')?.[1] ?? '';
            if (!ip) throw new Error(`create: ${created.result.text ?? ''}`);
          });
          const quoted = ip.replace(/\./g, '\\.');
          const steps: Array<[string, RegExp, boolean]> = [
            [`attach ${ip} ${server}`, new RegExp(`^attached ${quoted} to ${server}\\b`), true],
            ['list', /^\d+ floating IPs?\b/, false],
            [`detach ${ip} ${server}`, new RegExp(`^detached ${quoted} from ${server}\\b`), true],
            [`release ${ip}`, new RegExp(`^released ${quoted}\\b`), true],
          ];
          for (const [text, expected, confirm] of steps) {
            await operation(async () => {
              const shown = confirm ? (await change(slack, text)).result.text : (await command(slack, text)).message.text;
              if (!expected.test(shown ?? '')) throw new Error(`${text}: ${shown ?? ''}`);
            });
          }
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
    if (samples.at(-1)?.heapAfterGc === undefined) await sample(true);
  } finally {
    await bot.stop();
    await demo.stop();
    await slack.close();
  }
  return { shipped, atStart, samples, operations: done, seconds: (performance.now() - started) / 1000, failures };
}

interface Analysis {
  maxRss: number;
  heapSlope: number;
  rssSlope: number;
  fromOperations: number;
}

function analyse(result: Run): Analysis {
  const from = Math.min(GC_EVERY, result.operations / 5);
  const warm = result.samples.filter((s) => s.operations >= from);
  const fit = (points: Sample[], pick: (s: Sample) => number) =>
    linearFit(points.map((s) => [s.operations / 1000, pick(s) / MB] as const)).slope;
  return {
    maxRss: Math.max(...result.samples.map((s) => s.memory.rss)),
    heapSlope: fit(
      warm.filter((s) => s.heapAfterGc !== undefined),
      (s) => s.heapAfterGc!,
    ),
    rssSlope: fit(warm, (s) => s.memory.rss),
    fromOperations: warm[0]?.operations ?? 0,
  };
}

function table(result: Run): string {
  const rows = result.samples
    .filter((s, index) => index === 0 || s.operations % 1000 < SAMPLE_EVERY || index === result.samples.length - 1)
    .map((s) => [
      String(s.operations),
      mb(s.memory.rss),
      mb(s.memory.heapTotal),
      mb(s.memory.heapUsed),
      s.heapAfterGc === undefined ? '' : mb(s.heapAfterGc),
      s.rssAfterGc === undefined ? '' : mb(s.rssAfterGc),
    ]);
  return markdownTable(['operations', 'RSS MB', 'V8 heap size MB', 'heap used MB', 'heap after GC MB', 'RSS after GC MB'], rows);
}

export async function memory(context: BenchContext): Promise<BenchOutcome> {
  const started = performance.now();
  const shipped = await run(context, OPERATIONS, true);
  const uncapped = UNCAPPED_OPERATIONS > 0 && SHIPPED.length > 0 ? await run(context, UNCAPPED_OPERATIONS, false) : undefined;
  const a = analyse(shipped);
  const u = uncapped && analyse(uncapped);
  const last = shipped.samples.at(-1)!;
  const markdown = [
    `${shipped.operations.toLocaleString('en')} operations (allocate, attach, list, detach, release in turn; ${WORKERS} at once, each on its own instance app-01..app-0${WORKERS}), ` +
      `every change confirmed by a click and every result checked, against the demo cloud (0 ms) in its own process; ${Math.round(shipped.seconds)} s, ${Math.round(shipped.operations / shipped.seconds)} operations/s. ` +
      `RSS and heap sampled as they were every ${SAMPLE_EVERY} operations (every 1,000th shown), and every ${GC_EVERY.toLocaleString('en')} the heap and RSS right after a full GC.`,
    '',
    table(shipped),
    '',
    `As shipped (\`${shippedCommand}\`, what \`npm start\` runs): RSS after start ${mb(shipped.atStart.rss)} MB, highest ${mb(a.maxRss)} MB, at the end ${mb(last.memory.rss)} MB. ` +
      `Slopes from ${a.fromOperations} operations on (least squares): heap after GC ${a.heapSlope.toFixed(3)} MB per 1,000 operations, RSS ${a.rssSlope.toFixed(2)} MB per 1,000 operations.`,
    ...(uncapped && u
      ? [
          '',
          `For comparison, without the start flags (\`node dist/main.js\`: V8 sizes its heap from the machine's ${Math.round(totalmem() / 2 ** 30)} GiB; ${uncapped.operations.toLocaleString('en')} operations, ${Math.round(uncapped.operations / uncapped.seconds)} operations/s):`,
          '',
          table(uncapped),
          '',
          `RSS after start ${mb(uncapped.atStart.rss)} MB, highest ${mb(u.maxRss)} MB; heap after GC ${u.heapSlope.toFixed(3)} MB per 1,000 operations, RSS ${u.rssSlope.toFixed(2)} MB per 1,000.`,
        ]
      : []),
    [...shipped.failures, ...(uncapped?.failures ?? [])].length
      ? `\nFailures: ${[...shipped.failures, ...(uncapped?.failures ?? [])].slice(0, 3).join('; ')}`
      : '\nEvery operation gave the expected result.',
  ].join('\n');
  return {
    id: 'memory',
    title: '5. Memory over 10,000 operations',
    rerun: 'npx tsx bench/memory.ts',
    summary: [
      {
        benchmark: 'memory',
        measure: 'RSS after start / highest / at the end',
        value: `${mb(shipped.atStart.rss)} / ${mb(a.maxRss)} / ${mb(last.memory.rss)} MB`,
      },
      {
        benchmark: 'memory',
        measure: 'slope per 1,000 operations: heap after GC / RSS',
        value: `${a.heapSlope.toFixed(3)} / ${a.rssSlope.toFixed(2)} MB`,
      },
      ...(u ? [{ benchmark: 'memory', measure: 'highest RSS without the start flags (uncapped heap)', value: `${mb(u.maxRss)} MB` }] : []),
    ],
    targets: [
      {
        name: `RSS <= ${TARGET_MB} MB`,
        met: a.maxRss <= TARGET_MB * MB,
        detail:
          `highest sample ${mb(a.maxRss)} MB as shipped (\`${shippedCommand}\`); the live heap stays near ${mb(last.heapAfterGc ?? Number.NaN)} MB` +
          (u ? `; without the start flags V8 lets its heap grow before collecting and the highest is ${mb(u.maxRss)} MB.` : '.'),
      },
      {
        name: 'flat',
        met: a.heapSlope <= FLAT_MB_PER_1000 && shipped.failures.length === 0 && shipped.operations >= OPERATIONS,
        detail: `heap after GC grows ${a.heapSlope.toFixed(3)} MB per 1,000 operations (limit ${FLAT_MB_PER_1000}); RSS ${a.rssSlope.toFixed(2)} MB per 1,000.`,
      },
    ],
    markdown,
    seconds: (performance.now() - started) / 1000,
  };
}

if (isMain(import.meta.url)) await runAlone(memory);
