/**
 * A real redis-server for tests, on 127.0.0.1 only, in a temporary directory,
 * with nothing persisted (no RDB, no AOF). Independent of any system service:
 * each call starts a process of its own and `stop()` ends it.
 *
 *   const redis = await startRedis({ password: 'test-pw' });
 *   redis.url   // redis://:test-pw@127.0.0.1:PORT
 *   await redis.stop();
 *
 * Without the redis-server binary this throws, saying how to install it: the
 * shared-state tests fail rather than skip silently.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export interface RedisServer {
  /** redis://[:password@]127.0.0.1:PORT */
  url: string;
  port: number;
  password: string | undefined;
  /** SIGTERM, then SIGKILL after 5 s; removes the directory. Safe to call twice. */
  stop(): Promise<void>;
}

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

export function assertRedisInstalled(): void {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${REDIS_SERVER} is not installed (or not on PATH), and the shared-state tests need a real one. ` +
        'Install it: apt-get install -y redis-server (Debian/Ubuntu) or brew install redis (macOS); ' +
        'or point REDIS_SERVER at the binary. The tests start their own server on 127.0.0.1 and never use the system service.',
    );
  }
}

const running = new Set<ChildProcess>();
// A test run that dies leaves no redis-server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `port` restarts a server where a stopped one was (to test reconnection); otherwise a free port is picked. */
export async function startRedis(options: { password?: string; port?: number } = {}): Promise<RedisServer> {
  assertRedisInstalled();
  if (options.port !== undefined) return startOnce(options.port, options.password);
  let lastError: unknown;
  // Another process may take the port between freePort() and redis binding it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freePort(), options.password);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function startOnce(port: number, password: string | undefined): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fipbot-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
  ];
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not get ready within 10 s:\n${output}`)), 10_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `redis://${password !== undefined ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`,
    port,
    password,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
