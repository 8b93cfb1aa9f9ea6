/**
 * What a benchmark hands back, the summary table printed at the end, and
 * the results section of BENCHMARKS.md (between the two markers), rewritten
 * with the figures of the latest run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Build, buildForBench, PROJECT_ROOT } from './build.js';
import { describeMachine, loadNow, type Machine, machineLine } from './machine.js';

export interface Target {
  name: string;
  met: boolean;
  /** The measured figure against the target, and when missed, what bounds it. */
  detail: string;
}

export interface SummaryRow {
  benchmark: string;
  measure: string;
  value: string;
}

export interface BenchOutcome {
  id: string;
  title: string;
  /** The command that reruns this benchmark alone. */
  rerun: string;
  summary: SummaryRow[];
  targets: Target[];
  /** Markdown: tables and notes for BENCHMARKS.md. */
  markdown: string;
  seconds: number;
  skipped?: string;
}

export interface BenchContext {
  build: Build;
  log: (line: string) => void;
}

export type Benchmark = (context: BenchContext) => Promise<BenchOutcome>;

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function targetLines(targets: Target[]): string {
  return targets.map((target) => `- ${target.met ? '**met**' : '**missed**'}: ${target.name}. ${target.detail}`).join('\n');
}

const START = '<!-- results:start (rewritten by npm run bench) -->';
const END = '<!-- results:end -->';

export function resultsMarkdown(machine: Machine, outcomes: BenchOutcome[], totalSeconds: number, loadAtEnd: string): string {
  const parts = [
    START,
    '',
    `Run of ${machine.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}: ${machineLine(machine)}; load average ${loadAtEnd} at the end. ` +
      `\`npm run bench\` took ${Math.round(totalSeconds)} s.`,
    '',
    markdownTable(
      ['benchmark', 'measure', 'figure'],
      outcomes.flatMap((outcome) =>
        outcome.skipped
          ? [[outcome.title, 'skipped', outcome.skipped]]
          : outcome.summary.map((row) => [row.benchmark, row.measure, row.value]),
      ),
    ),
    '',
  ];
  for (const outcome of outcomes) {
    parts.push(`### ${outcome.title}`, '', `Rerun: \`${outcome.rerun}\` (${Math.round(outcome.seconds)} s this run).`, '');
    if (outcome.skipped) {
      parts.push(`Skipped: ${outcome.skipped}`, '');
      continue;
    }
    parts.push(outcome.markdown.trim(), '', '**Targets**', '', targetLines(outcome.targets), '');
  }
  parts.push(END);
  return parts.join('\n');
}

/** Replaces the results section of BENCHMARKS.md (or appends one). */
export function writeResults(markdown: string, file = join(PROJECT_ROOT, 'BENCHMARKS.md')): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmarks\n\n## Latest results\n\n';
  }
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start ? `${text.slice(0, start)}${markdown}${text.slice(end + END.length)}` : `${text.trimEnd()}\n\n${markdown}\n`;
  writeFileSync(file, next);
}

export function printOutcome(outcome: BenchOutcome, log: (line: string) => void): void {
  if (outcome.skipped) {
    log(`${outcome.title}: skipped (${outcome.skipped})`);
    return;
  }
  log(`\n${outcome.title} (${Math.round(outcome.seconds)} s)`);
  log(
    textTable(
      ['measure', 'figure'],
      outcome.summary.map((row) => [row.measure, row.value]),
    ),
  );
  for (const target of outcome.targets) log(`  ${target.met ? 'MET   ' : 'MISSED'} ${target.name}: ${target.detail}`);
}

/** True when `moduleUrl` is the script node was asked to run (a benchmark run on its own). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** Runs one benchmark by itself: prints its figures, leaves BENCHMARKS.md alone. */
export async function runAlone(benchmark: Benchmark): Promise<void> {
  const log = (line: string) => console.log(line);
  const machine = describeMachine();
  log(machineLine(machine));
  const build = buildForBench(log);
  const outcome = await benchmark({ build, log });
  printOutcome(outcome, log);
  log(`load average at the end: ${loadNow()}`);
  if (!outcome.skipped) log(`\n${outcome.markdown}`);
}
