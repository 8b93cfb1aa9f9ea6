/**
 * fipbot as a newcomer starts it: no OpenStack and no Slack configured. It
 * must say plainly that it runs on the embedded demo cloud, and offer the
 * console, where the seed's story works.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function run(input: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // A clean environment: nothing configured, and no clouds.yaml in the working or home directory.
  const home = mkdtempSync(join(tmpdir(), 'fipbot-home-'));
  // tsx runs the TypeScript entry point directly (no build step in the test run); resolved from the project, not the temp cwd.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, join(import.meta.dirname, '..', 'src', 'main.ts')], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('starting fipbot with nothing configured', () => {
  it('runs the console on the embedded demo cloud, says so, and the seed story works', async () => {
    const { code, stdout, stderr } = await run('attach 192.168.100.201 test_instance\nattach 192.168.100.201 web-1\n1\nquit\n');
    expect(code).toBe(0);
    expect(stderr).toContain('No OpenStack cloud is configured, so fipbot runs on its embedded demo cloud');
    expect(stdout).toContain('fipbot console');
    expect(stdout).toContain('"test_instance" is directly on the public network "public": it needs no floating IP');
    expect(stdout).toMatch(/✅ @\S+ attached `192\.168\.100\.201` to web-1/);
  }, 60_000);

  it('refuses a broken configuration, naming every problem, without printing secrets', async () => {
    const { code, stdout, stderr } = await run('', {
      SLACK_BOT_TOKEN: 'not-a-bot-token-s3cr3t',
      PORT: 'eighty',
      OS_AUTH_URL: 'ftp://keystone',
      OS_USERNAME: 'bot',
      OS_PASSWORD: 'hunter2-very-secret',
    });
    expect(code).toBe(1);
    const output = stdout + stderr;
    for (const where of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT', 'OS_AUTH_URL']) expect(output).toContain(`"where":"${where}"`);
    expect(output).not.toContain('hunter2-very-secret');
    expect(output).not.toContain('not-a-bot-token-s3cr3t');
  }, 60_000);
});
