/**
 * No secret ever leaves fipbot: not in a log line, not in a message or view
 * a person sees, not in what it sends Slack, not on the process's stdout or
 * stderr. Secrets with distinctive values: the cloud's password, an
 * application-credential secret, the Slack bot token and signing secret, and
 * every Keystone token the demo cloud issued along the way (taken from its
 * state).
 *
 * A representative run (commands, confirmations, the form, the Home tab, a
 * policy refusal, a forged request, and the faults: Keystone refusing,
 * Neutron 500, a timeout, a reset, Nova down, revoked tokens) is made
 *  - in process, with the harness's every log line captured, once with a
 *    password-based and once with an application-credential cloud config;
 *  - through `npm start`'s own code (src/run.ts), configured as an operator
 *    would (clouds.yaml, SLACK_* variables, LOG_LEVEL=debug), its stdout and
 *    stderr captured, again with each kind of credential. (The built bot's
 *    own process, crash path included: test/main.process.test.ts.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ACTIONS, BLOCKS } from '../../src/slack/blocks/ids.js';
import type { DemoCloud } from '../support/demo.js';
import { demoCloudConfig, startDemoCloud } from '../support/demo.js';
import { SlackSimulator } from '../support/slack/simulator.js';
import { DEFAULT_USER } from '../support/slack/workspace.js';
import { demoApplicationCredentialConfig, type Harness, startHarness } from '../slack/e2e/harness.js';
import { command, confirm, confirmation, eventually, sleep } from './support.js';
import { freePort } from '../support/ports.js';
import { type FipbotProcess, spawnFipbot } from '../support/process.js';

const PASSWORD = 'Pw-7f3Kq9-distinctive-Hunter2-XyZ';
const APP_SECRET = 'AppCred-Secret-9d8e7f-distinctive-QwErTy';
const BOT_TOKEN = 'xoxb-1111111111-2222222222-Distinctive0BotToken0';
const SIGNING_SECRET = 'signing-secret-5a6b7c8d9e-distinctive';
const ONCALL = 'S0ONCALL01';
const POLICY = [
  'actions:',
  '  list: { users: ["*"] }',
  '  explain: { users: ["*"] }',
  `  create: { usergroups: [${ONCALL}] }`,
  '  attach: { users: ["*"] }',
  '  detach: { users: ["*"] }',
  '  release: { users: ["*"] }',
].join('\n');

type Auth = 'password' | 'applicationCredential';

/** Gives the demo cloud's user demo the distinctive password, and its application credential the distinctive secret. */
function distinctiveCredentials(demo: DemoCloud): void {
  const store = demo.state.store;
  store.users.get(demo.state.userId('demo'))!.password = PASSWORD;
  [...store.applicationCredentials.values()].find((credential) => credential.name === 'fipbot-demo')!.secret = APP_SECRET;
}

/** What the run needs: Slack in front, the demo cloud behind, and somewhere to keep every token issued. */
interface Stage {
  sim: SlackSimulator;
  demo: DemoCloud;
  tokens: Set<string>;
}

function collectTokens(stage: Stage): void {
  for (const token of stage.demo.state.tokens()) stage.tokens.add(token);
}

/** Every token the demo cloud issued, collected before each revocation and at the end. */
function revokeTokens(stage: Stage): void {
  collectTokens(stage);
  stage.demo.faults.expireAllTokens();
}

/** The representative run: what people do, and what goes wrong. Works against any bot the stage's simulator points at. */
async function representativeRun(stage: Stage): Promise<void> {
  const h = stage as unknown as Harness;
  const { sim, demo } = stage;
  await command(h, 'help');
  await command(h, 'list');
  await command(h, 'explain test_instance');
  // A change, confirmed; a refusal explained.
  const created = await confirm(h, await confirmation(h, 'create public'));
  const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(created.text ?? '')![1]!;
  await command(h, `attach ${ip} test_instance`);
  await confirm(h, await confirmation(h, `attach ${ip} web-1`));
  // The form, and the Home tab.
  const mark = sim.api.mark();
  await sim.slashCommand('');
  const opened = await sim.api.waitForCall('views.open', { after: mark, timeoutMs: 10_000 });
  const form = sim.views().find((view) => view.id === (opened.response as { view: { id: string } }).view.id)!;
  await sim.submitView(form, {
    [`${BLOCKS.formIp}.${ACTIONS.ipSelect}`]: { text: ip, value: ip },
    [`${BLOCKS.formInstance}.${ACTIONS.instanceSelect}`]: { text: 'web-2', value: demo.state.server('web-2').id },
  });
  await sim.openHome(DEFAULT_USER);
  await sim.api.waitForCall('views.publish', { after: mark, timeoutMs: 10_000 });
  // A policy refusal (where a policy is in force), and a forged request.
  await command(h, 'create public', { user: 'U0BOB0001' });
  await sim.slashCommand('release 192.168.100.201', { signing: 'forged' });
  // Tokens revoked mid-operation: the next request re-authenticates.
  const detach = await confirmation(h, `detach ${ip}`);
  revokeTokens(stage);
  await confirm(h, detach);
  // Keystone refusing, then down.
  revokeTokens(stage);
  demo.faults.failNext({ method: 'POST', path: '/identity/v3/auth/tokens' }, { status: 401, count: 3 });
  await command(h, 'list');
  demo.faults.failNext({ method: 'POST', path: '/identity/v3/auth/tokens' }, { status: 503, count: 10 });
  await command(h, 'list');
  demo.faults.reset();
  // Neutron 500, a reset, a timeout; Nova down.
  const release = await confirmation(h, `release ${ip}`);
  demo.faults.failNext({ method: 'DELETE', path: '/v2.0/floatingips/*' }, { status: 500 });
  await confirm(h, release);
  demo.faults.dropConnections({ method: 'GET', path: '/v2.0/floatingips' }, { count: 5 });
  await command(h, 'list');
  demo.faults.setRouteLatency({ method: 'GET', path: '/v2.0/floatingips' }, 1_500);
  await command(h, 'list free');
  demo.faults.reset();
  demo.faults.failNext({ path: '/compute/**' }, { status: 500, count: 100 });
  await command(h, 'list attached');
  await command(h, 'attach new web-1');
  demo.faults.reset();
  await confirm(h, await confirmation(h, `release ${ip}`));
  // Let late answers (the slow listing) land before looking.
  await sleep(600);
  collectTokens(stage);
}

/**
 * Everything fipbot said to Slack: messages and views as shown, and the
 * arguments of every Web API call but `token` (the bot token sent to Slack
 * itself, which is where it belongs; Bolt's auth.test passes it that way).
 */
function slackTraffic(sim: SlackSimulator): string {
  return JSON.stringify({
    messages: sim.messages().map((m) => [m.text, m.blocks, m.history]),
    views: sim.views().map((v) => v.definitions),
    calls: sim.api.calls.map(({ args: { token: _token, ...args } }) => args),
  });
}

/** Where a secret (or a recognisable part of one) appears in `text`. */
function leaks(text: string, secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    // The secret itself, and a 24-character slice of it: a truncated token is still a leak.
    const pieces = [secret, secret.slice(0, 24), secret.slice(-24)].filter((piece) => piece.length >= 12);
    if (pieces.some((piece) => text.includes(piece))) found.push(name);
  }
  return found;
}

function secretsOf(stage: Stage): Record<string, string> {
  const secrets: Record<string, string> = {
    password: PASSWORD,
    'application-credential secret': APP_SECRET,
    'Slack bot token': BOT_TOKEN,
    'signing secret': SIGNING_SECRET,
  };
  [...stage.tokens].forEach((token, index) => {
    // Past the Fernet-like prefix every demo token shares.
    secrets[`Keystone token ${index + 1}`] = token.slice(7);
  });
  return secrets;
}

const KINDS: Array<[label: string, auth: Auth]> = [
  ['a password-based', 'password'],
  ['an application-credential', 'applicationCredential'],
];

// Four runs side by side (each with its own bot, Slack and cloud): most of their time is waiting.
describe.concurrent('secrets', () => {
  it.each(KINDS)(
    'never appear in the log, in what people see or in what is sent to Slack, in process with %s cloud config',
    async (_label, auth) => {
      const h = await startHarness({
        policy: POLICY,
        botToken: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        timing: { openstack: { timeoutMs: 1_000 } },
        cloud: (demo) => {
          distinctiveCredentials(demo);
          return auth === 'password'
            ? { ...demoCloudConfig(demo), auth: { ...demoCloudConfig(demo).auth, password: PASSWORD } as never }
            : demoApplicationCredentialConfig(demo, APP_SECRET);
        },
      });
      try {
        h.sim.workspace.setGroupMembers(ONCALL, [DEFAULT_USER]);
        const stage: Stage = { sim: h.sim, demo: h.demo, tokens: new Set() };
        await representativeRun(stage);

        expect(stage.tokens.size).toBeGreaterThanOrEqual(3);
        expect(h.logs.length).toBeGreaterThan(3);
        // The run did authenticate with the secret: the demo cloud accepted it.
        expect(h.demo.stats.authentications()).toBeGreaterThanOrEqual(3);
        const secrets = secretsOf(stage);
        expect(leaks(h.logs.join('\n'), secrets)).toEqual([]);
        expect(leaks(slackTraffic(h.sim), secrets)).toEqual([]);
        // The bot token travels only where it belongs: the Authorization header of Web API calls.
        expect(h.sim.api.calls.every((call) => call.token === BOT_TOKEN)).toBe(true);
      } finally {
        await h.close();
      }
    },
    60_000,
  );

  it.each(KINDS)(
    'never appear on the stdout or stderr of npm start (src/run.ts, configured by its environment) with %s clouds.yaml',
    async (_label, auth) => {
      const demo = await startDemoCloud({ port: 0 });
      const sim = await SlackSimulator.start({ signingSecret: SIGNING_SECRET });
      let bot: Omit<FipbotProcess, 'url' | 'base'> | undefined;
      try {
        distinctiveCredentials(demo);
        sim.workspace.tokens.add(BOT_TOKEN);
        const home = mkdtempSync(join(tmpdir(), 'fipbot-secrets-'));
        const cloud =
          auth === 'password'
            ? {
                auth_type: 'password',
                auth: {
                  auth_url: demo.authUrl,
                  username: 'demo',
                  password: PASSWORD,
                  project_name: 'demo',
                  user_domain_name: 'Default',
                  project_domain_name: 'Default',
                },
              }
            : {
                auth_type: 'v3applicationcredential',
                auth: {
                  auth_url: demo.authUrl,
                  application_credential_id: demo.state.applicationCredential.id,
                  application_credential_secret: APP_SECRET,
                },
              };
        writeFileSync(
          join(home, 'clouds.yaml'),
          stringify({ clouds: { secrets: { ...cloud, region_name: 'RegionOne', interface: 'public', identity_api_version: 3 } } }),
        );
        const port = await freePort();
        bot = spawnFipbot('secrets', {
          OS_CLIENT_CONFIG_FILE: join(home, 'clouds.yaml'),
          OS_CLOUD: 'secrets',
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: sim.apiUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'debug',
          FIPBOT_OPENSTACK_TIMEOUT_MS: '1000',
        });
        const running = bot;
        let exitCode: number | undefined;
        void running.exited.then((code) => (exitCode = code));
        await eventually(() => running.output().includes('fipbot is running') || exitCode !== undefined, 'fipbot to start', 30_000);
        expect(exitCode, running.output()).toBeUndefined();
        sim.botUrl = `http://127.0.0.1:${port}/slack/events`;

        const stage: Stage = { sim, demo, tokens: new Set() };
        await representativeRun(stage);
        running.signal('SIGTERM');
        expect(await running.exited).toBe(0);

        const output = running.output();
        if (process.env.SHOW_OUTPUT) console.log(output);
        expect(output).toContain('fipbot is running');
        expect(stage.tokens.size).toBeGreaterThanOrEqual(3);
        expect(demo.stats.authentications()).toBeGreaterThanOrEqual(3);
        const secrets = secretsOf(stage);
        expect(leaks(output, secrets)).toEqual([]);
        expect(leaks(slackTraffic(sim), secrets)).toEqual([]);
      } finally {
        await bot?.stop();
        await sim.close();
        await demo.close();
      }
    },
    90_000,
  );

  it('are found by the check when present: a whole secret, or a slice of one', () => {
    expect(leaks(`{"error":"bad ${PASSWORD}"}`, { password: PASSWORD })).toEqual(['password']);
    expect(leaks(`token=${BOT_TOKEN.slice(0, 30)}…`, { 'Slack bot token': BOT_TOKEN })).toEqual(['Slack bot token']);
  });
});
