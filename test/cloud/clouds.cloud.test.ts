/**
 * Several clouds in one bot against a real cloud (npm run test:cloud): a second project and a user with the
 * member role in it are created through the admin cloud (Keystone's API, the admin's token), a temporary
 * clouds.yaml and FIPBOT_CONFIG name both, a two-cloud bot is built from them, and an IP allocated through
 * one cloud is not seen through the other. Everything made here (the IPs, the user, the project) is removed,
 * whatever happens.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type ConfiguredClouds, loadCloudsFile } from '../../src/clouds/config.js';
import { createFipbot, type Fipbot } from '../../src/fipbot.js';
import { createLogger } from '../../src/log.js';
import type { CloudConfig, PasswordAuth } from '../../src/openstack/cloud-config.js';
import { loadCloudConfig } from '../../src/openstack/clouds.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { renderText } from '../support/slack/text.js';
import { startHarness } from '../slack/e2e/harness.js';
import { testSettings } from '../support/settings.js';
import { testTiming } from '../support/timing.js';

function cloudNamed(name: string): CloudConfig {
  const loaded = loadCloudConfig({ env: { ...process.env, OS_CLOUD: name }, cwd: process.cwd(), homeDir: homedir() });
  if (!loaded.ok || !loaded.cloud) throw new Error(`cloud ${name}: ${JSON.stringify(loaded.ok ? 'none' : loaded.problems)}`);
  return loaded.cloud;
}

/** Keystone as the admin: a token, then plain JSON calls. */
class KeystoneAdmin {
  private constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  static async login(admin: CloudConfig): Promise<KeystoneAdmin> {
    const auth = admin.auth as PasswordAuth;
    const base = auth.authUrl.replace(/\/$/, '');
    const response = await fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: {
                ...(auth.userId ? { id: auth.userId } : { name: auth.username, domain: auth.userDomain ?? { id: 'default' } }),
                password: auth.password,
              },
            },
          },
          scope: {
            project: auth.projectId ? { id: auth.projectId } : { name: auth.projectName, domain: auth.projectDomain ?? { id: 'default' } },
          },
        },
      }),
    });
    if (response.status !== 201) throw new Error(`admin token: HTTP ${response.status}`);
    return new KeystoneAdmin(base, response.headers.get('x-subject-token')!);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'x-auth-token': this.token, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok && response.status !== 404) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return (response.status === 204 || response.status === 404 ? undefined : await response.json()) as T;
  }
}

const suffix = Date.now().toString(36);
const MAIN_CHANNEL = 'C0MAIN001';
const SECOND_CHANNEL = 'C0SECOND1';
const PASSWORD = `it-clouds-${suffix}-secret`;
let admin: KeystoneAdmin;
let dir: string;
let bot: Fipbot | undefined;
const undo: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  const adminName = process.env.FIPBOT_TEST_ADMIN_CLOUD;
  if (!adminName) throw new Error('FIPBOT_TEST_ADMIN_CLOUD must name the admin cloud used for set-up and tear-down');
  const main = cloudNamed(process.env.OS_CLOUD ?? '');
  admin = await KeystoneAdmin.login(cloudNamed(adminName));
  const domainId = 'default';
  const { project } = await admin.call<{ project: { id: string; name: string } }>('POST', '/projects', {
    project: { name: `fipbot-it-${suffix}`, domain_id: domainId, description: 'fipbot integration test: several clouds' },
  });
  undo.push(() => admin.call('DELETE', `/projects/${project.id}`));
  const { user } = await admin.call<{ user: { id: string; name: string } }>('POST', '/users', {
    user: { name: `fipbot-it-${suffix}`, password: PASSWORD, domain_id: domainId, default_project_id: project.id },
  });
  undo.push(() => admin.call('DELETE', `/users/${user.id}`));
  const { roles } = await admin.call<{ roles: Array<{ id: string }> }>('GET', '/roles?name=member');
  await admin.call('PUT', `/projects/${project.id}/users/${user.id}/roles/${roles[0]!.id}`);

  // A clouds.yaml with both: the bot's cloud as configured, and the new project's user.
  dir = mkdtempSync(join(tmpdir(), 'fipbot-clouds-it-'));
  const mainAuth = main.auth as PasswordAuth;
  const entry = (auth: Record<string, string>) => ({
    auth: { auth_url: mainAuth.authUrl, ...auth },
    region_name: main.regionName ?? 'RegionOne',
    interface: main.interface,
  });
  writeFileSync(
    join(dir, 'clouds.yaml'),
    stringify({
      clouds: {
        main: entry({
          ...(mainAuth.userId
            ? { user_id: mainAuth.userId }
            : { username: mainAuth.username!, user_domain_id: mainAuth.userDomain?.id ?? 'default' }),
          password: mainAuth.password,
          ...(mainAuth.projectId
            ? { project_id: mainAuth.projectId }
            : { project_name: mainAuth.projectName!, project_domain_id: mainAuth.projectDomain?.id ?? 'default' }),
        }),
        second: entry({ username: user.name, user_domain_id: domainId, password: PASSWORD, project_id: project.id }),
      },
    }),
  );
  writeFileSync(
    join(dir, 'fipbot.yaml'),
    `clouds:\n  main: { channels: [${MAIN_CHANNEL}] }\n  second: { channels: [${SECOND_CHANNEL}] }\n`,
  );
}, 120_000);

afterAll(async () => {
  // Newest first, while the bot's connections are open: the IPs, then the user and the project.
  const failed: string[] = [];
  while (undo.length) await undo.pop()!().catch((error: unknown) => failed.push(String(error)));
  await bot?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  expect(failed).toEqual([]);
});

describe('two clouds from FIPBOT_CONFIG on a real cloud', () => {
  it('loads both, checks both at start, and keeps them apart', async () => {
    const loaded = loadCloudsFile(join(dir, 'fipbot.yaml'), {
      env: { OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml') },
      cwd: dir,
      homeDir: dir,
    });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const clouds: ConfiguredClouds = loaded.clouds;
    bot = await createFipbot({ settings: testSettings(), cloud: undefined, policy: undefined, clouds }, testTiming(), {
      logger: createLogger({ level: 'warn', write: () => undefined }),
    });
    await bot.start();
    const [main, second] = bot.clouds;
    expect([main!.name, second!.name]).toEqual(['main', 'second']);
    expect((await second!.connection.client.scope()).projectName).toBe(`fipbot-it-${suffix}`);

    const allocated = await second!.service.allocate({ pool: 'public' });
    if (!allocated.ok) throw new Error(allocated.failure.code);
    const ip = allocated.value.floatingIp;
    undo.push(() => second!.connection.neutron.deleteFloatingIp(ip.id));

    const inSecond = await second!.service.list('all');
    const inMain = await main!.service.list('all');
    if (!inSecond.ok || !inMain.ok) throw new Error('list failed');
    expect(inSecond.value.floatingIps.map((fip) => fip.address)).toContain(ip.address);
    expect(inMain.value.floatingIps.map((fip) => fip.address)).not.toContain(ip.address);
    const ready = await bot.readiness.ready();
    expect(ready.checks.openstack!.detail).toMatch(/main: project .*; second: project fipbot-it-/);
  });

  it('over signed HTTP: a channel acts on its cloud only, a command names another with --cloud, and results name the cloud', async () => {
    const env = { OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml') };
    const named = (name: string) => {
      const loaded = loadCloudConfig({ env: { ...env, OS_CLOUD: name }, cwd: dir, homeDir: dir });
      if (!loaded.ok || !loaded.cloud) throw new Error(`cloud ${name}`);
      return loaded.cloud;
    };
    const h = await startHarness({
      twoClouds: {
        prod: [MAIN_CHANNEL],
        staging: [SECOND_CHANNEL],
        prod_config: () => named('main'),
        staging_config: () => named('second'),
      },
    });
    try {
      for (const id of [MAIN_CHANNEL, SECOND_CHANNEL]) h.sim.workspace.addChannel({ id, name: id.toLowerCase() });
      const answer = async (text: string, channel: string) => {
        const ack = await h.sim.slashCommand(text, { channel });
        await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 20_000 }).toBeGreaterThan(0);
        return h.sim.responses(ack.responseUrl!)[0]!.message!;
      };
      const confirmed = async (text: string, channel: string, prefix: string) => {
        await h.sim.clickButton(await answer(text, channel), { actionId: ACTIONS.confirm }, { channel });
        await expect
          .poll(() => h.sim.messages().find((m) => !m.ephemeral && (m.text ?? '').startsWith(prefix))?.text, { timeout: 20_000 })
          .toBeDefined();
        return h.sim.messages().find((m) => !m.ephemeral && (m.text ?? '').startsWith(prefix))!;
      };
      const created = await confirmed('create public', SECOND_CHANNEL, '[staging] allocated ');
      const ip = /allocated (\S+)/.exec(created.text!)![1]!;
      const fip = (await h.bot.clouds[1]!.connection.neutron.listFloatingIps({})).find((candidate) => candidate.address === ip)!;
      undo.push(() => h.bot.clouds[1]!.connection.neutron.deleteFloatingIp(fip.id).catch(() => undefined));
      expect(renderText(created)).toContain('Cloud *staging*');
      expect(renderText(await answer('list', SECOND_CHANNEL))).toContain(ip);
      expect(renderText(await answer('list', MAIN_CHANNEL))).not.toContain(ip);
      // Released from the main channel by naming the cloud.
      await confirmed(`release ${ip} --cloud staging`, MAIN_CHANNEL, `[staging] released ${ip}`);
      expect((await h.bot.clouds[1]!.connection.neutron.listFloatingIps({})).map((candidate) => candidate.address)).not.toContain(ip);
    } finally {
      await h.close();
    }
  });
});
