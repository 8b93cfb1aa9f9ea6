/**
 * The bot runs as it ships: compiled JavaScript under plain `node`, never
 * under tsx (whose loader thread alone adds ~35 MB of RSS and would blur the
 * memory figures). This compiles src/ and bench/processes/ with tsc into a
 * private directory under node_modules/.cache (so dist/ is left alone and
 * packages resolve from the project's node_modules), incrementally: a rerun
 * without changes takes a few seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'fipbot-bench');

export interface Build {
  /** node dist/main.js, as `npm start` runs it. */
  mainJs: string;
  /** The demo cloud's own CLI (src/demo-cloud/cli.ts). */
  demoCloudJs: string;
  /** A Bolt app that only acknowledges (the floor of the ack benchmark). */
  floorJs: string;
  /** Preloaded into the bot (--import): counts its outgoing requests and reports its memory over IPC. */
  probeUrl: string;
  seconds: number;
}

let built: Build | undefined;

export function buildForBench(log: (line: string) => void = () => undefined): Build {
  if (built) return built;
  const started = performance.now();
  mkdirSync(CACHE, { recursive: true });
  const tsconfig = join(CACHE, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: join(PROJECT_ROOT, 'tsconfig.json'),
        compilerOptions: {
          noEmit: false,
          rootDir: PROJECT_ROOT,
          outDir: join(CACHE, 'build'),
          sourceMap: false,
          declaration: false,
          incremental: true,
          tsBuildInfoFile: join(CACHE, 'build.tsbuildinfo'),
        },
        include: [join(PROJECT_ROOT, 'src'), join(PROJECT_ROOT, 'bench', 'processes')],
      },
      null,
      2,
    ),
  );
  log('compiling src/ and bench/processes/ for the bot processes (tsc)…');
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', tsconfig], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  // tsc emits even when it reports type errors; those belong to whoever is editing src/, so they are shown, not fatal.
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.error || output === '') throw new Error(`tsc failed to run: ${result.error?.message ?? `exit ${result.status}`}`);
    log(`warning: tsc reported problems (the build was emitted anyway):\n${output.split('\n').slice(0, 10).join('\n')}`);
  }
  const out = join(CACHE, 'build');
  built = {
    mainJs: join(out, 'src', 'main.js'),
    demoCloudJs: join(out, 'src', 'demo-cloud', 'cli.js'),
    floorJs: join(out, 'bench', 'processes', 'floor-app.js'),
    probeUrl: pathToFileURL(join(out, 'bench', 'processes', 'probe.js')).href,
    seconds: (performance.now() - started) / 1000,
  };
  return built;
}
