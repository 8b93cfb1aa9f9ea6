/**
 * fipbot as a deployment runs it: `node --import tsx src/main.ts` in its own
 * OS process, configured only by its environment, in an empty home and
 * working directory (no stray clouds.yaml). Killed at the end whatever happens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'main.ts');

export interface FipbotProcess {
  name: string;
  /** The OS process id (tsx runs in-process: this is the node process running main.ts). */
  pid: number | undefined;
  /** The request URL, http://127.0.0.1:PORT/slack/events. */
  url: string;
  /** http://127.0.0.1:PORT */
  base: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM (fipbot finishes what is in flight and quits), SIGKILL if that takes over 10 s. */
  stop(): Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

const children = new Set<ChildProcess>();
const homes: string[] = [];
// Whatever happens to the test run, no fipbot process outlives it, and its temporary home goes too.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

export function spawnFipbot(name: string, env: Record<string, string>): Omit<FipbotProcess, 'url' | 'base'> {
  const home = mkdtempSync(join(tmpdir(), `fipbot-${name}-`));
  homes.push(home);
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => children.delete(child));
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid,
    output: () => output,
    exited,
    signal: (signal) => child.kill(signal),
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      })()),
  };
}

/** Starts fipbot in HTTP mode on a free loopback port and waits for /healthz. */
export async function startFipbot(name: string, env: Record<string, string>): Promise<FipbotProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = { ...spawnFipbot(name, { ...env, PORT: String(port), HOST: '127.0.0.1' }), url: `${base}/slack/events`, base };
  const deadline = Date.now() + 45_000;
  let exitCode: number | null | undefined;
  void started.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`fipbot ${name} exited (${exitCode}) before it was healthy:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`fipbot ${name} was not healthy within 45 s:\n${started.output()}`);
    const healthy = await fetch(`${base}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
