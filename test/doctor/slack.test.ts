/**
 * The Slack checks against the simulator's fake Web API, which reports the
 * granted scopes in X-OAuth-Scopes as Slack does. Only the Slack group runs:
 * the cloud has its own tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readManifestScopes } from '../../src/doctor/manifest.js';
import { FakeSlackApi } from '../support/slack/fake-slack-api.js';
import { check, closedPort, doctor, type Env, manifestWith, tempDir, textOf, writeFile } from './support.js';

const APP_TOKEN = 'xapp-1-A0SIMAPP1-0001-simapptoken';

let slack: FakeSlackApi;
let dir: ReturnType<typeof tempDir>;
let manifest: string;

beforeAll(async () => {
  slack = await FakeSlackApi.start();
  // The simulator serves no apps.connections.open: answer it here, as Slack does for an app-level token.
  slack.mount('/api/apps.connections.open', (req: IncomingMessage, res: ServerResponse) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const body =
      token === APP_TOKEN ? { ok: true, url: 'wss://wss-primary.slack.test/link/?ticket=t' } : { ok: false, error: 'invalid_auth' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return Promise.resolve();
  });
  dir = tempDir();
  manifest = manifestWith(dir.path, ['commands', 'chat:write', 'usergroups:read']);
});
afterAll(async () => {
  await slack.close();
  dir.remove();
});
beforeEach(() => {
  slack.scopes = ['commands', 'chat:write'];
});

function slackEnv(overrides: Env = {}): Env {
  return { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'sim-signing-secret', SLACK_API_URL: slack.apiUrl, ...overrides };
}

const runSlack = (env: Env, manifestPath = manifest) => doctor(env, dir.path, { groups: ['slack'], manifestPath });

describe('the bot token', () => {
  it('names the workspace and the bot user Slack reports for an accepted token', async () => {
    const report = await runSlack(slackEnv());

    expect(check(report, 'slack-auth')).toMatchObject({
      status: 'ok',
      detail: 'auth.test: workspace Fipbot Simulated (T0SIM0001), bot user @fipbot (U0SIMBOT1)',
    });
    expect(report.exitCode).toBe(0);
  });

  it('blocks on a token Slack refuses, says where to get a good one, and skips the scope comparison', async () => {
    const report = await runSlack(slackEnv({ SLACK_BOT_TOKEN: 'xoxb-revoked-or-never-issued' }));

    const auth = check(report, 'slack-auth');
    expect(auth.status).toBe('fail');
    expect(auth.detail).toContain('Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth)');
    expect(auth.next).toContain('Bot User OAuth Token');
    expect(check(report, 'slack-scopes').status).toBe('skip');
    expect(report.exitCode).toBe(1);
  });

  it('says Slack could not be reached, and points at SLACK_API_URL, when nothing answers there', async () => {
    const port = await closedPort();
    const report = await runSlack(slackEnv({ SLACK_API_URL: `http://127.0.0.1:${port}/api/` }));

    const auth = check(report, 'slack-auth');
    expect(auth.status).toBe('fail');
    expect(auth.detail).toContain('could not reach Slack (ECONNREFUSED');
    expect(auth.next).toContain(`SLACK_API_URL (http://127.0.0.1:${port}/api/)`);
  });

  it('reports nothing about Slack but that it is not configured when SLACK_BOT_TOKEN is unset', async () => {
    const before = slack.calls.length;
    const report = await runSlack({ SLACK_API_URL: slack.apiUrl });

    expect(report.checks).toEqual([
      expect.objectContaining({
        id: 'slack-auth',
        status: 'skip',
        detail: expect.stringContaining('SLACK_BOT_TOKEN is not set') as string,
      }),
    ]);
    expect(slack.calls.length).toBe(before);
  });
});

describe('the granted scopes against the manifest', () => {
  it('is ok when Slack granted exactly the manifest bot scopes fipbot uses', async () => {
    const report = await runSlack(slackEnv());

    expect(check(report, 'slack-scopes')).toMatchObject({
      status: 'ok',
      detail: 'granted exactly what fipbot needs: commands, chat:write',
    });
  });

  it('blocks on a missing scope, naming it and why fipbot needs it, and says to reinstall', async () => {
    slack.scopes = ['commands'];
    const report = await runSlack(slackEnv());

    const scopes = check(report, 'slack-scopes');
    expect(scopes.status).toBe('fail');
    expect(scopes.items).toEqual(['missing chat:write: needed to post confirmations, results and audit messages']);
    expect(scopes.next).toContain('reinstall the app');
    expect(report.exitCode).toBe(1);
  });

  it('warns about scopes granted beyond the manifest, without failing', async () => {
    slack.scopes = ['commands', 'chat:write', 'channels:history', 'users:read'];
    const report = await runSlack(slackEnv());

    const scopes = check(report, 'slack-scopes');
    expect(scopes.status).toBe('warn');
    expect(scopes.detail).toContain('channels:history, users:read');
    expect(scopes.next).toContain('Least privilege');
    expect(report.exitCode).toBe(0);
  });

  it('needs usergroups:read only when the policy file grants actions to a user group', async () => {
    const withGroups = writeFile(
      dir.path,
      'groups-policy.yaml',
      'default: deny\nactions:\n  list: { users: ["*"] }\n  release: { usergroups: [S0123ONCALL] }\n',
    );
    const report = await runSlack(slackEnv({ FIPBOT_POLICY_FILE: withGroups }));

    const scopes = check(report, 'slack-scopes');
    expect(scopes.status).toBe('fail');
    expect(scopes.items).toEqual([
      'missing usergroups:read: needed because the policy file grants actions to user groups, whose members fipbot reads',
    ]);
  });

  it('calls usergroups:read unneeded when the policy file names no user group', async () => {
    slack.scopes = ['commands', 'chat:write', 'usergroups:read'];
    const report = await runSlack(slackEnv());

    const scopes = check(report, 'slack-scopes');
    expect(scopes.status).toBe('warn');
    expect(scopes.items).toEqual(['not needed usergroups:read: the policy file names no user group']);
  });

  it('warns that it cannot compare when Slack sends no scope header', async () => {
    slack.scopes = undefined;
    const report = await runSlack(slackEnv());

    expect(check(report, 'slack-scopes')).toMatchObject({ status: 'warn', detail: expect.stringContaining('x-oauth-scopes') as string });
  });

  it('compares against the bot scopes of the real manifest.yml by default', async () => {
    const real = readManifestScopes();
    if (!real.ok) throw new Error(real.problem);
    slack.scopes = real.scopes.filter((scope) => scope !== 'usergroups:read');
    const report = await doctor(slackEnv(), dir.path, { groups: ['slack'] });

    expect(check(report, 'slack-scopes').status).toBe('ok');
  });
});

describe('Socket Mode', () => {
  it('opens no socket but checks that apps.connections.open accepts the app-level token', async () => {
    const report = await runSlack({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.apiUrl });

    expect(check(report, 'slack-socket-mode')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('apps.connections.open accepted SLACK_APP_TOKEN') as string,
    });
    expect(report.exitCode).toBe(0);
  });

  it('blocks on an app-level token Slack refuses and says how to create one', async () => {
    const report = await runSlack({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-unknown-token', SLACK_API_URL: slack.apiUrl });

    const socket = check(report, 'slack-socket-mode');
    expect(socket.status).toBe('fail');
    expect(socket.detail).toContain('Slack refused SLACK_APP_TOKEN (apps.connections.open: invalid_auth)');
    expect(textOf(socket)).toContain('connections:write');
    expect(report.exitCode).toBe(1);
  });

  it('is not checked in HTTP mode', async () => {
    const report = await runSlack(slackEnv());

    expect(check(report, 'slack-socket-mode')).toMatchObject({ status: 'skip', detail: expect.stringContaining('HTTP mode') as string });
  });
});
