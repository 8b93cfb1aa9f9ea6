/**
 * The OpenStack checks against the embedded demo cloud, reached the way an
 * operator configures a real one (OS_* variables), with its fault knobs
 * standing in for a broken cloud.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICATION_CREDENTIAL, type DemoCloud, startDemoCloud } from '../../src/demo-cloud/index.js';
import { demoCloudConfig } from '../../src/embedded-cloud.js';
import { connectCloud } from '../../src/openstack/cloud.js';
import { check, closedPort, demoEnv, doctor, tempDir, textOf } from './support.js';
import { checkOpenStack } from '../../src/doctor/run.js';

let cloud: DemoCloud;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  cloud = await startDemoCloud();
  dir = tempDir();
});
afterAll(async () => {
  await cloud.close();
  dir.remove();
});
afterEach(() => {
  cloud.faults.reset();
});

const OPENSTACK = ['keystone', 'catalog', 'neutron', 'nova', 'pools', 'quota'] as const;

describe('a working cloud', () => {
  it('gets every OpenStack check ok, names the project, user and pools, and exits 0', async () => {
    const report = await doctor(demoEnv(cloud), dir.path, { groups: ['configuration', 'openstack'] });

    expect(report.checks.map((result) => [result.id, result.status])).toEqual([
      ['settings', 'ok'],
      ['cloud-config', 'ok'],
      ['policy', 'ok'],
      ...OPENSTACK.map((id) => [id, 'ok']),
    ]);
    expect(report).toMatchObject({ ok: true, exitCode: 0, counts: { fail: 0, warn: 0 } });
    expect(check(report, 'cloud-config').detail).toContain('from the OS_* variables');
    expect(check(report, 'keystone').detail).toMatch(/as user demo .* in project demo /);
    expect(check(report, 'catalog').detail).toContain(`network ${cloud.baseUrl}/network`);
    expect(check(report, 'pools').detail).toBe('2 visible: public, public-b');
    expect(check(report, 'quota').detail).toMatch(/^2 of \d+ in use$/);
  });

  it('checks a cloud handed over by the caller (the embedded demo cloud at start-up) without loading any configuration', async () => {
    const report = await doctor({}, dir.path, { cloud: demoCloudConfig(cloud), groups: ['configuration', 'openstack'] });

    expect(check(report, 'cloud-config')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('the embedded demo cloud') as string,
    });
    expect(OPENSTACK.map((id) => check(report, id).status)).toEqual(OPENSTACK.map(() => 'ok'));
  });

  it('checks through a connection handed over by the caller (the bot at start-up), leaves it open, and its token serves the bot afterwards', async () => {
    const connection = connectCloud(demoCloudConfig(cloud));
    try {
      const before = cloud.stats.authentications();
      const report = await checkOpenStack(demoCloudConfig(cloud), connection);
      expect(report.ok).toBe(true);
      // Still open and already authenticated: the bot's first operation needs no login of its own.
      await connection.neutron.listExternalNetworks();
      expect(cloud.stats.authentications()).toBe(before + 1);
    } finally {
      await connection.close();
    }
  });

  it('warns, without failing, when the bot holds the admin role', async () => {
    const report = await doctor(demoEnv(cloud, { OS_USERNAME: 'admin', OS_PASSWORD: 'admin', OS_PROJECT_NAME: 'admin' }), dir.path, {
      groups: ['openstack'],
    });

    expect(check(report, 'keystone')).toMatchObject({ status: 'warn', next: expect.stringContaining('member role only') as string });
    expect(report.exitCode).toBe(0);
  });
});

describe('Keystone refusing or out of reach', () => {
  it('names a refused password, says which settings to check, skips what depends on a token and exits 1', async () => {
    const report = await doctor(demoEnv(cloud, { OS_PASSWORD: 'not-the-password' }), dir.path, { groups: ['openstack'] });

    const keystone = check(report, 'keystone');
    expect(keystone.status).toBe('fail');
    expect(keystone.detail).toContain(`Keystone refused the credentials (401) for user demo, project demo at ${cloud.authUrl}/auth/tokens`);
    expect(keystone.next).toContain('Check OS_PASSWORD');
    expect(keystone.cause).toBe('configuration');
    const rest = OPENSTACK.slice(1);
    expect(rest.map((id) => [id, check(report, id).status, check(report, id).detail])).toEqual(
      rest.map((id) => [id, 'skip', 'not checked: Keystone authentication failed']),
    );
    expect(report.exitCode).toBe(1);
  });

  it('points a refused application credential at its id and secret, not at a password', async () => {
    const env = {
      OS_AUTH_URL: cloud.authUrl,
      OS_AUTH_TYPE: 'v3applicationcredential',
      OS_APPLICATION_CREDENTIAL_ID: DEMO_APPLICATION_CREDENTIAL.id,
      OS_APPLICATION_CREDENTIAL_SECRET: 'not-the-secret',
    };
    const report = await doctor(env, dir.path, { groups: ['openstack'] });

    const keystone = check(report, 'keystone');
    expect(keystone.status).toBe('fail');
    expect(keystone.detail).toContain(`application credential ${DEMO_APPLICATION_CREDENTIAL.id}`);
    expect(keystone.next).toContain('OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET');
    expect(keystone.next).not.toContain('OS_PASSWORD');
  });

  it('says which URL it tried and the low-level reason when nothing listens there', async () => {
    const port = await closedPort();
    const report = await doctor(demoEnv(cloud, { OS_AUTH_URL: `http://127.0.0.1:${port}/identity` }), dir.path, { groups: ['openstack'] });

    const keystone = check(report, 'keystone');
    expect(keystone.status).toBe('fail');
    expect(keystone.detail).toContain(`could not reach Keystone at http://127.0.0.1:${port}/identity/v3/auth/tokens (ECONNREFUSED`);
    expect(keystone.next).toContain('check OS_AUTH_URL');
    expect(keystone.cause).toBe('outage');
    expect(report.exitCode).toBe(1);
  });

  it('takes an auth_url that answers 404 for a wrong URL, not an outage', async () => {
    const report = await doctor(demoEnv(cloud, { OS_AUTH_URL: `${cloud.baseUrl}/identiy` }), dir.path, { groups: ['openstack'] });

    const keystone = check(report, 'keystone');
    expect(keystone).toMatchObject({ status: 'fail', cause: 'configuration' });
    expect(keystone.next).toContain('does not serve the Keystone API: the URL (OS_AUTH_URL) is probably wrong');
  });
});

describe('the catalog', () => {
  it('reports a region without compute and network endpoints, lists what exists and which region to set', async () => {
    const report = await doctor(demoEnv(cloud, { OS_REGION_NAME: 'RegionTwo' }), dir.path, { groups: ['openstack'] });

    const catalog = check(report, 'catalog');
    expect(catalog.status).toBe('fail');
    expect(catalog.detail).toContain('public interface, region RegionTwo');
    expect(catalog.items).toContainEqual(
      expect.stringMatching(
        /^compute: the Keystone catalog has no public compute endpoint in region RegionTwo \(it has: .*public\/RegionOne/,
      ),
    );
    expect(catalog.next).toContain('compute: set OS_REGION_NAME to RegionOne');
    expect(check(report, 'nova')).toMatchObject({ status: 'skip', detail: 'not checked: no compute endpoint in the catalog' });
    expect(report.exitCode).toBe(1);
  });
});

describe('Neutron and Nova', () => {
  it('reports Neutron answering 503 with the request, names Neutron as the service to look at, and still checks Nova', async () => {
    cloud.faults.failNext({ method: 'GET', path: '/v2.0/floatingips' }, { status: 503, count: 10 });
    const report = await doctor(demoEnv(cloud), dir.path, { groups: ['openstack'] });

    const neutron = check(report, 'neutron');
    expect(neutron.status).toBe('fail');
    expect(neutron.detail).toMatch(/^Neutron answered 503 to GET \/floatingips\?.* after 3 attempts/);
    expect(neutron.next).toContain('Neutron is failing or overloaded');
    expect(neutron.cause).toBe('outage');
    expect(check(report, 'nova').status).toBe('ok');
    expect(check(report, 'pools')).toMatchObject({ status: 'skip', detail: 'not checked: Neutron does not answer' });
    expect(report.exitCode).toBe(1);
  });

  it('reports Nova refusing the project with the role to grant', async () => {
    cloud.faults.failNext({ method: 'GET', path: '/v2.1/servers' }, { status: 403 });
    const report = await doctor(demoEnv(cloud), dir.path, { groups: ['openstack'] });

    const nova = check(report, 'nova');
    expect(nova.status).toBe('fail');
    expect(nova.detail).toMatch(/^Nova answered 403/);
    expect(nova.next).toContain('member role');
    expect(nova.cause).toBe('configuration');
  });
});

describe('pools and quota', () => {
  it('blocks when the project sees no external network, and says what to ask the administrator for', async () => {
    const empty = await startDemoCloud({ seed: 'empty' });
    try {
      const report = await doctor(demoEnv(empty), dir.path, { groups: ['openstack'] });

      const pools = check(report, 'pools');
      expect(pools.status).toBe('fail');
      expect(pools.detail).toContain('no external network is visible to project demo');
      expect(pools.next).toContain('access_as_external');
      expect(report.exitCode).toBe(1);
    } finally {
      await empty.close();
    }
  });

  it('warns, without failing, when the floating-IP quota is used up', async () => {
    cloud.state.setQuota('demo', 'floatingip', 2);
    try {
      const report = await doctor(demoEnv(cloud), dir.path, { groups: ['openstack'] });

      const quota = check(report, 'quota');
      expect(quota.status).toBe('warn');
      expect(quota.detail).toContain('2 of 2 floating IPs in use in project demo');
      expect(textOf(quota)).toContain('raise the quota');
      expect(report).toMatchObject({ ok: true, exitCode: 0 });
    } finally {
      cloud.state.setQuota('demo', 'floatingip', 50);
    }
  });

  it('warns, without failing, when the quota cannot be read', async () => {
    cloud.faults.failNext({ method: 'GET', path: '/v2.0/quotas/*/details' }, { status: 404 });
    const report = await doctor(demoEnv(cloud), dir.path, { groups: ['openstack'] });

    expect(check(report, 'quota')).toMatchObject({ status: 'warn', detail: expect.stringContaining('could not read the quota') as string });
    expect(report.exitCode).toBe(0);
  });
});
