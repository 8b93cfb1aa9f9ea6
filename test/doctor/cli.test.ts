/**
 * `npm run doctor` as an operator runs it: the command (src/doctor/command.ts,
 * all of cli.ts but the process itself) with only the environment given
 * here, against the demo cloud and the fake Slack. What it prints (stdout and
 * stderr) must never hold a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCloud, startDemoCloud } from '../../src/demo-cloud/index.js';
import { readManifestScopes } from '../../src/doctor/manifest.js';
import { runDoctorCommand } from '../../src/doctor/command.js';
import type { DoctorReport } from '../../src/doctor/types.js';
import { FakeSlackApi } from '../support/slack/fake-slack-api.js';
import { closedPort, demoEnv, type Env, tempDir, writeFile } from './support.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let cloud: DemoCloud;
let slack: FakeSlackApi;
let home: ReturnType<typeof tempDir>;

beforeAll(async () => {
  [cloud, slack] = await Promise.all([startDemoCloud(), FakeSlackApi.start()]);
  const manifest = readManifestScopes();
  if (!manifest.ok) throw new Error(manifest.problem);
  slack.scopes = manifest.scopes.filter((scope) => scope !== 'usergroups:read');
  home = tempDir();
}, 30_000);
afterAll(async () => {
  await Promise.all([cloud.close(), slack.close()]);
  home.remove();
});

/** Runs the command with exactly `env`, in `cwd`, with an empty home: nothing of this machine's configuration leaks in. */
async function runCli(env: Env, args: string[] = [], cwd = home.path): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runDoctorCommand(args, {
    env,
    cwd,
    homeDir: home.path,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

function workingSlack(): Env {
  return { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'sim-signing-secret', SLACK_API_URL: slack.apiUrl };
}

describe('the command', () => {
  it('prints a clean report, one line per check, and exits 0 when the cloud and Slack both work', async () => {
    const run = await runCli({ ...demoEnv(cloud), ...workingSlack() });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.filter((line) => /^[✓!✗-] /.test(line)).map((line) => line.slice(0, 2) + line.slice(2).split(':')[0])).toEqual([
      '✓ fipbot settings',
      '✓ cloud configuration',
      '✓ policy file',
      '✓ Keystone authentication',
      '✓ service catalog',
      '✓ Neutron API',
      '✓ Nova API',
      '✓ floating-IP pools',
      '✓ floating-IP quota',
      '✓ Slack bot token',
      '✓ Slack scopes',
      '- Slack Socket Mode',
    ]);
    expect(run.stdout).toContain('fipbot can work: nothing blocks it, no warnings.');
  }, 30_000);

  it('prints the report as one JSON object with --json, and exits 1 with the problem named when something blocks', async () => {
    const run = await runCli({ ...demoEnv(cloud, { OS_PASSWORD: 'wrong-password' }) }, ['--json']);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.checks.find((result) => result.id === 'keystone')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('Keystone refused the credentials') as string,
    });
  }, 30_000);

  it('refuses an unknown option with the usage and exit code 2', async () => {
    const run = await runCli({}, ['--fix']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown option: --fix');
    expect(run.stderr).toContain('Usage: npm run doctor');
  }, 30_000);
});

describe('secrets', () => {
  const PASSWORD = 'pw-DOCTOR-secret-4471';
  const URL_PASSWORD = 'DOCTOR-url-secret-6610';
  const APP_CREDENTIAL_SECRET = 'DOCTOR-appcred-secret-3319';
  const YAML_PASSWORD = 'DOCTOR-yaml-secret-2291';
  const BOT_TOKEN = 'xoxb-DOCTOR-secret-bot-8812';
  const USER_TOKEN = 'xoxp-DOCTOR-secret-user-9907';
  const SIGNING_SECRET = 'DOCTOR-signing-secret-5531';
  const APP_TOKEN = 'xapp-DOCTOR-secret-app-7720';
  const SECRETS = [PASSWORD, URL_PASSWORD, APP_CREDENTIAL_SECRET, YAML_PASSWORD, BOT_TOKEN, USER_TOKEN, SIGNING_SECRET, APP_TOKEN];

  /** Both output formats of one broken configuration: the problems named, no secret anywhere. */
  async function expectNoSecret(env: Env, named: string[], cwd?: string): Promise<void> {
    for (const args of [[], ['--json']]) {
      const run = await runCli(env, args, cwd);
      const printed = run.stdout + run.stderr;
      expect(run.code, printed).toBe(1);
      for (const problem of named) expect(printed).toContain(problem);
      for (const secret of SECRETS) expect(printed).not.toContain(secret);
      // Nor a recognisable piece of one (a token cut short, a URL-encoded password).
      expect(printed).not.toMatch(/DOCTOR-[a-z-]*secret/i);
    }
  }

  it('prints none when Keystone refuses the password and Slack refuses both tokens', async () => {
    await expectNoSecret(
      {
        ...demoEnv(cloud, { OS_PASSWORD: PASSWORD }),
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: slack.apiUrl,
      },
      ['Keystone refused the credentials', 'Slack refused SLACK_BOT_TOKEN', 'Slack refused SLACK_APP_TOKEN'],
    );
  }, 60_000);

  it('prints none when the configuration is invalid', async () => {
    await expectNoSecret(
      {
        OS_AUTH_URL: cloud.authUrl,
        OS_AUTH_TYPE: 'v3applicationcredential',
        OS_APPLICATION_CREDENTIAL_SECRET: APP_CREDENTIAL_SECRET,
        OS_PROJECT_NAME: 'demo',
        SLACK_BOT_TOKEN: USER_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
      },
      ['OS_APPLICATION_CREDENTIAL_ID', 'OS_PROJECT_NAME', 'SLACK_BOT_TOKEN: must be a bot token'],
    );
  }, 60_000);

  it('prints none when Keystone is out of reach at a URL that carries a password', async () => {
    const port = await closedPort();
    await expectNoSecret(demoEnv(cloud, { OS_AUTH_URL: `http://fipbot:${URL_PASSWORD}@127.0.0.1:${port}/v3`, OS_PASSWORD: PASSWORD }), [
      `could not reach Keystone at http://127.0.0.1:${port}/v3/auth/tokens`,
    ]);
  }, 60_000);

  it('prints none when clouds.yaml is unreadable YAML right at the password', async () => {
    const dir = tempDir();
    try {
      writeFile(
        dir.path,
        'clouds.yaml',
        `clouds:\n  broken:\n    auth:\n      auth_url: http://127.0.0.1:1/v3\n      password: "${YAML_PASSWORD}\n      username: bot\n`,
      );
      await expectNoSecret({}, [`${dir.path}/clouds.yaml: invalid YAML`], dir.path);
    } finally {
      dir.remove();
    }
  }, 60_000);
});
