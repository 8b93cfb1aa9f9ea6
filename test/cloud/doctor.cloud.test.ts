/**
 * `npm run doctor` against the cloud OS_CLOUD names (npm run test:cloud;
 * .ci/run points it at the local real Keystone + Neutron + Nova): a clean
 * report for its configuration, and a named problem for a copy of that
 * configuration with a wrong password. Slack is left out (no token here).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatJson, formatText } from '../../src/doctor/format.js';
import { runDoctor } from '../../src/doctor/run.js';
import type { CheckId, DoctorReport } from '../../src/doctor/types.js';
import { loadCloudConfig } from '../../src/openstack/clouds.js';

const CLOUD_CHECKS: readonly CheckId[] = ['cloud-config', 'keystone', 'catalog', 'neutron', 'nova', 'pools'];

/** This process's environment without Slack settings or a policy file: the report is about the cloud. */
function cloudEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...overrides };
  for (const name of Object.keys(env)) if (name.startsWith('SLACK_') || name === 'FIPBOT_POLICY_FILE') delete env[name];
  return env;
}

function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fipbot-doctor-cloud-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the doctor against the configured cloud', () => {
  it('finds nothing blocking: configuration, Keystone, catalog, Neutron, Nova and pools all ok', async () => {
    const report = await runDoctor({ env: cloudEnv(), cwd: process.cwd(), homeDir: homedir(), groups: ['configuration', 'openstack'] });

    const byId = statuses(report);
    expect(Object.fromEntries(CLOUD_CHECKS.map((id) => [id, byId[id]])), formatText(report)).toEqual(
      Object.fromEntries(CLOUD_CHECKS.map((id) => [id, 'ok'])),
    );
    // The quota may be used up by whoever shares the project: that is a warning, never a failure.
    expect(byId.quota).not.toBe('fail');
    expect(report).toMatchObject({ ok: true, exitCode: 0 });
  });

  it('names the refused password for a copy of the configuration with a wrong one, and prints neither password', async () => {
    const file = process.env.OS_CLIENT_CONFIG_FILE;
    const name = process.env.OS_CLOUD;
    if (!file || !name) throw new Error('OS_CLIENT_CONFIG_FILE and OS_CLOUD must name the cloud under test');
    const loaded = loadCloudConfig({ env: cloudEnv(), cwd: process.cwd(), homeDir: homedir() });
    if (!loaded.ok || !loaded.cloud) throw new Error('the configured cloud does not load');
    const real = loaded.cloud.auth.type === 'password' ? loaded.cloud.auth.password : loaded.cloud.auth.secret;

    // The copy carries the secret itself: a secure.yaml beside the original does not follow it.
    const data = parse(readFileSync(file, 'utf8')) as { clouds: Record<string, { auth: Record<string, string> }> };
    const auth = data.clouds[name]!.auth;
    const wrong = 'wrong-DOCTOR-password-5127';
    if (loaded.cloud.auth.type === 'password') auth.password = wrong;
    else auth.application_credential_secret = wrong;
    const copy = join(dir, 'clouds.yaml');
    writeFileSync(copy, stringify(data));

    const report = await runDoctor({
      env: cloudEnv({ OS_CLIENT_CONFIG_FILE: copy, OS_CLIENT_SECURE_FILE: undefined, XDG_CONFIG_HOME: undefined, OS_PASSWORD: undefined }),
      cwd: dir,
      homeDir: dir,
      groups: ['configuration', 'openstack'],
    });

    const keystone = report.checks.find((check) => check.id === 'keystone');
    expect(keystone?.status, formatText(report)).toBe('fail');
    expect(keystone?.detail).toContain('Keystone refused the credentials (401)');
    expect(keystone?.next).toContain(
      loaded.cloud.auth.type === 'password' ? `auth.password of cloud "${name}" in ${copy}` : 'application_credential_secret',
    );
    expect(report.exitCode).toBe(1);
    const printed = formatText(report) + formatJson(report);
    expect(printed).not.toContain(wrong);
    expect(printed).not.toContain(real);
  });
});
