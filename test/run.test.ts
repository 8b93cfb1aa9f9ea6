/**
 * `npm start` as a newcomer and an operator meet it (src/run.ts in this
 * process; test/main.process.test.ts runs the built bot as its own process):
 * with nothing configured it says plainly that it runs on the embedded demo
 * cloud and offers the console, where the seed's story works; a broken
 * configuration is refused with every problem named, policy file included,
 * before anything starts, and without printing secrets.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoOsEnv, startDemoCloud } from './support/demo.js';
import { spawnFipbot, startFipbot } from './support/process.js';
import { SlackSimulator } from './support/slack/simulator.js';
import { testTiming } from './support/timing.js';

describe('starting fipbot with nothing configured', () => {
  it('runs the console on the embedded demo cloud, says so, and the seed story works', async () => {
    const bot = spawnFipbot('console', {}, { input: 'attach 192.168.100.201 test_instance\nattach 192.168.100.201 web-1\n1\nquit\n' });
    expect(await bot.exited).toBe(0);
    const output = bot.output();
    expect(output).toContain('No OpenStack cloud is configured: fipbot runs on its embedded demo cloud');
    expect(output).toContain('fipbot console');
    expect(output).toContain('"test_instance" needs no floating IP: use 192.168.100.178');
    expect(output).toMatch(/✅ @\S+ attached `192\.168\.100\.201` to web-1/);
  });
});

describe('a broken configuration', () => {
  it('is refused, naming every problem, without printing secrets', async () => {
    const bot = spawnFipbot('broken', {
      SLACK_BOT_TOKEN: 'not-a-bot-token-s3cr3t',
      PORT: 'eighty',
      OS_AUTH_URL: 'ftp://keystone',
      OS_USERNAME: 'bot',
      OS_PASSWORD: 'hunter2-very-secret',
    });
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    for (const where of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT', 'OS_AUTH_URL']) expect(output).toContain(`"where":"${where}"`);
    expect(output).not.toContain('hunter2-very-secret');
    expect(output).not.toContain('not-a-bot-token-s3cr3t');
  });

  it('includes the policy file: its problems are listed with the others, before Slack is contacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fipbot-policy-'));
    writeFileSync(join(dir, 'policy.yaml'), 'actions:\n  release: { users: [alice] }\n');
    const bot = spawnFipbot('bad-policy', {
      SLACK_BOT_TOKEN: 'xoxb-1-2-never-used',
      SLACK_SIGNING_SECRET: 'never-used-signing-secret',
      // Nothing listens here: reaching Slack would fail differently.
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: 'eighty',
      FIPBOT_POLICY_FILE: join(dir, 'policy.yaml'),
    });
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    expect(output).toContain('"where":"PORT"');
    expect(output).toContain(`"where":"${join(dir, 'policy.yaml')}: actions.release.users.0"`);
    expect(output).toContain('fipbot cannot start: 2 configuration problems');
    expect(output).not.toContain('auth.test');
  });

  it('reads as lines for people with LOG_FORMAT=pretty (a terminal gets them by default)', async () => {
    const bot = spawnFipbot('pretty-problems', { LOG_FORMAT: 'pretty', SLACK_BOT_TOKEN: 'xoxb-1-2-never-used', PORT: 'eighty' });
    expect(await bot.exited).toBe(1);
    const lines = bot.output().trim().split('\n');
    expect(
      lines.every((line) => /^\d\d:\d\d:\d\d\.\d{3} ERROR /.test(line)),
      bot.output(),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(/ ERROR fipbot cannot start: 2 configuration problems \(listed above\)$/);
    expect(bot.output()).toMatch(/ERROR configuration problem where=PORT problem="/);
    expect(bot.output()).not.toContain('{');
  });

  it('names an unreadable policy file', async () => {
    const bot = spawnFipbot('missing-policy', {
      SLACK_BOT_TOKEN: 'xoxb-1-2-never-used',
      SLACK_SIGNING_SECRET: 'never-used-signing-secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      FIPBOT_POLICY_FILE: 'no-such-policy.yaml',
    });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toMatch(/"where":"FIPBOT_POLICY_FILE","problem":"cannot read \S*no-such-policy\.yaml: ENOENT"/);
  });

  it('names a schedule and a time zone it cannot use for the leak report', async () => {
    const bot = spawnFipbot('bad-report-schedule', {
      SLACK_BOT_TOKEN: 'xoxb-1-2-never-used',
      SLACK_SIGNING_SECRET: 'never-used-signing-secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      FIPBOT_REPORT_CHANNEL: 'C0REPORT01',
      FIPBOT_REPORT_SCHEDULE: 'every monday',
      FIPBOT_REPORT_TIMEZONE: 'CEST',
    });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('"where":"FIPBOT_REPORT_SCHEDULE","problem":"must be days and a 24-hour time such as');
    expect(bot.output()).toContain(
      '"where":"FIPBOT_REPORT_TIMEZONE","problem":"must be an IANA time zone such as Europe/Berlin or UTC, not \\"CEST\\""',
    );
    expect(bot.output()).toContain('fipbot cannot start: 2 configuration problems');
  });
});

describe('a bot that cannot go on', () => {
  it('says plainly that its port is taken, without a stack trace, and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const slack = await SlackSimulator.start({ signingSecret: 'port-signing-secret' });
    slack.workspace.tokens.add('xoxb-1-2-port');
    try {
      const port = (taken.address() as AddressInfo).port;
      const bot = spawnFipbot('port-taken', {
        SLACK_BOT_TOKEN: 'xoxb-1-2-port',
        SLACK_SIGNING_SECRET: 'port-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      expect(await bot.exited).toBe(1);
      expect(bot.output()).toMatch(/"msg":"fipbot could not start: listen EADDRINUSE[^"]*127\.0\.0\.1:\d+"/);
      expect(bot.output()).not.toContain('CRASHED');
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
      await slack.close();
    }
  });

  it('keeps the cloud password out of the log line of a rejection nobody handled', async () => {
    const PASSWORD = 'Pw-run-test-distinctive-4411';
    const bot = spawnFipbot('redact-cloud', {
      OS_AUTH_URL: 'http://127.0.0.1:9/v3',
      OS_USERNAME: 'bot',
      OS_PASSWORD: PASSWORD,
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_ID: 'default',
      OS_PROJECT_DOMAIN_ID: 'default',
    });
    await expect.poll(() => bot.output(), { timeout: 10_000 }).toContain('fip> ');
    bot.rejectUnhandled(new Error(`a library printed ${PASSWORD} in its message`));
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('a library printed [REDACTED] in its message');
    expect(bot.output()).not.toContain(PASSWORD);
  });

  it('exits 1 from the console after a promise rejection nobody handled, not 0', async () => {
    const bot = spawnFipbot('console-rejection', {});
    await expect.poll(() => bot.output(), { timeout: 10_000 }).toContain('fip> ');
    bot.rejectUnhandled(new Error('a bug'));
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('unhandled promise rejection: stopping (a bug; please report it)');
  });
});

describe('a cloud that refuses the configuration, or does not answer, at start', () => {
  const PASSWORD = 'Wrong-password-run-test-7731';
  const slackEnv = (apiUrl: string) => ({
    SLACK_BOT_TOKEN: 'xoxb-1-2-start',
    SLACK_SIGNING_SECRET: 'start-signing-secret',
    SLACK_API_URL: apiUrl,
  });

  it.each([
    ['the console', {}],
    ['Slack (HTTP)', slackEnv('http://127.0.0.1:9/api/')],
  ])('stops %s when Keystone refuses the password: one line with the next step, exit 1', async (_mode, extra) => {
    const demo = await startDemoCloud({ port: 0 });
    try {
      const bot = spawnFipbot('wrong-password', { ...demoOsEnv(demo), OS_PASSWORD: PASSWORD, ...extra }, { input: 'list\nquit\n' });
      expect(await bot.exited).toBe(1);
      const output = bot.output();
      const lines = output.split('\n').filter((line) => line.includes('Keystone'));
      expect(lines, output).toHaveLength(1);
      expect(lines[0]).toContain(
        `"msg":"fipbot cannot start: Keystone authentication: Keystone refused the credentials (401) for user demo, project demo at ${demo.authUrl}/auth/tokens`,
      );
      expect(lines[0]).toMatch(/\. Next: Check OS_PASSWORD, the user name \(OS_USERNAME\) [^"]*, then npm run doctor to check again\."/);
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain('fip> ');
      expect(output).not.toContain('fipbot is running');
      expect(output).not.toContain('stopping');
    } finally {
      await demo.close();
    }
  });

  it('stops when the auth_url answers but is not Keystone (a typo in its path)', async () => {
    const demo = await startDemoCloud({ port: 0 });
    try {
      const bot = spawnFipbot('wrong-auth-url', { ...demoOsEnv(demo), OS_AUTH_URL: `${demo.baseUrl}/identiy/v3` });
      expect(await bot.exited).toBe(1);
      expect(bot.output()).toMatch(
        /"msg":"fipbot cannot start: Keystone authentication: Keystone answered 404 [^"]*Next: [^"]*does not serve the Keystone API: the URL \(OS_AUTH_URL\) is probably wrong, then npm run doctor to check again\."/,
      );
      expect(bot.output()).not.toContain('fip> ');
    } finally {
      await demo.close();
    }
  });

  it('starts the console not ready when nothing answers at the auth_url, saying so in one line', async () => {
    const bot = spawnFipbot('cloud-down-console', { ...demoOsEnv({ authUrl: 'http://127.0.0.1:9/identity/v3' }) });
    await expect.poll(() => bot.output(), { timeout: 10_000 }).toContain('fip> ');
    const output = bot.output();
    expect(output).toMatch(
      /"msg":"fipbot is running, not ready until OpenStack answers: Keystone authentication: could not reach Keystone at http:\/\/127\.0\.0\.1:9\/identity\/v3\/auth\/tokens \(ECONNREFUSED[^"]*Next: Nothing accepts connections at that address and port: check OS_AUTH_URL/,
    );
    expect(output.split('\n').filter((line) => line.includes('Keystone'))).toHaveLength(1);
    await bot.stop();
  });

  it('starts in Slack mode not ready while the cloud is down, says so, and turns ready at its first answer', async () => {
    const demo = await startDemoCloud({ port: 0 });
    const port = demo.port;
    await demo.close();
    const sim = await SlackSimulator.start({ signingSecret: 'start-signing-secret' });
    sim.workspace.tokens.add('xoxb-1-2-start');
    let again: Awaited<ReturnType<typeof startDemoCloud>> | undefined;
    const bot = await startFipbot(
      'cloud-down-http',
      { ...demoOsEnv(demo), ...slackEnv(sim.apiUrl) },
      { timing: testTiming({ ops: { readinessCacheMs: 0 } }) },
    );
    try {
      const output = bot.output();
      expect(output).toMatch(
        /"level":"warn","msg":"fipbot is running, not ready until OpenStack answers: Keystone authentication: could not reach Keystone/,
      );
      expect(output).not.toContain('"msg":"fipbot is running"');
      const notReady = await fetch(`${bot.base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { checks: { openstack: { detail: string } } }).checks.openstack.detail).toMatch(
        /^no answer since fipbot started: Keystone did not answer/,
      );

      again = await startDemoCloud({ port });
      await expect.poll(async () => (await fetch(`${bot.base}/readyz`)).status, { timeout: 10_000 }).toBe(200);
    } finally {
      await bot.stop();
      await again?.close();
      await sim.close();
    }
  });
});
