/**
 * npm run bench: every benchmark, one after the other (never in parallel:
 * they would measure each other), a summary table, and the results section
 * of BENCHMARKS.md rewritten with this run's figures, date and machine.
 * The real-cloud benchmark runs when OS_CLOUD (or OS_AUTH_URL) is set and
 * is reported as skipped otherwise.
 *
 *   npm run bench                         all, rewrites BENCHMARKS.md
 *   npm run bench -- --only ack,typeahead  some (ack, e2e, typeahead, memory, real, leaks); BENCHMARKS.md untouched
 *   npm run bench -- --wait-quiet          first wait (up to 15 min) for a 1-minute load average below 0.5 per core
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ackLatency } from './ack-latency.js';
import { endToEnd } from './end-to-end.js';
import { leaks } from './leaks.js';
import { buildForBench } from './lib/build.js';
import { describeMachine, loadNow, machineLine } from './lib/machine.js';
import { type Benchmark, type BenchOutcome, printOutcome, resultsMarkdown, textTable, writeResults } from './lib/report.js';
import { memory } from './memory.js';
import { realCloud } from './real-cloud.js';
import { typeahead } from './typeahead.js';

const BENCHMARKS: Array<[string, string, Benchmark]> = [
  ['ack', '1. Ack latency under load', ackLatency],
  ['e2e', '2. End to end: /fip attach, confirmation included', endToEnd],
  ['real', '3. Against the real cloud', realCloud],
  ['typeahead', '4. Typeahead with 10,000 servers and 2,000 floating IPs', typeahead],
  ['memory', '5. Memory over 10,000 operations', memory],
  ['leaks', '6. Leak report over 10,000 floating IPs', leaks],
];

const { values } = parseArgs({ options: { only: { type: 'string' }, 'wait-quiet': { type: 'boolean', default: false } } });
const only = values.only?.split(',').map((id) => id.trim());
const log = (line: string) => console.log(line);

if (values['wait-quiet']) {
  const cores = describeMachine().cores;
  const deadline = Date.now() + 15 * 60_000;
  while (loadavg()[0]! > 0.5 * cores && Date.now() < deadline) {
    log(`waiting for a quiet machine: load average ${loadNow()}`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
}

const started = performance.now();
const machine = describeMachine();
log(`fipbot benchmarks, ${machine.date}: ${machineLine(machine)}`);
if (machine.loadAtStart[0] > 0.5 * machine.cores) log(`warning: the machine is busy (load average ${loadNow()}); figures will be noisy`);
const build = buildForBench(log);
log(`build ready in ${build.seconds.toFixed(1)} s`);

const outcomes: BenchOutcome[] = [];
for (const [id, title, benchmark] of BENCHMARKS) {
  if (only && !only.includes(id)) continue;
  log(`\n== ${title}`);
  const t0 = performance.now();
  try {
    const outcome = await benchmark({ build, log });
    outcomes.push(outcome);
    printOutcome(outcome, log);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${title} failed: ${message}`);
    outcomes.push({
      id,
      title,
      rerun: `npm run bench -- --only ${id}`,
      summary: [{ benchmark: id, measure: 'failed', value: message.split('\n')[0]! }],
      targets: [{ name: 'the benchmark ran', met: false, detail: message.split('\n')[0]! }],
      markdown: `The benchmark failed: \`${message.split('\n')[0]!}\``,
      seconds: (performance.now() - t0) / 1000,
    });
  }
}

const totalSeconds = (performance.now() - started) / 1000;
log('\nSummary');
log(
  textTable(
    ['benchmark', 'measure', 'figure'],
    outcomes.flatMap((outcome) =>
      outcome.skipped ? [[outcome.id, 'skipped', outcome.skipped]] : outcome.summary.map((row) => [row.benchmark, row.measure, row.value]),
    ),
  ),
);
const targets = outcomes.flatMap((outcome) => outcome.targets.map((target) => [outcome.id, target.met ? 'met' : 'MISSED', target.name]));
log('');
log(textTable(['benchmark', 'target', ''], targets));
log(`\n${Math.round(totalSeconds)} s in all; load average at the end ${loadNow()}`);
if (!only) {
  writeResults(resultsMarkdown(machine, outcomes, totalSeconds, loadNow()));
  log('BENCHMARKS.md: results section rewritten');
}
