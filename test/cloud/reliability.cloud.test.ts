/**
 * Reliability against the cloud OS_CLIENT_CONFIG_FILE / OS_CLOUD name (npm run
 * test:cloud; FIPBOT_TEST_ADMIN_CLOUD for the admin side), through the real
 * Slack app (the e2e harness with the real cloud behind it): the faults that
 * can be made for real, and a burst.
 *  - A token revoked by the admin (DELETE /v3/auth/tokens) between the
 *    confirmation and the click: the change is still made, once.
 *  - An unreachable Keystone (a copy of the cloud config pointing at a closed
 *    port): a plain explanation, within Slack's deadline, and no crash.
 *  - A burst of 30 mixed operations from five people at once, some
 *    confirmations double-clicked (reliability/burst.ts): the cloud's own
 *    listing ends exactly as the results said.
 * Everything it allocates is released, even when an assertion fails.
 */
import { homedir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudConnection, connectCloud } from '../../src/openstack/cloud.js';
import type { CloudConfig } from '../../src/openstack/cloud-config.js';
import { loadCloudConfig } from '../../src/openstack/clouds.js';
import { keystoneV3Url } from '../../src/openstack/identity.js';
import { closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';
import { cloudState, runBurst } from '../reliability/burst.js';
import { acks, command, confirmation, confirmDone, humane } from '../reliability/support.js';
import { freePort as closedPort } from '../support/ports.js';
import { type LossyProxy, startLossyProxy } from './support/lossy-proxy.js';

function cloudNamed(name: string | undefined): CloudConfig {
  const loaded = loadCloudConfig({ env: { ...process.env, ...(name ? { OS_CLOUD: name } : {}) }, cwd: process.cwd(), homeDir: homedir() });
  if (!loaded.ok || !loaded.cloud)
    throw new Error(`no cloud ${name ?? '(OS_CLOUD)'}: set OS_CLIENT_CONFIG_FILE, OS_CLOUD and FIPBOT_TEST_ADMIN_CLOUD`);
  return loaded.cloud;
}

const botCloud = cloudNamed(process.env.OS_CLOUD);
let h: Harness;
let admin: CloudConnection;
let side: CloudConnection;
let projectId: string;
let baseline: Map<string, string | null>;

beforeAll(async () => {
  h = await startHarness({ cloud: botCloud });
  admin = connectCloud(cloudNamed(process.env.FIPBOT_TEST_ADMIN_CLOUD));
  side = connectCloud(botCloud);
  projectId = (await side.client.scope()).projectId;
  baseline = await cloudState(side, projectId);
});

afterAll(async () => {
  // Whatever the tests allocated goes back, whatever happened.
  const left = [...(await cloudState(side, projectId)).keys()].filter((address) => !baseline.has(address));
  const fips = await side.neutron.listFloatingIps({ projectId });
  for (const fip of fips.filter((candidate) => left.includes(candidate.address))) await side.neutron.deleteFloatingIp(fip.id);
  await Promise.all([closeWithinLimits(h), admin.close(), side.close()]);
  expect(acks.filter((ack) => !ack.withinDeadline)).toEqual([]);
});

describe('a token revoked by the admin between the confirmation and the click', () => {
  it('still allocates, once, after authenticating again', async () => {
    const shown = await confirmation(h, 'create public');
    // A token Neutron has never seen: one it validated already may be cached by keystonemiddleware (5 minutes by
    // default) and accepted after its revocation. So the bot takes a fresh one, and the admin revokes that.
    const identity = h.connection.identity;
    identity.invalidate(await identity.token());
    const revoked = (await identity.token()).value;
    const keystone = keystoneV3Url(botCloud.auth.authUrl);
    const adminToken = (await admin.identity.token()).value;
    const deleted = await admin.transport.request({
      service: 'identity',
      method: 'DELETE',
      url: `${keystone}/auth/tokens`,
      headers: { 'x-auth-token': adminToken, 'x-subject-token': revoked },
    });
    expect(deleted.status).toBe(204);
    const check = await admin.transport.request({
      service: 'identity',
      method: 'GET',
      url: `${keystone}/auth/tokens`,
      headers: { 'x-auth-token': adminToken, 'x-subject-token': revoked },
    });
    expect(check.status).toBe(404);

    const authentications = identity.authentications;
    const before = await cloudState(side, projectId);
    const result = await confirmDone(h, shown);
    const ip = /^allocated (\S+) from pool public/.exec(result)![1]!;
    // Neutron refused the revoked token, so fipbot asked Keystone for a new one.
    expect(identity.authentications).toBe(authentications + 1);
    expect(await cloudState(side, projectId)).toEqual(new Map([...before, [ip, null]]));
    await confirmDone(h, await confirmation(h, `release ${ip}`));
  });
});

describe('an answer lost after Neutron made the change (a proxy carries the PUT out and drops its answer)', () => {
  let proxy: LossyProxy;
  let lossy: Harness;
  beforeAll(async () => {
    const keystone = keystoneV3Url(botCloud.auth.authUrl);
    const token = await side.identity.token();
    proxy = await startLossyProxy(keystone, side.identity.endpoint(token, 'network'));
    lossy = await startHarness({
      cloud: { ...botCloud, name: 'through a lossy proxy', auth: { ...botCloud.auth, authUrl: proxy.authUrl } },
    });
  });
  afterAll(async () => {
    await lossy.close();
    await proxy.close();
  });

  for (const as of ['reset', 504] as const) {
    it(`reports the attach and the detach as made, when each answer is lost (${as})`, async () => {
      const pools = await side.neutron.listExternalNetworks();
      const created = await side.neutron.createFloatingIp({ networkId: pools.find((pool) => pool.name === 'public')!.id });
      const ip = created.value.address;
      try {
        const web1 = (await side.nova.findServer('web-1')) as { kind: 'found'; server: { id: string } };
        const [port] = await side.neutron.listPorts({ deviceIds: [web1.server.id] });

        const attach = await confirmation(lossy, `attach ${ip} web-1`);
        proxy.loseNextAnswer('PUT', /^\/v2\.0\/floatingips\//, as);
        expect(await confirmDone(lossy, attach)).toMatch(new RegExp(`^attached ${ip.replace(/\./g, '\\.')} to web-1 \\(by `));
        expect(proxy.lost()).toBeGreaterThan(0);
        expect((await side.neutron.getFloatingIp(created.value.id)).portId).toBe(port!.id);

        const lostBefore = proxy.lost();
        const detach = await confirmation(lossy, `detach ${ip}`);
        proxy.loseNextAnswer('PUT', /^\/v2\.0\/floatingips\//, as);
        expect(await confirmDone(lossy, detach)).toMatch(new RegExp(`^detached ${ip.replace(/\./g, '\\.')} from web-1`));
        expect(proxy.lost()).toBe(lostBefore + 1);
        expect((await side.neutron.getFloatingIp(created.value.id)).portId).toBeNull();
      } finally {
        await side.neutron.deleteFloatingIp(created.value.id);
      }
    });
  }
});

describe('Keystone unreachable (the cloud config pointing at a closed port)', () => {
  let broken: Harness;
  beforeAll(async () => {
    const port = await closedPort();
    broken = await startHarness({
      cloud: { ...botCloud, name: 'unreachable', auth: { ...botCloud.auth, authUrl: `http://127.0.0.1:${port}/v3` } },
    });
  });
  afterAll(async () => {
    await broken.close();
  });

  it('explains within the deadline that Keystone is unreachable, changes nothing, and keeps answering', async () => {
    const before = await cloudState(side, projectId);
    for (const text of ['list', 'create public', 'attach new web-1']) {
      const { reply } = await command(broken, text);
      humane(reply);
      expect(reply.text).toMatch(/^Keystone is unreachable\./);
    }
    const help = await command(broken, 'help');
    expect(help.reply.text).toMatch(/^fipbot: /);
    expect(await cloudState(side, projectId)).toEqual(before);
  });
});

describe('a burst of 30 mixed operations from five people at once', () => {
  it('leaves the cloud exactly as the results said, double clicks included', async () => {
    const report = await runBurst(h, side, {
      operations: 30,
      // The seed has one instance fipbot can attach to (web-1): one person attaches and detaches, the others allocate and release.
      users: [
        { id: 'U0BURSTA1', instances: ['web-1'] },
        { id: 'U0BURSTB1', instances: [] },
        { id: 'U0BURSTC1', instances: [] },
        { id: 'U0BURSTD1', instances: [] },
        { id: 'U0BURSTE1', instances: [] },
      ],
      seed: 3,
      pool: 'public',
      doubleClickRate: 0.3,
      maxIpsPerUser: 2,
    });
    console.log(
      `real-cloud burst: ${JSON.stringify(report.operations)}, ${report.doubleClicks} double clicks, ${report.left.size} IPs left`,
    );
    expect(report.problems).toEqual([]);
    expect(report.refused + report.unknown).toBe(0);
    expect(report.doubleClicks).toBeGreaterThan(2);
  });
});
