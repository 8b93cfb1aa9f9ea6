/**
 * The processes a benchmark runs beside the load generator (this process,
 * which also plays Slack):
 *  - the bot: `node dist/main.js` exactly as `npm start` runs it (the Node
 *    flags of package.json's start script included), configured
 *    through its environment (Slack token, signing secret, SLACK_API_URL at
 *    the simulator, the cloud through clouds.yaml), with the probe preloaded;
 *  - the floor: a Bolt app that only acks, started the same way;
 *  - the demo cloud: its own CLI, knobs and counters over /_demo/.
 * Each in its own process: the bot's event loop shares nothing with the
 * load generator or the cloud, as in production.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../../src/demo-cloud/index.js';
import type { Handling, ProbeRecord } from '../processes/probe.js';
import type { Build } from './build.js';
import { freePort } from '../../test/support/ports.js';

/**
 * The Node flags `npm start` runs the bot with (package.json's start
 * script, `node FLAGS dist/main.js`): "as shipped" means with them. The
 * Dockerfile sets the same through NODE_OPTIONS (test/dockerfile.test.ts).
 */
export function shippedNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const match = /^node\s+(.*?)\s*dist\/main\.js$/.exec(pkg.scripts.start.trim());
  if (!match) throw new Error(`package.json's start script is not "node [flags] dist/main.js": ${pkg.scripts.start}`);
  return match[1]!.split(/\s+/).filter(Boolean);
}

export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-bench-0000000000-bot-token';

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fipbot-bench-${prefix}-`));
}

export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface BotProcess {
  kind: 'fipbot' | 'floor';
  pid: number;
  /** The request URL (POST /slack/events). */
  url: string;
  logFile: string;
  memory(options?: { gc?: boolean }): Promise<MemoryUsage>;
  /** Start or stop recording the process's outgoing HTTP requests (stopping forgets them). */
  record(on: boolean): Promise<void>;
  /** The requests recorded so far; `reset` forgets them after answering. */
  requests(options?: { reset?: boolean }): Promise<ProbeRecord[]>;
  /** The process's own answer times and event-loop delay since the last call. */
  handling(): Promise<Handling>;
  /** Log lines (JSON) the process wrote. */
  logLines(): string[];
  stop(): Promise<void>;
}

/** Only what the bot needs: nothing inherited can point it at another cloud, Redis or policy. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(OS_|SLACK_|FIPBOT_|REDIS_|LOG_LEVEL$|PORT$|HOST$|NODE_OPTIONS$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface BotOptions {
  build: Build;
  kind: 'fipbot' | 'floor';
  slackApiUrl: string;
  /** OS_CLIENT_CONFIG_FILE / OS_CLOUD and the like (fipbot only). */
  cloudEnv?: Record<string, string>;
  /** Extra environment (FIPBOT_OPENSTACK_MAX_CONCURRENT, LOG_LEVEL, …). */
  env?: Record<string, string>;
  /** Node flags, e.g. --expose-gc for the memory benchmark; after the shipped ones, so they win. */
  nodeFlags?: string[];
  /** Leave out the start script's flags (the memory benchmark's comparison run). Default false. */
  withoutShippedFlags?: boolean;
}

export async function startBot(options: BotOptions): Promise<BotProcess> {
  const dir = scratchDir(options.kind);
  const logFile = join(dir, 'out.log');
  const out = openSync(logFile, 'a');
  const port = await freePort();
  const script = options.kind === 'fipbot' ? options.build.mainJs : options.build.floorJs;
  const child = fork(script, [], {
    // BENCH_BOT_NODE_FLAGS: extra flags for the bot and the floor, to try V8 settings (e.g. --max-semi-space-size=4).
    // The floor runs with the same flags: the comparison is of the apps, not of V8 settings.
    execArgv: [
      '--import',
      options.build.probeUrl,
      ...(options.withoutShippedFlags ? [] : shippedNodeFlags()),
      ...(options.nodeFlags ?? []),
      ...(process.env.BENCH_BOT_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    ],
    env: cleanEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: options.slackApiUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(options.cloudEnv ?? {}),
      ...(options.env ?? {}),
    }),
    stdio: ['ignore', out, out, 'ipc'],
  });
  closeSync(out);
  const ipc = new Ipc(child);
  const logLines = () =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  const running = options.kind === 'fipbot' ? 'fipbot is running' : 'floor is running';
  const url = await waitFor(child, 60_000, () => {
    for (const line of logLines()) {
      const record = parseJson(line);
      if (record?.msg === running && typeof record.url === 'string') return record.url;
    }
    return undefined;
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(
      `${options.kind} did not start: ${error instanceof Error ? error.message : String(error)}\n${logLines().slice(-15).join('\n')}`,
    );
  });
  return {
    kind: options.kind,
    pid: child.pid!,
    url,
    logFile,
    memory: async (memoryOptions = {}) =>
      ((await ipc.ask({ type: 'memory', gc: memoryOptions.gc === true })) as { memory: MemoryUsage }).memory,
    record: async (on) => void (await ipc.ask({ type: 'record', on })),
    requests: async (requestOptions = {}) =>
      ((await ipc.ask({ type: 'requests', reset: requestOptions.reset === true })) as { records: ProbeRecord[] }).records,
    handling: async () => ((await ipc.ask({ type: 'handling' })) as { handling: Handling }).handling,
    logLines,
    stop: () => stopChild(child),
  };
}

export interface DemoCloudProcess {
  baseUrl: string;
  authUrl: string;
  /** OS_CLIENT_CONFIG_FILE + OS_CLOUD for the bot (user demo). */
  cloudEnv: Record<string, string>;
  setLatency(ms: number): Promise<void>;
  requests(): Promise<{ count: number; authentications: number; requests: RequestRecord[] }>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoCloudProcess(
  build: Build,
  options: { latencyMs?: number; servers?: number; floatingIps?: number; tokenTtlSeconds?: number } = {},
): Promise<DemoCloudProcess> {
  const dir = scratchDir('demo');
  const logFile = join(dir, 'out.log');
  const out = openSync(logFile, 'a');
  const args = [
    ...(options.latencyMs !== undefined ? ['--latency', String(options.latencyMs)] : []),
    ...(options.servers !== undefined ? ['--servers', String(options.servers)] : []),
    ...(options.floatingIps !== undefined ? ['--floating-ips', String(options.floatingIps)] : []),
    ...(options.tokenTtlSeconds !== undefined ? ['--token-ttl', String(options.tokenTtlSeconds)] : []),
  ];
  const child = fork(build.demoCloudJs, args, { env: cleanEnv({}), stdio: ['ignore', out, out, 'ipc'] });
  closeSync(out);
  const baseUrl = await waitFor(
    child,
    120_000,
    () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(logFile, 'utf8'))?.[1],
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`the demo cloud did not start: ${String(error)}\n${readFileSync(logFile, 'utf8')}`);
  });
  const admin = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/_demo/${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`demo cloud ${method} /_demo/${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const cloudsYaml = join(dir, 'clouds.yaml');
  const yaml = await fetch(`${baseUrl}/_demo/clouds.yaml`).then((response) => response.text());
  writeFileSync(cloudsYaml, yaml);
  return {
    baseUrl,
    authUrl: `${baseUrl}/identity/v3`,
    cloudEnv: { OS_CLIENT_CONFIG_FILE: cloudsYaml, OS_CLOUD: 'fipbot-demo' },
    setLatency: async (ms) => void (await admin('POST', 'faults/latency', { ms })),
    requests: async () => (await admin('GET', 'stats')) as { count: number; authentications: number; requests: RequestRecord[] },
    resetStats: async () => void (await admin('POST', 'stats/reset')),
    stop: () => stopChild(child),
  };
}

/** Request/answer over a child's IPC channel. */
class Ipc {
  private next = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();

  constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id?: number }) => {
      const resolve = message.id === undefined ? undefined : this.pending.get(message.id);
      if (resolve && message.id !== undefined) {
        this.pending.delete(message.id);
        resolve(message);
      }
    });
  }

  ask(request: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer from pid ${this.child.pid} to ${String(request.type)}`));
      }, 10_000);
      this.pending.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      this.child.send({ id, ...request });
    });
  }
}

async function waitFor<T>(child: ChildProcess, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    if (child.connected) child.disconnect();
    child.kill('SIGTERM');
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
