/**
 * The smoke test: the built bot (`node dist/main.js`, as `npm start` runs it,
 * built first when stale) in OS processes of its own, configured only by the
 * environment, in an empty home. Everything else runs src/run.ts in-process;
 * this proves what only a real process shows: the console on a pipe, the
 * sockets it listens on, and Node's own unhandled-rejection event leading to
 * a redacted line and a graceful stop with exit code 1.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type DemoCloud, startDemoCloud } from '../src/demo-cloud/index.js';
import { demoOsEnv } from './support/demo.js';
import { freePort } from './support/ports.js';
import { SlackSimulator } from './support/slack/simulator.js';
import { FakeSocketMode } from './support/slack/socket-mode.js';

const ROOT = join(import.meta.dirname, '..');

interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
const homes: string[] = [];

function spawnBuilt(env: Record<string, string>, input?: string): Spawned {
  const home = mkdtempSync(join(tmpdir(), 'fipbot-smoke-'));
  homes.push(home);
  const start = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  // The flags npm start gives node (the heap cap), then dist/main.js.
  const flags = start.scripts.start.split(' ').slice(1, -1);
  const child = spawn(process.execPath, [...flags, join(ROOT, 'dist', 'main.js')], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  if (input !== undefined) child.stdin.end(input);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  void exited.then(() => children.delete(child));
  return { child, output: () => output, exited };
}

beforeAll(() => {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`);
}, 60_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

describe('the built bot with nothing configured', () => {
  it('runs the console on the embedded demo cloud, says so, and the seed story works', async () => {
    const bot = spawnBuilt({}, 'attach 192.168.100.201 test_instance\nattach 192.168.100.201 web-1\n1\nquit\n');
    expect(await bot.exited, bot.output()).toBe(0);
    expect(bot.output()).toContain('No OpenStack cloud is configured: fipbot runs on its embedded demo cloud');
    expect(bot.output()).toContain('"test_instance" needs no floating IP: use 192.168.100.178');
    expect(bot.output()).toMatch(/✅ @\S+ attached `192\.168\.100\.201` to web-1/);
  }, 30_000);
});

describe('the built bot in Socket Mode', () => {
  const BOT_TOKEN = 'xoxb-smoke-0000000000-bot-token';
  const APP_TOKEN = 'xapp-1-A0SIMAPP1-0000000000-smoke-app-token';
  let demo: DemoCloud;
  let sim: SlackSimulator;
  let slack: FakeSocketMode;
  let bot: Spawned;
  let port: number;

  beforeAll(async () => {
    [demo, sim] = await Promise.all([startDemoCloud({ port: 0 }), SlackSimulator.start({ signingSecret: 'not-used-in-socket-mode' })]);
    sim.workspace.tokens.add(BOT_TOKEN);
    sim.workspace.appTokens.add(APP_TOKEN);
    slack = await FakeSocketMode.start(sim);
    port = await freePort();
    // A rejection nothing awaits, on demand: preloaded before main.js, fired by SIGUSR2. Its message carries a secret.
    const inject = "process.on('SIGUSR2',()=>{Promise.reject(new Error('a bug that prints '+process.env.SLACK_APP_TOKEN))})";
    bot = spawnBuilt({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: sim.apiUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(inject)}`,
      ...demoOsEnv(demo),
    });
    await slack.waitForConnection({ timeoutMs: 20_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${bot.output()}`);
    });
    // Logged once the client has read hello, a moment after the fake sent it.
    for (let waited = 0; !bot.output().includes('"mode":"socket"'); waited += 50) {
      if (waited > 10_000) throw new Error(`not running in Socket Mode:\n${bot.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 40_000);

  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    await slack?.close();
    await Promise.all([sim?.close(), demo?.close()]);
  });

  it.runIf(existsSync('/proc/self/net/tcp'))('listens on 127.0.0.1:PORT only (the ops server), and on no other port', () => {
    onTestFailed(() => console.error(bot.output()));
    expect(listeningSockets(bot.child.pid!)).toEqual([`127.0.0.1:${port}`]);
  });

  it('logs a promise rejection nobody handled as one redacted error line, stops gracefully and exits 1', async () => {
    onTestFailed(() => console.error(bot.output()));
    const [connection] = slack.openConnections();
    bot.child.kill('SIGUSR2');
    expect(await bot.exited).toBe(1);
    const lines = bot.output().trim().split('\n');
    // No stack trace printed by Node: every line is a log record.
    expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
    const errors = lines
      .map((line) => JSON.parse(line) as { level: string; msg: string; error?: unknown; stack?: string })
      .filter((r) => r.level === 'error');
    expect(errors.map((r) => r.msg)).toEqual(['unhandled promise rejection: stopping (a bug; please report it)']);
    expect(errors[0]).toMatchObject({ error: { message: 'a bug that prints [REDACTED]' } });
    expect(bot.output()).toContain('stopping: no new requests, finishing those in flight');
    expect(bot.output()).not.toContain(APP_TOKEN);
    expect(await slack.waitForClose(connection!)).toEqual({ by: 'app', code: 1000, reason: '' });
  }, 20_000);
});

/**
 * The TCP sockets a process listens on, as "address:port", from Linux's
 * /proc: its socket inodes (/proc/PID/fd) matched against the LISTEN rows
 * (state 0A) of /proc/PID/net/tcp and tcp6.
 */
function listeningSockets(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const listening: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== '0A' || !inodes.has(fields[9]!)) continue;
      const [hex, portHex] = fields[1]!.split(':') as [string, string];
      listening.push(`${procAddress(hex)}:${parseInt(portHex, 16)}`);
    }
  }
  return listening;
}

/** /proc/net/tcp* addresses: 32-bit words in host (little-endian) order. */
function procAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => [...Buffer.from(word, 'hex').reverse()]);
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.every((b) => b === 0)) return '::';
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  return Buffer.from(bytes).toString('hex');
}
