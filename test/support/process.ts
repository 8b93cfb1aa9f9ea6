/**
 * fipbot as a deployment runs it, in this test process: src/run.ts (all of
 * `npm start` but the Node process itself) configured only by an environment,
 * in an empty home and working directory (no stray clouds.yaml), its output
 * captured, with "signals" that ask it to stop. Timing is the test profile
 * unless given. The one test that spawns the built bot as its own OS process
 * is test/main.process.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Timing } from '../../src/config/timing.js';
import { run } from '../../src/run.js';
import { freePort } from './ports.js';
import { TEST_TIMING } from './timing.js';

export interface FipbotProcess {
  name: string;
  /** The request URL, http://127.0.0.1:PORT/slack/events. */
  url: string;
  /** http://127.0.0.1:PORT */
  base: string;
  /** stdout and stderr, in order. */
  output(): string;
  /** The exit code run() returned. */
  exited: Promise<number>;
  /** SIGTERM: fipbot finishes what is in flight and returns. */
  stop(): Promise<void>;
  signal(signal: 'SIGTERM' | 'SIGINT'): void;
  /** A promise rejection nobody handled, as Node would report it to the process. */
  rejectUnhandled(reason: unknown): void;
  /** Lines typed into the console (stdin); `undefined` ends the input. */
  type(line: string | undefined): void;
}

export interface RunOptions {
  timing?: Timing;
  /** stdin, all at once (the console reads it as typed lines). */
  input?: string;
}

const homes: string[] = [];
process.once('exit', () => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

export function spawnFipbot(name: string, env: Record<string, string>, options: RunOptions = {}): Omit<FipbotProcess, 'url' | 'base'> {
  const home = mkdtempSync(join(tmpdir(), `fipbot-${name}-`));
  homes.push(home);
  let output = '';
  const stream = () => {
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return sink;
  };
  const stdin = new PassThrough();
  if (options.input !== undefined) stdin.end(options.input);
  let requestStop: (code: number) => void = () => undefined;
  const stopRequested = new Promise<number>((resolve) => (requestStop = resolve));
  let onRejection: (reason: unknown) => void = () => undefined;
  const exited = run({
    env: { HOME: home, ...env },
    cwd: home,
    homeDir: home,
    userName: 'alice',
    stdin,
    stdout: stream(),
    stderr: stream(),
    stopRequested,
    onUnhandledRejection: (handler) => (onRejection = handler),
    timing: options.timing ?? TEST_TIMING,
  }).catch((error: unknown) => {
    // In a real process this would be a crash with a stack trace: tests look for it in the output.
    output += `CRASHED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    return -1;
  });
  return {
    name,
    output: () => output,
    exited,
    signal: () => requestStop(0),
    stop: async () => {
      requestStop(0);
      await exited;
    },
    rejectUnhandled: (reason) => onRejection(reason),
    type: (line) => (line === undefined ? stdin.end() : stdin.write(`${line}\n`)),
  };
}

/** Starts fipbot in HTTP mode (or with its ops server, in Socket Mode) on a free loopback port and waits for /healthz. */
export async function startFipbot(name: string, env: Record<string, string>, options: RunOptions = {}): Promise<FipbotProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = { ...spawnFipbot(name, { ...env, PORT: String(port), HOST: '127.0.0.1' }, options), url: `${base}/slack/events`, base };
  let exitCode: number | undefined;
  void started.exited.then((code) => (exitCode = code));
  for (let waited = 0; ; waited += 50) {
    if (exitCode !== undefined) throw new Error(`fipbot ${name} exited (${exitCode}) before it was healthy:\n${started.output()}`);
    if (waited > 20_000) throw new Error(`fipbot ${name} was not healthy within 20 s:\n${started.output()}`);
    const healthy = await fetch(`${base}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
