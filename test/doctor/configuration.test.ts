/** Check 1: fipbot's settings, the cloud configuration and the policy file, every problem listed at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, doctor, tempDir, writeFile } from './support.js';

let dir: ReturnType<typeof tempDir>;

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  dir.remove();
});

describe('an invalid configuration', () => {
  it('lists every problem of the settings and of the cloud, skips the cloud checks, and exits 1', async () => {
    const env = {
      SLACK_BOT_TOKEN: 'not-a-bot-token',
      PORT: '99999',
      LOG_LEVEL: 'loud',
      OS_AUTH_URL: 'ftp://keystone.example.com/v3',
      OS_REGION_NAME: 'RegionOne',
    };
    const report = await doctor(env, dir.path);

    const settings = check(report, 'settings');
    expect(settings.status).toBe('fail');
    expect(settings.detail).toBe("4 problems in fipbot's environment variables");
    expect(settings.items?.map((item) => item.split(':')[0])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT', 'LOG_LEVEL']);

    const cloud = check(report, 'cloud-config');
    expect(cloud.status).toBe('fail');
    expect(cloud.items?.map((item) => item.split(':')[0])).toEqual(['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME']);
    expect(cloud.next).toContain('Configuring the cloud');

    expect(check(report, 'keystone')).toMatchObject({
      status: 'skip',
      detail: 'not checked: the cloud configuration has problems (above)',
    });
    expect(check(report, 'slack-auth')).toMatchObject({ status: 'skip', detail: "not checked: fipbot's settings have problems (above)" });
    expect(report).toMatchObject({ ok: false, exitCode: 1, counts: { fail: 2 } });
  });

  it('names the clouds.yaml problems with their file and key', async () => {
    // Its own directory: a clouds.yaml in the shared one would be found by every other test.
    const own = tempDir();
    const path = writeFile(
      own.path,
      'clouds.yaml',
      'clouds:\n  prod:\n    auth:\n      auth_url: https://keystone.example.com/v3\n      username: bot\n    identity_api_version: 2\n',
    );
    const report = await doctor({ OS_CLIENT_CONFIG_FILE: path, OS_CLOUD: 'prod' }, dir.path, { groups: ['configuration'] });
    own.remove();

    const cloud = check(report, 'cloud-config');
    expect(cloud.status).toBe('fail');
    expect(cloud.items).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${path}: clouds.prod.identity_api_version`),
        expect.stringContaining(`${path}: clouds.prod.auth.password`),
      ]),
    );
  });

  it('lists every problem of the policy file FIPBOT_POLICY_FILE names', async () => {
    const path = writeFile(
      dir.path,
      'policy.yaml',
      'default: maybe\nactions:\n  relase: { users: [U0ALICE01] }\n  list: { users: [alice] }\n',
    );
    const report = await doctor({ FIPBOT_POLICY_FILE: path }, dir.path, { groups: ['configuration'] });

    const policy = check(report, 'policy');
    expect(policy.status).toBe('fail');
    expect(policy.items).toHaveLength(3);
    expect(policy.items).toContainEqual(
      `${path}: actions.relase: "relase" is not an action; the actions are list, leaks, create, attach, detach, release, reclaim, explain`,
    );
    expect(report.exitCode).toBe(1);
  });

  it('blocks when the policy file cannot be read, naming the path', async () => {
    const report = await doctor({ FIPBOT_POLICY_FILE: 'no-such-policy.yaml' }, dir.path, { groups: ['configuration'] });

    expect(check(report, 'policy')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`${dir.path}/no-such-policy.yaml (ENOENT)`) as string,
    });
  });
});

describe('a valid configuration', () => {
  it('says the embedded demo cloud would be used when no cloud is configured, as a warning', async () => {
    const report = await doctor({}, dir.path);

    expect(check(report, 'cloud-config')).toMatchObject({ status: 'warn', detail: expect.stringContaining('none: ') as string });
    expect(check(report, 'cloud-config').detail).toContain('embedded demo cloud');
    expect(check(report, 'keystone')).toMatchObject({ status: 'skip', detail: 'not checked: no cloud is configured' });
    expect(report.exitCode).toBe(0);
  });

  it('describes the policy a valid file sets, and warns when it lets everyone change floating IPs', async () => {
    const path = writeFile(dir.path, 'open-policy.yaml', 'default: allow\nactions:\n  release: { users: [U0ALICE01] }\n');
    const report = await doctor({ FIPBOT_POLICY_FILE: path }, dir.path, { groups: ['configuration'] });

    const policy = check(report, 'policy');
    expect(policy.status).toBe('warn');
    expect(policy.detail).toContain('release: users U0ALICE01');
    expect(policy.items).toEqual([`${path}: every member of the workspace may create, attach and detach floating IPs`]);
    expect(report.exitCode).toBe(0);
  });

  it('warns about an approval rule for a cloud other than the one OS_CLOUD names, and is quiet on that cloud', async () => {
    const own = tempDir();
    const clouds = writeFile(
      own.path,
      'clouds.yaml',
      'clouds:\n  staging:\n    auth:\n      auth_url: https://keystone.example.com/v3\n      username: bot\n      password: pw\n      project_name: p\n',
    );
    const path = writeFile(
      own.path,
      'approval-policy.yaml',
      'actions:\n  release: { users: [U0ALICE01] }\napprovals:\n  release: { approvers: { users: [U0BOB0001] }, clouds: [prod] }\n',
    );
    const env = { FIPBOT_POLICY_FILE: path, OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'staging' };
    const report = await doctor(env, own.path, { groups: ['configuration'] });
    own.remove();

    const policy = check(report, 'policy');
    expect(policy.detail).toContain('release needs approval by users U0BOB0001 on prod');
    expect(policy.items).toEqual([`${path}: approvals.release applies only on prod, not on this cloud (staging)`]);
  });

  it('names the Slack mode the settings select', async () => {
    const http = await doctor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '3100' }, dir.path, {
      groups: ['configuration'],
    });
    const socket = await doctor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, dir.path, { groups: ['configuration'] });

    expect(check(http, 'settings').detail).toContain('Slack over HTTP, listening on 127.0.0.1:3100');
    expect(check(socket, 'settings').detail).toContain('Slack over Socket Mode');
  });
});
